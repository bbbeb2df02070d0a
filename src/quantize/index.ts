export { squaredDistances, codebookStats } from "./distances.js";
export type { CodebookStats } from "./distances.js";
export { kmeans, kmeansPlusPlus } from "./kmeans.js";
export type { KMeansOptions, KMeansResult } from "./kmeans.js";
export { VectorQuantizer } from "./vector-quantizer.js";
export type { VectorQuantizerOptions, QuantizerOutput } from "./vector-quantizer.js";
export { GumbelQuantizer } from "./gumbel-quantizer.js";
export type { GumbelQuantizerOptions, GumbelQuantizerOutput } from "./gumbel-quantizer.js";
