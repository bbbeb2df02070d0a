// Classification losses over a class axis, as PyTorch's nll_loss and cross_entropy, from primitives.
//   nll_n = −logp[n, t_n] (0 where t_n = ignoreIndex);  "mean" divides the sum by the non-ignored targets
//   crossEntropy = (1 − ε)·nll(logSoftmax(x)) + (ε/C)·smooth,  smooth_n = −Σ_c logSoftmax(x)[n, c] (0 where ignored)
// Inputs are [N, C] or [N, C, d…] (the class axis is 1, as PyTorch's), targets [N] or [N, d…].
import {
  describeValue, errorSample, fixed, floatArg, formatShape, GumbelgradError, numberIn, optionsArg, sample, ShapeError, Tensor,
  tensor, uniformArg, wrap, zeros, type OpSpec,
} from "../core/index.js";
import { add, gather, logSoftmax, mul, neg, reshape, sum, where } from "../ops/index.js";
import { sameShape, unravelIndex } from "../kernels/index.js";
import { reduce, reductionArg, type Reduction } from "./reduction.js";

/** Options for {@link nllLoss}. @category Losses */
export interface NllLossOptions {
  /** "mean" (default: over the targets that are not ignored), "sum", or "none" (the targets' shape). */
  reduction?: Reduction;
  /** A target value that contributes nothing, to the loss or to the count of "mean". Default −100, as PyTorch's. */
  ignoreIndex?: number;
}

/** Options for {@link crossEntropy}. @category Losses */
export interface CrossEntropyOptions extends NllLossOptions {
  /** ε in [0, 1]: the target becomes (1 − ε)·one_hot + ε/C, as PyTorch's label_smoothing. Default 0. */
  labelSmoothing?: number;
}

/** The targets of a class-axis loss: where to gather (an ignored target gathers class 0), which count, and their shape. */
interface Targets {
  index: Tensor;
  /** 1 for a target that counts, 0 for an ignored one; null when none is ignored. */
  keep: Tensor | null;
  count: number;
  shape: number[];
}

/** Checks logits of shape [N, C, d…] against targets of shape [N, d…] (number[] allowed for [N, C]) and reads them. */
function readTargets(op: string, x: Tensor, targets: Tensor | number[], ignoreIndex: number): Targets {
  if (x.ndim < 2) throw new ShapeError(op, "logits must have shape [N, C] or [N, C, d…] (the class axis is 1)", { logits: x.shape });
  const classes = x.shape[1];
  const shape = [x.shape[0], ...x.shape.slice(2)];
  let values: ArrayLike<number>;
  let given: number[];
  if (targets instanceof Tensor) {
    if (targets.dtype !== "int32") throw new GumbelgradError(op, `targets must be an int32 tensor or an array of integers, but targets has dtype ${targets.dtype}`);
    values = targets.values();
    given = targets.shape;
  } else if (Array.isArray(targets)) {
    if (x.ndim > 2) throw new GumbelgradError(op, `targets of logits of rank ${x.ndim} must be an int32 Tensor of shape ${formatShape(shape)}, but got an array`);
    values = targets;
    given = [targets.length];
  } else {
    throw new GumbelgradError(op, `targets must be an int32 tensor or an array of integers, but got ${describeValue(targets)}`);
  }
  if (!sameShape(given, shape)) {
    if (x.ndim === 2) throw new ShapeError(op, "there must be one target per row of logits", { logits: x.shape, targets: given });
    throw new ShapeError(op, "targets must have the shape of logits without its class axis 1", { logits: x.shape, targets: given });
  }
  const index = new Int32Array(values.length);
  const keep = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) throw new GumbelgradError(op, `targets must be integers, but index ${i} is ${typeof v === "number" ? v : describeValue(v)}`);
    if (v === ignoreIndex) continue;
    if (v < 0 || v >= classes) {
      throw new GumbelgradError(op, `targets must be class indices in [0, ${classes}) or ignoreIndex ${ignoreIndex}, but targets has ${v} at ${formatShape(unravelIndex(i, shape))}`);
    }
    index[i] = v;
    keep[i] = 1;
    count++;
  }
  return { index: wrap(index, [shape[0], 1, ...shape.slice(1)]), keep: count === values.length ? null : wrap(keep, shape), count, shape };
}

function ignoreIndexArg(op: string, v: unknown): number {
  if (v === undefined) return -100;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new GumbelgradError(op, `ignoreIndex must be an integer, but got ${typeof v === "number" ? v : describeValue(v)}`);
  return v;
}

