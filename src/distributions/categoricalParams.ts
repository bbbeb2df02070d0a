// The parameters of the categorical distributions (Categorical, the one-hot ones, the relaxed ones)
// over the last axis, given as logits or as probabilities, as PyTorch's:
//   from logits ℓ:        logits = ℓ − logsumexp ℓ,              probs = softmax ℓ
//   from probabilities p: probs = p / Σ p,  logits = log clamp(probs, ε, 1 − ε)   (ε: the dtype's epsilon)
// Each is made when first asked for, then kept.
import { flatAs, floatArg, formatShape, GumbelgradError, noGrad, wrap, type Tensor } from "../core/index.js";
import { argmax, broadcastTo, clamp, div, gather, log, logSoftmax, mul, neg, perturbedLogits, reshape, softmax, sum } from "../ops/index.js";
import { sameShape, unravelIndex } from "../kernels/index.js";
import { gumbel, type UniformSource } from "../gumbel/index.js";
import { finfo } from "./distribution.js";

/** The parameters of each categorical distribution object, for klDivergence (which needs where a probability is exactly 0). */
export const categoricalParamsOf = new WeakMap<object, CategoricalParams>();

export class CategoricalParams {
  /** The number of categories K. */
  readonly k: number;
  /** The batch shape: all but the last axis. */
  readonly batch: number[];
  /** The logits or the probabilities, as given. */
  readonly given: Tensor;
  private normalisedLogits: Tensor | null = null;
  private normalisedProbs: Tensor | null = null;

  /**
   * @param op The class, for errors.
   * @param given The logits or (fromProbs) the probabilities, [..., K].
   * @param validate Check the values (PyTorch's validate_args): no NaN; logits not +∞, with a possible
   *   category in every distribution; probabilities finite, ≥ 0, with a positive sum.
   */
  constructor(op: string, given: Tensor, readonly fromProbs: boolean, validate: boolean) {
    const arg = fromProbs ? "probs" : "logits";
    this.given = floatArg(op, arg, given);
    if (this.given.ndim === 0) throw new GumbelgradError(op, `${arg} need an event axis (the last), but ${arg} has shape []`);
    this.k = this.given.shape[this.given.ndim - 1];
    if (this.k === 0) throw new GumbelgradError(op, `${arg} need at least one category, but ${arg} has shape ${formatShape(this.given.shape)}`);
    this.batch = this.given.shape.slice(0, -1);
    if (validate) (fromProbs ? checkProbs : checkLogits)(op, this.given, this.k);
  }

  /** The normalised log-probabilities, [..., K]. */
  get logits(): Tensor {
    if (this.normalisedLogits === null) {
      const { eps } = finfo(this.given.dtype);
      this.normalisedLogits = this.fromProbs ? log(clamp(this.probs, eps, 1 - eps)) : logSoftmax(this.given, -1);
    }
    return this.normalisedLogits;
  }

  /** The probabilities, [..., K], summing to 1 along the last axis. */
  get probs(): Tensor {
    if (this.normalisedProbs === null) {
      this.normalisedProbs = this.fromProbs ? div(this.given, sum(this.given, -1, true)) : softmax(this.given, -1);
    }
    return this.normalisedProbs;
  }

  /** Logits for sampling and for the relaxations: the given logits, or log probs (−∞ exactly where a probability is 0). */
  get sampling(): Tensor {
    return this.fromProbs ? log(this.probs) : this.given;
  }

  /** 1 where a category's probability is exactly 0 (a −∞ logit, a zero probability), else 0: a constant [..., K]. */
  zeros(): Tensor {
    const v = this.given.values();
    const out = new Float64Array(v.length);
    const zero = this.fromProbs ? 0 : -Infinity;
    for (let i = 0; i < v.length; i++) out[i] = v[i] === zero ? 1 : 0;
    return wrap(out, this.given.shape);
  }

  /**
   * −Σ p·log p, as PyTorch's: the logits are clamped to the dtype's most negative finite number, so a
   * category of probability 0 adds 0·(−3.4e38) = 0 rather than 0·(−∞) = NaN.
   */
  entropy(): Tensor {
    return neg(sum(mul(clamp(this.logits, finfo(this.given.dtype).min), this.probs), -1));
  }

  /** log p(value) for category indices (checked by the caller) broadcast to the batch shape `joint`. */
  logProbOf(value: Tensor, joint: number[]): Tensor {
    const full = [...joint, this.k];
    const l = sameShape(this.logits.shape, full) ? this.logits : broadcastTo(this.logits, full);
    const index = wrap(Int32Array.from(flatAs(value, joint, "float64"), Math.trunc), [...joint, 1]);
    return reshape(gather(l, full.length - 1, index), joint);
  }

  /** Category indices, int32 [...sampleShape, ...batch], by the Gumbel-max trick (as `categorical` draws them). */
  sampleIndices(sampleShape: number[], rng: UniformSource): Tensor {
    const shape = [...sampleShape, ...this.batch, this.k];
    return noGrad(() => {
      const l = this.sampling.detach();
      const logits = sameShape(l.shape, shape) ? l : broadcastTo(l, shape);
      return argmax(perturbedLogits(logits, gumbel(shape, { rng }), shape.length - 1), shape.length - 1);
    });
  }
}

/** Logits that name a distribution: no NaN, no +∞, and in every distribution a category above −∞. */
function checkLogits(op: string, logits: Tensor, k: number): void {
  const v = logits.values();
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i]) || v[i] === Infinity) {
      throw new GumbelgradError(op, `logits must be finite or −∞ (an impossible category), but logits has ${v[i]} at ${formatShape(unravelIndex(i, logits.shape))}`);
    }
  }
  for (let r = 0; r < v.length / k; r++) {
    let possible = false;
    for (let j = 0; j < k && !possible; j++) possible = v[r * k + j] > -Infinity;
    if (!possible) {
      throw new GumbelgradError(op, `every distribution needs a possible category, but the one at ${formatShape(unravelIndex(r, logits.shape.slice(0, -1)))} has only −∞ logits`);
    }
  }
}

/** Probabilities up to a factor: finite, ≥ 0, and a positive sum in every distribution. */
function checkProbs(op: string, probs: Tensor, k: number): void {
  const v = probs.values();
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] >= 0 && v[i] < Infinity)) {
      throw new GumbelgradError(op, `probs must be finite and ≥ 0, but probs has ${v[i]} at ${formatShape(unravelIndex(i, probs.shape))}`);
    }
  }
  for (let r = 0; r < v.length / k; r++) {
    let total = 0;
    for (let j = 0; j < k; j++) total += v[r * k + j];
    if (!(total > 0)) {
      throw new GumbelgradError(op, `probs must have a positive sum in every distribution, but the one at ${formatShape(unravelIndex(r, probs.shape.slice(0, -1)))} sums to 0`);
    }
  }
}
