// Temperature annealing, and the score-function (REINFORCE) surrogate.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Rng, categorical, expDecayTau, scoreFunctionSurrogate, sum, tensor, GumbelgradError, ShapeError } from "../src/index.js";
import { report, softmaxOf } from "./gumbel-stats.js";

const schedule = suite("expDecayTau");

schedule("τ_t = max(min, τ₀·exp(−rate·t)), held for `every` steps", () => {
  const tau0 = 2, rate = 1e-3, min = 0.5, every = 100;
  const tau = expDecayTau({ tau0, rate, min, every });
  for (const t of [0, 1, 99, 100, 150, 999, 1000, 1386, 5000]) {
    const held = every * Math.floor(t / every);
    assert.is(tau(t), Math.max(min, tau0 * Math.exp(-rate * held)), `step ${t}`);
  }
  assert.is(tau(0), tau0);
  assert.is(tau(99), tau(0), "constant within the first block");
  assert.ok(tau(100) < tau(99), "drops at the block boundary");
  assert.is(tau(1e6), min, "floored at min");
});

schedule("defaults follow Jang et al.: τ₀ = 1, min = 0.5, every step", () => {
  const tau = expDecayTau({ rate: 1e-4 });
  assert.is(tau(0), 1);
  assert.is(tau(1), Math.exp(-1e-4));
  assert.is(tau(100_000), 0.5);
});

schedule("non-increasing over a long run", () => {
  const tau = expDecayTau({ tau0: 5, rate: 3e-4, min: 0.1, every: 7 });
  let previous = Infinity;
  for (let t = 0; t < 20_000; t++) {
    const now = tau(t);
    assert.ok(now <= previous && now >= 0.1);
    previous = now;
  }
});

schedule("bad settings and steps throw naming expDecayTau", () => {
  const cases: [() => unknown, string][] = [
    [() => expDecayTau({ rate: -1 }), "expDecayTau: rate must be a finite number ≥ 0, but got -1"],
    [() => expDecayTau({ rate: 1, tau0: 0 }), "expDecayTau: tau0 must be a positive finite number, but got 0"],
    [() => expDecayTau({ rate: 1, min: 0 }), "expDecayTau: min must be a positive finite number, but got 0"],
    [() => expDecayTau({ rate: 1, every: 2.5 }), "expDecayTau: every must be a positive integer, but got 2.5"],
    [() => expDecayTau({ rate: 1 })(-1), "expDecayTau: step must be an integer ≥ 0, but got -1"],
  ];
  for (const [run, message] of cases) assert.throws(run, (e: Error) => e instanceof GumbelgradError && e.message === message, message);
});

schedule.run();

const score = suite("scoreFunctionSurrogate");

const LOGITS = [0.5, -0.3, 1.2];
const F = [1, 2, 5];
/** ∂/∂ℓ_j E_{k~π}[f_k] = π_j·(f_j − E[f]) */
function exactGradient(): number[] {
  const pi = softmaxOf(LOGITS);
  const mean = pi.reduce((a, p, k) => a + p * F[k], 0);
  return pi.map((p, j) => p * (F[j] - mean));
}

/** n single-sample REINFORCE gradients, one per row of a [n, K] batch of logits. */
function perSampleGradients(n: number, seed: number, baseline?: number): number[][] {
  const logits = tensor(LOGITS).broadcastTo([n, 3]).detach();
  logits.requiresGrad = true;
  const k = categorical(logits, { rng: new Rng(seed) });
  const value = tensor(Array.from(k.values(), (c) => F[c]));
  sum(scoreFunctionSurrogate(logits, k, value, { baseline })).backward();
  return logits.grad!.toArray() as number[][];
}

function meanAndVariance(rows: number[][]): { mean: number[]; variance: number[] } {
  const n = rows.length, K = rows[0].length;
  const mean = Array.from({ length: K }, (_, j) => rows.reduce((a, r) => a + r[j], 0) / n);
  const variance = mean.map((m, j) => rows.reduce((a, r) => a + (r[j] - m) ** 2, 0) / (n - 1));
  return { mean, variance };
}

score("the estimator is unbiased: its mean over 2e4 samples is the exact gradient, with or without a baseline", () => {
  const exact = exactGradient();
  const n = 20_000;
  for (const baseline of [undefined, 2.5]) {
    const { mean, variance } = meanAndVariance(perSampleGradients(n, 91, baseline));
    // Each component's mean has standard error √(variance/n); 4.5 SE is a two-sided tail of 7e-6.
    mean.forEach((m, j) => {
      const se = Math.sqrt(variance[j] / n);
      assert.ok(Math.abs(m - exact[j]) < 4.5 * se, `baseline ${baseline}, component ${j}: ${m} vs ${exact[j]} (se ${se})`);
    });
    report(`REINFORCE mean gradient, baseline ${baseline ?? "none"}`, { mean: mean.map((v) => +v.toFixed(4)), exact: exact.map((v) => +v.toFixed(4)) });
  }
});

score("a baseline near E[f] lowers the variance", () => {
  const plain = meanAndVariance(perSampleGradients(5000, 92)).variance;
  const withBaseline = meanAndVariance(perSampleGradients(5000, 92, 3.5)).variance;
  report("REINFORCE per-sample variance without / with baseline 3.5", { plain, withBaseline });
  withBaseline.forEach((v, j) => assert.ok(v < plain[j], `component ${j}: ${v} vs ${plain[j]}`));
});

score("the surrogate's value is the downstream value, and its gradient is (f − b)·∂log π_k", () => {
  const logits = tensor([[0.2, 0.9, -0.4]], { requiresGrad: true });
  const s = scoreFunctionSurrogate(logits, [1], tensor([4]), { baseline: 1 });
  const pi = softmaxOf([0.2, 0.9, -0.4]);
  assert.ok(Math.abs(s.item() - (4 + 3 * Math.log(pi[1]))) < 1e-14);
  s.backward();
  const expected = pi.map((p, j) => 3 * ((j === 1 ? 1 : 0) - p));
  (logits.grad!.toArray() as number[][])[0].forEach((g, j) => assert.ok(Math.abs(g - expected[j]) < 1e-14));
});

score("a value that depends on parameters keeps its own (pathwise) gradient; the baseline gets none", () => {
  const w = tensor(2, { requiresGrad: true });
  const b = tensor(0.5, { requiresGrad: true });
  const logits = tensor([0, 0], { requiresGrad: true });
  scoreFunctionSurrogate(logits, [0], w.mul(3), { baseline: b }).backward();
  assert.is(w.grad!.item(), 3);
  assert.is(b.grad, null);
});

score("samples of the wrong shape throw a ShapeError naming scoreFunctionSurrogate", () => {
  assert.throws(() => scoreFunctionSurrogate(tensor([[0, 0], [0, 0]]), [0, 1, 1], 1), (e: Error) =>
    e instanceof ShapeError && e.message.startsWith("scoreFunctionSurrogate: ") && e.message.endsWith("but logits has shape [2, 2] and sample has shape [3]"));
});

score.run();
