// gradcheck: compare the analytic Jacobian (from the vjps) with central differences.
//
//   numeric J[r, j] = (f(x + ε·e_j)[r] − f(x − ε·e_j)[r]) / 2ε
//   analytic J[r, :] = the gradient of output element r, by one backward pass with seed e_r
//
// An entry passes when |analytic − numeric| ≤ atol + rtol·|numeric| (PyTorch's rule and defaults).
// The fast mode compares one number per input instead: vᵀ·J·u for random u and v.
import { formatShape, functionArg, gradients, GumbelgradError, noGrad, numberIn, optionsArg, randn, Rng, rngArg, Tensor, withRecording, wrap, type FloatDType } from "../core/index.js";
import { packedCopy, unravelIndex } from "../kernels/index.js";
import { add, mul, sum } from "../ops/index.js";

/** Options for {@link gradcheck} and {@link gradgradcheck}. @category Gradient checking */
export interface GradcheckOptions {
  /** The finite-difference step ε of the central difference (f(x + ε) − f(x − ε)) / 2ε. Default 1e-6. */
  eps?: number;
  /** Absolute tolerance: an entry passes when |analytic − numeric| ≤ atol + rtol·|numeric|. Default 1e-5. */
  atol?: number;
  /** Relative tolerance, in the same rule. Default 1e-3. */
  rtol?: number;
  /** Compare vᵀJu for random u, v instead of the full Jacobian: one backward, two evaluations per input. */
  fast?: boolean;
  /** Where u and v come from in fast mode, and v in gradgradcheck. Default: a fixed seed. */
  rng?: Rng;
}

/** The element of one input whose analytic and numeric gradients disagree the most (relative to its tolerance). @category Gradient checking */
export interface WorstElement {
  /** Index of the input element (multi-index, `[]` for a scalar); in fast mode, null. */
  inputIndex: number[] | null;
  /** Which output, and the element of it (multi-index); in fast mode, null. */
  output: number | null;
  /** The element of that output, as a multi-index; in fast mode, null. */
  outputIndex: number[] | null;
  /** The derivative from the vjps (in fast mode, vᵀJu). */
  analytic: number;
  /** The central-difference estimate of the same number. */
  numeric: number;
  /** |analytic − numeric|. */
  absError: number;
  /** |analytic − numeric| / max(|numeric|, |analytic|, atol). */
  relError: number;
}

/** The result of the check for one input that requires grad. @category Gradient checking */
export interface InputReport {
  /** The input's position in the `inputs` array. */
  input: number;
  /** The input's shape. */
  shape: number[];
  /** The largest |analytic − numeric| over this input's elements (∞ for a NaN). */
  maxAbsError: number;
  /** The largest relative error over this input's elements (∞ for a NaN). */
  maxRelError: number;
  /** Whether every element was within atol + rtol·|numeric|. */
  ok: boolean;
  /** The element furthest past its tolerance; null when nothing was compared (an empty input). */
  worst: WorstElement | null;
}

/** What {@link gradcheck} and {@link gradgradcheck} return. @category Gradient checking */
export interface GradcheckReport {
  /** Whether every checked element of every input passed. */
  ok: boolean;
  /** One line when it passed; when it failed, one line per failing input naming its worst element, analytic vs numeric. */
  message: string;
  /** The largest absolute error over all inputs. */
  maxAbsError: number;
  /** The largest relative error over all inputs. */
  maxRelError: number;
  /** One report per input that requires grad, with its worst element. */
  inputs: InputReport[];
}

/** A function checked by gradcheck: tensors in, one tensor or a list of tensors out. */
type Fn = (...inputs: Tensor[]) => Tensor | Tensor[];

/**
 * Checks f's gradients with respect to every floating input that requires grad: the analytic
 * Jacobian (one backward pass per output element) against central differences, entry by entry.
 * It reports rather than throws on a mismatch: check `ok`, print `message`.
 * @throws GumbelgradError when no input requires grad, or an input that does is float32 (finite differences need float64).
 * @category Gradient checking
 */
export function gradcheck(f: Fn, inputs: Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  return check("gradcheck", f, inputs, opts);
}

function check(op: string, f: Fn, inputs: Tensor[], opts: GradcheckOptions): GradcheckReport {
  functionArg(op, "f", f);
  opts = optionsArg(op, opts);
  const eps = numberIn(op, "eps", opts.eps ?? 1e-6, { above: 0 });
  const atol = numberIn(op, "atol", opts.atol ?? 1e-5, { atLeast: 0 });
  const rtol = numberIn(op, "rtol", opts.rtol ?? 1e-3, { atLeast: 0 });
  if (opts.rng !== undefined) rngArg(op, opts.rng);
  const xs = leafCopies("gradcheck", inputs);
  const checked = xs.map((x, i) => (x.requiresGrad ? i : -1)).filter((i) => i >= 0);
  const analytic = opts.fast ? null : analyticJacobian(f, xs, checked);
  const reports = checked.map((i, c) =>
    analytic ? fullCheck(f, xs, i, analytic[c], eps, atol, rtol) : fastCheck(f, xs, i, eps, atol, rtol, opts.rng ?? new Rng(0)));
  return summarise(reports, atol, rtol, opts.fast ?? false);
}

