// The fused softmax kernels against their definitions written with framework ops, on random
// shapes, every axis, both dtypes, with temperatures down to 1e-3 and logits up to ±1e3.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Rng, fromData, grad, gumbel, gumbelSoftmax, logsumexp, mul, softmax, sub, sum, tensor, transpose, type Tensor } from "../src/index.js";
import { aroundAxis, sizeOf, softmaxBackwardAlong, temperedSoftmaxAlong, type FloatData } from "../src/kernels/index.js";

const rng = new Rng(77);
const dim = (max: number) => 1 + rng.int(max);

function randomTensor(shape: number[], dtype: "float64" | "float32", scale: number): Tensor {
  const size = sizeOf(shape);
  const data = dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) data[i] = scale * (4 * rng.uniform() - 2);
  return fromData(data, shape);
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * (1 + Math.abs(expected[i])))) assert.unreachable(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

/** The kernel's [outer, size, inner] view of `shape` around `axis`, and an output of x's dtype. */
function layout(x: Tensor, axis: number): { out: FloatData; outer: number; size: number; inner: number } {
  const [outer, size, inner] = aroundAxis(x.shape, axis);
  const out = x.dtype === "float32" ? new Float32Array(x.size) : new Float64Array(x.size);
  return { out, outer, size, inner };
}

const cases = () =>
  Array.from({ length: 24 }, (_, trial) => {
    const rank = 1 + rng.int(3);
    const shape = Array.from({ length: rank }, () => dim(7));
    return {
      shape,
      axis: rng.int(rank),
      dtype: trial % 2 === 0 ? ("float64" as const) : ("float32" as const),
      tau: [1, 0.5, 3, 1e-3][trial % 4],
      scale: trial % 3 === 0 ? 500 : 1,
    };
  });

test("tempered softmax equals exp(x/τ − logsumexp(x/τ)) on every axis, both dtypes, τ from 1e-3 to 3, logits to ±1e3", () => {
  for (const { shape, axis, dtype, tau, scale } of cases()) {
    const x = randomTensor(shape, dtype, scale);
    const { out, outer, size, inner } = layout(x, axis);
    temperedSoftmaxAlong(x.values() as FloatData, out, outer, size, inner, tau);
    const scores = x.div(tau);
    const expected = scores.sub(logsumexp(scores, axis, true)).exp().values();
    assertClose(out, expected, dtype === "float32" ? 1e-5 : 1e-12, `${dtype} [${shape}] axis ${axis} tau ${tau}`);
    for (const v of out) assert.ok(Number.isFinite(v), `finite at tau ${tau}, scale ${scale}`);
    const inPlace = Float64Array.from(x.values()) as FloatData; // the kernel may write over its input
    const same = dtype === "float32" ? Float32Array.from(inPlace) : inPlace;
    temperedSoftmaxAlong(same, same, outer, size, inner, tau);
    assertClose(same, out, 0, `in place, ${dtype} [${shape}] axis ${axis}`);
  }
});

test("the fused softmax vjp equals y·(g − Σ g·y)/τ written with framework ops", () => {
  for (const { shape, axis, dtype, tau } of cases()) {
    const y = randomTensor(shape, dtype, 1), g = randomTensor(shape, dtype, 1);
    const { out, outer, size, inner } = layout(y, axis);
    softmaxBackwardAlong(y.values() as FloatData, g.values() as FloatData, out, outer, size, inner, tau);
    const expected = mul(y, sub(g, sum(mul(g, y), axis, true))).div(tau).values();
    assertClose(out, expected, dtype === "float32" ? 1e-5 : 1e-12, `${dtype} [${shape}] axis ${axis} tau ${tau}`);
  }
});

test("a row holding +∞ comes out NaN, and an empty axis is no error", () => {
  const x = fromData(Float64Array.from([Infinity, 1, 2, 0, 1, 2]), [2, 3]);
  const { out, outer, size, inner } = layout(x, 1);
  temperedSoftmaxAlong(x.values() as FloatData, out, outer, size, inner, 0.5);
  assert.ok(Array.from(out.subarray(0, 3)).every(Number.isNaN));
  const e = [1, Math.exp(2), Math.exp(4)]; // exp((x − max)/τ) up to a common factor, for x = [0, 1, 2] and τ = 0.5
  const total = e[0] + e[1] + e[2];
  assertClose(out.subarray(3), e.map((v) => v / total), 1e-15, "the finite row at tau 0.5");
  const empty = new Float64Array(0);
  assert.not.throws(() => temperedSoftmaxAlong(empty, empty, 2, 0, 1, 1));
});

test("the fused ops read non-contiguous views: a transposed input gives what its packed copy gives, forward and backward", () => {
  const x = randomTensor([5, 3], "float64", 2);
  const w = randomTensor([3, 5], "float64", 1);
  const noise = gumbel([3, 5], { rng: new Rng(3) }).detach();
  const view = transpose(x); //                                   [3, 5], not packed
  const copy = tensor(view.toArray() as number[][]); //           the same values, packed
  for (const f of [(t: Tensor) => softmax(t, 0), (t: Tensor) => gumbelSoftmax(t, { tau: 0.3, noise })]) {
    const lossOf = (t: Tensor) => sum(mul(f(t), w));
    assertClose(f(view).values(), f(copy).values(), 1e-15, "forward");
    const gView = grad(lossOf)(view) as Tensor;
    const gCopy = grad(lossOf)(copy) as Tensor;
    assertClose(gView.values(), gCopy.values(), 1e-15, "gradient");
  }
});

test.run();
