// The gradient-estimator laboratory: problems with an exact gradient, estimators, and their comparison.
export { categoricalProblem, withLogits, MAX_OUTCOMES } from "./problem.js";
export type { CategoricalProblem, CategoricalProblemSpec } from "./problem.js";
export { exactObjective, exactGradient, exactEstimator } from "./exact.js";
export type { GradientEstimator } from "./estimator.js";
export { scoreFunctionEstimator } from "./scoreFunction.js";
export type { Baseline, ScoreFunctionEstimatorOptions } from "./scoreFunction.js";
export { gumbelSoftmaxEstimator, straightThroughEstimator, gumbelRaoEstimator, reinMaxEstimator } from "./relaxed.js";
export type { RelaxedEstimatorOptions, GumbelRaoOptions } from "./relaxed.js";
export { conditionalGumbel, truncatedGumbel } from "./conditionalGumbel.js";
export { compareEstimators, gradientSamples, summarizeSamples } from "./compare.js";
export type { EstimatorReport, CompareOptions } from "./compare.js";
export { codebookProblem, bernoulliProblem, bernoulliLogits } from "./problems.js";
export type { CodebookProblemOptions } from "./problems.js";
