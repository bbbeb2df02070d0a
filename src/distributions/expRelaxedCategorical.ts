// ExpConcrete(π, τ): the Concrete distribution of Maddison et al. 2017 in log space, as PyTorch's
// ExpRelaxedCategorical. A value is x = log y for y on the simplex.
//   rsample: x = logSoftmax((ℓ + g)/τ), g ~ Gumbel(0, 1): finite for any τ, where y = softmax underflows
//   log p(x) = log Γ(K) + (K−1)·log τ + Σ_k (s_k − logsumexp s),   s_k = log π_k − τ·x_k
import { errorSample, fullArg, noGrad, sample, tensor, uniformArg, type OpSpec, type Tensor } from "../core/index.js";
import { add, broadcastTo, cast, logSoftmax, max, mul, stopGradient, sub, sum } from "../ops/index.js";
import { sameShape } from "../kernels/index.js";
import { gumbel, type Tau, type UniformSource } from "../gumbel/index.js";
import { CategoricalParams, categoricalParamsOf } from "./categoricalParams.js";
import { checkVectors, Distribution, drawArgs, floatDType, sampleRng, valueArg, valueBatch, type DistributionOptions, type DrawOptions } from "./distribution.js";
import { divideByTau, perEvent, plusLogTau, temperatureArg } from "./temperature.js";

/** log Γ(K) = log (K−1)! for a whole number K ≥ 1. */
function logGamma(k: number): number {
  let s = 0;
  for (let i = 2; i < k; i++) s += Math.log(i);
  return s;
}

/**
 * The ExpConcrete log-density of x = log y (event axis last) under normalised logits and τ, as
 * PyTorch's ExpRelaxedCategorical.log_prob; logits, τ and x broadcast. Shared with
 * RelaxedOneHotCategorical, whose density of y is this minus Σ_k x_k.
 */
export function expConcreteLogProb(logits: Tensor, tau: Tau, x: Tensor, k: number): Tensor {
  const scores = sub(logits, mul(perEvent(tau), x));
  return add(sum(logSoftmax(scores, -1), -1), plusLogTau(logGamma(k), k - 1, tau));
}

/**
 * logSoftmax((ℓ + g)/τ) along the last axis, of shape `shape` ([...sample, ...batch, K]), with fresh
 * Gumbel noise: the logits are shifted by their (constant) maximum first, as in gumbelSoftmax.
 */
export function logConcreteSample(logits: Tensor, tau: Tau, shape: number[], rng: UniformSource): Tensor {
  const l = sameShape(logits.shape, shape) ? logits : broadcastTo(logits, shape);
  const g = gumbel(shape, { rng, dtype: floatDType(logits) });
  const perturbed = add(sub(l, max(stopGradient(l), -1, true)), g);
  return logSoftmax(divideByTau(perturbed, perEvent(tau)), -1);
}

/**
 * The Concrete distribution in log space, as PyTorch's `ExpRelaxedCategorical`: a value is x = log y
 * for a relaxed one-hot y. Its samples stay finite at any temperature (where y's entries underflow
 * to 0 below τ ≈ 0.01), so `logProb` of its own samples is finite at τ = 0.005 too.
 * @category Distributions
 */
export class ExpRelaxedCategorical extends Distribution {
  private readonly params: CategoricalParams;
  private readonly batch: number[];
  /** The temperature: a number, or a Tensor (learnable) that broadcasts with the batch shape. */
  readonly tau: Tau;

  /**
   * ExpConcrete(softmax(logits), τ) over the last axis.
   * @param logits Unnormalised log-probabilities [..., K]; −∞ marks an impossible category.
   * @param tau The temperature τ > 0: a number, or a Tensor (rank 0, or of a shape that broadcasts with the batch shape).
   * @param opts `validateArgs` (default true): check the logits, and that logProb's values hold no NaN.
   * @throws GumbelgradError for logits of rank 0, a τ that is not positive and finite, and (validating) NaN, +∞ or all −∞ logits.
   */
  constructor(logits: Tensor, tau: Tau, opts: DistributionOptions = {}) {
    super(opts);
    this.params = new CategoricalParams(this.kind, logits, false, this.validateArgs);
    categoricalParamsOf.set(this, this.params);
    ({ tau: this.tau, batch: this.batch } = temperatureArg(this.kind, tau, this.params.batch));
  }

  /** The class's name, which its error messages start with. */
  protected override get kind(): string {
    return "ExpRelaxedCategorical";
  }

  /** The logits' leading axes, broadcast with a Tensor τ's shape. */
  get batchShape(): number[] {
    return [...this.batch];
  }

  /** `[K]`: a value is the log of a point of the simplex. */
  get eventShape(): number[] {
    return [this.params.k];
  }

  /** The normalised log-probabilities ℓ − logsumexp ℓ, [..., K]. */
  get logits(): Tensor {
    return this.params.logits;
  }

