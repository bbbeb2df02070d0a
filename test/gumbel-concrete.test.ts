// The Concrete distribution: reparameterised samples and its log-density (Maddison et al. 2017).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Rng, RelaxedOneHotCategorical, concreteLogProb, gumbelSoftmax, sum, mul, tensor, Tensor, GumbelgradError, ShapeError } from "../src/index.js";
import { ALPHA, chiSquare, describeChi, report, softmaxOf } from "./gumbel-stats.js";

/** Maddison et al.'s density in product form, in plain numbers: (K−1)!·τ^(K−1)·Π π_k y_k^(−τ−1) / (Σ π_i y_i^(−τ))^K. */
function productFormDensity(logits: number[], tau: number, y: number[]): number {
  const K = y.length, pi = softmaxOf(logits);
  let factorial = 1;
  for (let i = 2; i < K; i++) factorial *= i;
  const numerator = pi.reduce((acc, p, k) => acc * p * y[k] ** (-tau - 1), factorial * tau ** (K - 1));
  const denominator = pi.reduce((acc, p, k) => acc + p * y[k] ** -tau, 0) ** K;
  return numerator / denominator;
}

/**
 * For K = 2, the density of x = log(y₁/y₂) from logProb: p_x(x) = p_y(y)·y₁·y₂ with y = (σ(x), σ(−x)).
 * x is unbounded, so integrals over it need no care at the simplex's edges.
 */
function densityOfLogOdds(logits: number[], tau: number, xs: Float64Array): Float64Array {
  const y = new Float64Array(2 * xs.length);
  xs.forEach((x, i) => { y[2 * i] = 1 / (1 + Math.exp(-x)); y[2 * i + 1] = 1 / (1 + Math.exp(x)); });
  const logP = concreteLogProb(tensor(logits), tau, tensor(y, { shape: [xs.length, 2] })).values();
  return xs.map((_, i) => Math.exp(logP[i]) * y[2 * i] * y[2 * i + 1]);
}

/** Trapezoid rule on a uniform grid: ∫ f over [lo, hi] with n intervals. */
function trapezoid(f: (xs: Float64Array) => Float64Array, lo: number, hi: number, n: number): number {
  const h = (hi - lo) / n;
  const fx = f(Float64Array.from({ length: n + 1 }, (_, i) => lo + i * h));
  let total = (fx[0] + fx[n]) / 2;
  for (let i = 1; i < n; i++) total += fx[i];
  return total * h;
}

const density = suite("RelaxedOneHotCategorical: logProb");

density("logProb matches the density in product form", () => {
  const cases: [number[], number, number[]][] = [
    [[0.5, -0.2, 1.1], 0.7, [0.2, 0.3, 0.5]],
    [[0, 0, 0, 0], 1, [0.1, 0.2, 0.3, 0.4]],
    [[2, -1], 0.3, [0.9, 0.1]],
    [[1, 2, 3, 4, 5], 2.5, [0.05, 0.1, 0.15, 0.3, 0.4]],
  ];
  for (const [logits, tau, y] of cases) {
    const got = new RelaxedOneHotCategorical(tensor(logits), tau).logProb(tensor(y)).item();
    const expected = Math.log(productFormDensity(logits, tau, y));
    assert.ok(Math.abs(got - expected) < 1e-12 * Math.max(1, Math.abs(expected)), `${logits} τ=${tau}: ${got} vs ${expected}`);
  }
});

density("logProb is invariant to shifting the logits", () => {
  const y = tensor([[0.15, 0.25, 0.6], [0.5, 0.3, 0.2]]);
  const base = concreteLogProb(tensor([0.4, -1, 0.2]), 0.6, y).toArray() as number[];
  for (const shift of [-50, 3, 1e3]) {
    const shifted = concreteLogProb(tensor([0.4 + shift, -1 + shift, 0.2 + shift]), 0.6, y).toArray() as number[];
    shifted.forEach((v, i) => assert.ok(Math.abs(v - base[i]) < 1e-12 * Math.max(1, Math.abs(shift)), `shift ${shift}: ${v} vs ${base[i]}`));
  }
});

density("for K = 2 the density integrates to 1 (quadrature over the log-odds)", () => {
  const cases: [number[], number][] = [[[0, 0], 1], [[0.3, -0.8], 0.5], [[2, 0], 2.5], [[-1, 1.5], 0.2]];
  for (const [logits, tau] of cases) {
    // The log-odds density decays like exp(−τ|x − c|) around c = (ℓ₁ − ℓ₂)/τ: ±45/τ leaves a tail below e⁻⁴⁰.
    const c = (logits[0] - logits[1]) / tau, half = 45 / tau;
    const total = trapezoid((xs) => densityOfLogOdds(logits, tau, xs), c - half, c + half, 20_000);
    report(`Concrete K=2 integral, logits ${JSON.stringify(logits)}, tau ${tau}`, total);
    assert.ok(Math.abs(total - 1) < 1e-8, `∫p = ${total}`);
  }
});

density("positive log-densities are legitimate: a low τ concentrates mass near the vertices", () => {
  const logProb = concreteLogProb(tensor([0, 0, 0]), 0.1, tensor([0.98, 0.01, 0.01])).item();
  assert.ok(logProb > 0 && Number.isFinite(logProb), `${logProb}`);
});

