// The memory check: many W4 training steps must not grow the heap (the tape lets go of each
// step's graph). The heap is read after a full collection, reached through a documented V8 flag.
import v8 from "node:v8";
import vm from "node:vm";
import { vqTrainingStep } from "./systems/gumbelgrad.js";

function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

async function settledHeap(gc: () => void): Promise<number> {
  // WeakRefs are cleared only between jobs: collect, yield, collect again.
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  return process.memoryUsage().heapUsed;
}

export async function measureMemory(steps: number): Promise<{ heapGrowthMB: number; peakRssMB: number }> {
  const gc = collector();
  const step = vqTrainingStep();
  for (let i = 0; i < 200; i++) step();
  const before = await settledHeap(gc);
  let peakRss = process.memoryUsage().rss;
  for (let i = 0; i < steps; i++) {
    step();
    // Yield now and then, as a real training loop does (a progress bar, an await), so weak refs can clear.
    if (i % 100 === 99) {
      await new Promise((r) => setImmediate(r));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  }
  const after = await settledHeap(gc);
  return { heapGrowthMB: (after - before) / 2 ** 20, peakRssMB: Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20 };
}
