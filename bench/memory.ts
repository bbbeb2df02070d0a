// The memory checks: many training steps must not grow the heap (the tape lets go of each step's
// graph). W4 steps (the VQ model, plain SGD) and W7 steps (the VAE, Adam), float64. The heap is read
// after a full collection, reached through a documented V8 flag. Each check runs in a fresh process,
// so the peak RSS is gumbelgrad's alone, not the peers'.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { collector, settledHeap } from "./gc.js";
import { vaeTrainingStep, vqTrainingStep } from "./systems/gumbelgrad.js";

export type MemoryWorkload = "W4" | "W7";

export interface MemoryReport {
  heapGrowthMB: number;
  peakRssMB: number;
  seconds: number;
}

const TRAINING_STEPS: Record<MemoryWorkload, () => () => void> = { W4: vqTrainingStep, W7: vaeTrainingStep };

export async function measureMemory(workload: MemoryWorkload, steps: number): Promise<MemoryReport> {
  const gc = collector();
  const step = TRAINING_STEPS[workload]();
  for (let i = 0; i < 200; i++) step(); // warm up: JIT, the optimizer's state
  const before = await settledHeap(gc);
  const started = performance.now();
  let peakRss = process.memoryUsage().rss;
  // One synchronous loop, the harshest case: nothing is cleared between jobs until it ends.
  for (let i = 0; i < steps; i++) {
    step();
    if (i % 100 === 99) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - started) / 1000;
  const after = await settledHeap(gc);
  return { heapGrowthMB: (after - before) / 2 ** 20, peakRssMB: Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20, seconds };
}

/** Runs measureMemory in a child process (this file as a script) and returns its result. */
export function measureMemoryInChild(workload: MemoryWorkload, steps: number): MemoryReport {
  const out = execFileSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), workload, String(steps)], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const workload = (process.argv[2] ?? "W4") as MemoryWorkload;
  if (!(workload in TRAINING_STEPS)) throw new Error(`memory: the workload must be one of ${Object.keys(TRAINING_STEPS).join(", ")}, but got ${workload}`);
  console.log(JSON.stringify(await measureMemory(workload, Number(process.argv[3] ?? 10_000))));
}
