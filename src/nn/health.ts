// Finding NaN and ±∞ in named tensors, so a training loop can say which tensor went bad, and where.
import type { Tensor } from "../core/tensor.js";
import { unravelIndex } from "../kernels/layout.js";

export interface NonFinite {
  /** The tensor's name, e.g. "encoder.0.weight" or "batch". */
  name: string;
  /** The first bad element's index, e.g. [3, 1]. */
  index: number[];
  value: number;
}

/** The first NaN or ±∞ among the named tensors, or null when every value is finite. */
export function findNonFinite(named: Iterable<[string, Tensor]>): NonFinite | null {
  for (const [name, t] of named) {
    const v = t.values();
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) return { name, index: unravelIndex(i, t.shape), value: v[i] };
    }
  }
  return null;
}
