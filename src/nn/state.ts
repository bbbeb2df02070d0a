// stateDict / loadStateDict: a module's parameters and buffers as plain data, and back.
// The checks that decide whether saved tensors fit a module live here too, so a parameters file
// (gumbelgrad/node) is held to the same rules as a state dict.
import { checkWritable, formatShape, GumbelgradError, overwrite, type Tensor } from "../core/index.js";
import { sameShape, type DType } from "../kernels/index.js";
import { Module } from "./module.js";

/** One tensor in a {@link StateDict}: plain JSON-friendly data. @category nn */
export interface SavedTensor {
  /** The tensor's shape. */
  shape: number[];
  /** "float64", "float32" or "int32" */
  dtype: string;
  /** Row-major; NaN, ±∞ and −0 are kept as they are. */
  values: number[];
}

/** name → { shape, dtype, values }, for parameters and buffers alike. @category nn */
export type StateDict = Record<string, SavedTensor>;

/** Every parameter and buffer of the module, by path name, as plain data (a copy). @category nn */
export function stateDict(module: Module): StateDict {
  const out: StateDict = {};
  for (const [name, t] of namedTensors("stateDict", module)) {
    out[name] = { shape: [...t.shape], dtype: t.dtype, values: Array.from(t.values()) };
  }
  return out;
}

/**
 * Writes saved values into the module's tensors in place (optimizers holding them see the change).
 * Names and shapes must match exactly; a float tensor takes float64 or float32 values, an int32
 * tensor only int32 ones. Everything is checked before the first value is written, so a state
 * that does not fit throws, naming the entry, and leaves the module as it was.
 * @category nn
 */
export function loadStateDict(module: Module, state: StateDict): void {
  const op = "loadStateDict", source = "the state dict";
  const targets = namedTensors(op, module);
  if (typeof state !== "object" || state === null || Array.isArray(state)) {
    throw new GumbelgradError(op, `the state must be an object of name → { shape, dtype, values }, but got ${describe(state)}`);
  }
  checkSameNames(op, targets, Object.keys(state), source);
  for (const [name, t] of targets) checkEntry(op, name, t, state[name] as unknown, source);
  for (const [name, t] of targets) overwrite(op, t, state[name].values);
}

/** Throws unless `entry` is a well-formed { shape, dtype, values } that fits t. */
function checkEntry(op: string, name: string, t: Tensor, entry: unknown, source: string): void {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new GumbelgradError(op, `${name} must be { shape, dtype, values }, but got ${describe(entry)}`);
  }
  const { shape, dtype, values } = entry as Record<string, unknown>;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new GumbelgradError(op, `${name}.shape must be an array of non-negative integers, but got ${describe(shape)}`);
  }
  if (typeof dtype !== "string" || !DTYPES.includes(dtype as DType)) {
    throw new GumbelgradError(op, `${name}.dtype must be "float64", "float32" or "int32", but got ${describe(dtype)}`);
  }
  checkFits(op, name, t, shape, dtype as DType, source);
  if (!Array.isArray(values)) {
    throw new GumbelgradError(op, `${name}.values must be an array of numbers, but got ${describe(values)}`);
  }
  if (values.length !== t.size) {
    throw new GumbelgradError(op, `${name} of shape ${formatShape(t.shape)} needs ${t.size} values, but it has ${values.length} in ${source}`);
  }
  const bad = values.findIndex((v) => typeof v !== "number" || (dtype === "int32" && !isInt32(v)));
  if (bad >= 0) {
    const rule = dtype === "int32" ? "32-bit integers" : "numbers";
    throw new GumbelgradError(op, `${name}.values must hold only ${rule}, but values[${bad}] is ${describe(values[bad])}`);
  }
}

const DTYPES: readonly DType[] = ["float64", "float32", "int32"];

/** True for the numbers an Int32Array holds unchanged: `| 0` would wrap or cut any other. */
function isInt32(v: number): boolean {
  return (v | 0) === v;
}

/** A value as a message shows it: numbers and strings as written, anything else by its kind. */
function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return x.length <= 8 ? `[${x.map(describe).join(", ")}]` : `an array of ${x.length}`;
  if (typeof x === "number") return Object.is(x, -0) ? "-0" : String(x);
  if (typeof x === "string") return JSON.stringify(x);
  return typeof x === "object" ? "an object" : `a ${typeof x}`;
}

/** The module's parameters and buffers by path name, in the order the state dict lists them. */
export function namedTensors(op: string, module: Module): Map<string, Tensor> {
  if (!(module instanceof Module)) {
    throw new GumbelgradError(op, `module must be a Module, but got ${describe(module)}`);
  }
  return new Map([...module.namedParameters(), ...module.namedBuffers()]);
}

/** Throws unless the saved names are exactly the module's, naming what is missing or unexpected. */
export function checkSameNames(op: string, targets: Map<string, Tensor>, names: string[], source: string): void {
  const saved = new Set(names);
  const unexpected = names.filter((name) => !targets.has(name));
  const missing = [...targets.keys()].filter((name) => !saved.has(name));
  if (unexpected.length > 0 || missing.length > 0) {
    throw new GumbelgradError(op, `${source} must hold exactly the module's parameters and buffers, but missing: [${missing.join(", ")}], unexpected: [${unexpected.join(", ")}]`);
  }
}

/**
 * Throws unless a saved tensor of this shape and dtype can be written into t in place. Like PyTorch's
 * load_state_dict, a float tensor converts either float dtype (float64 into float32 rounds);
 * int32 only pairs with int32, since a float in an integer tensor would be silently truncated.
 */
export function checkFits(op: string, name: string, t: Tensor, shape: readonly number[], dtype: DType, source: string): void {
  if (!sameShape(shape, t.shape)) {
    throw new GumbelgradError(op, `${name} must have shape ${formatShape(t.shape)}, but it has shape ${formatShape(shape)} in ${source}`);
  }
  if ((dtype === "int32") !== (t.dtype === "int32")) {
    const accepts = t.dtype === "int32" ? "only int32 values" : "float64 or float32 values";
    throw new GumbelgradError(op, `${name} is ${t.dtype} and takes ${accepts}, but it is ${dtype} in ${source}`);
  }
  checkWritable(op, t);
}
