import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  tensor, randn, Rng, grad, valueAndGrad, customOp, gradcheck, gradgradcheck, mul, add, sub, sum, exp, tanh, matmul, sigmoid,
  cast, noGrad, Tensor, GumbelgradError,
} from "../src/index.js";

const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

const functional = suite("grad and valueAndGrad");

functional("grad of x² is 2x, and the argument needs no requiresGrad", () => {
  const g = grad((x: Tensor) => sum(mul(x, x)))(tensor([1, -2, 3])) as Tensor;
  assert.equal(g.toArray(), [2, -4, 6]);
});

functional("valueAndGrad over several arguments", () => {
  const f = (a: Tensor, b: Tensor) => sum(mul(a, b));
  const [value, grads] = valueAndGrad(f, { argnums: [0, 1] })(tensor([1, 2]), tensor([3, 4]));
  assert.is(value.item(), 11);
  assert.equal((grads as Tensor[]).map((t) => t.toArray()), [[3, 4], [1, 2]]);
});

functional("grad of grad: d²/dx² tanh(x) = −2 tanh(x)(1 − tanh²(x))", () => {
  const d1 = (x: Tensor) => sum(grad((y: Tensor) => sum(tanh(y)))(x) as Tensor);
  const x = tensor([0.3, -1.2]);
  const d2 = grad(d1)(x) as Tensor;
  const expected = [0.3, -1.2].map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2));
  Array.from(d2.values()).forEach((v, i) => assert.ok(close(v, expected[i]), `${v} vs ${expected[i]}`));
});

functional("a Hessian-vector product matches the Hessian derived by hand", () => {
  // f(x) = Σ_i exp(x_i)·x_{i+1} + ½ xᵀAx with A symmetric:
  // H = A + D, where D_ii = exp(x_i)·x_{i+1} (for i < n−1), D_{i,i+1} = D_{i+1,i} = exp(x_i).
  const A = [[2, 1, 0], [1, 3, -1], [0, -1, 1]];
  const xs = [0.2, -0.4, 0.7];
  const v = [1, -2, 0.5];
  const At = tensor(A);
  const f = (x: Tensor) => {
    const head = x.reshape([3, 1]);
    const quad = mul(matmul(matmul(head.T, At), head), 0.5).sum();
    const pairs = sum(mul(exp(x.indexSelect(0, [0, 1])), x.indexSelect(0, [1, 2])));
    return add(quad, pairs);
  };
  const hvp = grad((x: Tensor) => sum(mul(grad(f)(x) as Tensor, tensor(v))))(tensor(xs)) as Tensor;
  const H = A.map((row) => [...row]);
  for (let i = 0; i < 2; i++) {
    H[i][i] += Math.exp(xs[i]) * xs[i + 1];
    H[i][i + 1] += Math.exp(xs[i]);
    H[i + 1][i] += Math.exp(xs[i]);
  }
  const expected = H.map((row) => row.reduce((s, h, j) => s + h * v[j], 0));
  Array.from(hvp.values()).forEach((got, i) => assert.ok(close(got, expected[i]), `Hv[${i}]: ${got} vs ${expected[i]}`));
});

functional("backward with createGraph makes the gradient differentiable", () => {
  const x = tensor(1.5, { requiresGrad: true });
  const y = mul(mul(x, x), x); // y = x³
  y.backward(undefined, { createGraph: true });
  const dy = x.grad!; // 3x²
  assert.ok(dy.requiresGrad);
  x.grad = null;
  dy.backward(); // d/dx 3x² = 6x
  assert.ok(close(x.grad!.item(), 9));
});

functional("grad works inside noGrad: it is explicit about what it differentiates", () => {
  const f = (x: Tensor) => sum(mul(x, x));
  const inside = noGrad(() => grad(f)(tensor([1, -2])) as Tensor);
  assert.equal(inside.toArray(), [2, -4]);
  assert.not.ok(inside.requiresGrad);
});

functional("grad needs a scalar-valued function", () => {
  assert.throws(() => grad((x: Tensor) => mul(x, 2))(tensor([1, 2])), /grad: f must return a tensor with one element, but it returned shape \[2\]/);
});

