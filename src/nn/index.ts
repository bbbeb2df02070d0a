// nn: modules (a named tree of parameters, buffers and child modules, as PyTorch's), layers, and
// their state as plain data.
import type { OpSpec } from "../core/index.js";
import { linearSpec } from "./linear.js";
import { mlpSpec, sequentialSpec } from "./sequential.js";
import { reluModuleSpec, sigmoidModuleSpec, tanhModuleSpec } from "./activations.js";
import { embeddingSpec } from "./embedding.js";
import { layerNormSpec } from "./layerNorm.js";
import { dropoutSpec } from "./dropout.js";

export { Module } from "./module.js";
export { Linear } from "./linear.js";
export type { LinearOptions } from "./linear.js";
export { Sequential, MLP } from "./sequential.js";
export type { Layer, MLPOptions, Activation } from "./sequential.js";
export { ReLU, Tanh, Sigmoid } from "./activations.js";
export { Embedding } from "./embedding.js";
export type { EmbeddingOptions } from "./embedding.js";
export { LayerNorm } from "./layerNorm.js";
export type { LayerNormOptions } from "./layerNorm.js";
export { Dropout } from "./dropout.js";
export type { DropoutOptions } from "./dropout.js";
export { stateDict, loadStateDict, namedTensors, checkSameNames, checkFits } from "./state.js";
export type { StateDict, SavedTensor } from "./state.js";
export { findNonFinite } from "./health.js";
export type { NonFinite } from "./health.js";

/** The layers' entries in the registry: their forward passes, gradient-checked in their inputs. */
export const specs: OpSpec[] = [
  linearSpec, sequentialSpec, mlpSpec, reluModuleSpec, tanhModuleSpec, sigmoidModuleSpec, embeddingSpec, layerNormSpec, dropoutSpec,
];

/** The module base, state dicts and the health check carry no gradient. */
export const notDifferentiable = ["Module", "stateDict", "loadStateDict", "findNonFinite"];
