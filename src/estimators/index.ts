// The gradient-estimator laboratory: problems with an exact gradient, estimators, and their comparison.
import type { OpSpec } from "../core/index.js";
import { exactObjectiveSpec } from "./exact.js";

export { categoricalProblem, withLogits, MAX_OUTCOMES } from "./problem.js";
export type { CategoricalProblem, CategoricalProblemSpec } from "./problem.js";
export { exactObjective, exactGradient, exactEstimator } from "./exact.js";
export type { GradientEstimator } from "./estimator.js";
export { scoreFunctionEstimator } from "./scoreFunctionEstimator.js";
export type { Baseline, ScoreFunctionEstimatorOptions } from "./scoreFunctionEstimator.js";
export { gumbelSoftmaxEstimator, straightThroughEstimator, gumbelRaoEstimator, reinMaxEstimator } from "./relaxed.js";
export type { RelaxedEstimatorOptions, GumbelRaoEstimatorOptions } from "./relaxed.js";
export { compareEstimators, gradientSamples, summarizeSamples } from "./compare.js";
export type { EstimatorReport, CompareOptions } from "./compare.js";
export { codebookProblem, bernoulliProblem, bernoulliLogits } from "./problems.js";
export type { CodebookProblemOptions } from "./problems.js";

/** The exact objective, differentiable by enumeration, is the lab's one op. */
export const specs: OpSpec[] = [exactObjectiveSpec];

/** Problems, estimators and their statistics are not ops. */
export const notDifferentiable = [
  "categoricalProblem", "withLogits", "exactGradient", "exactEstimator", "scoreFunctionEstimator", "gumbelSoftmaxEstimator",
  "straightThroughEstimator", "gumbelRaoEstimator", "reinMaxEstimator",
  "compareEstimators", "gradientSamples", "summarizeSamples", "codebookProblem", "bernoulliProblem", "bernoulliLogits",
];
