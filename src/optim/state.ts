// An optimizer's or a schedule's state as plain data that survives JSON.stringify and JSON.parse,
// and the checks loadStateDict runs on it before it writes anything.
import { describeValue, formatShape, GumbelgradError, show } from "../core/index.js";

/**
 * A number as JSON keeps it: finite values as numbers; NaN, ±∞ and −0 (which JSON would turn into
 * null or 0) as the strings "NaN", "Infinity", "-Infinity" and "-0".
 * @category Optimizers
 */
export type SavedNumber = number | "NaN" | "Infinity" | "-Infinity" | "-0";

/** The values of a buffer, each as JSON keeps it. */
export function saveNumbers(values: ArrayLike<number>): SavedNumber[] {
  return Array.from(values, saveNumber);
}

function saveNumber(v: number): SavedNumber {
  if (Number.isFinite(v)) return Object.is(v, -0) ? "-0" : v;
  return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
}

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };

/** Saved values back as a fresh Float64Array of `length`, or an error naming the entry. */
export function readNumbers(op: string, label: string, saved: unknown, length: number): Float64Array {
  if (!Array.isArray(saved)) throw new GumbelgradError(op, `${label} must be an array of numbers, but got ${describeValue(saved)}`);
  if (saved.length !== length) throw new GumbelgradError(op, `${label} must hold ${length} values, but it holds ${saved.length}`);
  const out = new Float64Array(length);
  saved.forEach((v: unknown, i) => {
    if (typeof v === "number") out[i] = v;
    else if (typeof v === "string" && v in SPECIAL) out[i] = SPECIAL[v];
    else throw new GumbelgradError(op, `${label}[${i}] must be a number (or "NaN", "Infinity", "-Infinity", "-0"), but got ${describeValue(v)}`);
  });
  return out;
}

/** A plain object (not null, not an array), or an error naming the entry. */
export function readRecord(op: string, label: string, x: unknown): Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) throw new GumbelgradError(op, `${label} must be an object, but got ${describeValue(x)}`);
  return x as Record<string, unknown>;
}

/** A count (an integer ≥ 0), or an error naming the entry. */
export function readCount(op: string, label: string, x: unknown): number {
  if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 0) throw new GumbelgradError(op, `${label} must be an integer ≥ 0, but got ${show(x)}`);
  return x;
}

/** Throws unless the state names this kind of optimizer or schedule ("Adam" into AdamW is refused). */
export function checkKind(op: string, key: string, expected: string, saved: unknown): void {
  if (saved !== expected) throw new GumbelgradError(op, `the state must be one of ${expected}'s, but its ${key} is ${show(saved)}`);
}

/** Throws unless the saved shape is the parameter's. */
export function checkShapeOf(op: string, label: string, shape: readonly number[], saved: unknown): void {
  const same = Array.isArray(saved) && saved.length === shape.length && saved.every((d, k) => d === shape[k]);
  if (!same) {
    const got = Array.isArray(saved) && saved.every((d) => typeof d === "number") ? formatShape(saved) : describeValue(saved);
    throw new GumbelgradError(op, `${label} must be ${formatShape(shape)}, the parameter's shape, but it is ${got}`);
  }
}

/** Throws unless the saved object holds exactly the expected keys, naming what is missing or unexpected. */
export function checkKeys(op: string, label: string, saved: Record<string, unknown>, expected: readonly string[]): void {
  const keys = Object.keys(saved);
  const missing = expected.filter((k) => !keys.includes(k));
  const unexpected = keys.filter((k) => !expected.includes(k));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new GumbelgradError(op, `${label} must hold exactly [${expected.join(", ")}], but missing: [${missing.join(", ")}], unexpected: [${unexpected.join(", ")}]`);
  }
}
