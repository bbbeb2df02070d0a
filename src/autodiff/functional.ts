// The functional face of autodiff: grad and valueAndGrad over Tensor arguments, and customOp.
import { ancestry, applyPrimitive, describeValue, formatShape, gradients, GumbelgradError, isRecording, Tensor, withRecording, zeros, type Primitive } from "../core/index.js";

/** Options for {@link grad} and {@link valueAndGrad}. @category Autodiff */
export interface GradOptions {
  /** Which arguments to differentiate with respect to. Default 0; an array returns an array. */
  argnums?: number | number[];
  /**
   * Keep the returned value and gradients differentiable. Default: when recording is on (not inside
   * noGrad) and f depends on a tensor that requires grad other than the differentiated arguments —
   * an outer grad's argument, or parameters f closes over — so that grad composes as in JAX.
   */
  createGraph?: boolean;
}

/**
 * valueAndGrad(f)(...args) returns [f(...args), ∂f/∂args[argnums]]. f must return a scalar.
 * Arguments that do not require grad are differentiated through a fresh leaf over the same values.
 * @category Autodiff
 */
export function valueAndGrad<A extends Tensor[]>(f: (...args: A) => Tensor, opts: GradOptions = {}) {
  return differentiate("valueAndGrad", f, opts);
}

/** grad(f)(...args) = ∂f/∂args[argnums]. Nest it for higher derivatives: grad(x => grad(f)(x).sum()). @category Autodiff */
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor, opts: GradOptions = {}) {
  const vg = differentiate("grad", f, opts);
  return (...args: A): Tensor | Tensor[] => vg(...args)[1];
}

function differentiate<A extends Tensor[]>(op: string, f: (...args: A) => Tensor, opts: GradOptions) {
  if (typeof f !== "function") throw new GumbelgradError(op, `f must be a function, but got ${describeValue(f)}`);
  if (opts === null || typeof opts !== "object") throw new GumbelgradError(op, `opts must be an object, but got ${describeValue(opts)}`);
  return (...args: A): [Tensor, Tensor | Tensor[]] => {
    const argnums = readArgnums(op, opts.argnums, args);
    const outerRecording = isRecording();
    const leaves = args.slice() as A;
    const fresh = new Set<Tensor>();
    for (const i of argnums) {
      if (!leaves[i].requiresGrad) {
        const leaf = leaves[i].detach();
        leaf.requiresGrad = true;
        leaves[i] = leaf;
        fresh.add(leaf);
      }
    }
    // grad is explicit about what to differentiate, so it records even inside noGrad.
    const value = withRecording(true, () => f(...leaves));
    if (!(value instanceof Tensor) || value.size !== 1) {
      throw new GumbelgradError(op, `f must return a tensor with one element, but it returned ${value instanceof Tensor ? `shape ${formatShape(value.shape)}` : describeValue(value)}`);
    }
    const inputs = argnums.map((i) => leaves[i]);
    const createGraph = opts.createGraph ?? (outerRecording && dependsOnOtherLeaves(value, fresh));
    const grads = value.requiresGrad ? gradients(value, inputs, undefined, { createGraph }) : inputs.map(() => null);
    const filled = grads.map((g, k) => g ?? zeros(inputs[k].shape, { dtype: inputs[k].dtype }));
    const out = Array.isArray(opts.argnums) ? filled : filled[0];
    return [createGraph ? value : value.detach(), out];
  };
}

/** The argument positions to differentiate, checked against the arguments given. */
function readArgnums(op: string, argnums: number | number[] | undefined, args: unknown[]): number[] {
  const list = Array.isArray(argnums) ? argnums : [argnums ?? 0];
  list.forEach((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= args.length) {
      throw new GumbelgradError(op, `argnums must name arguments 0 to ${args.length - 1}, but got ${JSON.stringify(argnums)}`);
    }
    const a = args[i];
    if (!(a instanceof Tensor)) throw new GumbelgradError(op, `argument ${i} must be a Tensor to differentiate with respect to it, but got ${describeValue(a)}`);
    if (!a.isFloating) throw new GumbelgradError(op, `argument ${i} must be a floating tensor, but has dtype ${a.dtype}`);
  });
  if (new Set(list).size !== list.length) throw new GumbelgradError(op, `argnums must not repeat, but got ${JSON.stringify(argnums)}`);
  return list;
}

/**
 * Whether `value` depends on a tensor that requires grad other than `leaves`: then someone may
 * differentiate the gradient with respect to it, and it must stay on the tape.
 */
function dependsOnOtherLeaves(value: Tensor, leaves: Set<Tensor>): boolean {
  for (const entry of ancestry(value)) {
    for (const t of entry.inputs) if (t.requiresGrad && t.node === null && !leaves.has(t)) return true;
  }
  return false;
}

/** What {@link customOp} needs to make a differentiable op: a name, a forward and a vjp. @category Autodiff */
export interface CustomOpDefinition {
  /** The op's name, shown on the tape and in its errors. */
  name: string;
  /** Computes the output; runs unrecorded. */
  forward: (...inputs: Tensor[]) => Tensor;
  /** One gradient per input, in framework ops (so it can be differentiated again); null for none. */
  vjp: (g: Tensor, inputs: Tensor[], output: Tensor) => (Tensor | null)[];
}

/**
 * A user's own differentiable op. The returned function records one tape entry per call, and the
 * engine checks that vjp returns one gradient of the right shape per input.
 * @category Autodiff
 */
export function customOp(def: CustomOpDefinition): (...inputs: Tensor[]) => Tensor {
  if (!def || typeof def.name !== "string" || typeof def.forward !== "function" || typeof def.vjp !== "function") {
    throw new GumbelgradError("customOp", "needs { name, forward, vjp }");
  }
  const primitive: Primitive = {
    name: def.name,
    forward: (inputs) => {
      const out = def.forward(...inputs);
      if (!(out instanceof Tensor)) throw new GumbelgradError(def.name, "forward must return a Tensor");
      return out.detach();
    },
    vjp: (g, inputs, output) => def.vjp(g, inputs, output),
    userDefined: true,
  };
  return (...inputs: Tensor[]) => {
    inputs.forEach((t, k) => {
      if (!(t instanceof Tensor)) throw new GumbelgradError(def.name, `input ${k} must be a Tensor`);
    });
    return applyPrimitive(primitive, inputs, undefined);
  };
}
