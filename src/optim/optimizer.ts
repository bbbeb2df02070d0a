// The optimizer base: holds the parameters, clears their gradients, and applies an update rule.
// Updates write into each parameter's own data, so the modules holding it see the new values.
import { Tensor } from "../core/tensor.js";
import { GumbelgradError } from "../core/errors.js";
import type { Data } from "../kernels/layout.js";
import { writableValues } from "../nn/values.js";

export abstract class Optimizer {
  readonly params: Tensor[];
  /** How many times step() has run. */
  stepCount = 0;

  constructor(readonly name: string, params: Tensor[]) {
    if (!Array.isArray(params) || params.length === 0) {
      throw new GumbelgradError(name, "needs a non-empty array of parameters");
    }
    params.forEach((p, i) => {
      if (!(p instanceof Tensor) || !p.requiresGrad) throw new GumbelgradError(name, `parameter ${i} must be a Tensor that requires grad`);
      writableValues(name, p);
    });
    this.params = [...params];
  }

  /** Forgets every parameter's gradient (PyTorch's zero_grad with set_to_none). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    this.stepCount++;
    this.params.forEach((p, i) => {
      if (p.grad) this.update(i, writableValues(this.name, p), p.grad.values());
    });
  }

  /** The rule: new values of parameter i into `value`, given its gradient `grad` (same length). */
  protected abstract update(i: number, value: Data, grad: ArrayLike<number>): void;
}

export function checkRate(op: string, name: string, v: number, opts: { positive?: boolean; below1?: boolean } = {}): void {
  const ok = Number.isFinite(v) && v >= 0 && (!opts.positive || v > 0) && (!opts.below1 || v < 1);
  if (!ok) {
    const rule = opts.below1 ? "in [0, 1)" : opts.positive ? "positive" : "non-negative";
    throw new GumbelgradError(op, `${name} must be ${rule}, but got ${v}`);
  }
}
