// The tape: a Wengert list of the ops run so far, in execution order.
//
// Each recorded op appends one entry: which primitive ran, on which inputs, producing which output.
// Backward walks the list in reverse, handing each entry the gradient of its output and spreading
// the vector-Jacobian products (vjps) onto its inputs.
//
// Only ops with an input that requires grad are recorded, and nothing is recorded inside noGrad.
// Gumbel noise leaves get an entry too, without a primitive, so that the tape shows where
// randomness enters; backward treats them as the leaves they are.
// The output tensor holds its entry (`tensor.node`) and the entry holds its inputs, so a graph lives
// exactly as long as a tensor that depends on it. The tape itself holds entries weakly: once a
// graph is garbage, its entries drop out of the list, and a training loop does not grow it.
//
// A WeakRef per entry is costly (an allocation, and work for every collection), and most entries
// do not need one: a training step records its graph and releases it in backward within the same
// synchronous run of code (a "job"), and a released entry leaves the list anyway. So entries are
// first kept in a plain list of recent ones; at the end of the job (a microtask) the ones still
// unreleased move to a list of WeakRefs. A WeakRef keeps its target alive until the end of the job
// (the spec's KeepDuringJob), so when the recent entries pile up data in the middle of a long
// synchronous loop — `z + stopGradient(z_q − z)` leaves one entry behind every step — they are
// weakened early through a small token instead: the tape keeps the printed line and a WeakRef to
// a token that only the entry holds, and the graph itself can be collected at once.
import type { Tensor } from "./tensor.js";
import { formatShape } from "./errors.js";
import { anomalyDetectionEnabled, checkForward, creationSite, forwardChecksEnabled } from "./anomaly.js";

/** A differentiable primitive: how to compute it, and its vjp written in framework ops. */
export interface Primitive<P = void> {
  readonly name: string;
  /** Computes the output value. Runs with recording off. */
  forward(inputs: Tensor[], params: P): Tensor;
  /**
   * One gradient per input (null where an input needs none), given g = ∂L/∂output.
   * Written in framework ops, so that with createGraph the gradient is itself differentiable.
   */
  vjp(g: Tensor, inputs: Tensor[], output: Tensor, params: P, needs: boolean[]): (Tensor | null)[];
  /** Extra text for the tape line, e.g. `axis=[1]`. */
  describe?(params: P): string;
}

/** Stands for an entry in the tape's weak records: alive exactly as long as the entry. */
class Liveness {
  released = false;
}

export class TapeEntry {
  /** Inputs and params are dropped once backward has gone through the entry (unless retained). */
  released = false;
  /** Made when the tape moves the entry to its weak records. */
  liveness: Liveness | null = null;
  /** Where the op was created: a stack, captured only in anomaly mode. */
  site: string | null = null;
  constructor(
    readonly index: number,
    readonly primitive: Primitive<any> | null,
    public inputs: Tensor[],
    readonly output: Tensor,
    public params: unknown,
    readonly kind: "op" | "noise" = "op",
  ) {}

  get name(): string {
    return this.primitive?.name ?? this.kind;
  }

  release(): void {
    this.released = true;
    if (this.liveness) this.liveness.released = true;
    this.inputs = [];
    this.params = undefined;
  }

  toString(): string {
    const out = `t${this.output.id} ${formatShape(this.output.shape)}`;
    if (this.kind === "noise") return `${out} = noise ${this.output.noiseLabel ?? ""}`.trimEnd();
    const args = this.released ? "(released)" : this.inputs.map((t) => `t${t.id} ${formatShape(t.shape)}`).join(", ");
    const extra = this.primitive?.describe && !this.released ? ` ${this.primitive.describe(this.params)}` : "";
    return `${out} = ${this.name}(${args})${extra}`;
  }
}

/**
 * An entry that outlived a job: a WeakRef to the entry itself (made at the end of the job, when
 * KeepDuringJob costs nothing), or, when weakened in the middle of a long synchronous loop, its
 * printed line and a WeakRef to its liveness token.
 */
type WeakRecord = { ref: WeakRef<TapeEntry>; line: null } | { ref: WeakRef<Liveness>; line: string };

class Tape {
  /** Entries recorded since the end of the last job, held strongly until then. */
  private recent: TapeEntry[] = [];
  /** Values held by the recent entries' outputs: past RECENT_VALUES, they become weak records early. */
  private recentValues = 0;
  /** Entries that outlived a job, held weakly. */
  private older: WeakRecord[] = [];
  private counter = 0;
  private recentLimit = 1024;
  private olderLiveAtLastPrune = 0;
  private settleScheduled = false;
  private noGradDepth = 0;

  get recording(): boolean {
    return this.noGradDepth === 0;
  }

  record(primitive: Primitive<any> | null, inputs: Tensor[], output: Tensor, params: unknown, kind: "op" | "noise" = "op"): TapeEntry {
    const entry = new TapeEntry(this.counter++, primitive, inputs, output, params, kind);
    this.recent.push(entry);
    this.recentValues += output.size;
    if (this.recent.length > this.recentLimit || this.recentValues > RECENT_VALUES) this.dropReleasedRecent();
    if (this.recentValues > RECENT_VALUES) this.weakenRecent();
    if (!this.settleScheduled) {
      this.settleScheduled = true;
      queueMicrotask(() => this.settle());
    }
    return entry;
  }

