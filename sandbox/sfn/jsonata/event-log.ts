/** An entry of an execution's event log, in the shape the sandbox's Execution reads from either engine. */
export interface EventLogEntry {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  parentState?: { name: string; type: string };
  index?: number;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
}

/** An append-only event log read as an async iterable; closed by the execution's terminal event. */
export class EventLog implements AsyncIterable<EventLogEntry> {
  private readonly queue: EventLogEntry[] = [];
  private closed = false;
  private wake?: () => void;

  add(entry: Omit<EventLogEntry, "timestamp">, terminal = false): void {
    if (this.closed) return;
    this.queue.push({ ...entry, timestamp: Date.now() });
    if (terminal) this.closed = true;
    this.wake?.();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<EventLogEntry> {
    for (;;) {
      while (this.queue.length > 0) yield this.queue.shift() as EventLogEntry;
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
