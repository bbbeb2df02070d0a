// The gradient-estimator laboratory: the exact gradient, the statistics, and the trade-off it measures.
// Statistical assertions use fixed seeds and tolerances of a few standard errors (SE = sd/√N of the
// quantity compared), so each would fail for a real effect of that size in the wrong direction.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  Rng, Tensor, tensor, add, mul, sum, slice, sigmoid, softmax, oneHot, grad, categorical,
  categoricalProblem, withLogits, exactObjective, exactGradient, exactEstimator, compareEstimators, gradientSamples, summarizeSamples,
  scoreFunctionEstimator, gumbelSoftmaxEstimator, straightThroughEstimator, gumbelRaoEstimator, reinMaxEstimator,
  codebookProblem, bernoulliProblem, bernoulliLogits, GumbelgradError,
  type CategoricalProblem, type EstimatorReport,
} from "../src/index.js";

/** Two independent categoricals, K = 3 each, f = (y₀·a + y₁·b)²: the product case. */
function productProblem(): CategoricalProblem {
  const a = tensor([1.0, -0.5, 2.0]);
  const b = tensor([0.3, 1.5, -1.0]);
  return categoricalProblem({
    name: "product",
    logits: [[0.4, -0.3, 0.1], [-0.6, 0.2, 0.5]],
    f: (y: Tensor) => {
      const s = add(sum(mul(slice(y, 0, 0, 1), a)), sum(mul(slice(y, 0, 1, 2), b)));
      return mul(s, s);
    },
  });
}

const codebook = codebookProblem(); // K = 8, f(y) = ‖y·E − x‖²: the test problem of the trade-off

/** (L(θ + h·e_i) − L(θ − h·e_i)) / 2h for every i. */
function centralDifferences(problem: CategoricalProblem, h: number): number[] {
  const theta = problem.logits.values();
  return Array.from(theta, (_, i) => {
    const at = (delta: number) => {
      const moved = Float64Array.from(theta);
      moved[i] += delta;
      return exactObjective(problem, tensor(moved, { shape: problem.logits.shape })).item();
    };
    return (at(h) - at(-h)) / (2 * h);
  });
}

const exact = suite("estimators: the exact gradient");

exact("matches central differences of the exact objective (one categorical and a product of two)", () => {
  for (const problem of [codebook, productProblem()]) {
    const g = exactGradient(problem).values();
    const fd = centralDifferences(problem, 1e-5);
    // Central differences err by O(h²)·L‴ ≈ 1e-10 plus rounding ε·|L|/h ≈ 1e-11·|L|; 1e-7 leaves room and no more.
    fd.forEach((d, i) => assert.ok(Math.abs(g[i] - d) <= 1e-7 * Math.max(1, Math.abs(d)), `${problem.name} [${i}]: autodiff ${g[i]} vs difference ${d}`));
  }
});

exact("the Bernoulli toy: ∂L/∂φ = σ′(φ)·(1 − 2t), which is 0.25·(1 − 2t) at φ = 0", () => {
  for (const [phi, t] of [[0, 0.45], [0, 0.499], [1.3, 0.45], [-2, 0.2]]) {
    const g = exactGradient(bernoulliProblem({ phi, target: t })).values();
    const s = sigmoid(tensor(phi)).item();
    assert.ok(Math.abs(g[1] - s * (1 - s) * (1 - 2 * t)) < 1e-12, `φ=${phi}, t=${t}: ${g[1]}`);
    assert.ok(Math.abs(g[0] + g[1]) < 1e-12, "softmax is shift-invariant: the gradient sums to 0");
  }
});

