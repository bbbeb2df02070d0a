// The binary Concrete distribution (Maddison et al. 2017), as PyTorch's RelaxedBernoulli: values in (0, 1).
//   rsample: y = σ((ℓ + L)/τ), L = log u − log(1 − u) logistic noise, clamped to [tiny, 1 − ε] as PyTorch's
//   log p(y) = log τ + d − 2·softplus(d) + softplus(−x) + softplus(x),  x = logit(y), d = ℓ − τ·x
//   (the density of x, PyTorch's LogitRelaxedBernoulli, and the Jacobian of the sigmoid; −2·softplus(d) + d
//   is written −softplus(d) − softplus(−d), which neither overflows nor makes ∞ − ∞ at ℓ = ±∞)
import { errorSample, fullArg, noGrad, sample, tensor, uniformArg, type OpSpec, type Tensor } from "../core/index.js";
import { add, broadcastTo, cast, clamp, log, neg, sigmoid, softplus, sub, mul } from "../ops/index.js";
import { allocate, sameShape, sizeOf, type FloatData } from "../kernels/index.js";
import { noiseLeaf, type Tau } from "../gumbel/index.js";
import { BernoulliParams, bernoulliParamsOf } from "./bernoulliParams.js";
import { checkElements, Distribution, drawArgs, finfo, floatDType, sampleRng, uniforms, valueArg, valueBatch, type DistributionOptions, type DrawOptions } from "./distribution.js";
import { divideByTau, plusLogTau, temperatureArg } from "./temperature.js";

/**
 * A relaxed Bernoulli (binary Concrete) distribution, elementwise over its log-odds, as PyTorch's
 * `RelaxedBernoulli`: reparameterised samples in (0, 1) and their log-density. The event shape is `[]`.
 * @category Distributions
 */
export class RelaxedBernoulli extends Distribution {
  private readonly params: BernoulliParams;
  private readonly batch: number[];
  /** The temperature: a number, or a Tensor (learnable) that broadcasts with the batch shape. */
  readonly tau: Tau;

  /**
   * The binary Concrete distribution of log-odds `logits` and temperature τ, elementwise.
   * @param logits The log-odds of the Bernoulli it relaxes, any shape (a number is rank 0).
   * @param tau The temperature τ > 0: a number, or a Tensor (rank 0, or of a shape that broadcasts with the batch shape).
   * @param opts `validateArgs` (default true): refuse NaN logits, and logProb's values outside [0, 1].
   * @throws GumbelgradError for a τ that is not positive and finite, and (validating) NaN logits.
   */
  constructor(logits: Tensor | number, tau: Tau, opts: DistributionOptions = {}) {
    super(opts);
    this.params = new BernoulliParams(this.kind, logits as Tensor, false, this.validateArgs);
    bernoulliParamsOf.set(this, this.params);
    ({ tau: this.tau, batch: this.batch } = temperatureArg(this.kind, tau, this.params.batch));
  }

  /** The class's name, which its error messages start with. */
  protected override get kind(): string {
    return "RelaxedBernoulli";
  }

  /** The logits' shape, broadcast with a Tensor τ's shape. */
  get batchShape(): number[] {
    return [...this.batch];
  }

  /** `[]`: a value is one number in (0, 1). */
  get eventShape(): number[] {
    return [];
  }

  /** The log-odds, as given. */
  get logits(): Tensor {
    return this.params.logits;
  }

  /** The probability σ(ℓ) of the Bernoulli it relaxes. */
  get probs(): Tensor {
    return this.params.probs;
  }

  /**
   * A reparameterised sample σ((ℓ + L)/τ) with logistic noise L, [...sampleShape, ...batchShape],
   * clamped to [tiny, 1 − ε] as PyTorch's (so in (0, 1)); differentiable in the logits and τ.
   */
  rsample(opts: DrawOptions = {}): Tensor {
    const op = `${this.kind}.rsample`;
    const { sampleShape, rng } = drawArgs(op, opts);
    const shape = [...sampleShape, ...this.batch];
    const l = this.params.logits;
    const dtype = floatDType(l);
    const u = uniforms(op, rng, sizeOf(shape));
    const noise = allocate(dtype, u.length) as FloatData;
    for (let i = 0; i < u.length; i++) noise[i] = Math.log(u[i]) - Math.log1p(-u[i]);
    const logits = sameShape(l.shape, shape) ? l : broadcastTo(l, shape);
    const { tiny, eps } = finfo(dtype);
    return clamp(sigmoid(divideByTau(add(logits, noiseLeaf(noise, shape, "logistic")), this.tau)), tiny, 1 - eps);
  }

