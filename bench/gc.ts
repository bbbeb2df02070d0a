// V8's collector, for reading the heap after a full collection. It is reached through a documented
// V8 flag, so the scripts run without `node --expose-gc`.
import v8 from "node:v8";
import vm from "node:vm";

export function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

/** Bytes of heap in use after a full collection. WeakRefs are cleared only between jobs: collect, yield, collect again. */
export async function settledHeap(gc: () => void): Promise<number> {
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  return process.memoryUsage().heapUsed;
}
