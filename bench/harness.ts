// Timing: every case is warmed up, then the cases take turns, one repetition each, so that a
// slow spell of the machine lands on every system alike. A repetition runs a case's step enough
// times to last a set time (HarnessOptions.repetitionMs); its time per step is one sample. We report the
// median of the samples, with the fastest and the slowest. A full collection, untimed, comes
// before each repetition, so that the garbage one system leaves is not collected in another's turn.

export type System = "gumbelgrad" | "tfjs-cpu" | "tfjs-wasm" | "jax-js-wasm";
export type BenchDType = "float64" | "float32";

/** One workload prepared in one system: `run` does one step (one matmul, one training step …). */
export interface Prepared {
  run(): void | Promise<void>;
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

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samples: number[];
}

export interface HarnessOptions {
  repetitions: number;
  /** Minimum time of one repetition and of the warm-up, in ms. */
  repetitionMs: number;
  warmupMs: number;
  /** Warm-up runs at least this many steps (default 3). */
  warmupSteps?: number;
  /** Runs before each warm-up and each timed repetition, untimed: a full collection, so that no system pays for another's garbage. */
  between?(): void;
  onProgress?(message: string): void;
}

interface Running {
  c: Case;
  prepared: Prepared;
  stepsPerRepetition: number;
  samples: number[];
}

/** Runs the cases, alternating between them, and returns one timing per case (in the given order). */
export async function runCases(cases: Case[], opts: HarnessOptions): Promise<Timing[]> {
  const running: Running[] = [];
  for (const c of cases) {
    opts.onProgress?.(`warming up ${label(c)}`);
    const prepared = await c.prepare();
    await prepared.enter?.();
    opts.between?.();
    const perStep = await warmUp(prepared, opts.warmupMs, opts.warmupSteps ?? 3);
    running.push({ c, prepared, stepsPerRepetition: Math.max(1, Math.ceil(opts.repetitionMs / perStep)), samples: [] });
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
  return running.map((r) => summarize(r.samples));
}

/** Runs the step until warmupMs have passed (at least minSteps times); returns the last time per step. */
async function warmUp(p: Prepared, warmupMs: number, minSteps: number): Promise<number> {
  const start = performance.now();
  let runs = 0;
  let last = Infinity;
  while (runs < minSteps || performance.now() - start < warmupMs) {
    last = await timeSteps(p, 1);
    runs++;
  }
  return Math.max(last, 1e-3);
}

async function timeSteps(p: Prepared, steps: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    const result = p.run();
    if (result) await result;
  }
  return (performance.now() - start) / steps;
}

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { medianMs, minMs: sorted[0], maxMs: sorted[sorted.length - 1], samples };
}

function label(c: Case): string {
  return `${c.workload} ${c.variant} ${c.system} ${c.dtype}`;
}
