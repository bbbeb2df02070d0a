// Losses, as PyTorch defines them, built from the primitives: they have no vjp of their own.
import type { OpSpec } from "../core/index.js";
import { mseLossSpec } from "./losses.js";
import { crossEntropySpec, nllLossSpec } from "./classification.js";
import { binaryCrossEntropyWithLogitsSpec } from "./binaryCrossEntropy.js";

export { mseLoss } from "./losses.js";
export { crossEntropy, nllLoss } from "./classification.js";
export type { CrossEntropyOptions, NllLossOptions } from "./classification.js";
export { binaryCrossEntropyWithLogits } from "./binaryCrossEntropy.js";
export type { BinaryCrossEntropyOptions } from "./binaryCrossEntropy.js";
export type { Reduction } from "./reduction.js";

/** The losses' entries in the registry. */
export const specs: OpSpec[] = [mseLossSpec, crossEntropySpec, nllLossSpec, binaryCrossEntropyWithLogitsSpec];

/** Every loss is differentiable. */
export const notDifferentiable: string[] = [];
