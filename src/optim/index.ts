// Optimizers, as PyTorch's: they update parameters in place from their gradients.
export { Optimizer } from "./optimizer.js";
export { SGD } from "./sgd.js";
export type { SGDOptions } from "./sgd.js";
export { Adam } from "./adam.js";
export type { AdamOptions } from "./adam.js";

/** Optimizers write values; nothing differentiates through them. */
export const notDifferentiable = ["Optimizer", "SGD", "Adam"];