/**
 * Checks second derivatives: the gradient of vᵀJ (for a fixed random v) is checked like any function,
 * so every vjp's own vjp is compared with finite differences of the first-order gradient.
 * @category Gradient checking
 */
export function gradgradcheck(f: Fn, inputs: Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  functionArg("gradgradcheck", "f", f);
  opts = optionsArg("gradgradcheck", opts);
  const rng = opts.rng === undefined ? new Rng(1) : rngArg("gradgradcheck", opts.rng);
  const probe = noGrad(() => outputsOf(f, leafCopies("gradgradcheck", inputs))); // only the outputs' shapes and dtypes are needed
  const vs = probe.map((o) => randn(o.shape, { rng, dtype: o.dtype as FloatDType }));
  const firstOrder = (...xs: Tensor[]): Tensor[] => withRecording(true, () => {
    const outs = outputsOf(f, xs);
    const wanted = xs.filter((x) => x.requiresGrad);
    const tracked = outs.map((o, k) => (o.requiresGrad ? sum(mul(o, vs[k])) : null)).filter((t): t is Tensor => t !== null);
    if (tracked.length === 0) return wanted.map((x) => mul(x, 0));
    const projected = tracked.reduce((a, b) => add(a, b));
    return gradients(projected, wanted, undefined, { createGraph: true }).map((g, k) => g ?? mul(wanted[k], 0));
  });
  return check("gradgradcheck", firstOrder, inputs, opts);
}

/** Fresh packed float64 copies of the inputs that require grad (so perturbing one element moves one value). */
function leafCopies(op: string, inputs: Tensor[]): Tensor[] {
  if (!Array.isArray(inputs)) throw new GumbelgradError(op, "inputs must be an array of tensors");
  let any = false;
  const xs = inputs.map((x, i) => {
    if (!(x instanceof Tensor)) throw new GumbelgradError(op, `input ${i} must be a Tensor`);
    if (!x.requiresGrad) return x;
    if (x.dtype === "float32") {
      throw new GumbelgradError(op, `input ${i} is float32, but finite differences need float64: with ~7 significant digits a step of 1e-6 is lost in rounding, so the numeric gradient would be noise; cast it with x.cast("float64")`);
    }
    any = true;
    const copy = wrap(packedCopy(x.data, "float64"), x.shape);
    copy.requiresGrad = true;
    return copy;
  });
  if (!any) throw new GumbelgradError(op, "no input requires grad, so there is nothing to check");
  return xs;
}

function outputsOf(f: Fn, xs: Tensor[]): Tensor[] {
  const out = f(...xs);
  const list = Array.isArray(out) ? out : [out];
  list.forEach((o, k) => {
    if (!(o instanceof Tensor) || !o.isFloating) throw new GumbelgradError("gradcheck", `output ${k} of f must be a floating Tensor`);
  });
  return list;
}

/**
 * f's outputs as plain numbers, for the finite differences: nothing needs recording here, so no
 * graph is built. (A function that takes gradients itself, as gradgradcheck's does, turns recording
 * back on for its own part: grad and valueAndGrad always record.)
 */
function flatOutputs(f: Fn, xs: Tensor[]): Float64Array[] {
  return noGrad(() => outputsOf(f, xs)).map((o) => Float64Array.from(o.values()));
}

/** One input's analytic Jacobian: rows[k][r] = ∂(output k)[r]/∂x as flat data, with the outputs' shapes. */
interface Jacobian {
  rows: ArrayLike<number>[][];
  outputShapes: number[][];
}

/**
 * The analytic Jacobian of every checked input, one output element (one row) at a time: each
 * backward pass gives that row for all the inputs at once.
 */
function analyticJacobian(f: Fn, xs: Tensor[], checked: number[]): Jacobian[] {
  const inputs = checked.map((i) => xs[i]);
  const outs = withRecording(true, () => outputsOf(f, xs));
  const outputShapes = outs.map((o) => o.shape);
  const jacobians: Jacobian[] = inputs.map(() => ({ rows: outs.map(() => []), outputShapes }));
  outs.forEach((o, k) => {
    for (let r = 0; r < o.size; r++) {
      const grads = o.requiresGrad ? gradients(o, inputs, unitSeed(o, r), { retainGraph: true }) : inputs.map(() => null);
      grads.forEach((g, c) => jacobians[c].rows[k].push(g ? g.values() : new Float64Array(inputs[c].size)));
    }
  });
  return jacobians;
}

/** The one-hot vector e_r in o's shape and dtype: the seed that picks output element r. */
function unitSeed(o: Tensor, r: number): Tensor {
  const data = o.dtype === "float32" ? new Float32Array(o.size) : new Float64Array(o.size);
  data[r] = 1;
  return wrap(data, o.shape);
}

