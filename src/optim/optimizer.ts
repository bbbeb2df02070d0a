// The optimizer base: holds the parameters, clears their gradients, applies an update rule, and
// saves and restores its state. Updates write into each parameter's own data, so the modules
// holding it see the new values.
import { checkWritable, describeValue, GumbelgradError, ShapeError, Tensor, writableValues } from "../core/index.js";
import { sameShape, type Data } from "../kernels/index.js";
import { checkKind, checkShapeOf, readCount, readRecord, type SavedNumber } from "./state.js";

/**
 * An optimizer's state as plain data, from {@link Optimizer.stateDict}: every number survives
 * `JSON.stringify` and `JSON.parse`, so a run can be saved and resumed bit for bit.
 * @category Optimizers
 */
export interface OptimizerState {
  /** The optimizer's class: "SGD", "Adam" or "AdamW". */
  optimizer: string;
  /** How many times step() had run. */
  stepCount: number;
  /** The hyperparameters, lr included, named as the constructor's options name them. */
  options: Record<string, number | boolean | number[]>;
  /** One entry per parameter, in the order the optimizer holds them. */
  params: ParamState[];
}

/** What an optimizer keeps for one parameter, in an {@link OptimizerState}. @category Optimizers */
export interface ParamState {
  /** The parameter's shape, checked against the optimizer's parameter when the state is loaded. */
  shape: number[];
  /** The rest is the optimizer's own: Adam's `step`, `expAvg` and `expAvgSq`, SGD's `momentumBuffer`. */
  [entry: string]: number | number[] | SavedNumber[] | null;
}

/**
 * The base of {@link SGD}, {@link Adam} and {@link AdamW}: holds the parameters, clears their
 * gradients, and applies an update rule. Updates write into each parameter's own data, so the
 * modules holding it see the new values. The loop is `opt.zeroGrad(); loss.backward(); opt.step();`.
 * @category Optimizers
 */
export abstract class Optimizer {
  /** The parameters it updates, in the order given. */
  readonly params: Tensor[];
  /** How many times step() has run. */
  stepCount = 0;
  /** The learning rate, read at every step: a schedule ({@link StepLR} …) or the user may change it. */
  abstract lr: number;

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

  /**
   * The optimizer's state as plain data: its hyperparameters (lr included), the step count, and
   * what it keeps for each parameter (Adam's moments, SGD's momentum), as PyTorch's
   * `optimizer.state_dict()`. Save it with the parameters to resume a run exactly.
   */
  stateDict(): OptimizerState {
    return {
      optimizer: this.name,
      stepCount: this.stepCount,
      options: this.options(),
      params: this.params.map((p, i) => ({ shape: [...p.shape], ...this.saveParam(i) })),
    };
  }

  /**
   * Restores a state from {@link Optimizer.stateDict} (also after `JSON.parse`): its hyperparameters,
   * lr included, replace the optimizer's own, as in PyTorch. Everything is checked first (the
   * optimizer's class, one entry per parameter, every shape and length, every number), so a state
   * that does not fit throws, naming the optimizer and the entry, and changes nothing.
   */
  loadStateDict(state: OptimizerState): void {
    const op = `${this.name}.loadStateDict`;
    const s = readRecord(op, "the state", state);
    checkKind(op, "optimizer", this.name, s.optimizer);
    const stepCount = readCount(op, "stepCount", s.stepCount);
    const writeOptions = this.loadOptions(op, readRecord(op, "options", s.options));
    if (!Array.isArray(s.params) || s.params.length !== this.params.length) {
      throw new GumbelgradError(op, `params must hold one entry per parameter (${this.params.length}), but it holds ${Array.isArray(s.params) ? s.params.length : describeValue(s.params)}`);
    }
    const writeParams = s.params.map((entry: unknown, i) => {
      const saved = readRecord(op, `params[${i}]`, entry);
      checkShapeOf(op, `params[${i}].shape`, this.params[i].shape, saved.shape);
      return this.loadParam(op, i, saved);
    });
    // Every entry has passed its checks: only now is anything written.
    this.stepCount = stepCount;
    writeOptions();
    for (const write of writeParams) write();
  }

  /** The hyperparameters as plain data, named as the options. */
  protected abstract options(): OptimizerState["options"];

  /** What the optimizer keeps for parameter i, as plain data. */
  protected abstract saveParam(i: number): Omit<ParamState, "shape">;

  /** Checks saved hyperparameters and returns what assigns them; throws, naming `op`, for a bad one. */
  protected abstract loadOptions(op: string, saved: Record<string, unknown>): () => void;

  /** Checks a saved entry of parameter i and returns what writes it in; throws, naming `op`, for a bad one. */
  protected abstract loadParam(op: string, i: number, saved: Record<string, unknown>): () => void;
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
