// The Gumbel family: noise, exact samples, relaxed samples, the Concrete density, the score-function
// surrogate and the temperature schedule. (The distributions built on them are in distributions/.)
import type { OpSpec } from "../core/index.js";
import { gumbelSoftmaxSpec } from "./gumbelSoftmax.js";
import { concreteLogProbSpec } from "./concrete.js";
import { scoreFunctionSurrogateSpec } from "./scoreFunctionSurrogate.js";
import { gumbelRaoSpec } from "./gumbelRao.js";
import { reinmaxSpec } from "./reinmax.js";

export { gumbel, gumbelOf, noiseLeaf } from "./noise.js";
export type { GumbelOptions, UniformSource } from "./noise.js";
export { categorical, gumbelTopK } from "./categorical.js";
export type { SampleOptions } from "./categorical.js";
export { gumbelSoftmax } from "./gumbelSoftmax.js";
export type { GumbelSoftmaxOptions } from "./gumbelSoftmax.js";
export { gumbelRao, conditionalGumbel, truncatedGumbel } from "./gumbelRao.js";
export type { GumbelRaoOptions } from "./gumbelRao.js";
export { reinmax } from "./reinmax.js";
export type { ReinmaxOptions } from "./reinmax.js";
export { concreteLogProb } from "./concrete.js";
export { scoreFunctionSurrogate } from "./scoreFunctionSurrogate.js";
export type { ScoreFunctionOptions } from "./scoreFunctionSurrogate.js";
export { expDecayTau } from "./schedule.js";
export type { ExpDecayTauOptions } from "./schedule.js";
export { checkTau, checkTauShape } from "./tau.js";
export type { Tau } from "./tau.js";

/** The Gumbel family's entries in the registry. */
export const specs: OpSpec[] = [gumbelSoftmaxSpec, concreteLogProbSpec, scoreFunctionSurrogateSpec, gumbelRaoSpec, reinmaxSpec];

/** Its exports without a gradient: noise, sampled indices, the schedule. */
export const notDifferentiable = ["gumbel", "categorical", "gumbelTopK", "expDecayTau", "conditionalGumbel", "truncatedGumbel"];
