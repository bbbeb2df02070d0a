// The example's data sets: a seeded mixture of Gaussians with known centres, and the UCI digits.
import { Rng, Tensor, div, fromData } from "../../src/index.js";
import { loadDigits as loadShippedDigits } from "../../src/node/index.js";

export interface DataSet {
  name: string;
  /** Rows are examples: [N, D]. */
  x: Tensor;
  /** The generating centres, when known: [C, D]. */
  centres: Tensor | null;
  /** Class labels when the data set has them (digits), else the generating component. */
  labels: Int32Array;
  /** For image data: height and width of one example. */
  image: { height: number; width: number } | null;
}

export interface MixtureOptions {
  rng: Rng;
  count?: number;
  dim?: number;
  components?: number;
  /** Standard deviation of the centres' coordinates. */
  spread?: number;
  /** Standard deviation of the noise around a centre, per coordinate. */
  noise?: number;
}

/**
 * x = c_j + σ·ε with j uniform over the components, c_j ~ N(0, spread²·I), ε ~ N(0, I).
 * The best a K-code quantizer can do with K = components is about D·σ² per point.
 */
export function gaussianMixture(opts: MixtureOptions): DataSet {
  const { rng, count = 8192, dim = 16, components = 32, spread = 1, noise = 0.5 } = opts;
  const centres = new Float64Array(components * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = spread * rng.normal();
  const x = new Float64Array(count * dim);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const j = rng.int(components);
    labels[n] = j;
    for (let d = 0; d < dim; d++) x[n * dim + d] = centres[j * dim + d] + noise * rng.normal();
  }
  return { name: "gaussians", x: fromData(x, [count, dim]), centres: fromData(centres, [components, dim]), labels, image: null };
}

/** Rows of the shipped digits, known without reading them, so the flags can be checked before any work. */
export const DIGITS_COUNT = 1797;

/**
 * The UCI optical handwritten digits that ship with gumbelgrad (loadDigits from gumbelgrad/node):
 * 1,797 images of 8×8 pixels in 0..16, scaled here to [0, 1].
 */
export function loadDigits(): DataSet {
  const { images, labels } = loadShippedDigits();
  return { name: "digits", x: div(images, 16), centres: null, labels: Int32Array.from(labels.values()), image: { height: 8, width: 8 } };
}

/** Rows of x picked by index, as a fresh tensor. */
export function rows(x: Tensor, indices: ArrayLike<number>): Tensor {
  return x.indexSelect(0, Array.from(indices));
}

/** A random permutation of 0..n−1 (Fisher–Yates). */
export function shuffled(n: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
