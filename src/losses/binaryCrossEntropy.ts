// Binary cross-entropy on logits, as PyTorch's binary_cross_entropy_with_logits, from primitives.
//   ℓ(x, t) = p·t·softplus(−x) + (1 − t)·softplus(x)   (p = posWeight, 1 when left out)
//   ∂ℓ/∂x = (1 − t)·σ(x) − p·t·σ(−x),  ∂ℓ/∂t = p·softplus(−x) − softplus(x)
// PyTorch writes it (1 − t)·x + (1 + (p − 1)·t)·(log1p(e^−|x|) + max(−x, 0)): the same function, since
// x + softplus(−x) = softplus(x). Each softplus is max(x, 0) + log1p(e^−|x|), so logits of ±1e3 are
// exact, and a loss near 0 (t = 1, x large) keeps its digits instead of being log(1 + tiny).
import { errorSample, fixed, floatArg, optionsArg, sample, ShapeError, tensor, uniformArg, zeros, type OpSpec, type Tensor, type TensorLike } from "../core/index.js";
import { add, cast, mul, neg, softplus, sub } from "../ops/index.js";
import { broadcastShapes, sameShape } from "../kernels/index.js";
import { reduce, reductionArg, type Reduction } from "./reduction.js";

/** Options for {@link binaryCrossEntropyWithLogits}. @category Losses */
export interface BinaryCrossEntropyOptions {
  /** "mean" (default) over every element, "sum", or "none" (the logits' shape). */
  reduction?: Reduction;
  /** A weight p of the positive term, broadcast against the logits as PyTorch's pos_weight (a [C] vector weighs the classes of the last axis). */
  posWeight?: TensorLike;
}

/**
 * Binary cross-entropy of targets t ∈ [0, 1] against logits x (the log-odds), as PyTorch's
 * binary_cross_entropy_with_logits: −[p·t·log σ(x) + (1 − t)·log(1 − σ(x))] elementwise, then reduced.
 * Stable for any x (±1e3 included); differentiable in the logits and the targets (and in posWeight).
 * @param logits Any shape.
 * @param targets The logits' shape: probabilities, hard (0/1) or soft.
 * @throws ShapeError when targets differ in shape from logits or posWeight does not broadcast to it; GumbelgradError for a bad reduction.
 * @category Losses
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor, opts: BinaryCrossEntropyOptions = {}): Tensor {
  const op = "binaryCrossEntropyWithLogits";
  const x = floatArg(op, "logits", logits);
  const t = floatArg(op, "targets", targets);
  const o = optionsArg(op, opts);
  const reduction = reductionArg(op, o.reduction);
  if (!sameShape(x.shape, t.shape)) throw new ShapeError(op, "targets must have the shape of logits", { logits: x.shape, targets: t.shape });
  let positive = mul(t, softplus(neg(x)));
  if (o.posWeight !== undefined) {
    const p = floatArg(op, "posWeight", o.posWeight);
    const shape = broadcastShapes(x.shape, p.shape);
    if (!shape || !sameShape(shape, x.shape)) throw new ShapeError(op, "posWeight must broadcast to the shape of logits", { logits: x.shape, posWeight: p.shape });
    positive = mul(p, positive);
  }
  return reduce(add(positive, mul(sub(1, t), softplus(x))), reduction, x.size);
}

// ---- gradient-check samples and error samples --------------------------------------------------

/** A fixed tensor in x's dtype, so the float32 rerun stays in float32. */
const like = (values: number[] | number[][] | number[][][], x: Tensor): Tensor => cast(fixed(values), x.dtype);

export const binaryCrossEntropyWithLogitsSpec: OpSpec = {
  name: "binaryCrossEntropyWithLogits",
  fn: binaryCrossEntropyWithLogits,
  samples: (rng) => [
    sample("[3, 4], mean, soft targets", [uniformArg(rng, [3, 4], -3, 3), uniformArg(rng, [3, 4], 0, 1)], (x, t) => binaryCrossEntropyWithLogits(x, t)),
    sample("sum, posWeight [4] over the last axis", [uniformArg(rng, [3, 4], -3, 3), uniformArg(rng, [3, 4], 0, 1)],
      (x, t) => binaryCrossEntropyWithLogits(x, t, { reduction: "sum", posWeight: like([0.5, 1, 2, 4], x) })),
    sample("none, posWeight [2, 1, 1] over a [2, 3, 2]", [uniformArg(rng, [2, 3, 2], -3, 3), uniformArg(rng, [2, 3, 2], 0, 1)],
      (x, t) => binaryCrossEntropyWithLogits(x, t, { reduction: "none", posWeight: like([[[3]], [[0.5]]], x) })),
    sample("learnable posWeight", [uniformArg(rng, [2, 3], -3, 3), uniformArg(rng, [3], 0.5, 2)],
      (x, p) => binaryCrossEntropyWithLogits(x, like([[0, 1, 0.5], [1, 0, 0.25]], x), { posWeight: p })),
    sample("logits ±1e3", [uniformArg(rng, [2, 3], -2, 2), uniformArg(rng, [2, 3], 0, 1)], (x, t) => binaryCrossEntropyWithLogits(mul(x, 500), t)),
    sample("rank 0", [uniformArg(rng, []), uniformArg(rng, [], 0, 1)], (x, t) => binaryCrossEntropyWithLogits(x, t)),
  ],
  errors: () => [
    errorSample("targets of another shape", () => binaryCrossEntropyWithLogits(zeros([2, 3]), zeros([3])),
      "binaryCrossEntropyWithLogits: targets must have the shape of logits, but logits has shape [2, 3] and targets has shape [3]"),
    errorSample("posWeight that does not broadcast", () => binaryCrossEntropyWithLogits(zeros([2, 3]), zeros([2, 3]), { posWeight: tensor([1, 2]) }),
      "binaryCrossEntropyWithLogits: posWeight must broadcast to the shape of logits, but logits has shape [2, 3] and posWeight has shape [2]"),
    errorSample("posWeight that would grow the result", () => binaryCrossEntropyWithLogits(zeros([3]), zeros([3]), { posWeight: zeros([2, 3]) }),
      "binaryCrossEntropyWithLogits: posWeight must broadcast to the shape of logits, but logits has shape [3] and posWeight has shape [2, 3]"),
    errorSample("unknown reduction", () => binaryCrossEntropyWithLogits(zeros([2]), zeros([2]), { reduction: "avg" as "mean" }),
      'binaryCrossEntropyWithLogits: reduction must be "mean", "sum" or "none", but got the string "avg"'),
    errorSample("int32 targets", () => binaryCrossEntropyWithLogits(zeros([2]), tensor([0, 1], { dtype: "int32" })),
      "binaryCrossEntropyWithLogits: targets must be a floating tensor (float64 or float32), but has dtype int32"),
  ],
};
