// Measuring an estimator against the exact gradient g* = ∇L, from N independent samples ĝ_n:
//   mean ḡ = (1/N) Σ ĝ_n                      bias = ‖ḡ − g*‖
//   variance = tr Cov = (1/(N−1)) Σ ‖ĝ_n − ḡ‖²  mse = (1/N) Σ ‖ĝ_n − g*‖² = bias² + (N−1)/N · variance
//   cosine = (1/N) Σ cos(ĝ_n, g*)  (the direction of one step, not of the mean)
// Standard errors: of a mean of per-sample terms, sd/√N; of bias, by the delta method,
// √(dᵀ Cov d / N)/‖d‖ with d = ḡ − g*. Even an unbiased estimator shows bias ≈ biasFloor = √(variance/N).
import { describeValue, formatShape, GumbelgradError, integerIn, optionsArg, rngArg, Tensor, type Rng } from "../core/index.js";
import { sameShape } from "../kernels/index.js";
import { exactGradient } from "./exact.js";
import type { GradientEstimator } from "./estimator.js";
import { problemArg, type CategoricalProblem } from "./problem.js";

/** Options for {@link compareEstimators} and {@link gradientSamples}. @category Estimators */
export interface CompareOptions {
  /** N, the gradient samples per estimator. Default 1000. */
  samples?: number;
  /** Default: the generator set by manualSeed. Each estimator gets its own split, so adding one after the others does not change theirs. */
  rng?: Rng;
}

/**
 * One estimator measured against the exact gradient g* from N samples ĝ_n, with mean ḡ. Each
 * statistic comes with its standard error (`…SE`): sd/√N for a mean of per-sample terms, and for
 * the bias the delta method.
 * @category Estimators
 */
export interface EstimatorReport {
  /** The estimator's name, e.g. "ST-GS". */
  estimator: string;
  /** Its temperature; null for the score-function family. */
  tau: number | null;
  /** N, the number of gradient samples. */
  samples: number;
  /** ‖ḡ − g*‖. Even an unbiased estimator shows about biasFloor from noise. */
  bias: number;
  /** The standard error of bias. */
  biasSE: number;
  /** √(variance/N): the bias an unbiased estimator shows from noise alone. */
  biasFloor: number;
  /** The total variance tr Cov = (1/(N−1)) Σ ‖ĝ_n − ḡ‖². */
  variance: number;
  /** The standard error of variance. */
  varianceSE: number;
  /** The mean squared error (1/N) Σ ‖ĝ_n − g*‖² = bias² + (N−1)/N · variance. */
  mse: number;
  /** The standard error of mse. */
  mseSE: number;
  /** (1/N) Σ cos(ĝ_n, g*): how well one step points (not the mean's direction). */
  cosine: number;
  /** The standard error of cosine. */
  cosineSE: number;
  /** ḡ and its per-component standard errors, beside g*. */
  meanGradient: number[];
  /** The standard error of each component of meanGradient. */
  meanSE: number[];
  /** g*, flattened in θ's row-major order. */
  exactGradient: number[];
  /** Wall-clock time per sample. */
  msPerSample: number;
}

/** N gradient samples from one estimator, each flattened (θ's row-major order). Calls reset() first. @category Estimators */
export function gradientSamples(problem: CategoricalProblem, estimator: GradientEstimator, opts: CompareOptions = {}): Float64Array[] {
  const op = "gradientSamples";
  problemArg(op, problem);
  estimatorArg(op, estimator);
  const o = optionsArg(op, opts);
  const n = integerIn(op, "samples", o.samples ?? 1000, 2);
  const rng = rngArg(op, o.rng);
  estimator.reset?.();
  return Array.from({ length: n }, () => {
    const g = estimator.sample(problem, rng);
    if (!(g instanceof Tensor) || !sameShape(g.shape, problem.logits.shape)) {
      throw new GumbelgradError("gradientSamples", `${estimator.name} must return a gradient of the logits' shape ${formatShape(problem.logits.shape)}, but returned ${g instanceof Tensor ? formatShape(g.shape) : typeof g}`);
    }
    return Float64Array.from(g.values());
  });
}