/** Compares input i's analytic rows with central differences, one input element (one column) at a time. */
function fullCheck(f: Fn, xs: Tensor[], i: number, analytic: Jacobian, eps: number, atol: number, rtol: number): InputReport {
  const x = xs[i];
  const v = x.values() as Float64Array;
  const report = emptyReport(i, x.shape);
  for (let j = 0; j < v.length; j++) {
    const saved = v[j];
    v[j] = saved + eps;
    const plus = flatOutputs(f, xs);
    v[j] = saved - eps;
    const minus = flatOutputs(f, xs);
    v[j] = saved;
    plus.forEach((p, k) => {
      for (let r = 0; r < p.length; r++) {
        consider(report, analytic.rows[k][r][j], (p[r] - minus[k][r]) / (2 * eps), atol, rtol, () => ({
          inputIndex: unravelIndex(j, x.shape), output: k, outputIndex: unravelIndex(r, analytic.outputShapes[k]),
        }));
      }
    });
  }
  return report;
}

function fastCheck(f: Fn, xs: Tensor[], i: number, eps: number, atol: number, rtol: number, rng: Rng): InputReport {
  const x = xs[i];
  const v = x.values() as Float64Array;
  const u = Float64Array.from(v, () => rng.normal());
  const outs = withRecording(true, () => outputsOf(f, xs));
  const ws = outs.map((o) => randn(o.shape, { rng, dtype: o.dtype as FloatDType }));
  const shift = (sign: number) => { for (let j = 0; j < v.length; j++) v[j] += sign * eps * u[j]; };
  const saved = Float64Array.from(v);
  shift(+1);
  const plus = flatOutputs(f, xs);
  v.set(saved);
  shift(-1);
  const minus = flatOutputs(f, xs);
  v.set(saved);
  let numeric = 0;
  plus.forEach((p, k) => {
    const w = ws[k].values();
    for (let r = 0; r < p.length; r++) numeric += (w[r] * (p[r] - minus[k][r])) / (2 * eps);
  });
  let analytic = 0;
  outs.forEach((o, k) => {
    if (!o.requiresGrad) return;
    const [g] = gradients(o, [x], ws[k], { retainGraph: true });
    if (!g) return;
    const gv = g.values();
    for (let j = 0; j < gv.length; j++) analytic += gv[j] * u[j];
  });
  const report = emptyReport(i, x.shape);
  consider(report, analytic, numeric, atol, rtol, () => ({ inputIndex: null, output: null, outputIndex: null }));
  return report;
}

function emptyReport(input: number, shape: number[]): InputReport {
  return { input, shape: [...shape], maxAbsError: 0, maxRelError: 0, ok: true, worst: null };
}

/** Folds one analytic/numeric pair into the report; the worst element is the one furthest past its tolerance. */
function consider(report: InputReport, analytic: number, numeric: number, atol: number, rtol: number,
  where: () => Pick<WorstElement, "inputIndex" | "output" | "outputIndex">): void {
  const absError = Math.abs(analytic - numeric);
  const relError = absError / Math.max(Math.abs(numeric), Math.abs(analytic), atol);
  // How far past its tolerance an element is; a NaN on either side is as bad as it gets.
  const margin = (err: number, num: number) => (Number.isNaN(err) ? Infinity : err - (atol + rtol * Math.abs(num)));
  if (margin(absError, numeric) > 0) report.ok = false;
  report.maxAbsError = Math.max(report.maxAbsError, Number.isNaN(absError) ? Infinity : absError);
  report.maxRelError = Math.max(report.maxRelError, Number.isNaN(relError) ? Infinity : relError);
  if (!report.worst || margin(absError, numeric) > margin(report.worst.absError, report.worst.numeric)) {
    report.worst = { ...where(), analytic, numeric, absError, relError };
  }
}


function summarise(reports: InputReport[], atol: number, rtol: number, fast: boolean): GradcheckReport {
  const ok = reports.every((r) => r.ok);
  const maxAbsError = Math.max(0, ...reports.map((r) => r.maxAbsError));
  const maxRelError = Math.max(0, ...reports.map((r) => r.maxRelError));
  const mode = fast ? "fast (vᵀJu)" : "full Jacobian";
  if (ok) {
    return { ok, maxAbsError, maxRelError, inputs: reports,
      message: `gradcheck passed (${mode}): ${reports.length} input(s), max abs error ${fmt(maxAbsError)}, max rel error ${fmt(maxRelError)}` };
  }
  const failed = reports.filter((r) => !r.ok).map((r) => describeFailure(r, fast));
  return { ok, maxAbsError, maxRelError, inputs: reports,
    message: `gradcheck failed (${mode}, tolerance atol ${atol} + rtol ${rtol}·|numeric|):\n${failed.join("\n")}` };
}

function describeFailure(r: InputReport, fast: boolean): string {
  const w = r.worst!;
  const at = fast ? "vᵀJu" : `element ${formatShape(w.inputIndex!)} of output ${w.output} at ${formatShape(w.outputIndex!)}`;
  return `  input ${r.input} (shape ${formatShape(r.shape)}), ${at}: analytic ${fmt(w.analytic)}, numeric ${fmt(w.numeric)} (abs error ${fmt(w.absError)}, rel error ${fmt(w.relError)})`;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? (x === 0 ? "0" : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(6) : x.toExponential(3)) : String(x);
}
