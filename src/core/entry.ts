// What the tape records: a primitive (an op with its vjp), and one entry per recorded use of it.
import type { Tensor } from "./tensor.js";

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
  /**
   * True for ops made by customOp: their vjp is the user's code, which may keep the gradient it is
   * given, so backward recycles none of its arrays after running one (see sweep in backward.ts).
   */
  readonly userDefined?: boolean;
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
