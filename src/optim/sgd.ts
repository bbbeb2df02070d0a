// Stochastic gradient descent with momentum, as PyTorch's torch.optim.SGD.
import { describeValue, numberIn, GumbelgradError, type Tensor } from "../core/index.js";
import type { Data } from "../kernels/index.js";
import { Optimizer } from "./optimizer.js";

/** Options for {@link SGD}, as torch.optim.SGD's. @category Optimizers */
export interface SGDOptions {
  /** The learning rate, > 0. Required. */
  lr: number;
  /** μ, the momentum factor. Default 0 (plain gradient descent). */
  momentum?: number;
  /** Damps the gradient's share of the momentum buffer: b ← μ·b + (1 − dampening)·d. Default 0. */
  dampening?: number;
  /** λ, the L2 penalty added to the gradient: d = g + λ·p. Default 0. */
  weightDecay?: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0. Default false. */
  nesterov?: boolean;
}

/**
 * d = g + λ·p;  b ← μ·b + (1 − dampening)·d (b = d on the first step);  d = nesterov ? d + μ·b : b;
 * p ← p − lr·d.
 * @category Optimizers
 */
export class SGD extends Optimizer {
  /** The learning rate; a schedule may change it between steps. */
  lr: number;
  /** μ, the momentum factor. */
  readonly momentum: number;
  /** The dampening of the momentum buffer. */
  readonly dampening: number;
  /** λ, the L2 penalty. */
  readonly weightDecay: number;
  /** Whether the momentum is Nesterov's. */
  readonly nesterov: boolean;
  private readonly buffers: (Float64Array | null)[];

  /**
   * An SGD optimizer over `params`: `new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`.
   * @throws GumbelgradError for a missing or non-positive lr, a negative rate, or nesterov without momentum.
   */
  constructor(params: Tensor[], opts: SGDOptions) {
    super("SGD", params);
    if (opts === null || typeof opts !== "object") throw new GumbelgradError("SGD", `needs options with lr, e.g. new SGD(params, { lr: 0.1 }), but got ${describeValue(opts)}`);
    const o = opts;
    this.lr = o.lr;
    this.momentum = o.momentum ?? 0;
    this.dampening = o.dampening ?? 0;
    this.weightDecay = o.weightDecay ?? 0;
    this.nesterov = o.nesterov ?? false;
    this.checkOptions();
    this.buffers = this.params.map(() => null);
  }

  protected checkOptions(): void {
    numberIn("SGD", "lr", this.lr, { above: 0 });
    numberIn("SGD", "momentum", this.momentum, { atLeast: 0 });
    numberIn("SGD", "dampening", this.dampening, { atLeast: 0 });
    numberIn("SGD", "weightDecay", this.weightDecay, { atLeast: 0 });
    if (this.nesterov && (this.momentum === 0 || this.dampening !== 0)) {
      throw new GumbelgradError("SGD", "nesterov needs a positive momentum and zero dampening");
    }
  }

  protected update(i: number, p: Data, g: ArrayLike<number>): void {
    const { lr, momentum: mu, dampening, weightDecay: wd } = this;
    let buf = this.buffers[i];
    const first = buf === null;
    if (mu !== 0 && buf === null) buf = this.buffers[i] = new Float64Array(p.length);
    for (let j = 0; j < p.length; j++) {
      let d = g[j] + wd * p[j];
      if (buf) {
        buf[j] = first ? d : mu * buf[j] + (1 - dampening) * d;
        d = this.nesterov ? d + mu * buf[j] : buf[j];
      }
      p[j] -= lr * d;
    }
  }
}
