// The score-function (REINFORCE) estimator of ∇ E_{k~π}[f(k)], for when f cannot be differentiated
// through the sample (a real discrete choice, a black-box reward).
//   ∇_ℓ E[f] = E[(f(k) − b)·∇_ℓ log π_k]  for any baseline b that does not depend on k
//   surrogate = f + stopGradient(f − b)·log π_k: its gradient is one sample of the estimator (plus ∇f, if f has one)
import { errorSample, fixed, floatArg, normalizeAxis, sample, ShapeError, Tensor, uniformArg, wrap, type OpSpec } from "../core/index.js";
import { add, cast, gather, logSoftmax, mul, readIndices, reshape, stopGradient, sub } from "../ops/index.js";
import { broadcastShapes, sameShape, sizeOf } from "../kernels/index.js";

/** Options for {@link scoreFunctionSurrogate}. @category Gumbel family */
export interface ScoreFunctionOptions {
  /** Subtracted from the value to reduce the variance; no gradient flows into it. Default 0. */
  baseline?: number | Tensor;
  /** The category axis of the logits. Default −1. */
  axis?: number;
}

/**
 * The REINFORCE surrogate for categories `sample` drawn from softmax(logits) along `axis` and their
 * downstream `value` f. Backward from its sum (or mean) gives the score-function estimate in the
 * logits. Shape: the batch shape (the logits' without the axis, broadcast with the value's).
 * @category Gumbel family
 */
export function scoreFunctionSurrogate(logits: Tensor, sample: Tensor | number[], value: Tensor | number, opts: ScoreFunctionOptions = {}): Tensor {
  const op = "scoreFunctionSurrogate";
  const l = floatArg(op, "logits", logits);
  const axis = normalizeAxis(op, opts.axis ?? -1, l.ndim, l.shape);
  const batch = l.shape.filter((_, i) => i !== axis);
  const index = readIndices(op, "sample", sample, l.shape[axis], `axis ${axis} of logits`);
  const sampleShape = sample instanceof Tensor ? sample.shape : [index.length];
  if (index.length !== sizeOf(batch) || (sample instanceof Tensor && !sameShape(sampleShape, batch))) {
    throw new ShapeError(op, "sample must hold one category per distribution (the logits' shape without the axis)", { logits: l.shape, sample: sampleShape });
  }
  const f = floatArg(op, "value", value, l.dtype);
  const b = floatArg(op, "baseline", opts.baseline ?? 0, f.dtype);
  if (!broadcastShapes(batch, f.shape) || !broadcastShapes(batch, b.shape)) {
    throw new ShapeError(op, "value and baseline must broadcast with the batch shape", { batch, value: f.shape, baseline: b.shape });
  }
  // log π_k gathered, not multiplied by a one-hot: a −∞ logit of another category stays out (−∞·0 is NaN)
  const logProb = reshape(gather(logSoftmax(l, axis), axis, wrap(index, l.shape.map((d, i) => (i === axis ? 1 : d)))), batch);
  return add(f, mul(stopGradient(sub(f, b)), logProb));
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const scoreFunctionSurrogateSpec: OpSpec = {
  name: "scoreFunctionSurrogate",
  fn: scoreFunctionSurrogate,
  samples: (rng) => [
    sample("batch of 4, K = 3, values per row", [uniformArg(rng, [4, 3], -2, 2)],
      (l) => scoreFunctionSurrogate(l, [0, 2, 1, 2], cast(fixed([1.5, -0.5, 2, 0.25]), l.dtype))),
    sample("baseline, category axis 0", [uniformArg(rng, [3, 2], -2, 2)],
      (l) => scoreFunctionSurrogate(l, fixed([2, 0], "int32"), cast(fixed([3, 1]), l.dtype), { axis: 0, baseline: 1.2 })),
    sample("single distribution, scalar value", [uniformArg(rng, [5], -2, 2)], (l) => scoreFunctionSurrogate(l, [3], 2.5, { baseline: cast(fixed(0.5), l.dtype) })),
  ],
  errors: () => [
    errorSample("category out of range", () => scoreFunctionSurrogate(fixed([[0, 0, 0]]), [3], 1),
      "scoreFunctionSurrogate: index 3 is out of range for axis 1 of logits of size 3"),
    errorSample("one sample too many", () => scoreFunctionSurrogate(fixed([[0, 0, 0]]), [0, 1], 1),
      "scoreFunctionSurrogate: sample must hold one category per distribution (the logits' shape without the axis), but logits has shape [1, 3] and sample has shape [2]"),
    errorSample("value of the wrong shape", () => scoreFunctionSurrogate(fixed([[0, 0, 0], [0, 0, 0]]), [0, 1], fixed([1, 2, 3])),
      "scoreFunctionSurrogate: value and baseline must broadcast with the batch shape, but batch has shape [2] and value has shape [3] and baseline has shape []"),
  ],
};

