// k-means: k-means++ seeding (Arthur & Vassilvitskii 2007) and Lloyd's algorithm. The reference
// distortion for the quantizers, and the codebook initialiser of VectorQuantizer. No gradients.
import { describeValue, GumbelgradError, integerIn, optionsArg, positiveInteger, rngArg, ShapeError, Tensor, wrap, type Rng } from "../core/index.js";
import { clusterSums, codebookStats, nearest } from "./codebook.js";

function checkData(op: string, x: Tensor, k: number): void {
  if (!(x instanceof Tensor)) throw new GumbelgradError(op, `x must be a Tensor [N, D], but got ${describeValue(x)}`);
  if (x.ndim !== 2) throw new ShapeError(op, "x must be a matrix [N, D]", { x: x.shape });
  if (!x.isFloating) throw new GumbelgradError(op, `x must be a floating tensor (float64 or float32), but has dtype ${x.dtype}`);
  positiveInteger(op, "k", k);
  if (x.shape[0] === 0) throw new ShapeError(op, "x needs at least one row", { x: x.shape });
  // k centres need k distinct rows to start from: with k ≥ N every row would be a centre and the distortion 0.
  if (k > x.shape[0]) throw new ShapeError(op, `k = ${k} centres need at least k rows`, { x: x.shape });
}


/** Copies the chosen rows of x into a fresh [rows.length, D] tensor. */
function rowsOf(x: Tensor, rows: number[]): Tensor {
  const d = x.shape[1];
  const src = x.values();
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, i) => out.set(src.subarray(r * d, (r + 1) * d), i * d));
  return wrap(out, [rows.length, d]);
}

/** Picks an index with probability proportional to weights[i] (uniformly when all are zero). */
function pickWeighted(weights: Float64Array, rng: Rng): number {
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0)) return rng.int(weights.length);
  let target = rng.uniform() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i];
    if (target < 0) return i;
  }
  return weights.length - 1;
}

/**
 * k-means++ seeding: the first centre is a uniformly chosen row; each next one is a row chosen with
 * probability ∝ D(x)², its squared distance to the nearest centre so far. Returns [k, D].
 * @category Quantizers
 */
export function kmeansPlusPlus(x: Tensor, k: number, opts: { rng?: Rng } = {}): Tensor {
  checkData("kmeansPlusPlus", x, k);
  const rng = rngArg("kmeansPlusPlus", optionsArg("kmeansPlusPlus", opts).rng);
  const [n, d] = x.shape;
  const xv = x.values();
  const rows = [rng.int(n)];
  const gap = new Float64Array(n).fill(Infinity);
  lowerGaps(xv, d, rows[0], gap);
  while (rows.length < k) rows.push(nextSeed(xv, d, gap, rng));
  return rowsOf(x, rows);
}

/**
 * One step of k-means++ on flat [n, d] rows: picks row r with probability ∝ gap[r] (its squared
 * distance to the nearest centre so far), then lowers the gaps to the new centre. Returns r.
 */
export function nextSeed(xv: ArrayLike<number>, d: number, gap: Float64Array, rng: Rng): number {
  const r = pickWeighted(gap, rng);
  lowerGaps(xv, d, r, gap);
  return r;
}

/** gap[i] = min(gap[i], ‖x_i − x_r‖²) for every row i: one centre needs no matmul. */
function lowerGaps(xv: ArrayLike<number>, d: number, r: number, gap: Float64Array): void {
  for (let i = 0; i < gap.length; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (xv[i * d + j] - xv[r * d + j]) ** 2;
    if (s < gap[i]) gap[i] = s;
  }
}

/** Options for {@link kmeans}. @category Quantizers */
export interface KMeansOptions {
  /** The generator for the k-means++ seeds. Default: the generator set by manualSeed. */
  rng?: Rng;
  /** Most Lloyd iterations per run. Default 100. */
  maxIterations?: number;
  /** Independent k-means++ starts; the lowest distortion wins (scikit-learn's n_init). Default 1. */
  restarts?: number;
}

/** What {@link kmeans} returns: the winning run's centroids and assignments. @category Quantizers */
export interface KMeansResult {
  /** The k centroids, [k, D]. */
  centroids: Tensor;
  /** The centroid of each row of x, [N]. */
  assignments: Int32Array;
  /** mean_n min_k ‖x_n − c_k‖²: the mean squared distance of a row to its centroid. */
  distortion: number;
  /** Lloyd iterations of the winning run. */
  iterations: number;
}

/** Lloyd's algorithm from k-means++ seeds: assign each row to its nearest centroid, move each centroid to its rows' mean, until no assignment changes. @category Quantizers */
export function kmeans(x: Tensor, k: number, opts: KMeansOptions = {}): KMeansResult {
  checkData("kmeans", x, k);
  opts = optionsArg("kmeans", opts);
  const rng = rngArg("kmeans", opts.rng);
  // Bounded, so that a mistyped count is an error rather than a run that never ends.
  const restarts = integerIn("kmeans", "restarts", opts.restarts ?? 1, 1, 10_000);
  integerIn("kmeans", "maxIterations", opts.maxIterations ?? 100, 1, 1_000_000);
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const run = lloyd(x, kmeansPlusPlus(x, k, { rng }), opts.maxIterations ?? 100);
    if (!best || run.distortion < best.distortion) best = run;
  }
  return best!;
}

function lloyd(x: Tensor, init: Tensor, maxIterations: number): KMeansResult {
  const [n, d] = x.shape;
  const k = init.shape[0];
  const xv = x.values();
  let centroids = init;
  let { indices, distances } = nearest(x, centroids);
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    centroids = meansOf(xv, n, d, k, indices, distances);
    const next = nearest(x, centroids);
    const changed = next.indices.some((c, i) => c !== indices[i]);
    ({ indices, distances } = next);
    if (!changed) break;
  }
  const distortion = distances.reduce((s, v) => s + v, 0) / n;
  return { centroids, assignments: indices, distortion, iterations };
}

/** Each centroid becomes the mean of its rows; an empty cluster takes the row farthest from its centroid. */
function meansOf(xv: ArrayLike<number>, n: number, d: number, k: number, indices: Int32Array, distances: Float64Array): Tensor {
  const sums = clusterSums(xv, d, k, indices);
  const counts = codebookStats(indices, k).counts;
  let far: number[] | null = null; // rows by distance to their centroid, farthest first; sorted only when needed
  let nextFar = 0;
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) {
      for (let j = 0; j < d; j++) sums[c * d + j] /= counts[c];
    } else {
      far ??= Array.from(distances.keys()).sort((a, b) => distances[b] - distances[a]);
      const row = far[nextFar++ % n];
      for (let j = 0; j < d; j++) sums[c * d + j] = xv[row * d + j];
    }
  }
  return wrap(sums, [k, d]);
}
