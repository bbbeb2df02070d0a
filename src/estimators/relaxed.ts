// The reparameterised family: randomness enters as Gumbel noise g, and the gradient flows through
// a relaxation with temperature τ. Low variance (at moderate τ), but biased for L: none of them is
// the gradient of E[f(one_hot(c))].
import { optionsArg, positiveInteger, type Rng } from "../core/index.js";
import { checkTau, gumbelRao, gumbelSoftmax, reinmax } from "../gumbel/index.js";
import { gradientOf, type GradientEstimator } from "./estimator.js";
import type { CategoricalProblem } from "./problem.js";

/** Options for the relaxed estimators ({@link gumbelSoftmaxEstimator}, {@link straightThroughEstimator}, {@link reinMaxEstimator}). @category Estimators */
export interface RelaxedEstimatorOptions {
  /** The temperature τ. Default 1. */
  tau?: number;
}

/**
 * The Gumbel-softmax estimator ("GS"): y = softmax((θ + g)/τ), ĝ = ∇_θ f(y) at fixed g.
 * f sees the relaxed y, not a category.
 * @category Estimators
 */
export function gumbelSoftmaxEstimator(opts: RelaxedEstimatorOptions = {}): GradientEstimator {
  opts = optionsArg("gumbelSoftmaxEstimator", opts);
  const tau = checkTau("gumbelSoftmaxEstimator", opts.tau ?? 1);
  return {
    name: "GS", tau, unbiased: false,
    sample: (problem: CategoricalProblem, rng: Rng) => gradientOf(problem, (theta) => problem.f(gumbelSoftmax(theta, { tau, rng }))),
  };
}

/**
 * The straight-through Gumbel-softmax estimator ("ST-GS"): forward D = one_hot(argmax(θ + g)),
 * backward ∂f/∂D · ∂softmax((θ + g)/τ)/∂θ. f sees a real category.
 * @category Estimators
 */
export function straightThroughEstimator(opts: RelaxedEstimatorOptions = {}): GradientEstimator {
  opts = optionsArg("straightThroughEstimator", opts);
  const tau = checkTau("straightThroughEstimator", opts.tau ?? 1);
  return {
    name: "ST-GS", tau, unbiased: false,
    sample: (problem: CategoricalProblem, rng: Rng) => gradientOf(problem, (theta) => problem.f(gumbelSoftmax(theta, { tau, rng, hard: true }))),
  };
}

/** Options for {@link gumbelRaoEstimator}. @category Estimators */
export interface GumbelRaoEstimatorOptions extends RelaxedEstimatorOptions {
  /** M, the conditional Gumbel draws averaged per estimate. Default 10. */
  samples?: number;
}

/**
 * The Gumbel-Rao estimator (Paulus et al. 2021): straight-through, Rao-Blackwellised over the
 * noise given the category, so E[ĝ] is ST's and its variance is no larger.
 * ĝ = ∂f/∂D · (1/M) Σ_m ∂softmax((θ + g_m)/τ)/∂θ, with g_m ~ Gumbel | argmax(θ + g_m) = D:
 * the gradient of f through the {@link gumbelRao} op.
 * @category Estimators
 */
export function gumbelRaoEstimator(opts: GumbelRaoEstimatorOptions = {}): GradientEstimator {
  opts = optionsArg("gumbelRaoEstimator", opts);
  const tau = checkTau("gumbelRaoEstimator", opts.tau ?? 1);
  const samples = positiveInteger("gumbelRaoEstimator", "samples", opts.samples ?? 10);
  return {
    name: `Gumbel-Rao (M=${samples})`, tau, unbiased: false,
    sample: (problem: CategoricalProblem, rng: Rng) => gradientOf(problem, (theta) => problem.f(gumbelRao(theta, { tau, samples, rng }))),
  };
}

/**
 * The ReinMax estimator (Liu et al. 2023, Algorithm 2: Heun's method, second order). D ~ π0 =
 * softmax(θ); π1 = (D + softmax(θ/τ))/2; forward D, backward ∂f/∂D · ∂(2·π1 − π0/2)/∂θ, where
 * ∂π1/∂θ is the softmax Jacobian at π1: the gradient of f through the {@link reinmax} op.
 * @category Estimators
 */
export function reinMaxEstimator(opts: RelaxedEstimatorOptions = {}): GradientEstimator {
  opts = optionsArg("reinMaxEstimator", opts);
  const tau = checkTau("reinMaxEstimator", opts.tau ?? 1);
  return {
    name: "ReinMax", tau, unbiased: false,
    sample: (problem: CategoricalProblem, rng: Rng) => gradientOf(problem, (theta) => problem.f(reinmax(theta, { tau, rng }))),
  };
}