  /** A long synchronous loop: forget released entries now, so the recent list stays small. */
  private dropReleasedRecent(): void {
    this.recent = this.recent.filter((e) => !e.released);
    this.recentValues = 0;
    for (const e of this.recent) this.recentValues += e.output.size;
    this.recentLimit = Math.max(1024, 2 * this.recent.length);
  }

  /** Moves the unreleased recent entries to the weak records; `endOfJob` when no code of the job runs after. */
  private weakenRecent(endOfJob = false): void {
    for (const e of this.recent) {
      if (e.released) continue;
      if (endOfJob) {
        this.older.push({ ref: new WeakRef(e), line: null });
      } else {
        e.liveness = new Liveness();
        this.older.push({ ref: new WeakRef(e.liveness), line: e.toString() });
      }
    }
    this.recent = [];
    this.recentValues = 0;
    this.recentLimit = 1024;
    if (this.older.length > 2 * this.olderLiveAtLastPrune + 1024) this.prune();
  }

  /** End of a job: entries still unreleased become weak, so garbage graphs can be collected. */
  private settle(): void {
    this.settleScheduled = false;
    this.weakenRecent(true);
  }

  /** The weak records whose entry is still live, then the live recent entries, oldest first. */
  private live(): (WeakRecord | TapeEntry)[] {
    const out: (WeakRecord | TapeEntry)[] = this.older.filter((r) => {
      const live = r.ref.deref();
      return live !== undefined && !live.released;
    });
    for (const e of this.recent) if (!e.released) out.push(e);
    return out;
  }

  /** One printed line per live entry, oldest first. */
  private lines(): string[] {
    return this.live().map((x) => (x instanceof TapeEntry ? x.toString() : x.line ?? (x.ref.deref() as TapeEntry).toString()));
  }

  /** How many entries are live: recorded, not yet released by backward, and not garbage. */
  get length(): number {
    return this.live().length;
  }

  /** Drops collected and released entries from the records. */
  private prune(): void {
    this.older = this.live().filter((x): x is WeakRecord => !(x instanceof TapeEntry));
    this.olderLiveAtLastPrune = this.older.length;
    this.dropReleasedRecent();
  }

  /** Forgets every entry. Graphs held by live tensors still work; they are just no longer listed. */
  clear(): void {
    this.recent = [];
    this.recentValues = 0;
    this.older = [];
    this.olderLiveAtLastPrune = 0;
  }

  /**
   * One line per live entry in execution order; with `root`, only the entries `root` depends on.
   */
  toString(root?: Tensor): string {
    return (root ? ancestry(root).map((e) => e.toString()) : this.lines()).join("\n");
  }

  enterNoGrad(): void {
    this.noGradDepth++;
  }

  exitNoGrad(): void {
    this.noGradDepth--;
  }

  /** Runs fn with recording forced on or off, whatever the noGrad depth (backward, grad, gradcheck). */
  withRecording<T>(on: boolean, fn: () => T): T {
    const saved = this.noGradDepth;
    this.noGradDepth = on ? 0 : Math.max(saved, 1);
    try {
      return fn();
    } finally {
      this.noGradDepth = saved;
    }
  }
}

/** Recent entries whose outputs hold more values than this (32 MB of float64) are weakened early. */
const RECENT_VALUES = 4_000_000;

/** The entries a tensor depends on, in execution order. */
export function ancestry(root: Tensor): TapeEntry[] {
  const seen = new Set<TapeEntry>();
  const found: TapeEntry[] = [];
  const stack: Tensor[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!.node;
    if (!node || seen.has(node)) continue;
    seen.add(node);
    found.push(node);
    const inputs = node.inputs;
    for (let i = 0; i < inputs.length; i++) stack.push(inputs[i]);
  }
  return found.sort(byIndex);
}

const byIndex = (a: TapeEntry, b: TapeEntry): number => a.index - b.index;

/** The process-wide tape. `tape.toString()` prints it. */
export const tape = new Tape();

/** Runs fn without recording anything on the tape: its results carry no gradient. */
export function noGrad<T>(fn: () => T): T {
  tape.enterNoGrad();
  try {
    return fn();
  } finally {
    tape.exitNoGrad();
  }
}

/**
 * Runs a primitive and, when some input requires grad and recording is on, appends it to the tape.
 * This is the only place where the tape grows with ops.
 */
export function applyPrimitive<P>(primitive: Primitive<P>, inputs: Tensor[], params: P): Tensor {
  const output = forwardUnrecorded(primitive, inputs, params);
  const anomaly = anomalyDetectionEnabled();
  if (forwardChecksEnabled()) checkForward(primitive.name, inputs, output);
  if (tape.recording && anyRequiresGrad(inputs)) {
    output.requiresGrad = true;
    output.node = tape.record(primitive, inputs, output, params);
    if (anomaly) output.node.site = creationSite();
  }
  return output;
}

/** primitive.forward with recording off (noGrad without the closure: this runs once per op). */
function forwardUnrecorded<P>(primitive: Primitive<P>, inputs: Tensor[], params: P): Tensor {
  tape.enterNoGrad();
  try {
    return primitive.forward(inputs, params);
  } finally {
    tape.exitNoGrad();
  }
}

function anyRequiresGrad(inputs: Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) return true;
  return false;
}
