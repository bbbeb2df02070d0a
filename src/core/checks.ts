// Argument checks shared by every layer: each names the function and the argument it checks.
import { GumbelgradError, formatShape } from "./errors.js";

/** A few words for a value of the wrong kind, for error messages: `the string "1e-3"`, "an array (wrap it with tensor(...))". */
export function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (Array.isArray(x)) return "an array (wrap it with tensor(...))";
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  if (typeof x === "number") return `the number ${x}`;
  if (typeof x === "object") return `an object (${(x as object).constructor?.name ?? "Object"})`;
  return `a ${typeof x}`;
}

/** A value as a message shows it: a number as itself, anything else described (never a throw: a Symbol cannot be printed). */
export function show(x: unknown): string {
  return typeof x === "number" ? String(x) : describeValue(x);
}

/** An options argument: {} when left out; anything but an object is an error naming the op. */
export function optionsArg<T extends object>(op: string, opts: T | undefined, name = "options"): Partial<T> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) throw new GumbelgradError(op, `${name} must be an object, but got ${describeValue(opts)}`);
  return opts;
}

/** A function argument (a callback), or an error naming the op. */
export function functionArg<F extends Function>(op: string, name: string, f: F): F {
  if (typeof f !== "function") throw new GumbelgradError(op, `${name} must be a function, but got ${describeValue(f)}`);
  return f;
}

/** An integer in [min, max], or an error naming the op and the argument. */
export function integerIn(op: string, name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new GumbelgradError(op, `${name} must be an integer ${range}, but got ${show(v)}`);
  }
  return v;
}

/** An integer ≥ 1, or an error naming the op and the argument. */
export function positiveInteger(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new GumbelgradError(op, `${name} must be a positive integer, but got ${show(v)}`);
  return v;
}

/**
 * A number in a range, or an error naming the op and the argument: `numberIn(op, "tau", tau, { above: 0 })`
 * is τ > 0 and finite; bounds are `above`/`below` (open) or `atLeast`/`atMost` (closed). The one check
 * for "a number in a range" everywhere.
 */
export function numberIn(op: string, name: string, v: unknown, range: { above?: number; atLeast?: number; below?: number; atMost?: number; finite?: boolean }): number {
  const { above, atLeast, below, atMost, finite = true } = range;
  const ok = typeof v === "number" && !Number.isNaN(v) && (!finite || Number.isFinite(v)) &&
    (above === undefined || v > above) && (atLeast === undefined || v >= atLeast) &&
    (below === undefined || v < below) && (atMost === undefined || v <= atMost);
  if (!ok) throw new GumbelgradError(op, `${name} must be ${describeRange(range)}, but got ${show(v)}`);
  return v as number;
}

function describeRange({ above, atLeast, below, atMost, finite = true }: { above?: number; atLeast?: number; below?: number; atMost?: number; finite?: boolean }): string {
  const low = above !== undefined ? `(${above}` : atLeast !== undefined ? `[${atLeast}` : null;
  const high = below !== undefined ? `${below})` : atMost !== undefined ? `${atMost}]` : null;
  if (above === 0 && high === null) return finite ? "a positive finite number" : "a positive number";
  if (atLeast === 0 && high === null) return finite ? "a finite number ≥ 0" : "a number ≥ 0";
  if (low && high) return `a number in ${low}, ${high}`;
  if (low) return `a ${finite ? "finite " : ""}number ${above !== undefined ? ">" : "≥"} ${above ?? atLeast}`;
  if (high) return `a ${finite ? "finite " : ""}number ${below !== undefined ? "<" : "≤"} ${below ?? atMost}`;
  return finite ? "a finite number" : "a number";
}

/**
 * The most elements one tensor may hold: 2^28 (268,435,456; 2 GiB of float64). A shape past it is
 * refused before anything is allocated, with an error naming the op, instead of a RangeError from
 * the engine, a machine swapping, or an out-of-memory crash minutes later.
 */
export const MAX_ELEMENTS = 2 ** 28;

/** Throws, naming the op, when a tensor of `shape` would hold more than MAX_ELEMENTS values. */
export function checkSize(op: string, shape: readonly number[]): void {
  let n = 1;
  for (const d of shape) n *= d;
  if (n > MAX_ELEMENTS) {
    throw new GumbelgradError(op, `a tensor holds at most ${MAX_ELEMENTS.toLocaleString("en-US")} elements (2^28), but shape ${formatShape(shape)} would hold ${n.toLocaleString("en-US")}`);
  }
}

/** Normalises one axis (negative counts from the end), or throws naming the op. */
export function normalizeAxis(op: string, axis: number, ndim: number, shape: readonly number[]): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new GumbelgradError(op, `axis ${show(axis)} is out of range for a tensor of rank ${ndim} (shape ${formatShape(shape)})`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalises an axis list (undefined means every axis), sorted, without duplicates. */
export function normalizeAxes(op: string, axis: number | number[] | undefined, shape: readonly number[]): number[] {
  const ndim = shape.length;
  if (axis === undefined) return shape.map((_, i) => i);
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => normalizeAxis(op, a, ndim, shape));
  if (new Set(list).size !== list.length) {
    throw new GumbelgradError(op, `axes must not repeat, but got [${(Array.isArray(axis) ? axis : [axis]).map(show).join(", ")}]`);
  }
  return list.sort((p, q) => p - q);
}
