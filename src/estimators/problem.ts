// A problem whose exact gradient is known: L(θ) = E_{c ~ Cat(softmax θ)}[f(one_hot(c))].
//   θ holds one row of K logits per independent categorical: shape [K], or [D, K] for D of them,
//   p(c) = Π_d softmax(θ_d)[c_d], and f maps a point y of θ's shape (each row on the simplex) to a scalar.
// The relaxed estimators evaluate f at relaxed points y, so f must be defined (and differentiable)
// there too; their "bias" is measured against ∇L of this discrete objective.
import { describeValue, formatShape, GumbelgradError, noGrad, tensor, Tensor } from "../core/index.js";
import { oneHot, reshape } from "../ops/index.js";

/**
 * A problem whose exact gradient is known: L(θ) = E_{c ~ Cat(softmax θ)}[f(one_hot(c))]. Make one
 * with {@link categoricalProblem}, or take a ready-made one ({@link codebookProblem}, {@link bernoulliProblem}).
 * @category Estimators
 */
export interface CategoricalProblem {
  /** A label for tables and plots. */
  readonly name: string;
  /** θ: [K] for one categorical, [D, K] for D independent ones (the category axis is the last). */
  readonly logits: Tensor;
  /** A scalar of y (θ's shape): a one-hot per row, or a relaxed point of each simplex. */
  f(y: Tensor): Tensor;
}

/** What {@link categoricalProblem} needs: the logits θ and the function f. @category Estimators */
export interface CategoricalProblemSpec {
  /** A label for tables and plots. Default "problem". */
  name?: string;
  /** θ: [K] for one categorical, [D, K] for D independent ones; finite, and at most MAX_OUTCOMES joint outcomes K^D. */
  logits: Tensor | number[] | number[][];
  /**
   * A scalar of y (θ's shape): a one-hot per row, or, for the relaxed estimators, a point of each
   * simplex, so it must be defined and differentiable there too.
   */
  f: (y: Tensor) => Tensor;
}

/** Exact enumeration visits K^D joint outcomes; beyond this it is too slow to be a reference. @category Estimators */
export const MAX_OUTCOMES = 65536;

/**
 * Checks and wraps a problem: finite logits of rank 1 or 2, and few enough joint outcomes to
 * enumerate. f is called once here, so a broken f fails now rather than mid-measurement.
 * @throws GumbelgradError for bad logits, too many outcomes, or an f that does not return a finite scalar.
 * @category Estimators
 */
export function categoricalProblem(spec: CategoricalProblemSpec): CategoricalProblem {
  const op = "categoricalProblem";
  if (typeof spec?.f !== "function") throw new GumbelgradError(op, "needs f, a function of y returning a scalar tensor");
  if (!(spec.logits instanceof Tensor) && !Array.isArray(spec.logits)) throw new GumbelgradError(op, `logits must be a Tensor or an array of numbers, but got ${describeValue(spec.logits)}`);
  const logits = spec.logits instanceof Tensor ? spec.logits.detach() : tensor(spec.logits);
  checkLogits(op, logits);
  const problem = { name: spec.name ?? "problem", logits, f: spec.f };
  valueAt(problem, new Array(rowsAndCategories(logits.shape)[0]).fill(0)); // a broken f fails here, not mid-measurement
  return problem;
}

function checkLogits(op: string, logits: Tensor): void {
  if (!(logits instanceof Tensor)) throw new GumbelgradError(op, `logits must be a Tensor, but got ${describeValue(logits)}`);
  if (!logits.isFloating || logits.ndim < 1 || logits.ndim > 2 || logits.shape.some((d) => d < 1)) {
    throw new GumbelgradError(op, `logits must be a floating tensor of shape [K] or [D, K], but has shape ${formatShape(logits.shape)} and dtype ${logits.dtype}`);
  }
  const v = logits.values();
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) throw new GumbelgradError(op, `logits must be finite, but logits has ${v[i]} at flat index ${i}`);
  }
  const outcomes = outcomeCount(logits.shape);
  if (outcomes > MAX_OUTCOMES) {
    throw new GumbelgradError(op, `exact enumeration needs at most ${MAX_OUTCOMES} joint outcomes (K^D), but logits of shape ${formatShape(logits.shape)} have ${outcomes}`);
  }
}

/** Throws, naming the op, unless `problem` is a problem made by categoricalProblem (or one of the ready-made ones). */
export function problemArg(op: string, problem: CategoricalProblem): CategoricalProblem {
  if (problem === null || typeof problem !== "object" || !(problem.logits instanceof Tensor) || typeof problem.f !== "function") {
    throw new GumbelgradError(op, `problem must be a CategoricalProblem (from categoricalProblem, codebookProblem or bernoulliProblem), but got ${describeValue(problem)}`);
  }
  return problem;
}

/** The same problem at other logits (an optimiser's current θ). @category Estimators */
export function withLogits(problem: CategoricalProblem, logits: Tensor): CategoricalProblem {
  problemArg("withLogits", problem);
  checkLogits("withLogits", logits);
  return { name: problem.name, logits: logits.detach(), f: problem.f };
}

/** D (the number of categoricals) and K (categories of each). */
export function rowsAndCategories(shape: readonly number[]): [number, number] {
  return shape.length === 1 ? [1, shape[0]] : [shape[0], shape[1]];
}

function outcomeCount(shape: readonly number[]): number {
  const [rows, k] = rowsAndCategories(shape);
  return k ** rows;
}

/** one_hot(c) in θ's shape, for one category per row. */
export function oneHotOf(problem: CategoricalProblem, categories: ArrayLike<number>): Tensor {
  const [, k] = rowsAndCategories(problem.logits.shape);
  return reshape(oneHot(Array.from(categories), k), problem.logits.shape);
}

/** f(one_hot(c)) as a plain number, off the tape (the discrete outcome carries no gradient). */
export function valueAt(problem: CategoricalProblem, categories: ArrayLike<number>): number {
  const value = noGrad(() => problem.f(oneHotOf(problem, categories)));
  if (!(value instanceof Tensor) || value.size !== 1) {
    throw new GumbelgradError("categoricalProblem", `f of "${problem.name}" must return a tensor with one element, but returned ${value instanceof Tensor ? `shape ${formatShape(value.shape)}` : typeof value}`);
  }
  const v = value.item();
  if (!Number.isFinite(v)) throw new GumbelgradError("categoricalProblem", `f of "${problem.name}" must be finite, but f(one_hot([${Array.from(categories).join(", ")}])) = ${v}`);
  return v;
}