exact("refuses problems it cannot enumerate, a non-scalar f, logits that are not a problem's and a gradient of the wrong shape", () => {
  assert.throws(() => categoricalProblem({ logits: new Array(17).fill(new Array(2).fill(0)), f: (y) => sum(y) }),
    (e: Error) => e instanceof GumbelgradError && e.message === "categoricalProblem: exact enumeration needs at most 65536 joint outcomes (K^D), but logits of shape [17, 2] have 131072");
  assert.throws(() => categoricalProblem({ logits: [0, NaN], f: (y) => sum(y) }), /categoricalProblem: logits must be finite, but logits has NaN at flat index 1/);
  assert.throws(() => categoricalProblem({ name: "vector f", logits: [0, 0], f: (y) => y }),
    /categoricalProblem: f of "vector f" must return a tensor with one element, but returned shape \[2\]/);
  const wrongShape = { name: "mine", tau: null, unbiased: false, sample: () => tensor([1, 2]) };
  assert.throws(() => gradientSamples(codebook, wrongShape, { samples: 2 }), /gradientSamples: mine must return a gradient of the logits' shape \[8\], but returned \[2\]/);
  assert.throws(() => withLogits(codebook, tensor([[0, 1]]).reshape([1, 1, 2])), /withLogits: logits must be a floating tensor of shape \[K\] or \[D, K\], but has shape \[1, 1, 2\]/);
});

exact.run();

const stats = suite("estimators: statistics");

stats("the exact gradient as an estimator has zero bias and variance and cosine 1", () => {
  const [r] = compareEstimators(codebook, [exactEstimator()], { samples: 5, rng: new Rng(1) });
  assert.ok(r.bias < 1e-12 && r.variance < 1e-24 && Math.abs(r.cosine - 1) < 1e-12, JSON.stringify(r));
});

stats("mse = bias² + (N − 1)/N · variance, as an identity of the sample moments", () => {
  const samples = gradientSamples(codebook, gumbelSoftmaxEstimator({ tau: 0.5 }), { samples: 50, rng: new Rng(2) });
  const s = summarizeSamples(samples, exactGradient(codebook).values());
  const rhs = s.bias ** 2 + ((s.samples - 1) / s.samples) * s.variance;
  assert.ok(Math.abs(s.mse - rhs) <= 1e-12 * s.mse, `${s.mse} vs ${rhs}`);
});

stats.run();

const unbiased = suite("estimators: the score-function family is unbiased");

const N_UNBIASED = 1000;

/** Components with |ḡ_i − g*_i| > 4·SE_i: a false alarm has probability ≈ 6e-5 per component. */
function disagreements(r: EstimatorReport): string[] {
  return r.meanGradient.flatMap((m, i) => {
    const gap = Math.abs(m - r.exactGradient[i]);
    return gap <= 4 * r.meanSE[i] ? [] : [`${r.estimator} [${i}]: mean ${m.toFixed(4)} vs exact ${r.exactGradient[i].toFixed(4)}, ${(gap / r.meanSE[i]).toFixed(1)} SE apart`];
  });
}

unbiased("REINFORCE, plain and with either baseline, agrees with the exact gradient within 4 SE", () => {
  for (const problem of [codebook, productProblem()]) {
    const estimators = [scoreFunctionEstimator(), scoreFunctionEstimator({ baseline: "running-mean" }), scoreFunctionEstimator({ baseline: "leave-one-out" })];
    for (const r of compareEstimators(problem, estimators, { samples: N_UNBIASED, rng: new Rng(7) })) {
      assert.equal(disagreements(r), [], problem.name);
    }
  }
});

unbiased("a leave-one-out baseline lowers REINFORCE's variance (by more than 3 SE of the difference)", () => {
  const [plain, loo] = compareEstimators(codebook, [scoreFunctionEstimator(), scoreFunctionEstimator({ baseline: "leave-one-out" })], { samples: N_UNBIASED, rng: new Rng(8) });
  assert.ok(plain.variance - loo.variance > 3 * Math.hypot(plain.varianceSE, loo.varianceSE), `${plain.variance} vs ${loo.variance}`);
});

unbiased("the test has teeth: a biased estimator (GS at τ = 2) fails the same 4-SE check", () => {
  const [r] = compareEstimators(codebook, [gumbelSoftmaxEstimator({ tau: 2 })], { samples: 500, rng: new Rng(9) });
  assert.ok(disagreements(r).length > 0);
});

unbiased.run();

const tradeOff = suite("estimators: the temperature trade-off on the codebook problem");

// Differences are asserted beyond 3 standard errors of the difference, √(SE₁² + SE₂²).
const beyond = (hi: { value: number; se: number }, lo: { value: number; se: number }) => hi.value - lo.value > 3 * Math.hypot(hi.se, lo.se);

tradeOff("Gumbel-softmax: as τ falls, the bias falls and the variance rises", () => {
  const taus = [0.5, 2, 5];
  const rows = compareEstimators(codebook, taus.map((tau) => gumbelSoftmaxEstimator({ tau })), { samples: 1200, rng: new Rng(11) });
  for (let i = 0; i + 1 < rows.length; i++) {
    const [low, high] = [rows[i], rows[i + 1]];
    assert.ok(beyond({ value: high.bias, se: high.biasSE }, { value: low.bias, se: low.biasSE }), `bias at τ=${low.tau}: ${low.bias} ± ${low.biasSE}; at τ=${high.tau}: ${high.bias} ± ${high.biasSE}`);
    assert.ok(beyond({ value: low.variance, se: low.varianceSE }, { value: high.variance, se: high.varianceSE }), `variance at τ=${low.tau}: ${low.variance}; at τ=${high.tau}: ${high.variance}`);
  }
});

tradeOff("Gumbel-Rao: ST-GS's expectation, no more variance, and clearly less at low τ", () => {
  for (const tau of [0.25, 0.5, 1]) {
    const [st, gr] = compareEstimators(codebook, [straightThroughEstimator({ tau }), gumbelRaoEstimator({ tau })], { samples: 2500, rng: new Rng(13) });
    // Same expectation (Rao-Blackwell: E[ĝ_GR] = E[E[ĝ_ST | D]]): the means agree within 4 SE of their difference.
    gr.meanGradient.forEach((m, i) => {
      const se = Math.hypot(gr.meanSE[i], st.meanSE[i]);
      assert.ok(Math.abs(m - st.meanGradient[i]) <= 4 * se, `τ=${tau} [${i}]: GR ${m} vs ST ${st.meanGradient[i]} ± ${se}`);
    });
    // Var(GR) ≤ Var(ST), allowing 3 SE of noise in the comparison.
    assert.ok(gr.variance <= st.variance + 3 * Math.hypot(gr.varianceSE, st.varianceSE), `τ=${tau}: GR ${gr.variance} vs ST ${st.variance}`);
    if (tau === 0.25) assert.ok(beyond({ value: st.variance, se: st.varianceSE }, { value: gr.variance, se: gr.varianceSE }), `τ=0.25: GR ${gr.variance} ± ${gr.varianceSE} vs ST ${st.variance} ± ${st.varianceSE}`);
  }
});

tradeOff("every estimator returns a finite gradient of θ's shape, also for a product of categoricals and tiny τ", () => {
  const rng = new Rng(17);
  const all = [scoreFunctionEstimator(), gumbelSoftmaxEstimator({ tau: 0.01 }), straightThroughEstimator({ tau: 0.01 }), gumbelRaoEstimator({ tau: 0.01, samples: 3 }), reinMaxEstimator({ tau: 0.01 }), exactEstimator()];
  for (const problem of [codebook, productProblem(), withLogits(codebook, tensor([30, -30, 0, 5, -5, 12, 1, 2]))]) {
    for (const e of all) {
      const g = e.sample(problem, rng);
      assert.equal(g.shape, problem.logits.shape, `${e.name} on ${problem.name}`);
      assert.ok(Array.from(g.values()).every(Number.isFinite), `${e.name} on ${problem.name}: ${g.toArray()}`);
    }
  }
});

tradeOff("ReinMax's autodiff gradient is the reference backward: (2·J(π1) − ½·J(π0))·∂f/∂D, J(p) = diag(p) − ppᵀ", () => {
  const tau = 0.7;
  for (const seed of [1, 2, 3]) {
    const g = reinMaxEstimator({ tau }).sample(codebook, new Rng(seed)).values();
    const c = categorical(codebook.logits, { rng: new Rng(seed) }).item(); // the same draw as inside the estimator
    const d = oneHot([c], 8).reshape([8]);
    const df = (grad(codebook.f)(d) as Tensor).values();
    const pi0 = softmax(codebook.logits).values();
    const soft = softmax(codebook.logits.div(tau)).values();
    const pi1 = Array.from(soft, (p, k) => (p + (k === c ? 1 : 0)) / 2);
    const jvp = (p: ArrayLike<number>) => Array.from(p, (pk, k) => pk * df[k] - pk * Array.from(p).reduce((s, pj, j) => s + pj * df[j], 0));
    const [a, b] = [jvp(pi1), jvp(pi0)];
    a.forEach((ak, k) => assert.ok(Math.abs(g[k] - (2 * ak - 0.5 * b[k])) < 1e-12, `seed ${seed} [${k}]: ${g[k]} vs ${2 * ak - 0.5 * b[k]}`));
  }
});

tradeOff.run();

// For the Bernoulli problem, θ = [0, φ]: REINFORCE's ∂/∂φ sample is f(b)·(b − σ(φ)).
const toy = suite("estimators: the Bernoulli toy");

toy("REINFORCE's standard deviation at φ = 0 is 0.25·((1 − t)² + t²) ≈ 0.125", () => {
  for (const t of [0.45, 0.499]) {
    const samples = gradientSamples(bernoulliProblem({ target: t }), scoreFunctionEstimator(), { samples: 2000, rng: new Rng(19) });
    const phi = samples.map((s) => s[1]);
    const m = phi.reduce((a, b) => a + b, 0) / phi.length;
    const sd = Math.sqrt(phi.reduce((a, b) => a + (b - m) ** 2, 0) / (phi.length - 1));
    // Two outcomes, each with probability ½: (1 − t)²·½ and −t²·½, so sd = half their distance. The sample sd is
    // that times 2√(p̂(1 − p̂)) ≈ 1 − 2δ² for p̂ = ½ + δ; at δ = 4 SE = 4·0.011 that is 0.4%, below 0.001 here.
    const theory = 0.25 * ((1 - t) ** 2 + t ** 2);
    assert.ok(Math.abs(sd - theory) < 0.001, `t=${t}: sd ${sd} vs ${theory}`);
  }
  assert.equal(bernoulliLogits(0.7).toArray(), [0, 0.7]);
});

toy.run();
