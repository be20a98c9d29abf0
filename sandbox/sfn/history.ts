/** One event of an execution's history, in Step Functions' shape (GetExecutionHistory). */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: Date;
  readonly type: string;
  /** The one `<type>EventDetails` member the event type has, e.g. { taskScheduledEventDetails: {...} }. */
  readonly [details: string]: unknown;
}

/**
 * The details member name of an event type: "TaskScheduled" -> "taskScheduledEventDetails"; every
 * "<Type>StateEntered"/"<Type>StateExited" shares stateEnteredEventDetails/stateExitedEventDetails.
 */
export function detailsKey(type: string): string {
  if (type.endsWith("StateEntered")) return "stateEnteredEventDetails";
  if (type.endsWith("StateExited")) return "stateExitedEventDetails";
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
}

/** Appends events with consecutive ids, each pointing at the one before it. */
export class HistoryRecorder {
  private readonly events: HistoryEvent[] = [];

  add(type: string, details?: Record<string, unknown>, timestamp = Date.now()): HistoryEvent {
    const id = this.events.length + 1;
    const event: HistoryEvent = {
      id,
      previousEventId: id - 1,
      timestamp: new Date(timestamp),
      type,
      ...(details ? { [detailsKey(type)]: details } : {}),
    };
    this.events.push(event);
    return event;
  }

  all(): readonly HistoryEvent[] {
    return this.events;
  }
}

/** Step Functions' payload metadata: the sandbox never truncates. */
export const NOT_TRUNCATED = { truncated: false } as const;

/** The members of event details that are execution data: payloads (and their truncation details) and Task parameters. */
const EXECUTION_DATA = new Set(["input", "inputDetails", "output", "outputDetails", "parameters"]);

/**
 * An event as GetExecutionHistory returns it with includeExecutionData=false: the execution data (the
 * input and output an event carries, with their details, and Task parameters) left out, the rest kept.
 */
export function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const key = detailsKey(event.type);
  const details = event[key];
  if (typeof details !== "object" || details === null) return event;
  return { ...event, [key]: Object.fromEntries(Object.entries(details).filter(([member]) => !EXECUTION_DATA.has(member))) };
}