/** For every estimator: bias, variance, MSE and cosine to the exact gradient, each with a standard error. @category Estimators */
export function compareEstimators(problem: CategoricalProblem, estimators: GradientEstimator[], opts: CompareOptions = {}): EstimatorReport[] {
  const op = "compareEstimators";
  problemArg(op, problem);
  if (!Array.isArray(estimators)) throw new GumbelgradError(op, `estimators must be an array of estimators, but got ${describeValue(estimators)}`);
  estimators.forEach((e) => estimatorArg(op, e));
  const o = optionsArg(op, opts);
  integerIn(op, "samples", o.samples ?? 1000, 2);
  const rng = rngArg(op, o.rng);
  const exact = Float64Array.from(exactGradient(problem).values());
  return estimators.map((estimator) => {
    const started = performance.now();
    const samples = gradientSamples(problem, estimator, { samples: o.samples, rng: rng.split() });
    const ms = (performance.now() - started) / samples.length;
    return { estimator: estimator.name, tau: estimator.tau, ...summarizeSamples(samples, exact), msPerSample: ms };
  });
}

/** Throws, naming the op, unless `estimator` is a GradientEstimator (from one of the estimator functions). */
function estimatorArg(op: string, estimator: GradientEstimator): void {
  if (estimator === null || typeof estimator !== "object" || typeof estimator.sample !== "function") {
    throw new GumbelgradError(op, `an estimator must be a GradientEstimator (from gumbelSoftmaxEstimator, scoreFunctionEstimator, …), but got ${describeValue(estimator)}`);
  }
}

/** The statistics of an {@link EstimatorReport}, without the estimator's name, τ and timing. */
type Summary = Omit<EstimatorReport, "estimator" | "tau" | "msPerSample">;

/**
 * The statistics of an {@link EstimatorReport} (all but estimator, tau and msPerSample), from
 * flattened gradient samples (at least 2) and the exact gradient.
 * @throws GumbelgradError for fewer than 2 samples, or samples whose length differs from exact's.
 * @category Estimators
 */
export function summarizeSamples(samples: Float64Array[], exact: ArrayLike<number>): Summary {
  const op = "summarizeSamples";
  if (!Array.isArray(samples) || samples.some((s) => !(s instanceof Float64Array))) throw new GumbelgradError(op, `samples must be an array of Float64Arrays, but got ${describeValue(samples)}`);
  if (exact === null || typeof exact !== "object" || typeof exact.length !== "number") throw new GumbelgradError(op, `exact must be an array of numbers, but got ${describeValue(exact)}`);
  const n = samples.length;
  const p = exact.length;
  if (n < 2 || samples.some((s) => s.length !== p)) {
    throw new GumbelgradError("summarizeSamples", `needs at least 2 samples of ${p} components each, but got ${n} of lengths ${[...new Set(samples.map((s) => s.length))].join(", ")}`);
  }
  const components = Array.from({ length: p }, (_, i) => samples.map((s) => s[i]));
  const meanGradient = components.map(meanOf);
  const meanSE = components.map(standardError);
  const d = meanGradient.map((m, i) => m - exact[i]);
  const bias = norm(d);
  const spread = samples.map((s) => squaredNorm(s, meanGradient) * (n / (n - 1)));
  const variance = meanOf(spread);
  const along = samples.map((s) => dot(s.map((x, i) => x - meanGradient[i]), d) ** 2 * (n / (n - 1)));
  const errors = samples.map((s) => squaredNorm(s, exact));
  const cosines = samples.map((s) => cosine(s, exact));
  return {
    samples: n,
    bias,
    biasSE: bias > 0 ? Math.sqrt(meanOf(along) / n) / bias : Math.sqrt(variance / n),
    biasFloor: Math.sqrt(variance / n),
    variance,
    varianceSE: standardError(spread),
    mse: meanOf(errors),
    mseSE: standardError(errors),
    cosine: meanOf(cosines),
    cosineSE: standardError(cosines),
    meanGradient,
    meanSE,
    exactGradient: Array.from(exact),
  };
}

function meanOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** sd/√N, with the sample standard deviation. */
function standardError(x: ArrayLike<number>): number {
  const m = meanOf(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / (x.length - 1) / x.length);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** ‖a − b‖² */
function squaredNorm(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/** cos(a, b), and 0 when either is zero (a sample that moves nothing points nowhere). */
function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const den = norm(a) * norm(b);
  return den > 0 ? dot(a, b) / den : 0;
}
