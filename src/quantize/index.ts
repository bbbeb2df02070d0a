// Quantizers: a codebook lookup by nearest code (VectorQuantizer) or by a Gumbel sample over codes
// (GumbelQuantizer), both meeting the Quantizer interface; the codebook's statistics; k-means, the
// classical answer to the same question.
import type { OpSpec } from "../core/index.js";
import { vectorQuantizerSpec } from "./vectorQuantizer.js";
import { gumbelQuantizerSpec } from "./gumbelQuantizer.js";

export type { Quantizer, QuantizedOutput } from "./quantizer.js";
export { codebookStats, nearest, clusterSums } from "./codebook.js";
export type { CodebookStats } from "./codebook.js";
export { kmeans, kmeansPlusPlus, nextSeed } from "./kmeans.js";
export type { KMeansOptions, KMeansResult } from "./kmeans.js";
export { VectorQuantizer } from "./vectorQuantizer.js";
export type { VectorQuantizerOptions, QuantizerOutput } from "./vectorQuantizer.js";
export { GumbelQuantizer } from "./gumbelQuantizer.js";
export type { GumbelQuantizerOptions, GumbelQuantizerOutput } from "./gumbelQuantizer.js";

/** The quantizers' entries in the registry: their losses and outputs, gradient-checked in evaluation mode or from a fixed seed. */
export const specs: OpSpec[] = [vectorQuantizerSpec, gumbelQuantizerSpec];

/** The statistics and k-means carry no gradient. */
export const notDifferentiable = ["codebookStats", "kmeans", "kmeansPlusPlus"];