  /** The probabilities softmax(ℓ), [..., K]. */
  get probs(): Tensor {
    return this.params.probs;
  }

  /**
   * A reparameterised sample x = logSoftmax((ℓ + g)/τ), [...sampleShape, ...batchShape, K]:
   * log of a relaxed one-hot, differentiable in the logits and τ.
   */
  rsample(opts: DrawOptions = {}): Tensor {
    const { sampleShape, rng } = drawArgs(`${this.kind}.rsample`, opts);
    return logConcreteSample(this.params.sampling, this.tau, [...sampleShape, ...this.batch, this.params.k], rng);
  }

  /** The same as rsample, without a gradient. */
  sample(opts: DrawOptions = {}): Tensor {
    return noGrad(() => this.rsample(opts));
  }

  /**
   * The log-density of x = log y [..., K] (the ExpConcrete density), with the batch shape broadcast
   * with x's leading axes. Differentiable in the logits, τ and x.
   * @throws GumbelgradError (validating) for NaN in x; ShapeError when x does not fit the event or batch shape.
   */
  logProb(value: Tensor): Tensor {
    const op = `${this.kind}.logProb`;
    const x = valueArg(op, value);
    valueBatch(op, x, this.batch, [this.params.k]);
    if (this.validateArgs) checkVectors(op, x, (row) => Array.prototype.every.call(row, (v: number) => !Number.isNaN(v)), "(vectors of real numbers, without NaN)");
    return expConcreteLogProb(this.params.logits, this.tau, x, this.params.k);
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const expRelaxedCategoricalSpec: OpSpec = {
  name: "ExpRelaxedCategorical",
  fn: ExpRelaxedCategorical,
  samples: (rng) => {
    const x = tensor([[-1.2, -0.9, -1.25], [-0.4, -1.6, -2.1]]); // logs of points of the simplex
    const own = new ExpRelaxedCategorical(tensor([[0.5, -0.5, 0], [1, 0, -1]]), 0.05).sample({ rng: sampleRng() });
    return [
      sample("logProb, in the logits and τ", [uniformArg(rng, [2, 3], -1, 1), fullArg(0.8)], (l, t) => new ExpRelaxedCategorical(l, t).logProb(cast(x, l.dtype))),
      sample("logProb, in the value too, τ 0.3", [uniformArg(rng, [2, 3], -1, 1), uniformArg(rng, [2, 3], -2.5, -0.3)], (l, v) => new ExpRelaxedCategorical(l, 0.3).logProb(v)),
      sample("logProb of values [2, 2, 3] broadcast with batch [2]", [uniformArg(rng, [2, 3], -1, 1), fullArg(1.5)],
        (l, t) => new ExpRelaxedCategorical(l, t).logProb(cast(broadcastTo(x, [2, 2, 3]), l.dtype))),
      sample("rsample, in the logits and τ", [uniformArg(rng, [2, 3], -1, 1), fullArg(0.8)], (l, t) => new ExpRelaxedCategorical(l, t).rsample({ rng: sampleRng() })),
      sample("rsample with sampleShape [2], τ per distribution [3]", [uniformArg(rng, [3, 2], -1, 1), fullArg(0.6, [3])],
        (l, t) => new ExpRelaxedCategorical(l, t).rsample({ sampleShape: [2], rng: sampleRng() })),
      sample("logProb of a sample at τ 0.05", [uniformArg(rng, [2, 3], -1, 1), fullArg(0.05)], (l, t) => new ExpRelaxedCategorical(l, t).logProb(cast(own, l.dtype))),
      sample("logits and probs", [uniformArg(rng, [2, 3], -1, 1)], (l) => {
        const d = new ExpRelaxedCategorical(l, 0.5);
        return d.logits.add(d.probs);
      }),
    ];
  },
  errors: () => [
    errorSample("logits of rank 0", () => new ExpRelaxedCategorical(tensor(1), 1), "ExpRelaxedCategorical: logits need an event axis (the last), but logits has shape []"),
    errorSample("tau 0", () => new ExpRelaxedCategorical(tensor([0, 1]), 0), "ExpRelaxedCategorical: tau must be a positive finite number, but got 0"),
    errorSample("a Tensor tau with a negative element", () => new ExpRelaxedCategorical(tensor([[0, 1], [1, 0]]), tensor([1, -1])),
      "ExpRelaxedCategorical: tau must hold positive finite numbers, but tau has -1 at flat index 1"),
    errorSample("tau that does not broadcast with the batch", () => new ExpRelaxedCategorical(tensor([[0, 1], [1, 0]]), tensor([1, 2, 3])),
      "ExpRelaxedCategorical: tau must broadcast with the batch shape (NumPy rules), but batch has shape [2] and tau has shape [3]"),
    errorSample("NaN logits", () => new ExpRelaxedCategorical(tensor([NaN, 1]), 1), "ExpRelaxedCategorical: logits must be finite or −∞ (an impossible category), but logits has NaN at [0]"),
  ],
};
