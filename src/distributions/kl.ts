// KL(p ‖ q) for the pairs PyTorch's kl_divergence has among these distributions, with its formulas:
//   Categorical, OneHotCategorical:  Σ_k π_k·(log π_k − log ρ_k);  ∞ where ρ_k = 0 < π_k, and 0·(…) = 0 where π_k = 0
//   Bernoulli:  p·(softplus(−ℓ_q) − softplus(−ℓ_p)) + (1 − p)·(softplus(ℓ_q) − softplus(ℓ_p)), with the same rules
// A probability is 0 (or 1) where the parameter says so: a ±∞ logit, a zero (or one) probability.
// PyTorch instead tests the probabilities it computed, so an underflowed softmax (logits −800 below the
// others) or a sigmoid that rounds to 1 (log-odds 40) counts as a certainty there and gives ∞. The masks are
// applied with where on both sides of the arithmetic, so the gradients stay finite (PyTorch's are NaN
// beside a masked category: 0·∞ in the backward of p·(log p − log q)).
import { describeValue, errorSample, GumbelgradError, sample, ShapeError, tensor, uniformArg, type OpSpec, type Tensor } from "../core/index.js";
import { add, mul, neg, softmax, softplus, sub, sum, where } from "../ops/index.js";
import { bernoulliParamsOf } from "./bernoulliParams.js";
import { categoricalParamsOf, type CategoricalParams } from "./categoricalParams.js";
import { Bernoulli } from "./bernoulli.js";
import { Categorical } from "./categorical.js";
import { Distribution, kindOf } from "./distribution.js";
import { OneHotCategorical } from "./oneHotCategorical.js";

const PAIRS = "Categorical, OneHotCategorical (and its straight-through form) and Bernoulli pairs";

/**
 * The KL divergence KL(p ‖ q) = E_p[log p − log q] of two distributions of one kind, with the batch
 * shape (p's and q's broadcast), as PyTorch's `kl_divergence`: Categorical–Categorical,
 * OneHotCategorical–OneHotCategorical (either may be the straight-through form) and
 * Bernoulli–Bernoulli. ∞ where q gives probability 0 to an outcome p can take. Differentiable in
 * both distributions' parameters.
 * @throws GumbelgradError for any other pair, naming both classes; ShapeError for different numbers of categories or batch shapes that do not broadcast.
 * @category Distributions
 */
export function klDivergence(p: Distribution, q: Distribution): Tensor {
  if ((p instanceof Categorical && q instanceof Categorical) || (p instanceof OneHotCategorical && q instanceof OneHotCategorical)) {
    return klCategorical(categoricalParamsOf.get(p)!, categoricalParamsOf.get(q)!);
  }
  if (p instanceof Bernoulli && q instanceof Bernoulli) return klBernoulli(p, q);
  throw new GumbelgradError("klDivergence", `KL(p ‖ q) is implemented for ${PAIRS}, but p is ${nameOf(p)} and q is ${nameOf(q)}`);
}

function nameOf(d: unknown): string {
  if (d instanceof Distribution) return `a ${kindOf(d)}`;
  return describeValue(d);
}

function klCategorical(p: CategoricalParams, q: CategoricalParams): Tensor {
  if (p.k !== q.k) {
    throw new ShapeError("klDivergence", "p and q must have the same number of categories along the last axis", { p: p.given.shape, q: q.given.shape });
  }
  checkBatch(p.batch, q.batch);
  const pZero = p.zeros();
  const qOnly = where(pZero, 0, q.zeros()); // q is 0 where p is not
  const masked = where(pZero, 1, qOnly);
  const terms = mul(p.probs, where(masked, 0, sub(p.logits, q.logits)));
  return sum(where(qOnly, Infinity, terms), -1);
}

function klBernoulli(pd: Bernoulli, qd: Bernoulli): Tensor {
  const p = bernoulliParamsOf.get(pd)!, q = bernoulliParamsOf.get(qd)!;
  checkBatch(p.batch, q.batch);
  const [p0, p1, q0, q1] = [p.certainly(0), p.certainly(1), q.certainly(0), q.certainly(1)];
  const lp = p.logits, lq = q.logits, probs = p.probs;
  // each term: where its own mask holds, the logits that would be infinite are replaced before any arithmetic
  const ones = mul(probs, sub(softplus(neg(where(q0, 0, lq))), softplus(neg(where(p0, 0, lp)))));
  const zeros = mul(sub(1, probs), sub(softplus(where(q1, 0, lq)), softplus(where(p1, 0, lp))));
  return add(where(p0, 0, where(q0, Infinity, ones)), where(p1, 0, where(q1, Infinity, zeros)));
}

