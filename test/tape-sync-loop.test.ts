// The tape in one long synchronous loop (a plain `for` over training steps, no await): graphs
// that backward never reaches — `stopGradient(z_q − z)` leaves one such entry every step — must
// not keep their data alive until the loop ends.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Rng, add, matmul, mean, mul, randn, stopGradient, sub, tape, tensor } from "../src/index.js";
import { collector } from "../bench/gc.js";

const loop = suite("tape: a synchronous training loop");

/**
 * MB of array buffers still held after a full collection, without leaving the job. V8 frees the
 * buffers of collected typed arrays on a background thread, so the reading is retried (collect,
 * then sleep 50 ms synchronously) until it settles: what stays held is what the tape keeps alive.
 */
function heldAfterCollection(gc: () => void, before: number): number {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  let held = Infinity;
  for (let attempt = 0; attempt < 20 && held >= 40; attempt++) {
    gc();
    Atomics.wait(nap, 0, 0, 50);
    held = (process.memoryUsage().arrayBuffers - before) / 2 ** 20;
  }
  return held;
}

loop("entries left behind by stopGradient are collectable before the loop ends", async () => {
  const gc = collector();
  tape.clear();
  const rng = new Rng(7);
  const w = randn([32, 256], { rng, requiresGrad: true });
  const x = randn([128, 32], { rng });
  const target = tensor(0.5);
  gc();
  const before = process.memoryUsage().arrayBuffers;
  for (let step = 0; step < 400; step++) {
    const z = matmul(x, w); // [128, 256] float64: 256 KB
    const zst = add(z, stopGradient(sub(mul(z, 0.5), z))); // sub's entry is never backwarded
    mean(mul(sub(zst, target), sub(zst, target))).backward();
    w.grad = null;
  }
  const heldMB = heldAfterCollection(gc, before); // still inside the same job
  assert.ok(heldMB < 40, `the loop still holds ${heldMB.toFixed(0)} MB of tensor data (400 steps leave 200 MB behind if entries are kept)`);
  // Whether an entry is garbage is known only after the job: then the listing drops them all.
  await new Promise((r) => setImmediate(r));
  gc();
  assert.is(tape.length, 0, "the garbage entries have left the tape");
});

loop.run();
