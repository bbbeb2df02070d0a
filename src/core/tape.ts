// The tape: what reverse mode needs to remember about each op that ran.
//
// Each recorded op makes one entry: which primitive ran, on which inputs, producing which output.
// The output holds its entry (`tensor.node`) and the entry holds its inputs, so a graph is a chain
// of entries reachable from the tensor at its end, and it lives exactly as long as that tensor.
// Backward (backward.ts) walks a root's entries newest first, handing each the gradient of its
// output and spreading the vector-Jacobian products (vjps) onto its inputs.
//
// Only ops with an input that requires grad are recorded, and nothing is recorded inside noGrad.
// Every entry is also shown in the printable list, `tape.toString()` (listing.ts).
import { functionArg } from "./checks.js";
import type { Tensor } from "./tensor.js";
import { anomalyDetectionEnabled, checkForward, creationSite, forwardChecksEnabled } from "./anomaly.js";
import { listEntry } from "./listing.js";
import { TapeEntry, type Primitive } from "./entry.js";
import { inPlaceWritesSoFar, versionOf } from "./versions.js";

let noGradDepth = 0;

/** Whether ops are being recorded: false inside noGrad. */
export function isRecording(): boolean {
  return noGradDepth === 0;
}

/** Runs fn without recording anything on the tape: its results carry no gradient. @category Autodiff */
export function noGrad<T>(fn: () => T): T {
  functionArg("noGrad", "fn", fn);
  noGradDepth++;
  try {
    return fn();
  } finally {
    noGradDepth--;
  }
}

/** Runs fn with recording forced on or off, whatever the noGrad depth (backward, grad, gradcheck). */
export function withRecording<T>(on: boolean, fn: () => T): T {
  const saved = noGradDepth;
  noGradDepth = on ? 0 : Math.max(saved, 1);
  try {
    return fn();
  } finally {
    noGradDepth = saved;
  }
}

/**
 * Runs a primitive and, when some input requires grad and recording is on, records it.
 * This is the only place where entries are made.
 */
export function applyPrimitive<P>(primitive: Primitive<P>, inputs: Tensor[], params: P): Tensor {
  const output = forwardUnrecorded(primitive, inputs, params);
  if (forwardChecksEnabled()) checkForward(primitive.name, inputs, output);
  if (noGradDepth === 0 && anyRequiresGrad(inputs)) {
    output.requiresGrad = true;
    const entry = new TapeEntry(primitive, inputs, output, params, versionsOf(primitive, inputs, output));
    if (anomalyDetectionEnabled()) entry.site = creationSite();
    output.node = entry;
    listEntry(entry);
  }
  return output;
}

/** primitive.forward with recording off (noGrad without the closure: this runs once per op). */
function forwardUnrecorded<P>(primitive: Primitive<P>, inputs: Tensor[], params: P): Tensor {
  noGradDepth++;
  try {
    return primitive.forward(inputs, params);
  } finally {
    noGradDepth--;
  }
}

/** What backward compares with, to notice an in-place write between forward and backward. */
function versionsOf(primitive: Primitive<any>, inputs: Tensor[], output: Tensor): number[] | null {
  if (primitive.linear || inPlaceWritesSoFar() === 0) return null;
  const versions = inputs.map(versionOf);
  versions.push(versionOf(output));
  return versions;
}

function anyRequiresGrad(inputs: Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) return true;
  return false;
}
