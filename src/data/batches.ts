// Minibatches: row indices for one epoch, shuffled by a seeded Fisher–Yates, and the rows they pick.
import { checkSize, describeValue, errorSample, fixed, GumbelgradError, integerIn, MAX_ELEMENTS, optionsArg, positiveInteger, Rng, rngArg, sample, Tensor, uniformArg, wrap, type OpSpec } from "../core/index.js";
import { indexSelect, readIndices } from "../ops/index.js";

/** Options for {@link batches}. @category Data */
export interface BatchesOptions {
  /** Visit the rows in a fresh random order (from `rng`) at each call. Default true. */
  shuffle?: boolean;
  /** The generator of the orders. Default: the generator set by manualSeed. */
  rng?: Rng;
  /** Leave out the last batch when it is smaller than batchSize. Default false. */
  dropLast?: boolean;
}

/**
 * One epoch of minibatches over n rows, as the row indices of each batch: `batchSize` rows each, the
 * last one smaller unless `dropLast`. With `shuffle` (the default) the order is a Fisher–Yates
 * permutation drawn from `rng` when batches is called, so each call is a new epoch in a new order,
 * and the same seed gives the same epochs. As PyTorch's DataLoader(range(n), batch_size, shuffle, drop_last).
 *
 * ```ts
 * for (const idx of batches(x.shape[0], 64, { rng })) step(gatherRows(x, idx), gatherRows(y, idx));
 * ```
 * @param n The number of rows, an integer ≥ 0 (0 gives no batches).
 * @param batchSize Rows per batch, a positive integer; one larger than n gives one batch of n (none with dropLast).
 * @returns An iterable of Int32Array row indices, to go through once.
 * @throws GumbelgradError for an n or batchSize that is not an integer of the right range, or a bad option.
 * @category Data
 */
export function batches(n: number, batchSize: number, opts: BatchesOptions = {}): Iterable<Int32Array> {
  const op = "batches";
  integerIn(op, "n", n, 0, MAX_ELEMENTS);
  positiveInteger(op, "batchSize", batchSize);
  const o = optionsArg(op, opts);
  const shuffle = flag(op, "shuffle", o.shuffle, true);
  const dropLast = flag(op, "dropLast", o.dropLast, false);
  const rng = rngArg(op, o.rng);
  const order = shuffle ? permutation(n, rng) : Int32Array.from({ length: n }, (_, i) => i);
  return slices(order, batchSize, dropLast);
}

function flag(op: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new GumbelgradError(op, `${name} must be true or false, but got ${describeValue(value)}`);
  return value;
}

/** A uniformly random order of 0 … n−1: Fisher–Yates, swapping each position with one at or before it. */
function permutation(n: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The order cut into consecutive batches (copies), the short last one left out with dropLast. */
function* slices(order: Int32Array, batchSize: number, dropLast: boolean): Generator<Int32Array> {
  for (let start = 0; start < order.length; start += batchSize) {
    const end = Math.min(start + batchSize, order.length);
    if (dropLast && end - start < batchSize) return;
    yield order.slice(start, end);
  }
}

/**
 * The rows of x at `rows`, as a new tensor [rows.length, ...x.shape.slice(1)]: a batch of a data set,
 * from the indices {@link batches} yields. Float tensors go through {@link indexSelect} (so a
 * gradient reaches x when it requires one); int32 tensors (labels) are copied.
 * @param x A tensor with a row axis (axis 0).
 * @param rows Row indices: an Int32Array, an array of integers, or an int32 tensor of one axis.
 * @throws GumbelgradError when x has no axis, or a row index is outside [0, x.shape[0]).
 * @category Data
 */
export function gatherRows(x: Tensor, rows: Int32Array | number[] | Tensor): Tensor {
  const op = "gatherRows";
  if (!(x instanceof Tensor)) throw new GumbelgradError(op, `x must be a Tensor, but got ${describeValue(x)}`);
  if (x.ndim === 0) throw new GumbelgradError(op, "x must have a row axis, but x is a scalar (shape [])");
  const indices = rows instanceof Int32Array ? wrap(rows, [rows.length]) : rows;
  if (indices instanceof Tensor && indices.ndim !== 1) throw new GumbelgradError(op, `rows must have one axis, but rows has shape [${indices.shape.join(", ")}]`);
  const picked = readIndices(op, "rows", indices, x.shape[0], "axis 0");
  const shape = [picked.length, ...x.shape.slice(1)];
  checkSize(op, shape);
  if (x.isFloating) return indexSelect(x, 0, wrap(picked, [picked.length]));
  return copyRows(x, picked, shape);
}

/** The rows of an int32 tensor, copied. */
function copyRows(x: Tensor, rows: Int32Array, shape: number[]): Tensor {
  const values = x.values();
  const width = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Int32Array(rows.length * width);
  rows.forEach((r, i) => out.set(values.subarray(r * width, (r + 1) * width), i * width));
  return wrap(out, shape);
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const gatherRowsSpec: OpSpec = {
  name: "gatherRows",
  fn: gatherRows,
  samples: (rng) => [
    sample("rows [2, 0, 2] of x [3, 4], one twice", [uniformArg(rng, [3, 4])], (x) => gatherRows(x, Int32Array.from([2, 0, 2]))),
    sample("an array of rows of x [4, 2, 3]", [uniformArg(rng, [4, 2, 3])], (x) => gatherRows(x, [3, 1])),
    sample("no rows", [uniformArg(rng, [3, 2])], (x) => gatherRows(x, [])),
  ],
  errors: () => [
    errorSample("a row past the end", () => gatherRows(fixed([[1], [2]]), [0, 2]), "gatherRows: index 2 is out of range for axis 0 of size 2"),
    errorSample("a scalar", () => gatherRows(fixed(3), [0]), "gatherRows: x must have a row axis, but x is a scalar (shape [])"),
    errorSample("rows of two axes", () => gatherRows(fixed([[1], [2]]), fixed([[0]], "int32")), "gatherRows: rows must have one axis, but rows has shape [1, 1]"),
  ],
};
