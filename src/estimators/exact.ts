// The exact objective and gradient, by enumerating every joint outcome.
//   L(θ) = Σ_c exp(log p(c))·f(one_hot(c)),  log p(c) = Σ_d logSoftmax(θ_d)[c_d]
//   ∇L is the autodiff gradient of that sum: f(one_hot(c)) are constants, only log p(c) depends on θ.
import { errorSample, floatArg, sample, ShapeError, tensor, uniformArg, type OpSpec, type Tensor } from "../core/index.js";
import { sameShape } from "../kernels/index.js";
import { add, exp, indexSelect, logSoftmax, mul, reshape, slice, sum } from "../ops/index.js";
import { categoricalProblem, rowsAndCategories, valueAt, type CategoricalProblem, problemArg } from "./problem.js";
import { codebookProblem } from "./problems.js";
import { gradientOf, type GradientEstimator } from "./estimator.js";

/** Every joint outcome, in order: outcome n has c_d = digit d of n in base K (the last row varies fastest). */
function outcomes(rows: number, k: number): number[][] {
  const count = k ** rows;
  const out: number[][] = [];
  for (let n = 0; n < count; n++) {
    const c = new Array<number>(rows);
    for (let d = rows - 1, rest = n; d >= 0; d--, rest = Math.floor(rest / k)) c[d] = rest % k;
    out.push(c);
  }
  return out;
}

/** L(θ) as a differentiable scalar in θ (default: the problem's logits). @category Estimators */
export function exactObjective(problem: CategoricalProblem, logits?: Tensor): Tensor {
  problemArg("exactObjective", problem);
  logits = floatArg("exactObjective", "logits", logits ?? problem.logits);
  if (!sameShape(logits.shape, problem.logits.shape)) {
    throw new ShapeError("exactObjective", "logits must have the shape of the problem's logits", { logits: logits.shape, "the problem's logits": problem.logits.shape });
  }
  const [rows, k] = rowsAndCategories(logits.shape);
  const all = outcomes(rows, k);
  const values = tensor(all.map((c) => valueAt(problem, c)), { dtype: logits.dtype });
  const logProbs = reshape(logSoftmax(logits, -1), [rows * k]);
  let logP: Tensor | null = null;
  for (let d = 0; d < rows; d++) {
    const picked = indexSelect(logProbs, 0, all.map((c) => d * k + c[d]));
    logP = logP ? add(logP, picked) : picked;
  }
  return sum(mul(exp(logP!), values));
}

/** ∇_θ L at the problem's logits, with θ's shape. @category Estimators */
export function exactGradient(problem: CategoricalProblem): Tensor {
  problemArg("exactGradient", problem);
  return gradientOf(problem, (theta) => exactObjective(problem, theta));
}

/** The exact gradient posing as an estimator: zero variance, zero bias. The reference line in a comparison. @category Estimators */
export function exactEstimator(): GradientEstimator {
  return { name: "exact", tau: null, unbiased: true, sample: (problem: CategoricalProblem) => exactGradient(problem) };
}

// ---- gradient-check samples and error samples --------------------------------------------------

/** Two independent categoricals with K = 3 and a nonlinear f: (y₀·a + y₁·b)². */
function productSample(): CategoricalProblem {
  const a = tensor([1.0, -0.5, 2.0]);
  const b = tensor([0.3, 1.5, -1.0]);
  return categoricalProblem({
    name: "product of two K=3",
    logits: [[0, 0, 0], [0, 0, 0]],
    f: (y) => {
      const s = add(sum(mul(slice(y, 0, 0, 1), a)), sum(mul(slice(y, 0, 1, 2), b)));
      return mul(s, s);
    },
  });
}

export const exactObjectiveSpec: OpSpec = {
  name: "exactObjective",
  fn: exactObjective,
  samples: (rng) => {
    const codebook = codebookProblem({ categories: 4, seed: 3 });
    const product = productSample();
    return [
      sample("codebook K=4", [uniformArg(rng, [4], -2, 2)], (theta) => exactObjective(codebook, theta)),
      sample("two independent K=3", [uniformArg(rng, [2, 3], -2, 2)], (theta) => exactObjective(product, theta)),
      sample("logits ±10: probabilities down to ~1e-9", [uniformArg(rng, [4], -10, 10)], (theta) => exactObjective(codebook, theta)),
    ];
  },
  errors: () => [
    errorSample("logits of another shape", () => exactObjective(codebookProblem({ categories: 4 }), tensor([0, 0, 0])),
      "exactObjective: logits must have the shape of the problem's logits, but logits has shape [3] and the problem's logits has shape [4]"),
  ],
};
