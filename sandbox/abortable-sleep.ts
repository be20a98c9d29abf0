/**
 * Resolves after `ms`, or rejects with `abortReason(signal)` as soon as the signal aborts (at once when it
 * already has), so a stopped execution never waits out a Wait state, a retry delay or a poll interval.
 */
export function abortableSleep(ms: number, signal: AbortSignal, abortReason: (signal: AbortSignal) => unknown = (s) => s.reason): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
