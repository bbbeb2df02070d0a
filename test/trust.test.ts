// What must never happen silently: a gradient taken at values that changed since the forward pass,
// a NaN hidden behind a clean sample, noise lost in rounding, a density off its support, an optimizer
// writing NaN, an allocation that takes the machine down, a graph that is never backwarded growing
// the heap. (Values and gradients at NaN and ±∞: edge-cases.test.ts; misuse: misuse.test.ts.)
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  Adam, GumbelgradError, Linear, RelaxedOneHotCategorical, Rng, SGD, Tensor, argmax, broadcastTo, categorical, full, gumbel,
  gumbelSoftmax, gumbelTopK, loadStateDict, matmul, mean, mul, oneHot, ones, rand, randn, softmax, stateDict,
  stopGradient, sum, tanh, tape, tensor, zeros, add, mseLoss, MLP,
} from "../src/index.js";
import { collector } from "../bench/gc.js";

/** Asserts that fn throws a GumbelgradError whose message matches. */
function throwsNamed(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof GumbelgradError && pattern.test((e as Error).message));
}

const versions = suite("a write between forward and backward is caught");

versions("optimizer.step() between a forward pass and its backward: backward names the op and the tensor", () => {
  const layer = new Linear(3, 2, { rng: new Rng(1) });
  const opt = new SGD(layer.parameters(), { lr: 0.1 });
  const x = randn([4, 3], { rng: new Rng(2) });
  const loss = mean(tanh(layer.forward(x)));
  mean(tanh(layer.forward(x))).backward();
  opt.step(); // the weights move, but `loss` was computed with the old ones
  throwsNamed(() => loss.backward(), /^backward: linear \(t\d+\) needs input 1 \(t\d+, shape \[2, 3\]\) as it was in the forward pass, but it was modified in place since \(version 0, now 1\)/);
});

versions("loadStateDict between forward and backward is caught too", () => {
  const a = new Linear(2, 2, { rng: new Rng(3) }), b = new Linear(2, 2, { rng: new Rng(4) });
  const y = sum(tanh(a.forward(tensor([[1, 2]]))));
  loadStateDict(a, stateDict(b));
  throwsNamed(() => y.backward(), /^backward: .* modified in place since/);
});

versions("a detached copy shares its tensor's version: stopGradient(w) is caught as well", () => {
  const w = tensor([1, 2], { requiresGrad: true });
  const x = tensor([3, 4], { requiresGrad: true });
  const y = sum(mul(x, stopGradient(w))); // ∂y/∂x = w, read at backward time
  w.grad = tensor([1, 1]);
  new SGD([w], { lr: 1 }).step();
  throwsNamed(() => y.backward(), /^backward: mul \(t\d+\) needs input 1 .* modified in place/);
});

versions("ops whose gradient reads no values (add, sum, reshape, indexing) do not mind a write", () => {
  const w = tensor([1, 2], { requiresGrad: true });
  const y = sum(add(w, 1));
  w.grad = tensor([1, 1]);
  new SGD([w], { lr: 1 }).step();
  w.grad = null;
  y.backward();
  assert.equal(w.grad!.toArray(), [1, 1], "the gradient of a sum does not depend on w's values");
});

versions("the usual loop — forward, backward, step — never trips the check", () => {
  const model = new MLP([3, 4, 1], { rng: new Rng(5) });
  const opt = new Adam(model.parameters(), { lr: 1e-2 });
  const x = randn([8, 3], { rng: new Rng(6) }), t = randn([8, 1], { rng: new Rng(7) });
  for (let i = 0; i < 20; i++) {
    opt.zeroGrad();
    mseLoss(model.forward(x), t).backward();
    opt.step();
  }
});

versions.run();

const nan = suite("nothing hides a NaN");

nan("a hard Gumbel-softmax sample of NaN logits is NaN, not a clean one-hot; the soft one too", () => {
  const logits = tensor([[NaN, 1, 2], [0, 1, 2]]);
  const hard = gumbelSoftmax(logits, { hard: true, rng: new Rng(1) }).toArray() as number[][];
  assert.ok(hard[0].every(Number.isNaN), `row with NaN: ${hard[0]}`);
  assert.equal(hard[1].filter((v) => v === 1).length, 1, "the other row is still a one-hot");
  const soft = gumbelSoftmax(logits, { rng: new Rng(1) }).toArray() as number[][];
  assert.ok(soft[0].every(Number.isNaN));
  assert.ok(Number.isNaN(sum(gumbelSoftmax(logits, { hard: true, rng: new Rng(2) })).item()), "the loss sees the NaN, not only the gradient");
});

nan("argmax treats NaN as the maximum, along any axis", () => {
  assert.equal(argmax(tensor([[1, NaN, 3], [2, 5, 5]]), 1).toArray(), [1, 1]);
  assert.equal(argmax(tensor([[1, 2], [NaN, 0]]), 0).toArray(), [1, 0]);
});

