// Categorical(π) over the categories {0, …, K−1} of the last axis, as PyTorch's Categorical.
//   log p(k) = logits_k (normalised: ℓ_k − logsumexp ℓ);  H = −Σ_k π_k·log π_k
//   sample: argmax_k (ℓ_k + g_k), g ~ Gumbel(0, 1) (the Gumbel-max trick); int32, no gradient
import { errorSample, fixed, sample, tensor, uniformArg, type OpSpec, type Tensor } from "../core/index.js";
import { mul, softmax } from "../ops/index.js";
import { CategoricalParams, categoricalParamsOf } from "./categoricalParams.js";
import { checkElements, constructFromProbs, Distribution, drawArgs, isProbsInConstruction, valueArg, valueBatch, type DistributionOptions, type DrawOptions } from "./distribution.js";

/** {0, …, K−1}, as messages write the support. */
export function categorySupport(k: number): string {
  return k === 1 ? "{0}" : k === 2 ? "{0, 1}" : `{0, …, ${k - 1}}`;
}

/**
 * A categorical distribution over the K categories of the last axis of its logits, as PyTorch's
 * `Categorical`: values are int32 category indices, and the batch shape is the logits' other axes.
 * −∞ logits are impossible categories (probability 0; the entropy stays finite, as PyTorch's).
 * @category Distributions
 */
export class Categorical extends Distribution {
  private readonly params: CategoricalParams;

  /**
   * Categorical(softmax(logits)) over the last axis.
   * @param logits Unnormalised log-probabilities [..., K]; −∞ marks an impossible category.
   * @param opts `validateArgs` (default true): refuse NaN or +∞ logits and distributions with no possible category.
   * @throws GumbelgradError for logits of rank 0, and (validating) for NaN, +∞ or all −∞ in a distribution.
   */
  constructor(logits: Tensor, opts: DistributionOptions = {}) {
    super(opts);
    this.params = new CategoricalParams(this.kind, logits, isProbsInConstruction(logits), this.validateArgs);
    categoricalParamsOf.set(this, this.params);
  }

  /**
   * The same from probabilities [..., K], non-negative with a positive sum, which are normalised to
   * sum to 1 (as PyTorch's): `logits` is then log probs, clamped to the dtype's ε as PyTorch's.
   * @throws GumbelgradError (validating) for a negative, NaN or infinite probability, or a distribution whose probabilities sum to 0.
   */
  static fromProbs<T extends Categorical>(this: new (logits: Tensor, opts?: DistributionOptions) => T, probs: Tensor, opts: DistributionOptions = {}): T {
    return constructFromProbs(probs, () => new this(probs, opts));
  }

  /** The class's name, which its error messages start with. */
  protected override get kind(): string {
    return "Categorical";
  }

  /** The logits' leading axes. */
  get batchShape(): number[] {
    return [...this.params.batch];
  }

  /** `[]`: a value is one category index. */
  get eventShape(): number[] {
    return [];
  }

  /** The normalised log-probabilities ℓ − logsumexp ℓ, [..., K] (from probabilities: log p, clamped to ε). */
  get logits(): Tensor {
    return this.params.logits;
  }

  /** The probabilities softmax(ℓ), [..., K] (from probabilities: p / Σ p). */
  get probs(): Tensor {
    return this.params.probs;
  }

  /** Category indices, int32 [...sampleShape, ...batchShape], by the Gumbel-max trick; no gradient. */
  sample(opts: DrawOptions = {}): Tensor {
    const { sampleShape, rng } = drawArgs(`${this.kind}.sample`, opts);
    return this.params.sampleIndices(sampleShape, rng);
  }

  /**
   * log π_value for category indices (an int32 Tensor, or floats holding whole numbers), broadcast
   * with the batch shape; returns the broadcast batch shape. Differentiable in the logits.
   * @throws GumbelgradError (validating) for a value outside {0, …, K−1}, naming it and its position; ShapeError when the value does not broadcast with the batch.
   */
  logProb(value: Tensor): Tensor {
    const op = `${this.kind}.logProb`;
    const v = valueArg(op, value);
    const joint = valueBatch(op, v, this.params.batch, []);
    const k = this.params.k;
    if (this.validateArgs) checkElements(op, v, (x) => Number.isInteger(x) && x >= 0 && x < k, categorySupport(k));
    return this.params.logProbOf(v, joint);
  }

