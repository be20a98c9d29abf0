import type { ProgramModel } from "./program-model";

/** The account every sandbox resource lives in (the mocks' resources and those created through the APIs). */
export const MOCK_ACCOUNT_ID = "123456789012";

/** The region of a program without `aws:region`, and of an empty sandbox. */
export const DEFAULT_REGION = "us-east-1";

/** A model with nothing in it: a sandbox where everything is created through the AWS APIs (raw ASL). */
export function emptyProgramModel(region = DEFAULT_REGION): ProgramModel {
  return { project: "empty", stack: "none", region, accountId: MOCK_ACCOUNT_ID, resources: [], outputs: {} };
}
