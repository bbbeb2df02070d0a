// The codebook's bookkeeping: the nearest code of each encoding, and the statistics that reveal collapse.
import { describeValue, GumbelgradError, noGrad, positiveInteger, show, Tensor } from "../core/index.js";
import { argminRows, recycle, withAllocationLog } from "../kernels/index.js";
import { squaredDistances } from "../ops/index.js";

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

/**
 * For each row of x: the index of the nearest centre and the squared distance to it. The matrix of
 * all distances never leaves this function, so its memory is recycled (kernels/recycling.ts).
 */
export function nearest(x: Tensor, centres: Tensor): { indices: Int32Array; distances: Float64Array } {
  const [found, made] = withAllocationLog(() => {
    const d = noGrad(() => squaredDistances(x.detach(), centres.detach()));
    const [n, k] = d.shape;
    const dv = d.values();
    const indices = new Int32Array(n);
    const distances = new Float64Array(n);
    argminRows(dv, k, indices);
    for (let i = 0; i < n; i++) distances[i] = Math.max(0, dv[i * k + indices[i]]);
    return { indices, distances };
  });
  recycle(made, new Set());
  return found;
}

/** Σ of the rows of x (flat, rows of length d) assigned to each of k codes: [k·d], flat. */
export function clusterSums(xv: ArrayLike<number>, d: number, k: number, indices: ArrayLike<number>): Float64Array {
  const sums = new Float64Array(k * d);
  for (let i = 0; i < indices.length; i++) {
    for (let j = 0; j < d; j++) sums[indices[i] * d + j] += xv[i * d + j];
  }
  return sums;
}
