// How a loss of one value per element (or per target) becomes what the caller asked for, as PyTorch's
// `reduction`: "none" keeps them, "sum" adds them, "mean" divides the sum by how many count.
import { describeValue, GumbelgradError, type Tensor } from "../core/index.js";
import { div, sum } from "../ops/index.js";

/** PyTorch's `reduction` of a loss: the per-element losses ("none"), their sum, or their mean. @category Losses */
export type Reduction = "mean" | "sum" | "none";

/** A `reduction` option: "mean" when left out; anything else but "sum" or "none" is an error naming the op. */
export function reductionArg(op: string, reduction: unknown): Reduction {
  if (reduction === undefined) return "mean";
  if (reduction === "mean" || reduction === "sum" || reduction === "none") return reduction;
  throw new GumbelgradError(op, `reduction must be "mean", "sum" or "none", but got ${describeValue(reduction)}`);
}

/** The losses reduced: kept, summed, or summed and divided by `count` (the non-ignored targets; 0 of them gives 0/0 = NaN, as PyTorch). */
export function reduce(losses: Tensor, reduction: Reduction, count: number): Tensor {
  if (reduction === "none") return losses;
  const total = sum(losses);
  return reduction === "sum" ? total : div(total, count);
}
