// The optimizer base: holds the parameters, clears their gradients, and applies an update rule.
// Updates write into each parameter's own data, so the modules holding it see the new values.
import { checkWritable, describeValue, GumbelgradError, ShapeError, Tensor, writableValues } from "../core/index.js";
import { sameShape, type Data } from "../kernels/index.js";

/**
 * The base of {@link SGD} and {@link Adam}: holds the parameters, clears their gradients, and
 * applies an update rule. Updates write into each parameter's own data, so the modules holding it
 * see the new values. The loop is `opt.zeroGrad(); loss.backward(); opt.step();`.
 * @category Optimizers
 */
export abstract class Optimizer {
  /** The parameters it updates, in the order given. */
  readonly params: Tensor[];
  /** How many times step() has run. */
  stepCount = 0;

  /**
   * Checks the parameters: a non-empty array of distinct tensors that require grad.
   * @param name The optimizer's name, for errors: "SGD".
   * @param params The tensors to update, e.g. `model.parameters()`.
   * @throws GumbelgradError for an empty list, a tensor that does not require grad, or one given twice.
   */
  constructor(readonly name: string, params: Tensor[]) {
    if (!Array.isArray(params) || params.length === 0) {
      throw new GumbelgradError(name, "needs a non-empty array of parameters");
    }
    params.forEach((p, i) => {
      if (!(p instanceof Tensor) || !p.requiresGrad) throw new GumbelgradError(name, `parameter ${i} must be a Tensor that requires grad, but got ${p instanceof Tensor ? "a Tensor that does not" : describeValue(p)}`);
      checkWritable(name, p);
      if (params.indexOf(p) !== i) throw new GumbelgradError(name, `parameter ${i} is the same tensor as parameter ${params.indexOf(p)}: each parameter may appear once`);
    });
    this.params = [...params];
  }

  /** Checks the hyperparameters (which a schedule or the user may have changed since the last step). */
  protected abstract checkOptions(): void;

  /** Forgets every parameter's gradient (PyTorch's zero_grad with set_to_none). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    this.checkOptions();
    this.params.forEach((p, i) => checkGradient(this.name, p, i));
    this.stepCount++;
    this.params.forEach((p, i) => {
      if (p.grad) this.update(i, writableValues(this.name, p), p.grad.values());
    });
  }

  /** The rule: new values of parameter i into `value`, given its gradient `grad` (same length). */
  protected abstract update(i: number, value: Data, grad: ArrayLike<number>): void;
}

/** Every gradient is checked before any parameter is written, so a bad one changes nothing. */
function checkGradient(op: string, p: Tensor, i: number): void {
  const g: unknown = p.grad;
  if (g === null) return;
  if (!(g instanceof Tensor) || !g.isFloating) {
    throw new GumbelgradError(op, `the gradient of parameter ${i} must be a floating Tensor or null, but got ${g instanceof Tensor ? `dtype ${g.dtype}` : describeValue(g)}`);
  }
  if (!sameShape(g.shape, p.shape)) {
    throw new ShapeError(op, `the gradient of parameter ${i} must have the parameter's shape`, { parameter: p.shape, grad: g.shape });
  }
}
