// Backward hands the memory of its intermediate gradients back to allocate: what it returns, what
// a user's vjp was given and what a createGraph pass built stay intact through later passes, and
// reused memory starts at zero.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { add, customOp, exp, grad, matmul, mul, reshape, squaredDistances, sum, tanh, Rng, randn, type Tensor } from "../src/index.js";
import { allocate, recycledBytes } from "../src/kernels/index.js";
import { nearest } from "../src/quantize/index.js";

const N = 3000; // 24 KB in float64: past the slabs, so its memory is recycled
const rng = new Rng(5);

function leaf(n = N, dtype: "float64" | "float32" = "float64"): Tensor {
  const t = randn([n], { rng, dtype });
  t.requiresGrad = true;
  return t;
}

/** A loss whose backward makes several intermediate gradients of N values. */
function lossOf(x: Tensor): Tensor {
  return sum(mul(tanh(exp(mul(x, 0.5))), x));
}

/** Runs a few more passes of the same sizes, so that recycled memory is handed out and written. */
function churn(): void {
  for (let k = 0; k < 3; k++) lossOf(leaf()).backward();
}

test("a backward pass recycles its intermediate gradients, and reused memory starts at zero", () => {
  lossOf(leaf()).backward();
  const stored = recycledBytes();
  assert.ok(stored >= 2 * N * 8, `${stored} bytes kept for reuse`);
  for (const dtype of ["float64", "float32", "int32"] as const) {
    const before = recycledBytes();
    const data = allocate(dtype, dtype === "float64" ? N : 2 * N);
    assert.ok(recycledBytes() < before, `${dtype}: allocate took a recycled buffer`);
    assert.ok(data.every((v) => Object.is(v, 0)), `${dtype}: and it is all zeros`);
  }
});

test("a leaf's gradient is never recycled, even when it is an intermediate gradient passed on", () => {
  // add's and reshape's vjps hand g on unchanged: x.grad and y.grad are the very array made for add's output
  const x = leaf(), y = leaf();
  sum(mul(reshape(add(x, y), [N / 3, 3]), 2)).backward();
  const [gx, gy] = [x.grad!, y.grad!];
  const before = [Array.from(gx.values()), Array.from(gy.values())];
  churn();
  assert.equal(Array.from(gx.values()), before[0]);
  assert.equal(Array.from(gy.values()), before[1]);
  assert.ok(before[0].every((v) => v === 2));
});

test("gradients from grad() and a float32 leaf's .grad stay intact", () => {
  const x = leaf();
  const gx = grad((t: Tensor) => lossOf(t))(x) as Tensor;
  const x32 = leaf(N, "float32");
  lossOf(x32).backward();
  const kept = [Array.from(gx.values()), Array.from(x32.grad!.values())];
  churn();
  for (let k = 0; k < 3; k++) lossOf(leaf(N, "float32")).backward();
  assert.equal(Array.from(gx.values()), kept[0]);
  assert.equal(Array.from(x32.grad!.values()), kept[1]);
});

test("the gradient a customOp's vjp is given may be kept by it", () => {
  const seen: Tensor[] = [];
  const scale = customOp({
    name: "keepsItsGradient",
    forward: (t) => mul(t, 3),
    vjp: (g) => {
      seen.push(g);
      return [mul(g, 3)];
    },
  });
  sum(tanh(scale(exp(leaf())))).backward();
  const kept = Array.from(seen[0].values());
  churn();
  assert.equal(Array.from(seen[0].values()), kept);
});

test("a createGraph pass keeps its gradients' graph intact for a second derivative", () => {
  const x = leaf(), w = randn([N], { rng });
  const secondDerivative = (churnBetween: boolean) => {
    x.grad = null;
    lossOf(x).backward(undefined, { createGraph: true });
    const first = x.grad!;
    const expected = Array.from(first.values());
    if (churnBetween) churn();
    assert.equal(Array.from(first.values()), expected);
    x.grad = null;
    sum(mul(first, w)).backward();
    return Array.from((x.grad as Tensor | null)!.values());
  };
  assert.equal(secondDerivative(true), secondDerivative(false));
});

test("nearest recycles its matrix of distances and returns what a direct computation gives", () => {
  const x = randn([300, 4], { rng }), centres = randn([20, 4], { rng });
  const before = recycledBytes();
  const { indices, distances } = nearest(x, centres);
  assert.ok(recycledBytes() >= before + 300 * 20 * 8, `${recycledBytes() - before} bytes recycled`);
  const d = squaredDistances(x, centres).values();
  indices.forEach((j, i) => {
    const row = Array.from(d.subarray(i * 20, (i + 1) * 20));
    assert.is(row[j], Math.min(...row));
    assert.is(distances[i], Math.max(0, row[j]));
  });
});

test("the memory kept for reuse stays bounded when shapes keep changing", () => {
  for (let n = 1000; n < 200_000; n = Math.ceil(n * 1.3)) {
    const a = randn([n, 8], { rng });
    a.requiresGrad = true;
    sum(tanh(matmul(a, randn([8, 8], { rng })))).backward();
    assert.ok(recycledBytes() <= 32 * 2 ** 20, `${recycledBytes()} bytes kept after n = ${n}`);
  }
});

test.run();