  /** The same as rsample, without a gradient. */
  sample(opts: DrawOptions = {}): Tensor {
    return noGrad(() => this.rsample(opts));
  }

  /**
   * The log-density of y in [0, 1] (clamped to [tiny, 1 − ε] first, as PyTorch's), with the batch
   * shape broadcast with y's. Differentiable in the logits, τ and y.
   * @throws GumbelgradError (validating) for a y outside [0, 1] or NaN, naming it and its position; ShapeError when y does not broadcast.
   */
  logProb(value: Tensor): Tensor {
    const op = `${this.kind}.logProb`;
    const y = valueArg(op, value);
    valueBatch(op, y, this.batch, []);
    if (this.validateArgs) checkElements(op, y, (v) => v >= 0 && v <= 1, "[0, 1]");
    const { tiny, eps } = finfo(y.dtype);
    const yc = clamp(y.isFloating ? y : cast(y, "float64"), tiny, 1 - eps);
    const x = sub(log(yc), log(sub(1, yc)));
    const d = sub(this.params.logits, mul(this.tau, x));
    const density = neg(add(softplus(d), softplus(neg(d))));
    return add(add(add(density, plusLogTau(0, 1, this.tau)), softplus(neg(x))), softplus(x));
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const relaxedBernoulliSpec: OpSpec = {
  name: "RelaxedBernoulli",
  fn: RelaxedBernoulli,
  samples: (rng) => {
    const y = tensor([[0.2, 0.7, 0.5], [0.9, 0.05, 0.4]]);
    return [
      sample("logProb, in the logits and τ", [uniformArg(rng, [2, 3], -2, 2), fullArg(0.8)], (l, t) => new RelaxedBernoulli(l, t).logProb(cast(y, l.dtype))),
      sample("logProb, in y too, τ 0.3", [uniformArg(rng, [3], -2, 2), uniformArg(rng, [2, 3], 0.1, 0.9)], (l, v) => new RelaxedBernoulli(l, 0.3).logProb(v)),
      sample("logProb, τ per distribution [3] broadcast", [uniformArg(rng, [2, 1], -2, 2), fullArg(1.5, [3])], (l, t) => new RelaxedBernoulli(l, t).logProb(cast(y, l.dtype))),
      sample("rsample, in the logits and τ", [uniformArg(rng, [2, 3], -2, 2), fullArg(0.8)], (l, t) => new RelaxedBernoulli(l, t).rsample({ rng: sampleRng() })),
      sample("rsample with sampleShape [2]", [uniformArg(rng, [3], -2, 2)], (l) => new RelaxedBernoulli(l, 0.6).rsample({ sampleShape: [2], rng: sampleRng() })),
      sample("logits and probs", [uniformArg(rng, [4], -2, 2)], (l) => {
        const d = new RelaxedBernoulli(l, 0.5);
        return d.logits.add(d.probs);
      }),
    ];
  },
  errors: () => [
    errorSample("tau 0", () => new RelaxedBernoulli(tensor([0, 1]), 0), "RelaxedBernoulli: tau must be a positive finite number, but got 0"),
    errorSample("NaN logits", () => new RelaxedBernoulli(tensor([NaN]), 1), "RelaxedBernoulli: logits must not be NaN, but logits has NaN at [0]"),
    errorSample("tau that does not broadcast with the batch", () => new RelaxedBernoulli(tensor([0, 1]), tensor([1, 2, 3])),
      "RelaxedBernoulli: tau must broadcast with the batch shape (NumPy rules), but batch has shape [2] and tau has shape [3]"),
  ],
};
