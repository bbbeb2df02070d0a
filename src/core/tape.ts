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
import { inPlaceWritesSoFar, versionOf } from "./versions.js";

/** A differentiable primitive: how to compute it, and its vjp written in framework ops. @category Autodiff */
export interface Primitive<P = void> {
  /** The op's name, as errors and the tape listing show it: "matmul". */
  readonly name: string;
  /** Computes the output value. Runs with recording off. */
  forward(inputs: Tensor[], params: P): Tensor;
  /**
   * One gradient per input (null where an input needs none), given g = ∂L/∂output.
   * Written in framework ops, so that with createGraph the gradient is itself differentiable.
   */
  vjp(g: Tensor, inputs: Tensor[], output: Tensor, params: P, needs: boolean[]): (Tensor | null)[];
  /**
   * True when the op is linear in its inputs (add, sum, reshape, a gather…): its vjp is the same map
   * at every point and never reads the inputs' or the output's values, so backward need not check
   * that they are unchanged.
   */
  readonly linear?: boolean;
  /** Extra text for the tape line, e.g. `axis=[1]`. */
  describe?(params: P): string;
}

/** One recorded op on the tape: the primitive that ran, its inputs, its params and its output. */
export class TapeEntry {
  /** Inputs and params are dropped once backward has gone through the entry (unless retained). */
  released = false;
  /** Where the op was created: a stack, captured only in anomaly mode. */
  site: string | null = null;
  constructor(
    readonly primitive: Primitive<any>,
    public inputs: Tensor[],
    readonly output: Tensor,
    public params: unknown,
    /** The versions of the inputs' and the output's storage when the op ran; null when nothing had been written in place yet (all 0). */
    readonly versions: number[] | null,
  ) {}

  get name(): string {
    return this.primitive.name;
  }

  release(): void {
    this.released = true;
    this.inputs = [];
    this.params = undefined;
  }
}

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
