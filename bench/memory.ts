// The memory check: many W4 training steps must not grow the heap (the tape lets go of each
// step's graph). The heap is read after a full collection, reached through a documented V8 flag.
// It runs in a fresh process, so the peak RSS is gumbelgrad's alone, not the peers'.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { collector, settledHeap } from "./gc.js";
import { vqTrainingStep } from "./systems/gumbelgrad.js";

export async function measureMemory(steps: number): Promise<{ heapGrowthMB: number; peakRssMB: number }> {
  const gc = collector();
  const step = vqTrainingStep();
  for (let i = 0; i < 200; i++) step();
  const before = await settledHeap(gc);
  let peakRss = process.memoryUsage().rss;
  // One synchronous loop, the harshest case: nothing is cleared between jobs until it ends.
  for (let i = 0; i < steps; i++) {
    step();
    if (i % 100 === 99) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const after = await settledHeap(gc);
  return { heapGrowthMB: (after - before) / 2 ** 20, peakRssMB: Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20 };
}

/** Runs measureMemory in a child process (this file as a script) and returns its result. */
export function measureMemoryInChild(steps: number): { heapGrowthMB: number; peakRssMB: number } {
  const out = execFileSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), String(steps)], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await measureMemory(Number(process.argv[2] ?? 10_000))));
}
