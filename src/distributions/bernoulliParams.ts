// The parameter of the Bernoulli distributions, given as log-odds or as probabilities, as PyTorch's:
//   from log-odds ℓ:      probs = σ(ℓ)
//   from probabilities p: logits = log p' − log(1 − p'),  p' = clamp(p, ε, 1 − ε)   (ε: the dtype's epsilon)
import { floatArg, formatShape, GumbelgradError, wrap, type Tensor } from "../core/index.js";
import { clamp, log, sigmoid, sub } from "../ops/index.js";
import { unravelIndex } from "../kernels/index.js";
import { finfo } from "./distribution.js";

/** The parameters of each Bernoulli object, for klDivergence (which needs where a probability is exactly 0 or 1). */
export const bernoulliParamsOf = new WeakMap<object, BernoulliParams>();

export class BernoulliParams {
  /** The log-odds or the probabilities, as given. */
  readonly given: Tensor;
  private logOdds: Tensor | null = null;
  private probabilities: Tensor | null = null;

  /**
   * @param op The class, for errors.
   * @param given The log-odds or (fromProbs) the probabilities; any shape, which is the batch shape.
   * @param validate Check the values (PyTorch's validate_args): log-odds not NaN (±∞ are certainties); probabilities in [0, 1].
   */
  constructor(op: string, given: Tensor, readonly fromProbs: boolean, validate: boolean) {
    this.given = floatArg(op, fromProbs ? "probs" : "logits", given);
    if (validate) {
      const v = this.given.values();
      for (let i = 0; i < v.length; i++) {
        if (fromProbs ? !(v[i] >= 0 && v[i] <= 1) : Number.isNaN(v[i])) {
          const rule = fromProbs ? "probs must lie in [0, 1]" : "logits must not be NaN";
          throw new GumbelgradError(op, `${rule}, but ${fromProbs ? "probs" : "logits"} has ${v[i]} at ${formatShape(unravelIndex(i, this.given.shape))}`);
        }
      }
    }
  }

  /** The batch shape: the parameter's. */
  get batch(): number[] {
    return [...this.given.shape];
  }

  /** The log-odds log(p/(1 − p)). */
  get logits(): Tensor {
    if (this.logOdds === null) {
      if (this.fromProbs) {
        const { eps } = finfo(this.given.dtype);
        const p = clamp(this.given, eps, 1 - eps);
        this.logOdds = sub(log(p), log(sub(1, p)));
      } else {
        this.logOdds = this.given;
      }
    }
    return this.logOdds;
  }

  /** The probability of a 1. */
  get probs(): Tensor {
    if (this.probabilities === null) this.probabilities = this.fromProbs ? this.given : sigmoid(this.given);
    return this.probabilities;
  }

  /** 1 where the probability of a 1 is exactly `certain` (0 or 1: a ±∞ log-odds, or that probability), else 0: a constant. */
  certainly(certain: 0 | 1): Tensor {
    const v = this.given.values();
    const out = new Float64Array(v.length);
    const at = this.fromProbs ? certain : certain === 1 ? Infinity : -Infinity;
    for (let i = 0; i < v.length; i++) out[i] = v[i] === at ? 1 : 0;
    return wrap(out, this.given.shape);
  }
}