/** −logp[n, t_n] per target (targets' shape), 0 where ignored: gathered, and masked with where, so a −∞ elsewhere stays out (−∞·0 is NaN). */
function pickedLoss(logp: Tensor, t: Targets): Tensor {
  const picked = neg(reshape(gather(logp, 1, t.index), t.shape));
  return t.keep ? where(t.keep, picked, 0) : picked;
}

/**
 * The negative log-likelihood of class targets, as PyTorch's nll_loss: −logProbs[n, t_n, d…], reduced.
 * logProbs: [N, C] or [N, C, d…] (log-probabilities, e.g. from logSoftmax(x, 1)); targets: N class
 * indices (int32 Tensor or number[]) for [N, C], an int32 Tensor [N, d…] otherwise. A target equal to
 * ignoreIndex adds nothing and is not counted by "mean"; with every target ignored "mean" is NaN (0/0),
 * as in PyTorch.
 * @throws GumbelgradError for a target out of range (naming it and its position), a bad reduction or ignoreIndex; ShapeError for shapes that do not fit.
 * @category Losses
 */
export function nllLoss(logProbs: Tensor, targets: Tensor | number[], opts: NllLossOptions = {}): Tensor {
  const op = "nllLoss";
  const logp = floatArg(op, "logProbs", logProbs);
  const o = optionsArg(op, opts);
  const reduction = reductionArg(op, o.reduction);
  const t = readTargets(op, logp, targets, ignoreIndexArg(op, o.ignoreIndex));
  return reduce(pickedLoss(logp, t), reduction, t.count);
}

/**
 * The cross-entropy of logits against class targets, as PyTorch's cross_entropy: the nll of
 * logSoftmax(logits, 1), with label smoothing (1 − ε)·nll + ε·(−Σ_c logSoftmax)/C, reduced. Shapes,
 * targets and ignoreIndex as {@link nllLoss}; an ignored target adds nothing to either term. −∞ logits
 * (impossible classes) give PyTorch's values: a finite loss where the target is possible, and with
 * label smoothing +∞ (the smoothed target puts mass on an impossible class).
 * `crossEntropy(logits, targets)` is the mean over the batch.
 * @throws GumbelgradError for a target out of range (naming it and its position), labelSmoothing outside [0, 1], a bad reduction or ignoreIndex; ShapeError for shapes that do not fit.
 * @category Losses
 */
export function crossEntropy(logits: Tensor, targets: Tensor | number[], opts: CrossEntropyOptions = {}): Tensor {
  const op = "crossEntropy";
  const x = floatArg(op, "logits", logits);
  const o = optionsArg(op, opts);
  const reduction = reductionArg(op, o.reduction);
  const smoothing = numberIn(op, "labelSmoothing", o.labelSmoothing ?? 0, { atLeast: 0, atMost: 1 });
  const t = readTargets(op, x, targets, ignoreIndexArg(op, o.ignoreIndex));
  const logp = logSoftmax(x, 1);
  const nll = reduce(pickedLoss(logp, t), reduction, t.count);
  if (smoothing === 0) return nll;
  const all = neg(sum(logp, 1));
  const smooth = reduce(t.keep ? where(t.keep, all, 0) : all, reduction, t.count);
  return add(mul(nll, 1 - smoothing), mul(smooth, smoothing / x.shape[1]));
}

// ---- gradient-check samples and error samples --------------------------------------------------

const int32 = (values: number[] | number[][]): Tensor => fixed(values, "int32");

