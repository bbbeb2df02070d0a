// Finding NaN and ±∞ in named tensors, so a training loop can say which tensor went bad, and where.
import { describeValue, GumbelgradError, Tensor } from "../core/index.js";
import { unravelIndex } from "../kernels/index.js";

/** Where {@link findNonFinite} found the first NaN or ±∞. @category nn */
export interface NonFinite {
  /** The tensor's name, e.g. "encoder.0.weight" or "batch". */
  name: string;
  /** The first bad element's index, e.g. [3, 1]. */
  index: number[];
  /** The bad value itself: NaN, Infinity or −Infinity. */
  value: number;
}

/** The first NaN or ±∞ among the named tensors, or null when every value is finite. @category nn */
export function findNonFinite(named: Iterable<[string, Tensor]>): NonFinite | null {
  if (named === null || typeof (named as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== "function") {
    throw new GumbelgradError("findNonFinite", `needs an iterable of [name, tensor] pairs (module.namedParameters()), but got ${describeValue(named)}`);
  }
  for (const entry of named) {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || !(entry[1] instanceof Tensor)) {
      throw new GumbelgradError("findNonFinite", `each entry must be a [name, tensor] pair, but got ${describeValue(entry)}`);
    }
    const [name, t] = entry;
    const v = t.values();
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) return { name, index: unravelIndex(i, t.shape), value: v[i] };
    }
  }
  return null;
}
