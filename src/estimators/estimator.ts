// What a gradient estimator is: a recipe that turns randomness into one sample ĝ of ∇_θ L.
// Write your own by implementing GradientEstimator, and measure it with compareEstimators.
import type { Rng, Tensor } from "../core/index.js";
import { categorical } from "../gumbel/index.js";
import { grad } from "../autodiff/index.js";
import type { CategoricalProblem } from "./problem.js";

/**
 * A gradient estimator: a recipe that turns randomness into one sample ĝ of ∇_θ L for a
 * {@link CategoricalProblem}. Implement it to measure your own with {@link compareEstimators}.
 * @category Estimators
 */
export interface GradientEstimator {
  /** A short label for tables and plots, e.g. "ST-GS". */
  readonly name: string;
  /** The temperature of a relaxed estimator; null for the others. */
  readonly tau: number | null;
  /** True when E[ĝ] = ∇L exactly (the score-function family). */
  readonly unbiased: boolean;
  /** One gradient sample ĝ at the problem's logits, with θ's shape. */
  sample(problem: CategoricalProblem, rng: Rng): Tensor;
  /** Forgets what was carried from one sample to the next (a running baseline). */
  reset?(): void;
}

/** ∇_θ of a scalar surrogate built from θ, at the problem's logits, by the library's autodiff. */
export function gradientOf(problem: CategoricalProblem, surrogate: (theta: Tensor) => Tensor): Tensor {
  return grad(surrogate)(problem.logits) as Tensor;
}

/** One category per row, c_d ~ softmax(θ_d), by the Gumbel-max trick. */
export function drawCategories(problem: CategoricalProblem, rng: Rng): number[] {
  return Array.from(categorical(problem.logits, { rng }).values());
}
