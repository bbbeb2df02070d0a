// Timing: every case is warmed up until its times settle, then the cases take turns, one repetition
// each, so that a slow spell of the machine lands on every system alike. A repetition runs a case's
// step enough times to last a set time (HarnessOptions.repetitionMs); its time per step is one sample.
// We report the median of the samples, with the fastest and the slowest. A full collection, untimed,
// comes before each repetition (and each warm-up sample), so that the garbage one system leaves is
// not collected in another's turn.
//
// "Settled" rather than a fixed warm-up time, because cases settle at very different speeds: a 10,000-op
// tape needs a few hundred ms of JIT and heap growth, a matmul almost none. A quick run then differs
// from a full one only in how many repetitions it takes and how long each lasts, not in how warm it is.

export type System = "gumbelgrad" | "tfjs-cpu" | "tfjs-wasm" | "jax-js-wasm" | "torch-cpu";
export type BenchDType = "float64" | "float32";

/** One workload prepared in one system: `run` does one step (one matmul, one training step …). */
export interface Prepared {
  run(): void | Promise<void>;
  /**
   * For a system in another process: runs `steps` steps there, timing them there, and returns the ms
   * per step, so that the pipe to it is not timed. The harness then uses this instead of `run`.
   */
  timeSteps?(steps: number): Promise<number>;
  /** Called before the case's turn: a system with a global backend switches to it here. */
  enter?(): Promise<void>;
  dispose?(): void;
}

export interface Case {
  workload: string;
  variant: string;
  system: System;
  dtype: BenchDType;
  prepare(): Promise<Prepared>;
}

/** How a case was warmed up: how many samples and ms it took, and whether its times settled before the cap. */
export interface Warmup {
  samples: number;
  ms: number;
  settled: boolean;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samples: number[];
  warmup: Warmup;
}

/** When a case counts as warm: its times per step stop moving. */
export interface WarmupRule {
  /** Each warm-up sample runs the step for at least this long (ms), and at least once. */
  sampleMs: number;
  /** Settled when the median of the last `window` samples is within `tolerance` (a fraction) of the median of the `window` before. */
  window: number;
  tolerance: number;
  /**
   * Stop warming after this long (ms) even if not settled; the case is then reported as unsettled.
   * A slow case still gets its two windows first, so that "unsettled" means its times moved.
   */
  maxMs: number;
}

export interface HarnessOptions {
  repetitions: number;
  /** Minimum time of one timed repetition, in ms. */
  repetitionMs: number;
  warmup: WarmupRule;
  /** Runs before each warm-up sample and each timed repetition, untimed: a full collection, so that no system pays for another's garbage. */
  between?(): void;
  onProgress?(message: string): void;
}

interface Running {
  c: Case;
  prepared: Prepared;
  stepsPerRepetition: number;
  warmup: Warmup;
  samples: number[];
}

/** Runs the cases, alternating between them, and returns one timing per case (in the given order). */
export async function runCases(cases: Case[], opts: HarnessOptions): Promise<Timing[]> {
  const running: Running[] = [];
  for (const c of cases) {
    opts.onProgress?.(`warming up ${label(c)}`);
    const prepared = await c.prepare();
    await prepared.enter?.();
    const { perStepMs, warmup } = await warmUntilSettled(prepared, opts.warmup, opts.between);
    opts.onProgress?.(`  ${warmup.settled ? "settled" : "NOT settled"} after ${warmup.samples} samples, ${(warmup.ms / 1000).toFixed(1)} s: ${perStepMs.toPrecision(3)} ms per step`);
    running.push({ c, prepared, stepsPerRepetition: stepsFor(opts.repetitionMs, perStepMs), warmup, samples: [] });
  }
  for (let rep = 0; rep < opts.repetitions; rep++) {
    opts.onProgress?.(`repetition ${rep + 1} of ${opts.repetitions}`);
    // Rotate the starting case, so no system always runs right after the same neighbour.
    for (let k = 0; k < running.length; k++) {
      const r = running[(k + rep) % running.length];
      await r.prepared.enter?.();
      opts.between?.();
      r.samples.push(await timeSteps(r.prepared, r.stepsPerRepetition));
    }
  }
  for (const r of running) r.prepared.dispose?.();
  return running.map((r) => ({ ...summarize(r.samples), warmup: r.warmup }));
}

/**
 * Runs samples of the step (each lasting rule.sampleMs) until the median of the last `window`
 * samples is within `tolerance` of the window before it, or until rule.maxMs has passed (and two
 * windows have been sampled).
 * Returns the settled time per step (the last window's median), which sizes the repetitions.
 */
async function warmUntilSettled(p: Prepared, rule: WarmupRule, between?: () => void): Promise<{ perStepMs: number; warmup: Warmup }> {
  const start = performance.now();
  const samples: number[] = [];
  let steps = 1; // the first sample is one step: it shows how long a step takes, cold
  for (;;) {
    between?.();
    const perStep = await timeSteps(p, steps);
    samples.push(perStep);
    steps = stepsFor(rule.sampleMs, perStep);
    const ms = performance.now() - start;
    const settled = hasSettled(samples, rule);
    if (settled || (ms > rule.maxMs && samples.length >= 2 * rule.window)) return { perStepMs: median(samples.slice(-rule.window)), warmup: { samples: samples.length, ms, settled } };
  }
}

function hasSettled(samples: number[], { window, tolerance }: WarmupRule): boolean {
  if (samples.length < 2 * window) return false;
  const last = median(samples.slice(-window)), previous = median(samples.slice(-2 * window, -window));
  return Math.abs(last - previous) <= tolerance * previous;
}

/** How many steps make a sample of at least `ms`, given the time of one step. */
function stepsFor(ms: number, perStepMs: number): number {
  return Math.max(1, Math.ceil(ms / Math.max(perStepMs, 1e-3)));
}

async function timeSteps(p: Prepared, steps: number): Promise<number> {
  if (p.timeSteps) return p.timeSteps(steps);
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    const result = p.run();
    if (result) await result;
  }
  return (performance.now() - start) / steps;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summarize(samples: number[]): Omit<Timing, "warmup"> {
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: median(samples), minMs: sorted[0], maxMs: sorted[sorted.length - 1], samples };
}

function label(c: Case): string {
  return `${c.workload} ${c.variant} ${c.system} ${c.dtype}`;
}
