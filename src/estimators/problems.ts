// Two ready-made problems: a codebook lookup with K categories (a nonlinear f) and the REBAR/RELAX
// Bernoulli toy (Tucker et al. 2017, Grathwohl et al. 2018).
import { checkSize, describeValue, GumbelgradError, integerIn, numberIn, optionsArg, randn, Rng, tensor, Tensor } from "../core/index.js";
import { matmul, reshape, slice, square, sub, sum } from "../ops/index.js";
import { categoricalProblem, type CategoricalProblem } from "./problem.js";

/** Options for {@link codebookProblem}. @category Estimators */
export interface CodebookProblemOptions {
  /** K. Default 8. */
  categories?: number;
  /** The dimension of the codes. Default 2. */
  dim?: number;
  /** Seeds the codebook, the target and the logits. Default 0. */
  seed?: number;
}

/**
 * Decode a category through a codebook and compare with a target: f(y) = ‖y·E − x‖², E [K, dim].
 * At a one-hot y this is the squared distance from code c to x; at a relaxed y, from a blend of codes.
 * Codes, target and logits are standard normal draws.
 * @category Estimators
 */
export function codebookProblem(opts: CodebookProblemOptions = {}): CategoricalProblem {
  const op = "codebookProblem";
  const o = optionsArg(op, opts);
  const k = integerIn(op, "categories", o.categories ?? 8, 2);
  const dim = integerIn(op, "dim", o.dim ?? 2, 1);
  checkSize(op, [k, dim]);
  const rng = new Rng(integerIn(op, "seed", o.seed ?? 0, 0));
  const codebook = randn([k, dim], { rng });
  const target = randn([1, dim], { rng });
  const logits = randn([k], { rng });
  return categoricalProblem({
    name: `codebook K=${k}`,
    logits,
    f: (y: Tensor) => sum(square(sub(matmul(reshape(y, [1, k]), codebook), target))),
  });
}

/**
 * b ~ Bernoulli(σ(φ)) as a K = 2 categorical with logits [0, φ] (softmax([0, φ])₁ = σ(φ)), b = y₁, and
 * f = (b − t)². Relaxed, y₁ = σ((φ + g₁ − g₀)/τ) is exactly the binary Concrete. ∂L/∂φ is the second
 * component of ∇_θ L; at φ = 0 it is σ′(0)·((1 − t)² − t²) = 0.25·(1 − 2t).
 * @category Estimators
 */
export function bernoulliProblem(opts: { phi?: number; target: number }): CategoricalProblem {
  const op = "bernoulliProblem";
  if (opts === null || typeof opts !== "object") throw new GumbelgradError(op, `needs options { target, phi? }, but got ${describeValue(opts)}`);
  const t = numberIn(op, "target", opts.target, {});
  return categoricalProblem({
    name: `Bernoulli, t=${t}`,
    logits: bernoulliLogits(numberIn(op, "phi", opts.phi ?? 0, {})),
    f: (y: Tensor) => sum(square(sub(slice(y, 0, 1, 2), t))),
  });
}

/** θ = [0, φ]. @category Estimators */
export function bernoulliLogits(phi: number): Tensor {
  return tensor([0, numberIn("bernoulliLogits", "phi", phi, {})]);
}
