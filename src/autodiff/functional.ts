// The functional face of autodiff: grad and valueAndGrad over Tensor arguments, and customOp.
import { Tensor } from "../core/tensor.js";
import { GumbelgradError, formatShape } from "../core/errors.js";
import { gradients } from "../core/backward.js";
import { applyPrimitive, tape, type Primitive } from "../core/tape.js";
import { zeros } from "../core/tensor.js";

export interface GradOptions {
  /** Which arguments to differentiate with respect to. Default 0; an array returns an array. */
  argnums?: number | number[];
  /** Keep the returned gradients differentiable. Default: only when an argument already requires grad (a nested grad). */
  createGraph?: boolean;
}

/**
 * valueAndGrad(f)(...args) returns [f(...args), ∂f/∂args[argnums]]. f must return a scalar.
 * Arguments that do not require grad are differentiated through a fresh leaf over the same values.
 */
export function valueAndGrad<A extends Tensor[]>(f: (...args: A) => Tensor, opts: GradOptions = {}) {
  return (...args: A): [Tensor, Tensor | Tensor[]] => {
    const argnums = Array.isArray(opts.argnums) ? opts.argnums : [opts.argnums ?? 0];
    argnums.forEach((i) => {
      if (!(args[i] instanceof Tensor)) throw new GumbelgradError("grad", `argument ${i} must be a Tensor to differentiate with respect to it`);
      if (!args[i].isFloating) throw new GumbelgradError("grad", `argument ${i} must be a floating tensor, but has dtype ${args[i].dtype}`);
    });
    const nested = argnums.some((i) => args[i].requiresGrad);
    const leaves = args.slice() as A;
    for (const i of argnums) {
      if (!leaves[i].requiresGrad) {
        const leaf = leaves[i].detach();
        leaf.requiresGrad = true;
        leaves[i] = leaf;
      }
    }
    // grad is explicit about what to differentiate, so it records even inside noGrad.
    const value = tape.withRecording(true, () => f(...leaves));
    if (!(value instanceof Tensor) || value.size !== 1) {
      throw new GumbelgradError("grad", `f must return a tensor with one element, but it returned ${value instanceof Tensor ? `shape ${formatShape(value.shape)}` : typeof value}`);
    }
    const inputs = argnums.map((i) => leaves[i]);
    const createGraph = opts.createGraph ?? nested;
    const grads = value.requiresGrad ? gradients(value, inputs, undefined, { createGraph }) : inputs.map(() => null);
    const filled = grads.map((g, k) => g ?? zeros(inputs[k].shape, { dtype: inputs[k].dtype }));
    const out = Array.isArray(opts.argnums) ? filled : filled[0];
    return [createGraph ? value : value.detach(), out];
  };
}

/** grad(f)(...args) = ∂f/∂args[argnums]. Nest it for higher derivatives: grad(x => grad(f)(x).sum()). */
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor, opts: GradOptions = {}) {
  const vg = valueAndGrad(f, opts);
  return (...args: A): Tensor | Tensor[] => vg(...args)[1];
}

export interface CustomOpDefinition {
  name: string;
  /** Computes the output; runs unrecorded. */
  forward: (...inputs: Tensor[]) => Tensor;
  /** One gradient per input, in framework ops (so it can be differentiated again); null for none. */
  vjp: (g: Tensor, inputs: Tensor[], output: Tensor) => (Tensor | null)[];
}

/**
 * A user's own differentiable op. The returned function records one tape entry per call, and the
 * engine checks that vjp returns one gradient of the right shape per input.
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
  };
  return (...inputs: Tensor[]) => {
    inputs.forEach((t, k) => {
      if (!(t instanceof Tensor)) throw new GumbelgradError(def.name, `input ${k} must be a Tensor`);
    });
    return applyPrimitive(primitive, inputs, undefined);
  };
}
