/**
 * Patterns that hold for whole kinds of integration (AWS Step Functions Developer Guide, "Integrating services
 * with Step Functions" and "Discover service integration patterns"): AWS SDK integrations offer Request
 * Response and Wait for Callback, never .sync; Express workflows offer Request Response only (no .sync, no
 * .waitForTaskToken, no activities: "Choosing workflow type").
 */
import type { IntegrationPattern } from "../policy/analysis/types";

export const SDK_PATTERNS: readonly IntegrationPattern[] = ["request-response", "waitForTaskToken"];
export const EXPRESS_PATTERNS: readonly IntegrationPattern[] = ["request-response"];
export const EXPRESS_SUPPORTS_ACTIVITIES = false;
/** Every pattern, in the order docs list them. */
export const ALL_PATTERNS: readonly IntegrationPattern[] = ["request-response", "sync", "sync:2", "waitForTaskToken"];
