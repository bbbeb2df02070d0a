// Bernoulli(p) with log-odds ℓ = log(p/(1 − p)), as PyTorch's Bernoulli; values are 0 or 1.
//   log p(v) = v·ℓ − softplus(ℓ) = (v − 1)·ℓ − softplus(−ℓ)   (−binary_cross_entropy_with_logits; the limits 0 and −∞ at ℓ = ±∞)
//   H = softplus(ℓ) − ℓ·σ(ℓ), computed as softplus(−|ℓ|) + |ℓ|·σ(−|ℓ|), which does not cancel
//   sample: 1 where u < p, u ~ Uniform(0, 1); float, no gradient
import { errorSample, fixed, flatAs, sample, tensor, uniformArg, wrap, type OpSpec, type Tensor } from "../core/index.js";
import { abs, add, cast, mul, neg, sigmoid, softplus, sub, where } from "../ops/index.js";
import { allocate, sizeOf, type FloatData } from "../kernels/index.js";
import { BernoulliParams, bernoulliParamsOf } from "./bernoulliParams.js";
import { checkElements, constructFromProbs, Distribution, drawArgs, floatDType, isProbsInConstruction, uniforms, valueArg, valueBatch, type DistributionOptions, type DrawOptions } from "./distribution.js";

/**
 * A Bernoulli distribution over {0, 1} for each element of its log-odds, as PyTorch's `Bernoulli`:
 * the batch shape is the logits' shape and the event shape is `[]`; values are floats 0 and 1.
 * ±∞ log-odds are certainties.
 * @category Distributions
 */
export class Bernoulli extends Distribution {
  private readonly params: BernoulliParams;

  /**
   * Bernoulli(σ(logits)), elementwise.
   * @param logits The log-odds log(p/(1 − p)) of a 1, any shape (a number is rank 0).
   * @param opts `validateArgs` (default true): refuse NaN logits, and logProb's values other than 0 and 1.
   * @throws GumbelgradError (validating) for NaN logits.
   */
  constructor(logits: Tensor | number, opts: DistributionOptions = {}) {
    super(opts);
    this.params = new BernoulliParams(this.kind, logits as Tensor, isProbsInConstruction(logits), this.validateArgs);
    bernoulliParamsOf.set(this, this.params);
  }

  /**
   * The same from the probabilities of a 1, in [0, 1]: `logits` is then log p − log(1 − p) with p
   * clamped to [ε, 1 − ε], as PyTorch's probs_to_logits (so ±36.04 at 0 and 1 in float64).
   * @throws GumbelgradError (validating) for a probability outside [0, 1] or NaN.
   */
  static fromProbs(probs: Tensor, opts: DistributionOptions = {}): Bernoulli {
    return constructFromProbs(probs, () => new Bernoulli(probs, opts));
  }

  /** The class's name, which its error messages start with. */
  protected override get kind(): string {
    return "Bernoulli";
  }

  /** The logits' shape. */
  get batchShape(): number[] {
    return this.params.batch;
  }

  /** `[]`: a value is one number, 0 or 1. */
  get eventShape(): number[] {
    return [];
  }

  /** The log-odds log(p/(1 − p)). */
  get logits(): Tensor {
    return this.params.logits;
  }

  /** The probability p = σ(ℓ) of a 1. */
  get probs(): Tensor {
    return this.params.probs;
  }

  /** Floats 0 and 1 of shape [...sampleShape, ...batchShape], in the logits' dtype: 1 where a uniform u < p. No gradient. */
  sample(opts: DrawOptions = {}): Tensor {
    const { sampleShape, rng } = drawArgs(`${this.kind}.sample`, opts);
    const shape = [...sampleShape, ...this.params.batch];
    const p = flatAs(this.params.probs.detach(), shape, "float64");
    const u = uniforms(`${this.kind}.sample`, rng, sizeOf(shape));
    const out = allocate(floatDType(this.params.given), u.length) as FloatData;
    for (let i = 0; i < u.length; i++) out[i] = u[i] < p[i] ? 1 : 0;
    return wrap(out, shape);
  }