functional.run();

const custom = suite("customOp");

// A user's own op: y = x·σ(x) (SiLU), with a hand-written vjp.
const silu = customOp({
  name: "silu",
  forward: (x) => mul(x, sigmoid(x)),
  vjp: (g, [x]) => {
    const s = sigmoid(x);
    return [mul(g, add(s, mul(mul(x, s), sub(1, s))))];
  },
});

custom("a custom op records one tape entry under its name, and passes gradcheck and gradgradcheck", () => {
  const x = randn([3, 4], { rng: new Rng(1), requiresGrad: true });
  const y = silu(x);
  assert.is(y.node!.name, "silu");
  assert.is(y.node!.inputs[0], x);
  assert.ok(gradcheck(silu, [x]).ok);
  assert.ok(gradgradcheck(silu, [x]).ok);
});

custom("a vjp of the wrong shape is caught by the engine, naming the op", () => {
  const bad = customOp({ name: "badShape", forward: (x) => mul(x, 2), vjp: (g) => [sum(g)] });
  assert.throws(() => sum(bad(tensor([1, 2], { requiresGrad: true }))).backward(),
    /badShape: vjp returned a gradient of shape \[\] for input 0 of shape \[2\]/);
});

custom.run();

const checker = suite("gradcheck");

const wrongSquare = customOp({ name: "wrongSquare", forward: (x) => mul(x, x), vjp: (g, [x]) => [mul(g, x)] }); // should be 2x

checker("catches a deliberately wrong vjp, and names the input and worst element", () => {
  const x = tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true });
  const report = gradcheck(wrongSquare, [x]);
  assert.not.ok(report.ok);
  const worst = report.inputs[0].worst!;
  assert.equal(worst.inputIndex, [1, 0], "the largest error is at x = 2");
  assert.ok(close(worst.analytic, 2) && close(worst.numeric, 4, 1e-6));
  assert.ok(close(report.maxAbsError, 2, 1e-6));
  assert.match(report.message, /input 0 \(shape \[2, 2\]\), element \[1, 0\] of output 0 at \[1, 0\]: analytic 2\.00000, numeric 4\.00000/);
});

checker("fast mode (vᵀJu) passes a right vjp and catches the wrong one", () => {
  const x = randn([20, 10], { rng: new Rng(4), requiresGrad: true });
  assert.ok(gradcheck((t) => mul(t, t), [x], { fast: true }).ok);
  const report = gradcheck(wrongSquare, [x], { fast: true });
  assert.not.ok(report.ok);
  assert.match(report.message, /fast \(vᵀJu\)/);
});

checker("only inputs that require grad are perturbed and reported", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const c = tensor([3, 4]);
  const report = gradcheck((a, b) => mul(a, b), [x, c]);
  assert.ok(report.ok);
  assert.is(report.inputs.length, 1);
  assert.is(report.inputs[0].input, 0);
});

checker("float32 inputs are refused, with the reason", () => {
  const x = cast(tensor([1, 2]), "float32");
  x.requiresGrad = true;
  assert.throws(() => gradcheck((t) => mul(t, t), [x]), (e: Error) =>
    e instanceof GumbelgradError && /gradcheck: input 0 is float32, but finite differences need float64/.test(e.message));
});

checker("gradgradcheck catches a vjp whose own derivative is wrong", () => {
  // First derivative right (3x²), but written with a detached x, so its derivative is lost.
  const cube = customOp({ name: "cube", forward: (x) => mul(mul(x, x), x), vjp: (g, [x]) => [mul(g, mul(mul(x.detach(), x.detach()), 3))] });
  const x = tensor([0.5, 1.5], { requiresGrad: true });
  assert.ok(gradcheck(cube, [x]).ok);
  assert.not.ok(gradgradcheck(cube, [x]).ok);
});

checker("with several outputs, every output is checked", () => {
  const x = tensor([0.5, 1.5], { requiresGrad: true });
  assert.ok(gradcheck((t) => [mul(t, 2), exp(t)], [x]).ok);
});

checker.run();
