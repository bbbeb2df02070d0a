// The UCI optical handwritten digits that ship with the package (data/digits.csv.gz), as tensors.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { describeValue, GumbelgradError, optionsArg, wrap, type FloatDType, type Tensor } from "../core/index.js";
import { allocate } from "../kernels/index.js";

/** The digits as tensors: what {@link loadDigits} returns. */
export interface Digits {
  /** 1797 × 64: one 8×8 image per row, in row-major order, each pixel a count in 0..16. */
  images: Tensor;
  /** 1797 int32 labels: the digit each image shows, 0..9. */
  labels: Tensor;
}

/** Options for {@link loadDigits}. */
export interface DigitsOptions {
  /** The dtype of the images: "float64" (default) or "float32". */
  dtype?: FloatDType;
}

/**
 * The file, found from this module's own place: src/node/ and dist/node/ both sit two folders below
 * the package's root, so the path holds in the repository and in an installed package alike.
 */
const DIGITS_FILE = fileURLToPath(new URL("../../data/digits.csv.gz", import.meta.url));

/**
 * The UCI optical handwritten digits (Alpaydin & Kaynak 1998; scikit-learn's copy, CC BY 4.0),
 * shipped with the package: 1,797 images of 8×8 pixels with values 0..16, and their labels. Divide
 * by 16 for pixels in [0, 1]. Reads data/digits.csv.gz from the installed package.
 * @throws GumbelgradError when the file is missing or a line does not hold 64 pixels and a label.
 */
export function loadDigits(opts: DigitsOptions = {}): Digits {
  const op = "loadDigits";
  const dtype = optionsArg(op, opts).dtype ?? "float64";
  if (dtype !== "float64" && dtype !== "float32") throw new GumbelgradError(op, `dtype must be "float64" or "float32", but got ${describeValue(dtype)}`);
  const lines = readLines(op, DIGITS_FILE);
  const images = allocate(dtype, lines.length * 64);
  const labels = new Int32Array(lines.length);
  lines.forEach((line, n) => {
    const cells = line.split(",").map(Number);
    if (cells.length !== 65 || cells.some((v) => !Number.isInteger(v))) {
      throw new GumbelgradError(op, `${DIGITS_FILE}: line ${n + 1} must hold 64 pixels and a label, all integers`);
    }
    images.set(cells.slice(0, 64), n * 64);
    labels[n] = cells[64];
  });
  return { images: wrap(images, [lines.length, 64]), labels: wrap(labels, [lines.length]) };
}

/** The file's lines, unzipped; an error naming the path when it cannot be read. */
function readLines(op: string, path: string): string[] {
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString("utf8");
  } catch (err) {
    throw new GumbelgradError(op, `${path} must be the shipped digits (gzipped CSV), but reading it failed (${(err as Error).message})`);
  }
  return text.trim().split("\n");
}