  /**
   * log p(value) = value·ℓ − softplus(ℓ), with the batch shape broadcast with the value's. At ℓ = ±∞
   * it is the limit, 0 or −∞ (PyTorch: NaN). Differentiable in the logits.
   * @throws GumbelgradError (validating) for a value other than 0 and 1, naming it and its position; ShapeError when the value does not broadcast.
   */
  logProb(value: Tensor): Tensor {
    const op = `${this.kind}.logProb`;
    const v = valueArg(op, value);
    valueBatch(op, v, this.params.batch, []);
    if (this.validateArgs) checkElements(op, v, (x) => x === 0 || x === 1, "{0, 1}");
    const l = this.params.logits;
    const fv = v.isFloating ? v : cast(v, l.dtype);
    const finite = constantMask(l, Number.isFinite);
    const safe = where(finite, l, 0);
    // v·ℓ − softplus(ℓ), written for ℓ > 0 as (v − 1)·ℓ − softplus(−ℓ) (the same number): neither subtracts
    // nearly equal terms, so log p(1 | ℓ = 27.6) = −1e-12 keeps its digits, as PyTorch's kernel does
    const exact = where(constantMask(l, (x) => x > 0), sub(mul(sub(fv, 1), safe), softplus(neg(safe))), sub(mul(fv, safe), softplus(safe)));
    // at ℓ = ±∞ (and v ∈ {0, 1}): −softplus((1 − 2v)·ℓ), which is 0 or −∞; a constant, as is the limit's gradient
    const limit = neg(softplus(mul(sub(1, mul(fv.detach(), 2)), l.detach())));
    return where(finite, exact, limit);
  }

  /** The entropy −p·log p − (1 − p)·log(1 − p), with the batch shape; 0 at ℓ = ±∞ (PyTorch: NaN). Differentiable in the logits. */
  entropy(): Tensor {
    const l = this.params.logits;
    if (this.params.fromProbs) {
      // PyTorch's binary_cross_entropy_with_logits(logits, probs), with p itself (not σ of the clamped log-odds):
      // softplus(ℓ) − ℓ·p, written for ℓ > 0 as softplus(−ℓ) + ℓ·(1 − p), which does not cancel
      const p = this.params.probs;
      return where(constantMask(l, (x) => x > 0), add(softplus(neg(l)), mul(l, sub(1, p))), sub(softplus(l), mul(l, p)));
    }
    const finite = constantMask(l, Number.isFinite);
    const a = abs(where(finite, l, 0));
    return where(finite, add(softplus(neg(a)), mul(a, sigmoid(neg(a)))), 0);
  }
}

/** 1 where `holds` of x's element, else 0: a constant of x's shape. */
function constantMask(x: Tensor, holds: (v: number) => boolean): Tensor {
  const v = x.values();
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = holds(v[i]) ? 1 : 0;
  return wrap(out, x.shape);
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const bernoulliSpec: OpSpec = {
  name: "Bernoulli",
  fn: Bernoulli,
  samples: (rng) => [
    sample("logProb of values [3, 4]", [uniformArg(rng, [3, 4], -2, 2)], (l) => new Bernoulli(l).logProb(cast(fixed([[1, 0, 0, 1], [0, 0, 1, 1], [1, 1, 1, 0]]), l.dtype))),
    sample("logProb of values [2, 3] broadcast with batch [3]", [uniformArg(rng, [3], -2, 2)], (l) => new Bernoulli(l).logProb(cast(fixed([[1, 0, 1], [0, 0, 1]]), l.dtype))),
    sample("entropy, [2, 3]", [uniformArg(rng, [2, 3], -3, 3)], (l) => new Bernoulli(l).entropy()),
    sample("logits and probs", [uniformArg(rng, [4], -2, 2)], (l) => {
      const d = new Bernoulli(l);
      return d.logits.add(d.probs);
    }),
    sample("logits ±40: logProb and entropy", [uniformArg(rng, [2, 3], -2, 2)], (l) => {
      const d = new Bernoulli(mul(l, 20));
      return d.logProb(cast(fixed([[1, 0, 1], [0, 1, 1]]), l.dtype)).add(d.entropy());
    }),
    // probabilities away from 0 and 1, so that the clamp to ε never binds
    sample("fromProbs: logits, probs, logProb and entropy", [uniformArg(rng, [5], 0.1, 0.9)], (p) => {
      const d = Bernoulli.fromProbs(p);
      return d.logits.add(d.probs).add(d.logProb(cast(fixed([1, 0, 0, 1, 1]), p.dtype))).add(d.entropy());
    }),
  ],
  errors: () => [
    errorSample("NaN logits", () => new Bernoulli(tensor([0, NaN])), "Bernoulli: logits must not be NaN, but logits has NaN at [1]"),
    errorSample("probs above 1", () => Bernoulli.fromProbs(tensor([[0.5], [1.5]])), "Bernoulli: probs must lie in [0, 1], but probs has 1.5 at [1, 0]"),
    errorSample("int32 logits", () => new Bernoulli(tensor([0, 1], { dtype: "int32" })), "Bernoulli: logits must be a floating tensor (float64 or float32), but has dtype int32"),
    errorSample("logits an array", () => new Bernoulli([0, 1] as unknown as Tensor), "Bernoulli: logits must be a Tensor or a number, but got an array (wrap it with tensor(...))"),
  ],
};
