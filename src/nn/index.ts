export { Module } from "./module.js";
export { Linear, MLP } from "./linear.js";
export type { LinearOptions, MLPOptions, Activation } from "./linear.js";
export { stateDict, loadStateDict } from "./state.js";
export type { StateDict, SavedTensor } from "./state.js";
export { findNonFinite } from "./health.js";
export type { NonFinite } from "./health.js";
