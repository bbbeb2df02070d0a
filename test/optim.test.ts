// optim: SGD with momentum and Adam against hand-computed steps, and on a small regression.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Adam, GumbelgradError, Linear, Rng, SGD, mseLoss, randn, tensor } from "../src/index.js";

const optim = suite("optim");

/** A parameter whose gradient is set by hand. */
function param(values: number[]): ReturnType<typeof tensor> {
  return tensor(values, { requiresGrad: true });
}

optim("SGD with momentum: b₁ = g₁, then b ← μb + g; p ← p − lr·b", () => {
  const p = param([1, -2]);
  const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
  p.grad = tensor([0.5, 1]);
  opt.step();
  assert.equal(p.toArray(), [1 - 0.1 * 0.5, -2 - 0.1 * 1]);
  p.grad = tensor([-1, 2]);
  opt.step();
  const b = [0.9 * 0.5 + -1, 0.9 * 1 + 2];
  assert.equal(p.toArray(), [1 - 0.1 * 0.5 - 0.1 * b[0], -2 - 0.1 * 1 - 0.1 * b[1]]);
});

optim("SGD: weight decay adds λp; nesterov looks ahead", () => {
  const p = param([2]);
  const opt = new SGD([p], { lr: 0.5, weightDecay: 0.1 });
  p.grad = tensor([1]);
  opt.step();
  assert.equal(p.toArray(), [2 - 0.5 * (1 + 0.1 * 2)]);
  const q = param([0]);
  const nesterov = new SGD([q], { lr: 1, momentum: 0.5, nesterov: true });
  q.grad = tensor([1]);
  nesterov.step(); // b = 1, d = 1 + 0.5·1
  assert.equal(q.toArray(), [-1.5]);
});

optim("Adam's first steps, as PyTorch computes them", () => {
  const p = param([1, -1, 0.5]);
  const opt = new Adam([p], { lr: 0.01 });
  const g1 = [0.3, -2, 1e-3];
  p.grad = tensor(g1);
  opt.step();
  // t = 1: m = 0.1g, v = 0.001g², step = lr/(1 − 0.9) · m / (√v/√(1 − 0.999) + ε) = lr·g/(|g| + ε)
  const after1 = [1, -1, 0.5].map((v, i) => v - 0.01 * (0.1 * g1[i]) / 0.1 / (Math.sqrt(0.001 * g1[i] ** 2) / Math.sqrt(0.001) + 1e-8));
  assert.is((p.toArray() as number[]).length, 3);
  (p.toArray() as number[]).forEach((v, i) => assert.ok(Math.abs(v - after1[i]) < 1e-15, `${v} vs ${after1[i]}`));
  const g2 = [-0.1, 0.4, 2];
  p.grad = tensor(g2);
  opt.step();
  const expected = after1.map((v, i) => {
    const m = 0.9 * 0.1 * g1[i] + 0.1 * g2[i];
    const s = 0.999 * 0.001 * g1[i] ** 2 + 0.001 * g2[i] ** 2;
    return v - (0.01 / (1 - 0.9 ** 2)) * (m / (Math.sqrt(s) / Math.sqrt(1 - 0.999 ** 2) + 1e-8));
  });
  (p.toArray() as number[]).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-15, `${v} vs ${expected[i]}`));
});

optim("float32 parameters keep float32 moments and momentum buffers, as PyTorch's", () => {
  const make = () => { const p = tensor([0.3, -1.7, 2.9], { dtype: "float32", requiresGrad: true }); p.grad = tensor([0.1, 0.7, -3.3], { dtype: "float32" }); return p; };
  const isFloat32 = (values: unknown) => (values as number[]).every((v) => Math.fround(v) === v);
  const pa = make(), adam = new Adam([pa], { lr: 0.1 });
  const ps = make(), sgd = new SGD([ps], { lr: 0.1, momentum: 0.9 });
  for (let k = 0; k < 3; k++) { adam.step(); sgd.step(); }
  const a = adam.stateDict().params[0], s = sgd.stateDict().params[0];
  assert.ok(isFloat32(a.expAvg) && isFloat32(a.expAvgSq), `Adam moments ${a.expAvg} ${a.expAvgSq}`);
  assert.ok(isFloat32(s.momentumBuffer), `SGD buffer ${s.momentumBuffer}`);
});

optim("zeroGrad clears the gradients; a parameter without a gradient is left alone", () => {
  const a = param([1]);
  const b = param([2]);
  const opt = new Adam([a, b]);
  a.grad = tensor([1]);
  opt.step();
  assert.equal(b.toArray(), [2]);
  assert.ok(a.item() < 1);
  opt.zeroGrad();
  assert.is(a.grad, null);
});

optim("Adam and SGD fit a linear regression", () => {
  const rng = new Rng(3);
  const x = randn([64, 3], { rng });
  const trueW = tensor([[1.5], [-2], [0.5]]);
  const y = x.matmul(trueW).add(0.3);
  for (const make of [(ps: ReturnType<typeof tensor>[]) => new Adam(ps, { lr: 0.05 }), (ps: ReturnType<typeof tensor>[]) => new SGD(ps, { lr: 0.1, momentum: 0.9 })]) {
    const layer = new Linear(3, 1, { rng: new Rng(1) });
    const opt = make(layer.parameters());
    const first = mseLoss(layer.forward(x), y).item();
    let last = first;
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      const loss = mseLoss(layer.forward(x), y);
      loss.backward();
      opt.step();
      last = loss.item();
    }
    assert.ok(last < 1e-4 * first, `${opt.name}: loss ${first} → ${last}`);
    assert.ok(Math.abs(layer.bias!.item() - 0.3) < 1e-2, `${opt.name}: bias ${layer.bias!.item()}`);
  }
});

optim("bad settings throw, naming the optimizer", () => {
  const p = param([1]);
  assert.throws(() => new SGD([p], { lr: 0 }), (e: unknown) => e instanceof GumbelgradError && (e as Error).message === "SGD: lr must be a positive finite number, but got 0");
  assert.throws(() => new Adam([p], { betas: [0.9, 1] }), /Adam: betas\[1\] must be a number in \[0, 1\), but got 1/);
  assert.throws(() => new Adam([tensor([1])]), /Adam: parameter 0 must be a Tensor that requires grad/);
  assert.throws(() => new SGD([], { lr: 1 }), /SGD: needs a non-empty array of parameters/);
});

optim.run();
