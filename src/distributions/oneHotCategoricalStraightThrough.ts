// OneHotCategorical with a straight-through rsample, as PyTorch's OneHotCategoricalStraightThrough.
//   rsample: forward one_hot(argmax_k (ℓ_k + g_k)), exactly; backward the gradient of π = softmax ℓ
//   (PyTorch's sample + (π − sg(π)), written as the straightThrough primitive so the one-hot stays exact)
import { errorSample, sample, tensor, uniformArg, type OpSpec, type Tensor } from "../core/index.js";
import { broadcastTo, checkedAgainst, straightThrough } from "../ops/index.js";
import { sameShape } from "../kernels/index.js";
import { sampleRng, type DrawOptions } from "./distribution.js";
import { OneHotCategorical } from "./oneHotCategorical.js";

/**
 * A {@link OneHotCategorical} whose `rsample` is straight-through: the value is an exact one-hot
 * draw, and the gradient is that of the probabilities, as PyTorch's `OneHotCategoricalStraightThrough`.
 * @category Distributions
 */
export class OneHotCategoricalStraightThrough extends OneHotCategorical {
  /** The class's name, which its error messages start with. */
  protected override get kind(): string {
    return "OneHotCategoricalStraightThrough";
  }

  /**
   * One-hot vectors [...sampleShape, ...batchShape, K] whose gradient is that of `probs`
   * (the straight-through estimator): forward a draw, backward ∂π/∂ℓ.
   */
  rsample(opts: DrawOptions = {}): Tensor {
    const hard = this.sample(opts);
    const probs = this.probs;
    return straightThrough(hard, sameShape(probs.shape, hard.shape) ? probs : broadcastTo(probs, hard.shape));
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const oneHotCategoricalStraightThroughSpec: OpSpec = {
  name: "OneHotCategoricalStraightThrough",
  fn: OneHotCategoricalStraightThrough,
  samples: (rng) => [
    // checkedAgainst: the value of probs, the gradient rsample claims, so finite differences check that the claim is ∂π/∂ℓ
    sample("rsample against probs, [2, 3]", [uniformArg(rng, [2, 3], -2, 2)], (l) => {
      const d = new OneHotCategoricalStraightThrough(l);
      return checkedAgainst(d.rsample({ rng: sampleRng() }), d.probs);
    }),
    sample("rsample with sampleShape [2] against probs", [uniformArg(rng, [3], -2, 2)], (l) => {
      const d = new OneHotCategoricalStraightThrough(l);
      return checkedAgainst(d.rsample({ sampleShape: [2], rng: sampleRng() }), broadcastTo(d.probs, [2, 3]));
    }),
    sample("entropy", [uniformArg(rng, [2, 4], -2, 2)], (l) => new OneHotCategoricalStraightThrough(l).entropy()),
  ],
  errors: () => [
    errorSample("logits of rank 0", () => new OneHotCategoricalStraightThrough(tensor(1)), "OneHotCategoricalStraightThrough: logits need an event axis (the last), but logits has shape []"),
    errorSample("+∞ logits", () => new OneHotCategoricalStraightThrough(tensor([Infinity, 1])),
      "OneHotCategoricalStraightThrough: logits must be finite or −∞ (an impossible category), but logits has Infinity at [0]"),
  ],
};
