// Squared distances from encodings to codes, and the statistics that reveal codebook collapse.
import { checkSize, describeValue, positiveInteger, show } from "../core/checks.js";
import { Tensor } from "../core/tensor.js";
import { GumbelgradError, ShapeError } from "../core/errors.js";
import type { OpSpec } from "../core/opspec.js";
import { floatArg } from "../ops/common.js";
import { pairwiseSquaredDistances } from "../ops/matmul.js";
import { errorSample, sample, uniformArg } from "../ops/samples.js";
import { zeros } from "../core/tensor.js";

/**
 * d[n, k] = ‖z_n − e_k‖² = ‖z_n‖² − 2·z_n·e_k + ‖e_k‖², all pairs at once with one matmul
 * (no loop over pairs), as one fused primitive (src/ops/matmul.ts). z: [N, D], e: [K, D] → [N, K].
 * Rounding can leave tiny negative values.
 * @category Quantizers
 */
export function squaredDistances(z: Tensor, e: Tensor): Tensor {
  const tz = floatArg("squaredDistances", "z", z);
  const te = floatArg("squaredDistances", "e", e);
  if (tz.ndim !== 2 || te.ndim !== 2 || tz.shape[1] !== te.shape[1]) {
    throw new ShapeError("squaredDistances", "z must be [N, D] and e must be [K, D] with the same D", { z: tz.shape, e: te.shape });
  }
  checkSize("squaredDistances", [tz.shape[0], te.shape[0]]);
  return pairwiseSquaredDistances(tz, te);
}

/** What {@link codebookStats} returns: how a batch used the codebook. @category Quantizers */
export interface CodebookStats {
  /** How many encodings chose each code. */
  counts: Int32Array;
  /** Fraction of codes chosen at least once. */
  usage: number;
  /** exp(−Σ p_k log p_k) with p_k = counts_k / N: from 1 (one code) to K (all codes equally). */
  perplexity: number;
}

/** Usage and perplexity of a set of code choices. @category Quantizers */
export function codebookStats(indices: ArrayLike<number>, numCodes: number): CodebookStats {
  const op = "codebookStats";
  positiveInteger(op, "numCodes", numCodes);
  if (indices === null || typeof indices !== "object" || typeof indices.length !== "number") {
    throw new GumbelgradError(op, `indices must be an array of code indices, but got ${describeValue(indices)}`);
  }
  const counts = new Int32Array(numCodes);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= numCodes) throw new GumbelgradError(op, `index ${show(k)} at position ${i} is out of range for ${numCodes} codes`);
    counts[k]++;
  }
  let used = 0;
  let entropy = 0;
  for (const c of counts) {
    if (c === 0) continue;
    used++;
    const p = c / indices.length;
    entropy -= p * Math.log(p);
  }
  return { counts, usage: used / numCodes, perplexity: Math.exp(entropy) };
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const squaredDistancesSpec: OpSpec = {
  name: "squaredDistances",
  fn: squaredDistances,
  samples: (rng) => [
    sample("z [4, 3] to codes [5, 3]", [uniformArg(rng, [4, 3]), uniformArg(rng, [5, 3])], squaredDistances),
    sample("one code [1, 2]", [uniformArg(rng, [3, 2]), uniformArg(rng, [1, 2])], squaredDistances),
  ],
  errors: () => [
    errorSample("different D", () => squaredDistances(zeros([4, 3]), zeros([5, 2])), "squaredDistances: z must be [N, D] and e must be [K, D] with the same D, but z has shape [4, 3] and e has shape [5, 2]"),
  ],
};
