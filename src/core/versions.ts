// Versions of storage, so that backward notices values that changed between forward and backward.
//
// A vjp reads its inputs' and output's values as they are when backward runs. If an optimizer step
// (or any other in-place write) changed them after the forward pass, the gradient would be taken at
// the new values: wrong, and silently so. As in PyTorch, every in-place write bumps a version
// counter of the storage it writes into, entries remember the versions they saw, and backward
// refuses to run a vjp whose values have moved. Tensors that share storage (x and x.detach(), a
// packed reshape) share the counter, because it is kept per typed array, not per tensor.
import type { Tensor } from "./tensor.js";
import type { Data } from "../kernels/index.js";

const versions = new WeakMap<Data, number>();
let writes = 0;

/** How many in-place writes have happened in this process: while 0, every version is 0. */
export function inPlaceWritesSoFar(): number {
  return writes;
}

/** The version of t's storage: how many in-place writes it has had. */
export function versionOf(t: Tensor): number {
  return versions.get(t.storage) ?? 0;
}

/** Call before writing into t's values in place. */
export function markModified(t: Tensor): void {
  const storage = t.storage;
  versions.set(storage, (versions.get(storage) ?? 0) + 1);
  writes++;
}
