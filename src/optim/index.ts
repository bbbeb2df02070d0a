// Optimizers, as PyTorch's: they update parameters in place from their gradients; the learning-rate
// schedules that set their rate; gradient clipping.
export { Optimizer } from "./optimizer.js";
export type { OptimizerState, ParamState } from "./optimizer.js";
export type { SavedNumber } from "./state.js";
export { SGD } from "./sgd.js";
export type { SGDOptions } from "./sgd.js";
export { Adam, AdamW } from "./adam.js";
export type { AdamOptions } from "./adam.js";
export { clipGradNorm } from "./clip.js";
export { LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR, LinearLR } from "./schedulers.js";
export type { SchedulerState, StepLROptions, ExponentialLROptions, CosineAnnealingLROptions, LinearLROptions } from "./schedulers.js";

/** Optimizers, schedules and clipping write values; nothing differentiates through them. */
export const notDifferentiable = [
  "Optimizer", "SGD", "Adam", "AdamW", "clipGradNorm", "LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR",
];
