// Module: a named tree of parameters (learned by gradient), buffers (state updated by other
// rules, such as an EMA codebook) and child modules, as in PyTorch. Nothing here is Node-only.
import { GumbelgradError, type Tensor } from "../core/index.js";

/**
 * The base of every layer: a named tree of parameters (learned by gradient), buffers (state
 * updated by other rules, such as an EMA codebook) and child modules, as in PyTorch. Names are
 * paths, `layers.0.weight`, so {@link stateDict} round-trips with PyTorch's state dicts.
 * @category nn
 */
export abstract class Module {
  /** Training mode: quantizers update their EMA statistics and restart dead codes only when true. */
  training = true;
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /** Registers a learned tensor under `name`; it is marked requiresGrad. */
  protected addParameter(name: string, t: Tensor): Tensor {
    this.checkName(name);
    t.requiresGrad = true;
    this.ownParameters.set(name, t);
    return t;
  }

  /** Registers state that is saved with the module but not learned by gradient. */
  protected addBuffer(name: string, t: Tensor): Tensor {
    this.checkName(name);
    this.ownBuffers.set(name, t);
    return t;
  }

  /** Registers a child module under `name`; its parameters and buffers are named `name.…`. */
  protected addModule<M extends Module>(name: string, m: M): M {
    this.checkName(name);
    this.children.set(name, m);
    return m;
  }

  private checkName(name: string): void {
    if (this.ownParameters.has(name) || this.ownBuffers.has(name) || this.children.has(name) || name.includes(".")) {
      throw new GumbelgradError(this.constructor.name, `"${name}" is already registered or contains a dot`);
    }
  }

  /** Every parameter of this module and its children, named by path: `layers.0.weight`. */
  namedParameters(prefix = ""): [string, Tensor][] {
    const own: [string, Tensor][] = [...this.ownParameters].map(([n, t]) => [prefix + n, t]);
    const nested = [...this.children].flatMap(([n, m]) => m.namedParameters(`${prefix}${n}.`));
    return [...own, ...nested];
  }

  /** Every buffer of this module and its children, named by path. */
  namedBuffers(prefix = ""): [string, Tensor][] {
    const own: [string, Tensor][] = [...this.ownBuffers].map(([n, t]) => [prefix + n, t]);
    const nested = [...this.children].flatMap(([n, m]) => m.namedBuffers(`${prefix}${n}.`));
    return [...own, ...nested];
  }

  /** The parameters to hand to an optimizer. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Sets training mode here and in every child. */
  train(on = true): this {
    this.training = on;
    for (const m of this.children.values()) m.train(on);
    return this;
  }

  /** Evaluation mode: no state updates, deterministic outputs. */
  eval(): this {
    return this.train(false);
  }
}