nan("categorical and gumbelTopK refuse NaN, +∞ and distributions with no possible category", () => {
  throwsNamed(() => categorical(tensor([[0, 1], [NaN, 2]])), /^categorical: logits must be finite or −∞ \(an impossible category\), but logits has NaN at \[1, 0\]$/);
  throwsNamed(() => categorical(tensor([0, Infinity])), /^categorical: logits must be finite or −∞ .* has Infinity at \[1\]$/);
  throwsNamed(() => categorical(tensor([[0, 1], [-Infinity, -Infinity]])), /^categorical: every distribution needs a possible category, but the one at \[1\] has only −∞ logits$/);
  throwsNamed(() => categorical(tensor([[-Infinity, 0], [-Infinity, -Infinity]]), { axis: 0 }), /^categorical: every distribution needs a possible category, but the one at \[0\] has only −∞ logits$/);
  throwsNamed(() => gumbelTopK(tensor([NaN, 1, 2]), 2), /^gumbelTopK: logits must be finite or −∞/);
  throwsNamed(() => gumbelTopK(tensor([[0, -Infinity, 1], [0, 1, 2]]), 3), /^gumbelTopK: k=3 is more than the 2 possible categories/);
  assert.equal((gumbelTopK(tensor([[0, -Infinity, 1]]), 2, { rng: new Rng(3) }).toArray() as number[][])[0].sort(), [0, 2], "k up to the possible categories is fine");
});

nan.run();

const shift = suite("shift invariance: the Gumbel-max trick shifts by the maximum first");

/** How often category 0 wins among n draws from two equal logits of `level`. */
function shareOfFirst(level: number, n = 4000): number {
  const picks = categorical(full([n, 2], level), { rng: new Rng(11) }).values();
  return Array.from(picks).filter((k) => k === 0).length / n;
}

shift("equal logits of 1e16 pick each category half the time, as equal logits of 0 do", () => {
  for (const level of [0, 1e8, 1e16, -1e16, 1e300]) {
    const p = shareOfFirst(level);
    assert.ok(Math.abs(p - 0.5) < 0.04, `logits ${level}: category 0 won ${p} of the draws`); // 5 standard errors
  }
});

shift("a Gumbel-softmax sample does not change when a constant is added to the logits", () => {
  const logits = tensor([[0.3, -1.2, 2.0, 0.1]]);
  const base = gumbelSoftmax(logits, { tau: 0.5, rng: new Rng(12) }).values();
  for (const c of [1e6, 1e16]) {
    const moved = gumbelSoftmax(add(logits, c), { tau: 0.5, rng: new Rng(12) }).values();
    if (c === 1e6) base.forEach((v, i) => assert.ok(Math.abs(v - moved[i]) < 1e-9, `+${c}: ${moved}`));
    else assert.ok(moved.some((v) => v !== moved[0]), `+${c}: the noise survives (${moved})`);
  }
  // Equal logits of 1e16: the hard sample is the argmax of the noise alone, as for equal logits of 0.
  const noise = gumbel([1, 4], { rng: new Rng(13) });
  const atZero = gumbelSoftmax(zeros([1, 4]), { noise, hard: true }).toArray();
  assert.equal(gumbelSoftmax(full([1, 4], 1e16), { noise, hard: true }).toArray(), atZero);
});

shift.run();

const support = suite("support");

support("logProb of a point off the simplex throws, naming the class and the row", () => {
  const d = new RelaxedOneHotCategorical(tensor([[0, 1, 2], [1, 1, 1]]), 0.5);
  const y = tensor([[0.2, 0.3, 0.5], [0.2, 0.2, 0.5]]);
  throwsNamed(() => d.logProb(y), /^RelaxedOneHotCategorical\.logProb: value \[0\.2, 0\.2, 0\.5\] at \[1, :\] is outside the support \(the simplex: entries ≥ 0 that sum to 1 within 0\.000001\)/);
  assert.ok(Number.isFinite(d.logProb(softmax(tensor([[0.2, 0.3, 0.5], [0.1, 0.2, 0.3]]), -1)).values()[1]), "points on the simplex are fine");
});

support.run();

const optimizers = suite("optimizers never write NaN");

