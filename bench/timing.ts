/**
 * Timing helpers: every figure the benchmark reports is a ratio of two medians measured in the same run,
 * so machine speed and background load cancel out as far as they can.
 */
import { Session } from "node:inspector";
import type { CpuProfile } from "./profile";

export interface Measurement {
  /** Median time of one call, ms. */
  readonly medianMs: number;
  readonly samples: number;
}

export interface MeasureOptions {
  /** Stop sampling after this long (ms), once `minSamples` are taken. */
  readonly budgetMs: number;
  readonly minSamples?: number;
  readonly maxSamples?: number;
  /** Calls before sampling starts (JIT warm-up). */
  readonly warmup?: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Median time of `fn`. Very short calls are batched so each sample lasts at least ~2 ms (the timer's
 * resolution and the loop's cost stay negligible).
 */
export function measure(fn: () => unknown, options: MeasureOptions): Measurement {
  const { budgetMs, minSamples = 5, maxSamples = 200, warmup = 2 } = options;
  for (let i = 0; i < warmup; i++) fn();
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    const elapsed = performance.now() - t0;
    if (elapsed >= 2 || batch >= 1 << 16) break;
    batch *= 4;
  }
  const samples: number[] = [];
  const deadline = performance.now() + budgetMs;
  while (samples.length < maxSamples && (samples.length < minSamples || performance.now() < deadline)) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    samples.push((performance.now() - t0) / batch);
  }
  return { medianMs: median(samples), samples: samples.length };
}

/** One sample of something timed: the time of one call, ms (a batch of calls averaged when they are short). */
export type Sampler = () => Promise<number>;

/** A sampler over a synchronous function: warms it up, then batches calls so each sample lasts >= ~2 ms. */
export function syncSampler(fn: () => unknown, warmup = 2): Sampler {
  let batch = 0;
  return async () => {
    if (batch === 0) {
      for (let i = 0; i < warmup; i++) fn();
      batch = 1;
      for (;;) {
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) fn();
        if (performance.now() - t0 >= 2 || batch >= 1 << 16) break;
        batch *= 4;
      }
    }
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    return (performance.now() - t0) / batch;
  };
}

/**
 * A sampler that times one call of `fn` on a new input each sample; `prepare` makes the input and is not
 * timed. For work whose cost depends on what was seen before (remembered answers).
 */
export function freshSampler<T>(prepare: (sample: number) => T, fn: (input: T) => unknown): Sampler {
  let sample = 0;
  return async () => {
    const input = prepare(sample++);
    const t0 = performance.now();
    fn(input);
    return performance.now() - t0;
  };
}

/**
 * Medians of several samplers taken in turns (one sample of each per round), so that a change of load
 * on a shared machine hits numerator and denominator of a ratio alike.
 */
export async function interleave<K extends string>(samplers: Readonly<Record<K, Sampler>>, options: MeasureOptions): Promise<Record<K, number>> {
  const { budgetMs, minSamples = 5, maxSamples = 200 } = options;
  const keys = Object.keys(samplers) as K[];
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (const k of keys) await samplers[k](); // calibration and warm-up, not counted
  const deadline = performance.now() + budgetMs;
  for (let round = 0; round < maxSamples && (round < minSamples || performance.now() < deadline); round++) {
    for (const k of keys) samples[k].push(await samplers[k]());
  }
  return Object.fromEntries(keys.map((k) => [k, median(samples[k])])) as Record<K, number>;
}

/** Same, for a function that returns a promise (one call per sample). */
export async function measureAsync(fn: () => Promise<unknown>, options: MeasureOptions): Promise<Measurement> {
  const { budgetMs, minSamples = 3, maxSamples = 50, warmup = 1 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const deadline = performance.now() + budgetMs;
  while (samples.length < maxSamples && (samples.length < minSamples || performance.now() < deadline)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { medianMs: median(samples), samples: samples.length };
}

/** A CPU profile of what `body` runs, taken with the inspector in this process. */
export async function profile<T>(body: () => Promise<T> | T, samplingIntervalUs = 200): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  const post = <R>(method: string, params?: object) =>
    new Promise<R>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as R))));
  try {
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: samplingIntervalUs });
    await post("Profiler.start");
    const result = await body();
    const { profile: taken } = await post<{ profile: CpuProfile }>("Profiler.stop");
    return { result, profile: taken };
  } finally {
    session.disconnect();
  }
}
