// Distributions over discrete latents and their relaxations, as torch.distributions: each class in its
// own file, on the base in distribution.ts; klDivergence for the pairs PyTorch has.
import type { OpSpec } from "../core/index.js";
import { categoricalSpec } from "./categorical.js";
import { oneHotCategoricalSpec } from "./oneHotCategorical.js";
import { oneHotCategoricalStraightThroughSpec } from "./oneHotCategoricalStraightThrough.js";
import { relaxedOneHotCategoricalSpec } from "./relaxedOneHotCategorical.js";
import { expRelaxedCategoricalSpec } from "./expRelaxedCategorical.js";
import { bernoulliSpec } from "./bernoulli.js";
import { relaxedBernoulliSpec } from "./relaxedBernoulli.js";
import { klDivergenceSpec } from "./kl.js";

export { Distribution } from "./distribution.js";
export type { DistributionOptions, DrawOptions } from "./distribution.js";
export { Categorical } from "./categorical.js";
export { OneHotCategorical } from "./oneHotCategorical.js";
export { OneHotCategoricalStraightThrough } from "./oneHotCategoricalStraightThrough.js";
export { RelaxedOneHotCategorical } from "./relaxedOneHotCategorical.js";
export { ExpRelaxedCategorical } from "./expRelaxedCategorical.js";
export { Bernoulli } from "./bernoulli.js";
export { RelaxedBernoulli } from "./relaxedBernoulli.js";
export { klDivergence } from "./kl.js";

/** The distributions' entries in the registry: each class checked through its differentiable members, and klDivergence. */
export const specs: OpSpec[] = [
  categoricalSpec, oneHotCategoricalSpec, oneHotCategoricalStraightThroughSpec, relaxedOneHotCategoricalSpec,
  expRelaxedCategoricalSpec, bernoulliSpec, relaxedBernoulliSpec, klDivergenceSpec,
];

/** The abstract base has no members of its own to differentiate. */
export const notDifferentiable = ["Distribution"];
