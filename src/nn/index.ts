// nn: modules (a named tree of parameters, buffers and child modules, as PyTorch's), layers, and
// their state as plain data.
import type { OpSpec } from "../core/index.js";
import { linearSpec, mlpSpec } from "./linear.js";

export { Module } from "./module.js";
export { Linear, MLP } from "./linear.js";
export type { LinearOptions, MLPOptions, Activation } from "./linear.js";
export { stateDict, loadStateDict, namedTensors, checkSameNames, checkFits } from "./state.js";
export type { StateDict, SavedTensor } from "./state.js";
export { findNonFinite } from "./health.js";
export type { NonFinite } from "./health.js";

/** The layers' entries in the registry: their forward passes, gradient-checked in their input. */
export const specs: OpSpec[] = [linearSpec, mlpSpec];

/** The module base, state dicts and the health check carry no gradient. */
export const notDifferentiable = ["Module", "stateDict", "loadStateDict", "findNonFinite"];
