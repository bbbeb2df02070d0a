// Adam's WebAssembly update against the plain loop it stands in for: the same parameters and
// moments, bit for bit, in both dtypes, with and without an L2 penalty and AdamW's decay, at sizes
// around the chunk, for gradients from 1e-12 to 1e6.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Adam, AdamW, Rng, fromData, type Tensor } from "../src/index.js";
import { setWasmAdam } from "../src/kernels/index.js";

const rng = new Rng(404);

function parameter(n: number, single: boolean, seed: number): Tensor {
  const r = new Rng(seed);
  const values = Array.from({ length: n }, () => (r.uniform() - 0.5) * 2 ** (r.int(20) - 10));
  const t = fromData(single ? Float32Array.from(values) : Float64Array.from(values), [n]);
  t.requiresGrad = true;
  return t;
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

test("Adam and AdamW in WebAssembly give the plain loop's parameters, bit for bit, over several steps", () => {
  const sizes = [256, 257, 4095, 4096, 4097, 10_001, 65_536, 70_001];
  const makers: [string, (p: Tensor[]) => Adam][] = [
    ["Adam", (p) => new Adam(p, { lr: 1e-3 })],
    ["Adam with L2", (p) => new Adam(p, { lr: 3e-2, weightDecay: 0.1, betas: [0.8, 0.99], eps: 1e-6 })],
    ["AdamW", (p) => new AdamW(p, { lr: 1e-2 })],
  ];
  for (const single of [false, true]) for (const [name, make] of makers) for (const n of sizes) {
    const seed = rng.int(1e9);
    const fastP = parameter(n, single, seed), plainP = parameter(n, single, seed);
    const fast = make([fastP]), plain = make([plainP]);
    for (let step = 0; step < 4; step++) {
      const scale = [1, 1e-12, 1e6, 0.3][step];
      const grad = Array.from({ length: n }, () => scale * (2 * rng.uniform() - 1));
      fastP.grad = fromData(single ? Float32Array.from(grad) : Float64Array.from(grad), [n]);
      plainP.grad = fromData(single ? Float32Array.from(grad) : Float64Array.from(grad), [n]);
      fast.step();
      const was = setWasmAdam(false);
      plain.step();
      setWasmAdam(was);
      const at = firstDifference(fastP.values(), plainP.values());
      assert.is(at, -1, `${name}, ${single ? "float32" : "float64"}, ${n} values, step ${step}: value ${at} is ${fastP.values()[at]}, expected ${plainP.values()[at]}`);
    }
    // and the moments the next step reads
    assert.equal(fast.stateDict(), plain.stateDict(), `${name}, ${n}: optimizer state`);
  }
});

test.run();