optimizers("a gradient of the wrong shape is refused before any parameter is written", () => {
  const a = tensor([1, 2], { requiresGrad: true }), b = tensor([3, 4], { requiresGrad: true });
  const opt = new Adam([a, b], { lr: 0.1 });
  a.grad = tensor([1, 1]);
  b.grad = tensor([1, 1, 1]);
  throwsNamed(() => opt.step(), /^Adam: the gradient of parameter 1 must have the parameter's shape, but parameter has shape \[2\] and grad has shape \[3\]$/);
  assert.equal(a.toArray(), [1, 2], "parameter 0 was not written either");
  b.grad = [1, 1] as unknown as Tensor;
  throwsNamed(() => opt.step(), /^Adam: the gradient of parameter 1 must be a floating Tensor or null, but got an array/);
});

optimizers("a learning rate set to NaN, ∞, a negative number or a string after construction is refused at the next step", () => {
  const p = tensor([1, 2], { requiresGrad: true });
  for (const lr of [NaN, Infinity, -1, "0.1"]) {
    for (const opt of [new SGD([p], { lr: 0.1 }), new Adam([p])]) {
      opt.lr = lr as number;
      p.grad = tensor([1, 1]);
      throwsNamed(() => opt.step(), new RegExp(`^${opt.name}: lr must be a finite number ≥ 0, but got`));
      assert.equal(p.toArray(), [1, 2]);
    }
  }
});

optimizers.run();

const limits = suite("huge shapes fail fast, naming the op and the shape");

limits("every way to ask for a huge tensor is refused before anything is allocated", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["zeros", () => zeros([1e9]), /^zeros: a tensor holds at most 268,435,456 elements \(2\^28\), but shape \[1000000000\] would hold 1,000,000,000$/],
    ["ones", () => ones([2 ** 20, 2 ** 20]), /^ones: .*shape \[1048576, 1048576\]/],
    ["full", () => full([1e5, 1e5], 1), /^full: /],
    ["rand", () => rand([1e9]), /^rand: /],
    ["randn", () => randn([3e4, 3e4]), /^randn: /],
    ["gumbel", () => gumbel([1e9]), /^gumbel: /],
    ["oneHot", () => oneHot([1, 2], 2 ** 40), /^oneHot: .*shape \[2, 1099511627776\]/],
    ["broadcast in mul", () => mul(zeros([1e5, 1]), zeros([1, 1e5])), /^mul: .*shape \[100000, 100000\]/],
    ["broadcastTo", () => broadcastTo(zeros([1]), [1e5, 1e5]), /^broadcastTo: /],
    ["matmul", () => matmul(zeros([1e5, 1]), zeros([1, 1e5])), /^matmul: .*shape \[100000, 100000\]/],
    ["tensor with a shape", () => tensor(new Float64Array(4), { shape: [1e9] }), /^tensor: /],
  ];
  for (const [what, fn, pattern] of cases) {
    const started = performance.now();
    throwsNamed(fn, pattern);
    assert.ok(performance.now() - started < 100, `${what} took ${performance.now() - started} ms to refuse`);
  }
});

limits.run();

const memory = suite("a graph that is never backwarded does not grow the heap");

memory("10,000 steps that also compute a validation loss without noGrad: the heap and the tape stay flat", () => {
  const gc = collector();
  const model = new MLP([8, 16, 1], { rng: new Rng(8) });
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const x = randn([16, 8], { rng: new Rng(9) }), t = randn([16, 1], { rng: new Rng(10) });
  const xv = randn([16, 8], { rng: new Rng(11) });
  const step = () => {
    opt.zeroGrad();
    mseLoss(model.forward(x), t).backward();
    opt.step();
    return mseLoss(model.forward(xv), t).item(); // a validation loss, recorded but never backwarded
  };
  for (let i = 0; i < 1000; i++) step();
  gc();
  const before = process.memoryUsage().heapUsed;
  let maxListed = 0;
  for (let i = 0; i < 10_000; i++) {
    step();
    if (i % 500 === 0) maxListed = Math.max(maxListed, tape.length);
  }
  gc();
  const growthMB = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  assert.ok(growthMB < 4, `the heap grew by ${growthMB.toFixed(1)} MB over 10,000 steps in one synchronous loop`);
  // The list keeps 1,024 unreleased entries, and compacts when it reaches twice that.
  assert.ok(maxListed <= 2048, `the tape listed ${maxListed} entries`);
});

memory.run();

const dtypes = suite("one dtype rule for soft and hard samples");

dtypes("float32 logits with a float64 τ tensor give float64 samples, soft and hard alike", () => {
  const logits = tensor([[0.1, 0.5, -0.2]], { dtype: "float32" });
  const tau64 = tensor([[0.7]], { requiresGrad: true });
  const tau32 = tensor([[0.7]], { dtype: "float32", requiresGrad: true });
  for (const hard of [false, true]) {
    assert.is(gumbelSoftmax(logits, { tau: tau64, hard, rng: new Rng(1) }).dtype, "float64", `hard=${hard}, τ float64`);
    assert.is(gumbelSoftmax(logits, { tau: tau32, hard, rng: new Rng(1) }).dtype, "float32", `hard=${hard}, τ float32`);
    assert.is(gumbelSoftmax(logits, { tau: 0.7, hard, rng: new Rng(1) }).dtype, "float32", `hard=${hard}, τ a number`);
  }
});

dtypes.run();
