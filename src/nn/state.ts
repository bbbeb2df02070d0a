// stateDict / loadStateDict: a module's parameters and buffers as a plain JSON-able object, and back.
// JSON keeps float64 values exactly (numbers print in their shortest round-trip form).
import { GumbelgradError, formatShape } from "../core/errors.js";
import { sameShape } from "../kernels/layout.js";
import type { Module } from "./module.js";
import { overwrite } from "./values.js";

export interface SavedTensor {
  shape: number[];
  dtype: string;
  values: number[];
}

/** name → { shape, dtype, values }, for parameters and buffers alike. */
export type StateDict = Record<string, SavedTensor>;

/** Every parameter and buffer of the module, by path name, as plain data (a copy). */
export function stateDict(module: Module): StateDict {
  const out: StateDict = {};
  for (const [name, t] of [...module.namedParameters(), ...module.namedBuffers()]) {
    out[name] = { shape: [...t.shape], dtype: t.dtype, values: Array.from(t.values()) };
  }
  return out;
}

/**
 * Writes saved values into the module's tensors in place (optimizers holding them see the change).
 * The names and shapes must match exactly: a missing or unexpected entry throws, naming it.
 */
export function loadStateDict(module: Module, state: StateDict): void {
  const targets = new Map([...module.namedParameters(), ...module.namedBuffers()]);
  const unexpected = Object.keys(state).filter((name) => !targets.has(name));
  const missing = [...targets.keys()].filter((name) => !(name in state));
  if (unexpected.length > 0 || missing.length > 0) {
    throw new GumbelgradError("loadStateDict", `the saved names must match the module's, but missing: [${missing.join(", ")}], unexpected: [${unexpected.join(", ")}]`);
  }
  for (const [name, t] of targets) {
    const saved = state[name];
    if (!Array.isArray(saved.shape) || !sameShape(saved.shape, t.shape)) {
      throw new GumbelgradError("loadStateDict", `${name} must have shape ${formatShape(t.shape)}, but the saved entry has shape ${formatShape(saved.shape ?? [])}`);
    }
    if (!Array.isArray(saved.values) || saved.values.some((v) => typeof v !== "number")) {
      throw new GumbelgradError("loadStateDict", `${name}: values must be an array of numbers`);
    }
    if (saved.values.length !== t.size) {
      throw new GumbelgradError("loadStateDict", `${name} of shape ${formatShape(t.shape)} needs ${t.size} values, but the saved entry has ${saved.values.length}`);
    }
    overwrite("loadStateDict", t, saved.values);
  }
}
