// Writing new values into a parameter or buffer in place, so optimizers and modules that hold the
// tensor keep seeing it. Only for packed tensors (every parameter and buffer made in nn is packed).
import type { Tensor } from "../core/tensor.js";
import { GumbelgradError, formatShape } from "../core/errors.js";
import { isPacked, type Data } from "../kernels/layout.js";

/** The tensor's own flat data, to be written into. Throws for a view that is not packed. */
export function writableValues(op: string, t: Tensor): Data {
  if (!isPacked(t.data)) {
    throw new GumbelgradError(op, `can only update a packed tensor in place, but got a strided view of shape ${formatShape(t.shape)}`);
  }
  return t.data.data;
}

/** Copies `values` (row-major, same number of elements) into t. */
export function overwrite(op: string, t: Tensor, values: ArrayLike<number>): void {
  const out = writableValues(op, t);
  if (values.length !== out.length) {
    throw new GumbelgradError(op, `expected ${out.length} values for shape ${formatShape(t.shape)}, but got ${values.length}`);
  }
  for (let i = 0; i < out.length; i++) out[i] = values[i];
}