  /** The entropy −Σ π·log π, with the batch shape. Differentiable in the logits. */
  entropy(): Tensor {
    return this.params.entropy();
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const categoricalSpec: OpSpec = {
  name: "Categorical",
  fn: Categorical,
  samples: (rng) => [
    sample("logProb of indices [3], logits [3, 5]", [uniformArg(rng, [3, 5], -2, 2)], (l) => new Categorical(l).logProb(fixed([4, 0, 2], "int32"))),
    sample("logProb of indices [2, 1] broadcast with batch [3]", [uniformArg(rng, [3, 4], -2, 2)], (l) => new Categorical(l).logProb(fixed([[1], [3]], "int32"))),
    sample("entropy, logits [2, 3, 4]", [uniformArg(rng, [2, 3, 4], -2, 2)], (l) => new Categorical(l).entropy()),
    sample("logits (normalised)", [uniformArg(rng, [3, 4], -2, 2)], (l) => new Categorical(l).logits),
    sample("probs", [uniformArg(rng, [3, 4], -2, 2)], (l) => new Categorical(l).probs),
    sample("logits ±1e3: logProb and entropy", [uniformArg(rng, [2, 3], -2, 2)], (l) => {
      const d = new Categorical(mul(l, 500));
      return d.logProb(fixed([0, 2], "int32")).add(d.entropy());
    }),
    // probabilities away from 0, so that the clamp to ε never binds
    sample("fromProbs: logits, probs, logProb, entropy", [uniformArg(rng, [2, 4], 0.2, 1.5)], (p) => {
      const d = Categorical.fromProbs(p);
      return d.logits.sum(-1).add(d.probs.mul(d.probs).sum(-1)).add(d.logProb(fixed([3, 1], "int32"))).add(d.entropy());
    }),
    sample("fromProbs of softmax: logProb", [uniformArg(rng, [3, 3], -1, 1)], (l) => Categorical.fromProbs(softmax(l, -1)).logProb(fixed([0, 1, 2], "int32"))),
  ],
  errors: () => [
    errorSample("logits of rank 0", () => new Categorical(tensor(1)), "Categorical: logits need an event axis (the last), but logits has shape []"),
    errorSample("no categories", () => new Categorical(tensor([], { shape: [2, 0] })), "Categorical: logits need at least one category, but logits has shape [2, 0]"),
    errorSample("NaN logits", () => new Categorical(tensor([[0, 1], [NaN, 2]])), "Categorical: logits must be finite or −∞ (an impossible category), but logits has NaN at [1, 0]"),
    errorSample("+∞ logits", () => new Categorical(tensor([0, Infinity])), "Categorical: logits must be finite or −∞ (an impossible category), but logits has Infinity at [1]"),
    errorSample("a distribution with no possible category", () => new Categorical(tensor([[0, 1], [-Infinity, -Infinity]])),
      "Categorical: every distribution needs a possible category, but the one at [1] has only −∞ logits"),
    errorSample("int32 logits", () => new Categorical(tensor([1, 2], { dtype: "int32" })), "Categorical: logits must be a floating tensor (float64 or float32), but has dtype int32"),
    errorSample("negative probs", () => Categorical.fromProbs(tensor([[0.5, 0.5], [0.2, -0.1]])), "Categorical: probs must be finite and ≥ 0, but probs has -0.1 at [1, 1]"),
    errorSample("probs that sum to 0", () => Categorical.fromProbs(tensor([[0.5, 0.5], [0, 0]])), "Categorical: probs must have a positive sum in every distribution, but the one at [1] sums to 0"),
    errorSample("validateArgs not a boolean", () => new Categorical(tensor([0, 1]), { validateArgs: 1 as unknown as boolean }), "Categorical: validateArgs must be true or false, but got the number 1"),
  ],
};