function checkBatch(p: number[], q: number[]): void {
  const n = Math.max(p.length, q.length);
  for (let i = 1; i <= n; i++) {
    const a = p[p.length - i] ?? 1, b = q[q.length - i] ?? 1;
    if (a !== b && a !== 1 && b !== 1) throw new ShapeError("klDivergence", "the batch shapes of p and q must broadcast (NumPy rules)", { p, q });
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const klDivergenceSpec: OpSpec = {
  name: "klDivergence",
  fn: klDivergence,
  samples: (rng) => [
    sample("Categorical [3, 4] ‖ Categorical [3, 4]", [uniformArg(rng, [3, 4], -2, 2), uniformArg(rng, [3, 4], -2, 2)],
      (a, b) => klDivergence(new Categorical(a), new Categorical(b))),
    sample("Categorical [2, 1, 3] ‖ Categorical [4, 3] broadcast", [uniformArg(rng, [2, 1, 3], -2, 2), uniformArg(rng, [4, 3], -2, 2)],
      (a, b) => klDivergence(new Categorical(a), new Categorical(b))),
    sample("Categorical.fromProbs ‖ Categorical", [uniformArg(rng, [2, 3], 0.2, 1.5), uniformArg(rng, [2, 3], -2, 2)],
      (a, b) => klDivergence(Categorical.fromProbs(a), new Categorical(b))),
    sample("OneHotCategorical ‖ OneHotCategorical", [uniformArg(rng, [2, 3], -2, 2), uniformArg(rng, [2, 3], -2, 2)],
      (a, b) => klDivergence(new OneHotCategorical(a), new OneHotCategorical(b))),
    sample("Bernoulli [2, 3] ‖ Bernoulli [3] broadcast", [uniformArg(rng, [2, 3], -3, 3), uniformArg(rng, [3], -3, 3)],
      (a, b) => klDivergence(new Bernoulli(a), new Bernoulli(b))),
    sample("Bernoulli.fromProbs ‖ Bernoulli", [uniformArg(rng, [4], 0.1, 0.9), uniformArg(rng, [4], -2, 2)],
      (a, b) => klDivergence(Bernoulli.fromProbs(a), new Bernoulli(b))),
    sample("Categorical to the uniform prior, [3, 4]", [uniformArg(rng, [3, 4], -2, 2)], (a) => klDivergence(new Categorical(a), new Categorical(softmax(a.detach().mul(0), -1)))),
  ],
  errors: () => [
    errorSample("Categorical ‖ Bernoulli", () => klDivergence(new Categorical(tensor([0, 1])), new Bernoulli(tensor(0))),
      `klDivergence: KL(p ‖ q) is implemented for ${PAIRS}, but p is a Categorical and q is a Bernoulli`),
    errorSample("Categorical ‖ OneHotCategorical", () => klDivergence(new Categorical(tensor([0, 1])), new OneHotCategorical(tensor([0, 1]))),
      `klDivergence: KL(p ‖ q) is implemented for ${PAIRS}, but p is a Categorical and q is a OneHotCategorical`),
    errorSample("q not a distribution", () => klDivergence(new Bernoulli(tensor(0)), tensor(0) as unknown as Distribution),
      `klDivergence: KL(p ‖ q) is implemented for ${PAIRS}, but p is a Bernoulli and q is an object (Tensor)`),
    errorSample("different numbers of categories", () => klDivergence(new Categorical(tensor([0, 1])), new Categorical(tensor([0, 1, 2]))),
      "klDivergence: p and q must have the same number of categories along the last axis, but p has shape [2] and q has shape [3]"),
    errorSample("batch shapes that do not broadcast", () => klDivergence(new Bernoulli(tensor([0, 1])), new Bernoulli(tensor([0, 1, 2]))),
      "klDivergence: the batch shapes of p and q must broadcast (NumPy rules), but p has shape [2] and q has shape [3]"),
  ],
};
