// Losses built from the primitives, as PyTorch defines them. They have no vjp of their own:
// autodiff goes through the primitives they are made of.
import { gather, logSoftmax, mean, neg, readIndices, square, sub } from "../ops/index.js";
import { errorSample, fixed, floatArg, sample, ShapeError, uniformArg, wrap, zeros, type OpSpec, type Tensor } from "../core/index.js";
import { sameShape } from "../kernels/index.js";



/** mean((a − b)²) over every element, as PyTorch's mse_loss. @category Losses */
export function mseLoss(a: Tensor, b: Tensor): Tensor {
  const ta = floatArg("mseLoss", "a", a);
  const tb = floatArg("mseLoss", "b", b);
  if (!sameShape(ta.shape, tb.shape)) {
    throw new ShapeError("mseLoss", "a and b must have the same shape", { a: ta.shape, b: tb.shape });
  }
  return mean(square(sub(ta, tb)));
}

/**
 * −mean_n log softmax(logits_n)[target_n], as PyTorch's cross_entropy.
 * logits: [N, C]; targets: N class indices (int32 Tensor or number[]).
 * @category Losses
 */
export function crossEntropy(logits: Tensor, targets: Tensor | number[]): Tensor {
  const tl = floatArg("crossEntropy", "logits", logits);
  if (tl.ndim !== 2) throw new ShapeError("crossEntropy", "logits must have shape [N, C]", { logits: tl.shape });
  const [n, c] = tl.shape;
  const idx = readIndices("crossEntropy", "targets", targets, c, "the classes");
  if (idx.length !== n) {
    throw new ShapeError("crossEntropy", "there must be one target per row of logits", { logits: tl.shape, targets: [idx.length] });
  }
  // gathered, not multiplied by a one-hot: a −∞ logit of another class stays out (−∞·0 is NaN)
  const picked = gather(logSoftmax(tl, 1), 1, wrap(idx, [n, 1]));
  return neg(mean(picked));
}

// ---- gradient-check samples and error samples --------------------------------------------------



export const mseLossSpec: OpSpec = {
  name: "mseLoss",
  fn: mseLoss,
  samples: (rng) => [sample("[4, 3]", [uniformArg(rng, [4, 3]), uniformArg(rng, [4, 3])], mseLoss)],
  errors: () => [
    errorSample("different shapes", () => mseLoss(zeros([2, 3]), zeros([3])), "mseLoss: a and b must have the same shape, but a has shape [2, 3] and b has shape [3]"),
  ],
};

export const crossEntropySpec: OpSpec = {
  name: "crossEntropy",
  fn: crossEntropy,
  samples: (rng) => [
    sample("[4, 3], targets number[]", [uniformArg(rng, [4, 3], -2, 2)], (x) => crossEntropy(x, [0, 2, 1, 2])),
    sample("int32 targets", [uniformArg(rng, [2, 5], -2, 2)], (x) => crossEntropy(x, fixed([4, 0], "int32"))),
  ],
  errors: () => [
    errorSample("target out of range", () => crossEntropy(zeros([2, 3]), [0, 3]), "crossEntropy: index 3 is out of range for the classes of size 3"),
    errorSample("wrong number of targets", () => crossEntropy(zeros([2, 3]), [0]), "crossEntropy: there must be one target per row of logits, but logits has shape [2, 3] and targets has shape [1]"),
    errorSample("logits of rank 1", () => crossEntropy(zeros([3]), [0]), "crossEntropy: logits must have shape [N, C], but logits has shape [3]"),
  ],
};
