// Losses, as PyTorch defines them, built from the primitives: they have no vjp of their own.
import type { OpSpec } from "../core/index.js";
import { crossEntropySpec, mseLossSpec } from "./losses.js";

export { mseLoss, crossEntropy } from "./losses.js";

/** The losses' entries in the registry. */
export const specs: OpSpec[] = [mseLossSpec, crossEntropySpec];

/** Every loss is differentiable. */
export const notDifferentiable: string[] = [];
