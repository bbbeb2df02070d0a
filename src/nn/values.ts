// Writing new values into a parameter or buffer in place, so optimizers and modules that hold the
// tensor keep seeing it. Only for packed tensors (every parameter and buffer made in nn is packed).
import type { Tensor } from "../core/tensor.js";
import { GumbelgradError, formatShape } from "../core/errors.js";
import { isPacked, type Data } from "../kernels/layout.js";
import { markModified } from "../core/versions.js";

/**
 * Throws unless t can be updated in place, and touches nothing. A load checks every target with
 * this before it writes into the first, so a bad target never leaves a half-loaded module.
 */
export function checkWritable(op: string, t: Tensor): void {
  if (!isPacked(t.data)) {
    throw new GumbelgradError(op, `can only update a packed tensor in place, but got a strided view of shape ${formatShape(t.shape)}`);
  }
}

/**
 * The tensor's own flat data, to be written into. Throws for a view that is not packed. Bumps the
 * storage's version, so a backward through a graph that used the old values refuses to run.
 */
export function writableValues(op: string, t: Tensor): Data {
  checkWritable(op, t);
  markModified(t);
  return t.data.data;
}

/** Copies `values` (row-major, same number of elements) into t, converting them to t's dtype. */
export function overwrite(op: string, t: Tensor, values: ArrayLike<number>): void {
  const out = writableValues(op, t);
  if (values.length !== out.length) {
    throw new GumbelgradError(op, `expected ${out.length} values for shape ${formatShape(t.shape)}, but got ${values.length}`);
  }
  out.set(values);
}
