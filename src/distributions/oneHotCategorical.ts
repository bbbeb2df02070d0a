// OneHotCategorical(π): a category as a one-hot vector along the last axis, as PyTorch's OneHotCategorical.
//   log p(e_k) = logits_k (normalised);  H = −Σ_k π_k·log π_k, the Categorical's
//   sample: one_hot(argmax_k (ℓ_k + g_k)), float, no gradient
import { errorSample, fixed, sample, tensor, uniformArg, type OpSpec, type Tensor } from "../core/index.js";
import { argmax, cast, oneHot } from "../ops/index.js";
import { CategoricalParams, categoricalParamsOf } from "./categoricalParams.js";
import { checkVectors, constructFromProbs, Distribution, drawArgs, floatDType, isProbsInConstruction, valueArg, valueBatch, type DistributionOptions, type DrawOptions } from "./distribution.js";

/**
 * A categorical distribution whose values are one-hot vectors along the last axis, as PyTorch's
 * `OneHotCategorical`: the event shape is [K], values are floats of the logits' dtype.
 * @category Distributions
 */
export class OneHotCategorical extends Distribution {
  private readonly params: CategoricalParams;

  /**
   * OneHotCategorical(softmax(logits)) over the last axis.
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
  static fromProbs<T extends OneHotCategorical>(this: new (logits: Tensor, opts?: DistributionOptions) => T, probs: Tensor, opts: DistributionOptions = {}): T {
    return constructFromProbs(probs, () => new this(probs, opts));
  }

  /** The class's name, which its error messages start with. */
  protected override get kind(): string {
    return "OneHotCategorical";
  }

  /** The logits' leading axes. */
  get batchShape(): number[] {
    return [...this.params.batch];
  }

  /** `[K]`: a value is a one-hot vector. */
  get eventShape(): number[] {
    return [this.params.k];
  }

  /** The normalised log-probabilities ℓ − logsumexp ℓ, [..., K] (from probabilities: log p, clamped to ε). */
  get logits(): Tensor {
    return this.params.logits;
  }

  /** The probabilities softmax(ℓ), [..., K] (from probabilities: p / Σ p). */
  get probs(): Tensor {
    return this.params.probs;
  }

  /** One-hot vectors [...sampleShape, ...batchShape, K] in the logits' dtype, by the Gumbel-max trick; no gradient. */
  sample(opts: DrawOptions = {}): Tensor {
    const { sampleShape, rng } = drawArgs(`${this.kind}.sample`, opts);
    return cast(oneHot(this.params.sampleIndices(sampleShape, rng), this.params.k), floatDType(this.params.given));
  }

  /**
   * log π_k for a one-hot value e_k [..., K], broadcast with the batch shape; returns the broadcast
   * batch shape. Differentiable in the logits (not in the value, which is discrete).
   * @throws GumbelgradError (validating) for a value that is not one-hot, naming it and its position; ShapeError when the value does not fit.
   */
  logProb(value: Tensor): Tensor {
    const op = `${this.kind}.logProb`;
    const v = valueArg(op, value);
    const k = this.params.k;
    const joint = valueBatch(op, v, this.params.batch, [k]);
    if (this.validateArgs) checkVectors(op, v, isOneHot, `(one-hot vectors of length ${k})`);
    return this.params.logProbOf(argmax(v.detach(), -1), joint);
  }

  /** The entropy −Σ π·log π, with the batch shape. Differentiable in the logits. */
  entropy(): Tensor {
    return this.params.entropy();
  }
}

/** Entries 0 or 1, exactly one of them 1. */
function isOneHot(row: ArrayLike<number>): boolean {
  let ones = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === 1) ones++;
    else if (row[i] !== 0) return false;
  }
  return ones === 1;
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const oneHotCategoricalSpec: OpSpec = {
  name: "OneHotCategorical",
  fn: OneHotCategorical,
  samples: (rng) => [
    sample("logProb of one-hot values [3, 4]", [uniformArg(rng, [3, 4], -2, 2)], (l) => new OneHotCategorical(l).logProb(cast(fixed([[0, 0, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1]]), l.dtype))),
    sample("logProb of values [2, 1, 3] broadcast with batch [2]", [uniformArg(rng, [2, 3], -2, 2)], (l) => new OneHotCategorical(l).logProb(cast(fixed([[[0, 1, 0]], [[1, 0, 0]]]), l.dtype))),
    sample("entropy", [uniformArg(rng, [2, 4], -2, 2)], (l) => new OneHotCategorical(l).entropy()),
    sample("logits and probs", [uniformArg(rng, [2, 4], -2, 2)], (l) => {
      const d = new OneHotCategorical(l);
      return d.logits.add(d.probs);
    }),
    sample("fromProbs: logProb and entropy", [uniformArg(rng, [2, 3], 0.2, 1.5)], (p) => {
      const d = OneHotCategorical.fromProbs(p);
      return d.logProb(cast(fixed([[0, 1, 0], [0, 0, 1]]), p.dtype)).add(d.entropy());
    }),
  ],
  errors: () => [
    errorSample("logits of rank 0", () => new OneHotCategorical(tensor(1)), "OneHotCategorical: logits need an event axis (the last), but logits has shape []"),
    errorSample("NaN logits", () => new OneHotCategorical(tensor([0, NaN])), "OneHotCategorical: logits must be finite or −∞ (an impossible category), but logits has NaN at [1]"),
    errorSample("negative probs", () => OneHotCategorical.fromProbs(tensor([0.5, -0.5])), "OneHotCategorical: probs must be finite and ≥ 0, but probs has -0.5 at [1]"),
    errorSample("options not an object", () => new OneHotCategorical(tensor([0, 1]), 3 as unknown as object), "OneHotCategorical: options must be an object, but got the number 3"),
  ],
};
