// straightThrough(value, surrogate): the forward value untouched, the gradient handed to the surrogate.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Rng, ShapeError, gradcheck, grad, mul, rand, softmax, straightThrough, sum, tensor, tape, oneHot, argmax } from "../src/index.js";

const test = suite("straightThrough");

test("straightThrough returns value unchanged, bit for bit", () => {
  const surrogate = softmax(rand([4, 6], { rng: new Rng(51), requiresGrad: true }));
  const value = oneHot(argmax(surrogate, 1), 6);
  const y = straightThrough(value, surrogate);
  assert.equal(Array.from(y.values()), Array.from(value.values()));
  assert.is(y.dtype, value.dtype);
  assert.ok(y.requiresGrad);
});

test("straightThrough hands the whole gradient to the surrogate and none to the value", () => {
  const s = tensor([0.2, 0.5, 0.3], { requiresGrad: true });
  const v = tensor([0, 1, 0], { requiresGrad: true });
  const w = tensor([1, -2, 3]);
  sum(mul(straightThrough(v, s), w)).backward();
  assert.equal(s.grad!.toArray(), w.toArray());
  assert.is(v.grad, null);
});

test("the surrogate's own graph is differentiated: ∂/∂x of straightThrough(v, x²)·w = 2x·w", () => {
  const x = tensor([0.5, -1.5, 2], { requiresGrad: true });
  const w = tensor([1, 2, 3]);
  const f = (t: typeof x) => sum(mul(straightThrough(tensor([0, 0, 1]), mul(t, t)), w));
  const expected = [0.5, -1.5, 2].map((xi, i) => 2 * xi * [1, 2, 3][i]);
  assert.equal((grad(f)(x) as typeof x).toArray(), expected);
});

test("second order: the gradient passes through unchanged, so grad-of-grad is the surrogate's", () => {
  const x = tensor([0.3, 0.7], { requiresGrad: true });
  const f = (t: typeof x) => sum(straightThrough(tensor([1, 0]), mul(mul(t, t), t)));
  const df = (t: typeof x) => sum(grad(f, { createGraph: true })(t) as typeof x);
  const secondDerivative = (grad(df)(x) as typeof x).toArray() as number[];
  [0.3, 0.7].forEach((xi, i) => assert.ok(Math.abs(secondDerivative[i] - 6 * xi) < 1e-12, `${secondDerivative}`)); // d²(x³)/dx² = 6x
});

test("a float32 value with a float64 surrogate: the forward stays float32, the gradient arrives as float64", () => {
  const s = tensor([0.25, 0.75], { requiresGrad: true });
  const v = tensor([0, 1], { dtype: "float32" });
  const y = straightThrough(v, s);
  assert.is(y.dtype, "float32");
  sum(y).backward();
  assert.is(s.grad!.dtype, "float64");
  assert.equal(s.grad!.toArray(), [1, 1]);
});

test("the gradient check sees the surrogate's Jacobian through straightThrough", () => {
  const s = rand([2, 3], { rng: new Rng(52), requiresGrad: true });
  const v = tensor([[1, 0, 0], [0, 0, 1]]);
  // f(s) = straightThrough(v, s²) + stopGradient(s² − ·): value s², gradient through the straight-through path.
  const report = gradcheck((x) => {
    const sq = mul(x, x);
    return straightThrough(v, sq).add(sq.detach().sub(v));
  }, [s]);
  assert.ok(report.ok, report.message);
});

test("the tape shows the straight-through step", () => {
  tape.clear();
  const s = tensor([0.4, 0.6], { requiresGrad: true });
  const y = straightThrough(tensor([0, 1]), s);
  assert.match(tape.toString(y), new RegExp(`t${y.id} \\[2\\] = straightThrough\\(t\\d+ \\[2\\], t${s.id} \\[2\\]\\)`));
});

test("shapes that differ throw a ShapeError naming straightThrough", () => {
  try {
    straightThrough(tensor([[1, 0]]), tensor([0.5, 0.5]));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ShapeError);
    assert.is((e as Error).message, "straightThrough: value and surrogate must have the same shape, but value has shape [1, 2] and surrogate has shape [2]");
    assert.equal((e as ShapeError).shapes, { value: [1, 2], surrogate: [2] });
  }
});

test.run();