density("logProb returns the batch shape; logits and a batch-shaped τ broadcast", () => {
  const y = tensor([[0.2, 0.8], [0.5, 0.5], [0.9, 0.1]]);
  const lp = new RelaxedOneHotCategorical(tensor([0.3, -0.3]), tensor([0.5, 1, 2])).logProb(y);
  assert.equal(lp.shape, [3]);
  const perRow = [0.5, 1, 2].map((t, i) => concreteLogProb(tensor([0.3, -0.3]), t, tensor((y.toArray() as number[][])[i])).item());
  (lp.toArray() as number[]).forEach((v, i) => assert.ok(Math.abs(v - perRow[i]) < 1e-13));
  // A batch that comes from τ alone: rsample draws one sample per temperature.
  const d = new RelaxedOneHotCategorical(tensor([0.3, -0.3]), tensor([0.5, 1, 2]));
  assert.equal([d.batchShape, d.eventShape], [[3], [2]]);
  assert.equal(d.rsample({ rng: new Rng(80) }).shape, [3, 2]);
});

density("bad arguments throw naming the function", () => {
  assert.throws(() => new RelaxedOneHotCategorical(tensor([0, 1]), -1), (e: Error) => e instanceof GumbelgradError && e.message === "RelaxedOneHotCategorical: tau must be a positive finite number, but got -1");
  assert.throws(() => new RelaxedOneHotCategorical(tensor(0), 1), (e: Error) => e.message === "RelaxedOneHotCategorical: logits need an event axis (the last), but logits has shape []");
  assert.throws(() => new RelaxedOneHotCategorical(tensor([0, 1]), 1).logProb(tensor([0.2, 0.3, 0.5])), (e: Error) => e instanceof ShapeError);
  assert.throws(() => new RelaxedOneHotCategorical(tensor([[0, 1], [1, 0]]), tensor([1, 2, 3])),
    (e: Error) => e.message === "RelaxedOneHotCategorical: tau must broadcast with the batch shape (NumPy rules), but batch has shape [2] and tau has shape [3]");
});

density.run();

const sampling = suite("RelaxedOneHotCategorical: rsample");

sampling("rsample is reparameterised: the gradient reaches the logits and a learnable τ", () => {
  const logits = tensor([[0.5, -0.5, 1]], { requiresGrad: true });
  const tau = tensor(0.8, { requiresGrad: true });
  const y = new RelaxedOneHotCategorical(logits, tau).rsample({ rng: new Rng(81) });
  sum(mul(y, tensor([[1, 2, 3]]))).backward();
  assert.ok(logits.grad !== null && Array.from(logits.grad.values()).some((v) => v !== 0));
  assert.ok(tau.grad !== null && tau.grad.item() !== 0);
  assert.equal(y.toArray(), gumbelSoftmax(tensor([[0.5, -0.5, 1]]), { tau: 0.8, rng: new Rng(81) }).toArray());
});

sampling("samples have the density logProb describes: chi-square of 1e5 samples' log-odds, bins integrated from logProb", () => {
  const logits = [0.7, -0.4], tau = 0.6, n = 100_000;
  const d = new RelaxedOneHotCategorical(tensor(logits).broadcastTo([n, 2]), tau);
  const y = d.rsample({ rng: new Rng(82) }).values();
  const c = (logits[0] - logits[1]) / tau, width = 1 / tau, bins = 16;
  const edges = Array.from({ length: bins + 1 }, (_, i) => c + (i - bins / 2) * width);
  // Cells: below the first edge, the 16 bins, above the last edge. Probabilities by quadrature of logProb.
  const far = 45 / tau;
  const bounds = [c - far, ...edges, c + far];
  const probs = bounds.slice(1).map((hi, i) => trapezoid((xs) => densityOfLogOdds(logits, tau, xs), bounds[i], hi, 2000));
  const counts = new Float64Array(bins + 2);
  for (let i = 0; i < n; i++) {
    const x = Math.log(y[2 * i] / y[2 * i + 1]);
    counts[x < edges[0] ? 0 : x >= edges[bins] ? bins + 1 : 1 + Math.floor((x - edges[0]) / width)]++;
  }
  const chi = chiSquare(counts, probs);
  report("rsample log-odds vs logProb bins, K = 2, 1e5 samples", describeChi(chi));
  assert.ok(chi.pValue > ALPHA, describeChi(chi));
  // Negative control: the bins of a density at τ = 0.66 instead of 0.6 are rejected.
  const wrong = bounds.slice(1).map((hi, i) => trapezoid((xs) => densityOfLogOdds(logits, tau * 1.1, xs), bounds[i], hi, 2000));
  assert.ok(chiSquare(counts, wrong).pValue < ALPHA);
});

sampling("probs is softmax(logits)", () => {
  const d = new RelaxedOneHotCategorical(tensor([1, 2, 3]), 1);
  (d.probs.toArray() as number[]).forEach((p, k) => assert.ok(Math.abs(p - softmaxOf([1, 2, 3])[k]) < 1e-15));
  assert.instance(d.logits, Tensor);
});

sampling.run();
