import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  tensor, randn, Rng, add, mul, div, pow, exp, log, sigmoid, softplus, tanh, sum, max, min, logsumexp, softmax, logSoftmax,
  matmul, indexSelect, oneHot, argmax, argmin, concat, stack, transpose, reshape, broadcastTo, mseLoss, crossEntropy, where, clamp,
  maximum, minimum, mean, Tensor,
} from "../src/index.js";

const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9, what = "") {
  assert.is(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < actual.length; i++) assert.ok(close(actual[i], expected[i], tol), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

const closed = suite("gradients against closed forms derived by hand");

closed("d/dx (x³ + 2x) = 3x² + 2", () => {
  const x = tensor([-1.5, 0.5, 2], { requiresGrad: true });
  sum(add(pow(x, 3), mul(x, 2))).backward();
  assertClose(x.grad!.values(), [3 * 2.25 + 2, 3 * 0.25 + 2, 3 * 4 + 2]);
});

closed("d/dx log σ(x) = 1 − σ(x); d/dx softplus(x) = σ(x)", () => {
  const xs = [-3, 0.2, 4];
  const x = tensor(xs, { requiresGrad: true });
  sum(log(sigmoid(x))).backward();
  assertClose(x.grad!.values(), xs.map((v) => 1 - 1 / (1 + Math.exp(-v))));
  const y = tensor(xs, { requiresGrad: true });
  sum(softplus(y)).backward();
  assertClose(y.grad!.values(), xs.map((v) => 1 / (1 + Math.exp(-v))));
});

closed("∂/∂ℓ logsumexp(ℓ) = softmax(ℓ)", () => {
  const l = tensor([1, 2, 3], { requiresGrad: true });
  logsumexp(l).backward();
  const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
  assertClose(l.grad!.values(), [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z]);
});

closed("cross-entropy: ∂L/∂ℓ = (softmax(ℓ) − one_hot(y)) / N", () => {
  const rows = [[0.5, -1, 2], [1, 1, 0]];
  const targets = [2, 0];
  const l = tensor(rows, { requiresGrad: true });
  const loss = crossEntropy(l, targets);
  loss.backward();
  const expected: number[] = [];
  let lossExpected = 0;
  rows.forEach((r, n) => {
    const z = r.reduce((s, v) => s + Math.exp(v), 0);
    lossExpected += -(r[targets[n]] - Math.log(z)) / 2;
    r.forEach((v, c) => expected.push((Math.exp(v) / z - (c === targets[n] ? 1 : 0)) / 2));
  });
  assert.ok(close(loss.item(), lossExpected));
  assertClose(l.grad!.values(), expected);
});

closed("matmul: ∂ sum(A·B) / ∂A = 1·Bᵀ, / ∂B = Aᵀ·1", () => {
  const A = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
  const B = tensor([[1, -1, 0], [2, 0, 1]], { requiresGrad: true });
  sum(matmul(A, B)).backward();
  // row sums of B are [0, 3]; column sums of A are [9, 12]
  assertClose(A.grad!.values(), [0, 3, 0, 3, 0, 3]);
  assertClose(B.grad!.values(), [9, 9, 9, 12, 12, 12]);
});

closed("mseLoss: ∂/∂a mean((a − b)²) = 2(a − b)/n", () => {
  const a = tensor([1, 2, 3, 4], { requiresGrad: true });
  const b = tensor([0, 2, 5, 1]);
  mseLoss(a, b).backward();
  assertClose(a.grad!.values(), [2 * 1 / 4, 0, 2 * -2 / 4, 2 * 3 / 4]);
});

closed("broadcast add: the gradient of a [3, 1] operand sums over the broadcast axis", () => {
  const a = tensor([[1], [2], [3]], { requiresGrad: true });
  const b = tensor([[1, 2, 3, 4]], { requiresGrad: true });
  const w = tensor([[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 1]]);
  sum(mul(add(a, b), w)).backward();
  assertClose(a.grad!.values(), [1, 2, 4]);
  assertClose(b.grad!.values(), [1, 2, 3, 1]);
});

closed.run();

const behaviour = suite("op behaviour");

behaviour("softmax and logSoftmax stay finite for logits of ±1e3", () => {
  const l = tensor([[1000, -1000, 999], [-1000, -1000, -1000]], { requiresGrad: true });
  const p = softmax(l);
  assert.ok(Array.from(p.values()).every(Number.isFinite));
  assertClose(p.values().slice(0, 3), [1 / (1 + Math.exp(-1)), 0, Math.exp(-1) / (1 + Math.exp(-1))], 1e-12);
  assertClose(sum(p, 1).values(), [1, 1], 1e-12);
  const lp = logSoftmax(l);
  assert.ok(Array.from(lp.values()).every(Number.isFinite));
  sum(mul(lp, tensor([[1, 2, 3], [1, 1, 1]]))).backward();
  assert.ok(Array.from(l.grad!.values()).every(Number.isFinite));
  assert.is(logsumexp(tensor([-Infinity, -Infinity])).item(), -Infinity);
});

behaviour("max and min split a tie's gradient evenly between the extreme elements, as PyTorch's amax", () => {
  const x = tensor([[3, 1, 3], [2, 5, 5]], { requiresGrad: true });
  sum(max(x, 1)).backward();
  assert.equal(x.grad!.toArray(), [[0.5, 0, 0.5], [0, 0.5, 0.5]]);
  const y = tensor([[3, 1], [1, 3]], { requiresGrad: true });
  min(y).backward();
  assert.equal(y.grad!.toArray(), [[0, 0.5], [0.5, 0]], "over all axes");
});

behaviour("NaN propagates through relu, maximum and minimum, as in PyTorch", () => {
  assert.ok(Number.isNaN(tensor([NaN]).relu().item()));
  assert.equal(tensor([-1, 0, 2]).relu().toArray(), [0, 0, 2]);
  for (const f of [maximum, minimum]) {
    assert.ok(Number.isNaN(f(tensor([NaN]), tensor([1])).item()), `${f.name}(NaN, 1)`);
    assert.ok(Number.isNaN(f(tensor([1]), tensor([NaN])).item()), `${f.name}(1, NaN)`);
  }
});

behaviour("maximum splits a tie's gradient between a and b, as PyTorch", () => {
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([1, 3], { requiresGrad: true });
  sum(maximum(a, b)).backward();
  assert.equal(a.grad!.toArray(), [0.5, 0]);
  assert.equal(b.grad!.toArray(), [0.5, 1]);
});

behaviour("indexSelect accumulates repeated rows in the gradient", () => {
  const E = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
  const rows = indexSelect(E, 0, [2, 0, 2, 2]);
  assert.equal(rows.toArray(), [[5, 6], [1, 2], [5, 6], [5, 6]]);
  sum(rows).backward();
  assert.equal(E.grad!.toArray(), [[1, 1], [0, 0], [3, 3]]);
});

behaviour("batched matmul with broadcast batch axes matches a naive triple loop", () => {
  const rng = new Rng(11);
  const a = randn([2, 1, 3, 4], { rng });
  const b = randn([5, 4, 2], { rng });
  const c = matmul(a, b);
  assert.equal(c.shape, [2, 5, 3, 2]);
  const A = a.toArray() as number[][][][];
  const B = b.toArray() as number[][][];
  const C = c.toArray() as number[][][][];
  for (let s = 0; s < 2; s++) for (let t = 0; t < 5; t++) for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) {
    let acc = 0;
    for (let k = 0; k < 4; k++) acc += A[s][0][i][k] * B[t][k][j];
    assert.ok(close(C[s][t][i][j], acc, 1e-12));
  }
});

behaviour("reductions: several axes, keepdim, negative axes", () => {
  const x = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  assert.equal(sum(x, [0, 2]).toArray(), [14, 22]);
  assert.equal(sum(x, [-1, 0], true).shape, [1, 2, 1]);
  assert.equal(max(x, -1).toArray(), [[2, 4], [6, 8]]);
  assert.equal(mean(x).item(), 4.5);
  assert.equal(argmax(tensor([[1, 5, 5], [7, 0, 7]]), 1).toArray(), [1, 0]);
  assert.equal(argmin(tensor([[1, 5], [0, 0]]), 0).toArray(), [1, 1]);
  assert.is(argmax(tensor([[1, 5]]), 1).dtype, "int32");
});

behaviour("shape ops: transpose views, reshape, broadcastTo, concat, stack", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.equal(transpose(x).toArray(), [[1, 4], [2, 5], [3, 6]]);
  assert.equal(reshape(transpose(x), [6]).toArray(), [1, 4, 2, 5, 3, 6]);
  assert.equal(reshape(x, [-1]).shape, [6]);
  assert.equal(broadcastTo(tensor([1, 2]), [2, 2]).toArray(), [[1, 2], [1, 2]]);
  assert.equal(concat([x, x], 1).shape, [2, 6]);
  assert.equal(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(), [[1, 3], [2, 4]]);
  assert.equal(transpose(tensor([[[1, 2, 3]]]), [2, 0, 1]).shape, [3, 1, 1]);
});