export const nllLossSpec: OpSpec = {
  name: "nllLoss",
  fn: nllLoss,
  samples: (rng) => [
    sample("[4, 3], targets number[]", [uniformArg(rng, [4, 3], -3, 0)], (lp) => nllLoss(lp, [0, 2, 1, 2])),
    sample("sum, a repeated target ignored", [uniformArg(rng, [4, 3], -3, 0)], (lp) => nllLoss(lp, int32([1, -100, 1, 0]), { reduction: "sum" })),
    sample("none, ignoreIndex 2 on [3, 3, 2]", [uniformArg(rng, [3, 3, 2], -3, 0)], (lp) => nllLoss(lp, int32([[0, 2], [2, 1], [1, 1]]), { reduction: "none", ignoreIndex: 2 })),
    sample("mean over [2, 4, 2, 2]", [uniformArg(rng, [2, 4, 2, 2], -3, 0)], (lp) => nllLoss(lp, fixed([[[0, 3], [1, 2]], [[3, 3], [0, -100]]], "int32"))),
  ],
  errors: () => [
    errorSample("target out of range", () => nllLoss(zeros([2, 3]), [0, 3]),
      "nllLoss: targets must be class indices in [0, 3) or ignoreIndex -100, but targets has 3 at [1]"),
    errorSample("negative target that is not ignoreIndex", () => nllLoss(zeros([2, 3, 2]), int32([[0, 1], [-1, 2]]), { ignoreIndex: 1 }),
      "nllLoss: targets must be class indices in [0, 3) or ignoreIndex 1, but targets has -1 at [1, 0]"),
    errorSample("targets without the extra axes", () => nllLoss(zeros([2, 3, 4]), int32([0, 1])),
      "nllLoss: targets must have the shape of logits without its class axis 1, but logits has shape [2, 3, 4] and targets has shape [2]"),
    errorSample("an array for [N, C, d]", () => nllLoss(zeros([2, 3, 4]), [0, 1]),
      "nllLoss: targets of logits of rank 3 must be an int32 Tensor of shape [2, 4], but got an array"),
    errorSample("ignoreIndex 0.5", () => nllLoss(zeros([2, 3]), [0, 1], { ignoreIndex: 0.5 }), "nllLoss: ignoreIndex must be an integer, but got 0.5"),
    errorSample("unknown reduction", () => nllLoss(zeros([2, 3]), [0, 1], { reduction: "batchmean" as "mean" }),
      'nllLoss: reduction must be "mean", "sum" or "none", but got the string "batchmean"'),
  ],
};

export const crossEntropySpec: OpSpec = {
  name: "crossEntropy",
  fn: crossEntropy,
  samples: (rng) => [
    sample("[4, 3], targets number[]", [uniformArg(rng, [4, 3], -2, 2)], (x) => crossEntropy(x, [0, 2, 1, 2])),
    sample("int32 targets", [uniformArg(rng, [2, 5], -2, 2)], (x) => crossEntropy(x, fixed([4, 0], "int32"))),
    sample("label smoothing 0.2, one target ignored", [uniformArg(rng, [4, 3], -2, 2)], (x) => crossEntropy(x, int32([0, -100, 2, 2]), { labelSmoothing: 0.2 })),
    sample("sum over [2, 3, 4], ignoreIndex 1, smoothing 0.1", [uniformArg(rng, [2, 3, 4], -2, 2)],
      (x) => crossEntropy(x, int32([[0, 1, 2, 2], [1, 0, 0, 2]]), { reduction: "sum", ignoreIndex: 1, labelSmoothing: 0.1 })),
    sample("none over [2, 3, 2, 2]", [uniformArg(rng, [2, 3, 2, 2], -2, 2)],
      (x) => crossEntropy(x, fixed([[[0, 1], [2, 2]], [[1, 0], [-100, 2]]], "int32"), { reduction: "none", labelSmoothing: 0.3 })),
    sample("logits ±1e3", [uniformArg(rng, [3, 4], -2, 2)], (x) => crossEntropy(mul(x, 500), [1, 3, 0], { labelSmoothing: 0.1 })),
  ],
  errors: () => [
    errorSample("target out of range", () => crossEntropy(zeros([2, 3]), [0, 3]),
      "crossEntropy: targets must be class indices in [0, 3) or ignoreIndex -100, but targets has 3 at [1]"),
    errorSample("target out of range in [N, C, d]", () => crossEntropy(zeros([2, 3, 2]), int32([[0, 1], [2, 5]])),
      "crossEntropy: targets must be class indices in [0, 3) or ignoreIndex -100, but targets has 5 at [1, 1]"),
    errorSample("wrong number of targets", () => crossEntropy(zeros([2, 3]), [0]),
      "crossEntropy: there must be one target per row of logits, but logits has shape [2, 3] and targets has shape [1]"),
    errorSample("targets of another shape", () => crossEntropy(zeros([2, 3, 4]), int32([[0, 1, 2], [0, 1, 2]])),
      "crossEntropy: targets must have the shape of logits without its class axis 1, but logits has shape [2, 3, 4] and targets has shape [2, 3]"),
    errorSample("logits of rank 1", () => crossEntropy(zeros([3]), [0]),
      "crossEntropy: logits must have shape [N, C] or [N, C, d…] (the class axis is 1), but logits has shape [3]"),
    errorSample("label smoothing 1.5", () => crossEntropy(zeros([2, 3]), [0, 1], { labelSmoothing: 1.5 }),
      "crossEntropy: labelSmoothing must be a number in [0, 1], but got 1.5"),
    errorSample("float targets", () => crossEntropy(zeros([2, 3]), tensor([0, 1])),
      "crossEntropy: targets must be an int32 tensor or an array of integers, but targets has dtype float64"),
  ],
};
