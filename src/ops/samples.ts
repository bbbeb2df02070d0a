// Small builders for the gradient-check samples and error samples that sit beside each op.
import type { Rng } from "../core/random.js";
import { Tensor, wrap, full, tensor } from "../core/tensor.js";
import type { ErrorSample, Sample } from "../core/opspec.js";
import { formatShape } from "../core/errors.js";
import { sizeOf } from "../kernels/layout.js";

/** Uniform values in [low, high] that require grad: the input the checker perturbs. */
export function uniformArg(rng: Rng, shape: number[], low = -1, high = 1, requiresGrad = true): Tensor {
  const n = sizeOf(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = low + (high - low) * rng.uniform();
  const t = wrap(data, shape);
  t.requiresGrad = requiresGrad;
  return t;
}

/** Values that stay at least `gap` away from `kink` (for abs, relu, max …). */
/** A learnable input filled with one value (a temperature, say), which the checker perturbs. */
export function fullArg(value: number, shape: number[] = []): Tensor {
  return full(shape, value, { requiresGrad: true });
}

export function awayFrom(rng: Rng, shape: number[], kink = 0, gap = 0.1): Tensor {
  const t = uniformArg(rng, shape, gap, 1);
  const signs = uniformArg(rng, shape, -1, 1, false).values();
  const v = t.values();
  for (let i = 0; i < v.length; i++) v[i] = kink + (signs[i] < 0 ? -v[i] : v[i]);
  return t;
}

/** A constant input (no grad), e.g. indices or a mask. */
export function constant(values: Parameters<typeof tensor>[0], dtype?: "float64" | "int32"): Tensor {
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