behaviour("oneHot, where, clamp", () => {
  assert.equal(oneHot([2, 0], 3).toArray(), [[0, 0, 1], [1, 0, 0]]);
  assert.equal(oneHot(tensor([[1]], { dtype: "int32" }), 2).shape, [1, 1, 2]);
  assert.throws(() => oneHot([3], 3), /oneHot: index 3 is out of range for numClasses of size 3/);
  assert.equal(where(tensor([1, 0]), tensor([1, 2]), 9).toArray(), [1, 9]);
  const x = tensor([-2, 0.5, 3], { requiresGrad: true });
  sum(clamp(x, -1, 1)).backward();
  assert.equal(x.grad!.toArray(), [0, 1, 0]);
});

behaviour("ops accept a plain number on either side", () => {
  const x = tensor([2, 4]);
  assert.equal(mul(x, 0.25).toArray(), [0.5, 1]);
  assert.equal(add(1, x).toArray(), [3, 5]);
  assert.equal(x.div(2).toArray(), [1, 2]);
  assert.equal(div(8, x).toArray(), [4, 2]);
});

behaviour("ops on non-packed views (transposed, broadcast) agree with packed copies", () => {
  const rng = new Rng(2);
  const a = randn([3, 4], { rng });
  const at = transpose(a);
  const packedAt = tensor(at.toArray() as number[][]);
  for (const f of [(t: Tensor) => exp(t), (t: Tensor) => sum(t, 0), (t: Tensor) => tanh(t).mul(t), (t: Tensor) => matmul(t, a)]) {
    assertClose(f(at).values(), f(packedAt).values(), 0);
  }
  const b = broadcastTo(tensor([[1], [2]]), [2, 3]);
  assert.equal(add(b, 1).toArray(), [[2, 2, 2], [3, 3, 3]]);
});

behaviour.run();
