import { randomBytes } from "node:crypto";
import { AwsServiceError } from "../aws-error";

/** What the callback brought: SendTaskSuccess's output, or SendTaskFailure's error and cause. */
export type CallbackOutcome =
  | { readonly kind: "success"; readonly outputJson: string }
  | { readonly kind: "failure"; readonly error?: string; readonly cause?: string };

interface TokenEntry {
  readonly executionArn: string;
  readonly stateName: string;
  open: boolean;
  outcome?: CallbackOutcome;
  deliver?: (outcome: CallbackOutcome) => void;
  onHeartbeat?: () => void;
}

/** Step Functions' limits on callback payloads. */
const MAX_OUTPUT_BYTES = 256 * 1024;
const MAX_ERROR_CHARS = 256;
const MAX_CAUSE_CHARS = 32768;

/**
 * Task tokens of waiting (.waitForTaskToken) tasks. A token is open from the moment the task is scheduled
 * until its first SendTaskSuccess/Failure, its timeout or the end of its execution; afterwards every
 * callback with it gets TaskTimedOut, as in AWS. A token the sandbox never issued gets InvalidToken.
 * A callback may arrive before the task starts waiting (the invoked function may call back itself).
 */
export class TaskTokenRegistry {
  private readonly entries = new Map<string, TokenEntry>();

  issue(executionArn: string, stateName: string): string {
    // Opaque and long like AWS's tokens; nothing can be read from it.
    const token = `AQ${randomBytes(96).toString("base64url")}`;
    this.entries.set(token, { executionArn, stateName, open: true });
    return token;
  }

  /** Resolves with the callback's outcome (at once if it already came). */
  wait(token: string, onHeartbeat: () => void): Promise<CallbackOutcome> {
    const entry = this.entries.get(token);
    if (!entry) return Promise.reject(new Error(`Token was never issued: ${token.slice(0, 12)}...`));
    entry.onHeartbeat = onHeartbeat;
    if (entry.outcome) return Promise.resolve(entry.outcome);
    return new Promise((resolve) => (entry.deliver = resolve));
  }

  /** The task ended without a callback (timeout, heartbeat timeout, stop): its token is spent. */
  close(token: string): void {
    const entry = this.entries.get(token);
    if (entry) {
      entry.open = false;
      entry.deliver = undefined;
      entry.onHeartbeat = undefined;
    }
  }

  /** The execution a token belongs to; throws InvalidToken for a token the sandbox never issued. */
  executionOf(token: string): string {
    return this.entry(token).executionArn;
  }

  succeed(token: string, outputJson: string): void {
    const entry = this.openEntry(token);
    if (Buffer.byteLength(outputJson ?? "", "utf8") > MAX_OUTPUT_BYTES) {
      throw new AwsServiceError("InvalidOutput", `Invalid Output: the output is larger than ${MAX_OUTPUT_BYTES} bytes`);
    }
    try {
      JSON.parse(outputJson);
    } catch {
      throw new AwsServiceError("InvalidOutput", "Invalid Output: the output is not valid JSON");
    }
    this.settle(entry, { kind: "success", outputJson });
  }

  fail(token: string, error?: string, cause?: string): void {
    const entry = this.openEntry(token);
    if (error !== undefined && error.length > MAX_ERROR_CHARS) {
      throw new AwsServiceError("ValidationException", `1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ERROR_CHARS}`);
    }
    if (cause !== undefined && cause.length > MAX_CAUSE_CHARS) {
      throw new AwsServiceError("ValidationException", `1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to ${MAX_CAUSE_CHARS}`);
    }
    this.settle(entry, { kind: "failure", error, cause });
  }

  heartbeat(token: string): void {
    this.openEntry(token).onHeartbeat?.();
  }

  private entry(token: string): TokenEntry {
    const entry = typeof token === "string" ? this.entries.get(token) : undefined;
    if (!entry) throw new AwsServiceError("InvalidToken", "Invalid Token: 'Invalid token'");
    return entry;
  }

  private openEntry(token: string): TokenEntry {
    const entry = this.entry(token);
    if (!entry.open) throw new AwsServiceError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
    return entry;
  }

  private settle(entry: TokenEntry, outcome: CallbackOutcome): void {
    entry.open = false;
    entry.outcome = outcome;
    const deliver = entry.deliver;
    entry.deliver = undefined;
    entry.onHeartbeat = undefined;
    deliver?.(outcome);
  }
}
