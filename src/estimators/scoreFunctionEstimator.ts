// The score-function (REINFORCE) family: unbiased, needs f only at one-hot points, noisy.
//   ĝ = (f(c) − b)·∇_θ log p(c),  c ~ p.   E[ĝ] = ∇L for any baseline b that does not depend on c,
//   because E[∇_θ log p(c)] = 0. The weight (f − b) is the estimator's formula; ∇_θ log p(c) comes
//   from autodiff through scoreFunctionSurrogate.
import { describeValue, GumbelgradError, optionsArg, type Rng, type Tensor } from "../core/index.js";
import { add, div, sum } from "../ops/index.js";
import { scoreFunctionSurrogate } from "../gumbel/index.js";
import { drawCategories, gradientOf, type GradientEstimator } from "./estimator.js";
import { valueAt, type CategoricalProblem } from "./problem.js";

/**
 * What {@link scoreFunctionEstimator} subtracts from f: nothing, a bias-corrected running mean of
 * past values, or for each of M samples the mean of the other M − 1.
 * @category Estimators
 */
export type Baseline = "none" | "running-mean" | "leave-one-out";

/** Options for {@link scoreFunctionEstimator}. @category Estimators */
export interface ScoreFunctionEstimatorOptions {
  /** What to subtract from f. Default "none". */
  baseline?: Baseline;
  /** "running-mean": the weight of the past in the exponential moving average of f. Default 0.9. */
  decay?: number;
  /** "leave-one-out": M, the samples per estimate. Default 4. */
  samples?: number;
}

/** (f(c) − b)·∇_θ log p(c), by backward through the REINFORCE surrogate. */
function scoreSample(problem: CategoricalProblem, categories: number[], value: number, baseline: number): Tensor {
  return gradientOf(problem, (theta) => sum(scoreFunctionSurrogate(theta, categories, value, { baseline })));
}

/** REINFORCE, plain or with a baseline: a running mean of f, or the leave-one-out mean over M samples. @category Estimators */
export function scoreFunctionEstimator(opts: ScoreFunctionEstimatorOptions = {}): GradientEstimator {
  opts = optionsArg("scoreFunctionEstimator", opts);
  const baseline = opts.baseline ?? "none";
  if (baseline === "none") return plainScoreFunction();
  if (baseline === "running-mean") return runningMeanScoreFunction(opts.decay ?? 0.9);
  if (baseline === "leave-one-out") return leaveOneOutScoreFunction(opts.samples ?? 4);
  throw new GumbelgradError("scoreFunctionEstimator", `baseline must be "none", "running-mean" or "leave-one-out", but got ${describeValue(baseline)}`);
}

//   b = 0
function plainScoreFunction(): GradientEstimator {
  return {
    name: "REINFORCE", tau: null, unbiased: true,
    sample(problem: CategoricalProblem, rng: Rng): Tensor {
      const c = drawCategories(problem, rng);
      return scoreSample(problem, c, valueAt(problem, c), 0);
    },
  };
}

//   b_t = the bias-corrected moving average of f over samples 1…t−1 (0 before the first): fixed before c_t is drawn
function runningMeanScoreFunction(decay: number): GradientEstimator {
  if (!(decay >= 0 && decay < 1)) throw new GumbelgradError("scoreFunctionEstimator", `decay must be in [0, 1), but got ${decay}`);
  let average = 0;
  let seen = 0;
  return {
    name: "REINFORCE + running mean", tau: null, unbiased: true,
    sample(problem: CategoricalProblem, rng: Rng): Tensor {
      const b = seen === 0 ? 0 : average / (1 - decay ** seen);
      const c = drawCategories(problem, rng);
      const value = valueAt(problem, c);
      average = decay * average + (1 - decay) * value;
      seen++;
      return scoreSample(problem, c, value, b);
    },
    reset() {
      average = 0;
      seen = 0;
    },
  };
}

//   ĝ = (1/M) Σ_m (f(c_m) − b_m)·∇_θ log p(c_m),  b_m = mean of f(c_j) over j ≠ m  (independent of c_m)
function leaveOneOutScoreFunction(m: number): GradientEstimator {
  if (!Number.isInteger(m) || m < 2) throw new GumbelgradError("scoreFunctionEstimator", `leave-one-out needs an integer samples ≥ 2, but got ${m}`);
  return {
    name: `REINFORCE + leave-one-out (M=${m})`, tau: null, unbiased: true,
    sample(problem: CategoricalProblem, rng: Rng): Tensor {
      const draws = Array.from({ length: m }, () => drawCategories(problem, rng));
      const values = draws.map((c) => valueAt(problem, c));
      const total = values.reduce((a, b) => a + b, 0);
      return gradientOf(problem, (theta) => {
        const terms = draws.map((c, i) => sum(scoreFunctionSurrogate(theta, c, values[i], { baseline: (total - values[i]) / (m - 1) })));
        return div(terms.reduce((a, b) => add(a, b)), m);
      });
    },
  };
}
