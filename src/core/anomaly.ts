// Anomaly mode, as PyTorch's detect_anomaly: the first op whose output (in forward) or whose
// gradient (in backward) is NaN or ±∞ raises an error that names it. In backward the error also
// says where the op was created, from a stack captured when it was recorded. Off, it costs one
// boolean test per op.
import { functionArg } from "./checks.js";
import type { Tensor } from "./tensor.js";
import { GumbelgradError, formatShape } from "./errors.js";

let enabled = false;
/** Inside backward the vjps' own ops are not checked one by one: the entry's gradient is, as a whole. */
let inBackward = 0;

export function anomalyDetectionEnabled(): boolean {
  return enabled;
}

export function forwardChecksEnabled(): boolean {
  return enabled && inBackward === 0;
}

export function duringBackward<T>(fn: () => T): T {
  inBackward++;
  try {
    return fn();
  } finally {
    inBackward--;
  }
}

/**
 * Turns anomaly detection on or off for everything that follows (off by default). While on, the
 * first op whose output or gradient is NaN or ±∞ throws, naming the op, as PyTorch's detect_anomaly.
 * @category Autodiff
 */
export function setDetectAnomaly(on: boolean): void {
  enabled = !!on;
}

/**
 * Runs fn with anomaly detection on and returns its result. The first op that turns finite inputs
 * into NaN or ±∞ throws, naming it; in backward, the error also says where the op was created.
 * @category Autodiff
 */
export function detectAnomaly<T>(fn: () => T): T {
  functionArg("detectAnomaly", "fn", fn);
  const saved = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = saved;
  }
}

function firstNonFinite(t: Tensor): number | null {
  if (!t.isFloating) return null;
  const v = t.values();
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return v[i];
  return null;
}

/** Forward: an op that turns finite inputs into NaN or ±∞ is an error. */
export function checkForward(op: string, inputs: Tensor[], output: Tensor): void {
  const bad = firstNonFinite(output);
  if (bad === null || inputs.some((t) => firstNonFinite(t) !== null)) return;
  const shapes = inputs.map((t) => formatShape(t.shape)).join(", ");
  throw new GumbelgradError(op, `produced ${bad} from finite inputs (detectAnomaly), with inputs of shapes ${shapes}`);
}

/** Backward: a vjp that yields NaN or ±∞ is an error that names the op and where it was made. */
export function checkGradient(op: string, input: number, grad: Tensor, inputs: Tensor[], site: string | null): void {
  const bad = firstNonFinite(grad);
  if (bad === null) return;
  const shapes = inputs.map((t) => formatShape(t.shape)).join(", ");
  const where = site ? `; the op was created at\n${site}` : "";
  throw new GumbelgradError(op, `backward produced ${bad} in the gradient of input ${input} (detectAnomaly), with inputs of shapes ${shapes}${where}`);
}

/** The caller's stack, without this module's and the tape's own frames. */
export function creationSite(): string {
  const lines = (new Error().stack ?? "").split("\n").slice(1);
  return lines.filter((l) => !/core[/\\](anomaly|tape)\.[tj]s/.test(l)).slice(0, 6).join("\n");
}
