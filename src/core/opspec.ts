// What every differentiable function brings to the registry: sample inputs for the gradient
// check, and sample misuses that must throw, kept next to the function they describe; and the
// small builders those samples are made with.
import { Tensor, wrap, full, tensor } from "./tensor.js";
import { formatShape } from "./errors.js";
import { sizeOf } from "../kernels/index.js";
import type { Rng } from "./random.js";

/** One set of inputs on which the gradient checker compares a function's vjp with finite differences. @category Gradient checking */
export interface Sample {
  /** A few words that say what the sample covers: "broadcast [3, 1] with [1, 4]". */
  label: string;
  /** The inputs; the ones with requiresGrad are perturbed by the checker. */
  inputs: Tensor[];
  /** Calls the function under test on the inputs, with this sample's other arguments fixed. */
  run: (...inputs: Tensor[]) => Tensor;
  /** False where the second derivative does not exist at these inputs. Default true. */
  secondOrder?: boolean;
  /** A finite-difference step other than the checker's default, with the reason next to the sample. */
  eps?: number;
  /** False where the sample fixes a dtype itself, so it cannot be rerun in float32. Default true. */
  float32?: boolean;
}

/** One misuse of a function, and the exact message it must throw. @category Gradient checking */
export interface ErrorSample {
  /** A few words that say what the misuse is: "shapes that do not broadcast". */
  label: string;
  /** Makes the call that must throw. */
  run: () => unknown;
  /** The exact message the error must carry. */
  message: string;
}

/** A differentiable function's entry in the {@link registry}: its samples and error samples. @category Gradient checking */
export interface OpSpec {
  /** The exported name of the function. */
  name: string;
  /** The function itself, so the meta-test can match it against the package's exports. */
  fn: Function;
  /** Builds the sample inputs for the gradient check, drawing any random values from `rng`. */
  samples: (rng: Rng) => Sample[];
  /** Builds the misuses that must throw, each with its exact message. */
  errors: () => ErrorSample[];
  /** False when no sample of this function has a second derivative to check. Default true. */
  secondOrder?: boolean;
}

// ---- builders for samples and error samples ---------------------------------------------------

/** Uniform values in [low, high] that require grad: the input the checker perturbs. */
export function uniformArg(rng: Rng, shape: number[], low = -1, high = 1, requiresGrad = true): Tensor {
  const n = sizeOf(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = low + (high - low) * rng.uniform();
  const t = wrap(data, shape);
  t.requiresGrad = requiresGrad;
  return t;
}

/** A learnable input filled with one value (a temperature, say), which the checker perturbs. */
export function fullArg(value: number, shape: number[] = []): Tensor {
  return full(shape, value, { requiresGrad: true });
}

/** Values that stay at least `gap` away from `kink` (for abs, relu, max …). */
export function awayFrom(rng: Rng, shape: number[], kink = 0, gap = 0.1): Tensor {
  const t = uniformArg(rng, shape, gap, 1);
  const signs = uniformArg(rng, shape, -1, 1, false).values();
  const v = t.values();
  for (let i = 0; i < v.length; i++) v[i] = kink + (signs[i] < 0 ? -v[i] : v[i]);
  return t;
}

/** A fixed input (no grad), e.g. indices or a mask. */
export function fixed(values: Parameters<typeof tensor>[0], dtype?: "float64" | "int32"): Tensor {
  return tensor(values, { dtype });
}

export function sample(label: string, inputs: Tensor[], run: (...xs: Tensor[]) => Tensor, secondOrder = true): Sample {
  return { label, inputs, run, secondOrder };
}

export function errorSample(label: string, run: () => unknown, message: string): ErrorSample {
  return { label, run, message };
}

/** The message of a broadcast failure between two operands. */
export function broadcastMessage(op: string, a: number[], b: number[]): string {
  return `${op}: shapes must broadcast (NumPy rules), but a has shape ${formatShape(a)} and b has shape ${formatShape(b)}`;
}
