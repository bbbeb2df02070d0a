// The Gumbel family: noise, exact samples, relaxed samples, straight-through, and their densities.
export { gumbel } from "./noise.js";
export type { GumbelOptions, UniformSource } from "./noise.js";
export { categorical, gumbelTopK } from "./categorical.js";
export type { SampleOptions } from "./categorical.js";
export { gumbelSoftmax } from "./gumbelSoftmax.js";
export type { GumbelSoftmaxOptions } from "./gumbelSoftmax.js";
export { RelaxedOneHotCategorical, concreteLogProb } from "./concrete.js";
export { scoreFunctionSurrogate } from "./scoreFunction.js";
export type { ScoreFunctionOptions } from "./scoreFunction.js";
export { expDecayTau } from "./schedule.js";
export type { ExpDecayTauOptions } from "./schedule.js";
export type { Tau } from "./tau.js";
