// The reparameterised family: randomness enters as Gumbel noise g, and the gradient flows through
// a relaxation with temperature τ. Low variance (at moderate τ), but biased for L: none of them is
// the gradient of E[f(one_hot(c))].
import { noGrad, optionsArg, positiveInteger, wrap, type Rng, type Tensor } from "../core/index.js";
import { add, broadcastTo, div, logSoftmax, mean, mul, softmax, stopGradient, straightThrough, sub } from "../ops/index.js";
import { checkTau, gumbelSoftmax } from "../gumbel/index.js";
import { conditionalGumbel } from "./conditionalGumbel.js";
import { drawCategories, gradientOf, type GradientEstimator } from "./estimator.js";
import { oneHotOf, type CategoricalProblem } from "./problem.js";

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
export interface GumbelRaoOptions extends RelaxedEstimatorOptions {
  /** M, the conditional Gumbel draws averaged per estimate. Default 10. */
  samples?: number;
}

/**
 * The Gumbel-Rao estimator (Paulus et al. 2021): straight-through, Rao-Blackwellised over the
 * noise given the category, so E[ĝ] is ST's and its variance is no larger.
 * ĝ = ∂f/∂D · (1/M) Σ_m ∂softmax((θ + g_m)/τ)/∂θ, with g_m ~ Gumbel | argmax(θ + g_m) = D.
 * @category Estimators
 */
export function gumbelRaoEstimator(opts: GumbelRaoOptions = {}): GradientEstimator {
  opts = optionsArg("gumbelRaoEstimator", opts);
  const tau = checkTau("gumbelRaoEstimator", opts.tau ?? 1);
  const m = positiveInteger("gumbelRaoEstimator", "samples", opts.samples ?? 10);
  return {
    name: `Gumbel-Rao (M=${m})`, tau, unbiased: false,
    sample(problem: CategoricalProblem, rng: Rng): Tensor {
      const c = drawCategories(problem, rng);
      const hard = oneHotOf(problem, c);
      const shape = [m, ...problem.logits.shape];
      const noise = conditionalGumbel(broadcastTo(problem.logits, shape), Array.from({ length: m }, () => c).flat(), { rng });
      return gradientOf(problem, (theta) => {
        const soft = mean(gumbelSoftmax(broadcastTo(theta, shape), { tau, noise }), 0);
        return problem.f(straightThrough(hard, soft));
      });
    },
  };
}

/**
 * The ReinMax estimator (Liu et al. 2023, Algorithm 2: Heun's method, second order). D ~ π0 =
 * softmax(θ); π1 = (D + softmax(θ/τ))/2; forward D, backward ∂f/∂D · ∂(2·π1 − π0/2)/∂θ, where
 * ∂π1/∂θ is the softmax Jacobian at π1.
 * @category Estimators
 */
export function reinMaxEstimator(opts: RelaxedEstimatorOptions = {}): GradientEstimator {
  opts = optionsArg("reinMaxEstimator", opts);
  const tau = checkTau("reinMaxEstimator", opts.tau ?? 1);
  return {
    name: "ReinMax", tau, unbiased: false,
    sample(problem: CategoricalProblem, rng: Rng): Tensor {
      const c = drawCategories(problem, rng);
      const hard = oneHotOf(problem, c);
      const logPi1 = noGrad(() => logHalfway(problem.logits, hard, tau));
      return gradientOf(problem, (theta) => {
        // Value π1, Jacobian diag(π1) − π1π1ᵀ: softmax(θ + stopGradient(log π1 − θ)).
        const pi1 = softmax(add(theta, stopGradient(sub(logPi1, theta))), -1);
        const pi2 = sub(mul(pi1, 2), mul(softmax(theta, -1), 0.5));
        return problem.f(straightThrough(hard, pi2));
      });
    },
  };
}

/** log((D + softmax(θ/τ))/2) without log(0): log(½) + logSoftmax(θ/τ) off the sample, log((1 + π)/2) on it. */
function logHalfway(logits: Tensor, hard: Tensor, tau: number): Tensor {
  const logSoft = logSoftmax(div(logits, tau), -1).values();
  const d = hard.values();
  const out = new Float64Array(logSoft.length);
  for (let i = 0; i < out.length; i++) out[i] = d[i] === 1 ? Math.log1p(Math.exp(logSoft[i])) - Math.LN2 : logSoft[i] - Math.LN2;
  return wrap(out, logits.shape);
}
