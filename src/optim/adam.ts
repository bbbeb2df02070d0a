// Adam (Kingma & Ba 2015), with PyTorch's defaults and arithmetic (torch.optim.Adam, amsgrad off).
import { describeValue, numberIn, GumbelgradError, type Tensor } from "../core/index.js";
import type { Data } from "../kernels/index.js";
import { Optimizer } from "./optimizer.js";

/** Options for {@link Adam}, as torch.optim.Adam's. @category Optimizers */
export interface AdamOptions {
  /** The learning rate, > 0. Default 1e-3. */
  lr?: number;
  /** [β₁, β₂], the decay rates of the moving averages of g and g², each in [0, 1). Default [0.9, 0.999]. */
  betas?: [number, number];
  /** ε, added to the denominator for stability. Default 1e-8. */
  eps?: number;
  /** λ, the L2 penalty added to the gradient (Adam's, not AdamW's decoupled decay). Default 0. */
  weightDecay?: number;
}

/**
 * g ← g + λ·p;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
 * p ← p − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε).   Defaults: lr 1e-3, β (0.9, 0.999), ε 1e-8.
 * @category Optimizers
 */
export class Adam extends Optimizer {
  /** The learning rate; a schedule may change it between steps. */
  lr: number;
  /** [β₁, β₂]. */
  readonly betas: [number, number];
  /** ε. */
  readonly eps: number;
  /** λ, the L2 penalty. */
  readonly weightDecay: number;
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  /** Steps taken per parameter (a parameter without a gradient does not advance). */
  private readonly t: number[];

  /**
   * An Adam optimizer over `params`: `new Adam(model.parameters(), { lr: 1e-3 })`.
   * @throws GumbelgradError for a non-positive lr, a beta outside [0, 1), or a negative eps or weightDecay.
   */
  constructor(params: Tensor[], opts: AdamOptions = {}) {
    super("Adam", params);
    if (opts === null || typeof opts !== "object") throw new GumbelgradError("Adam", `opts must be an object, but got ${describeValue(opts)}`);
    this.lr = opts.lr ?? 1e-3;
    this.betas = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    this.checkOptions();
    this.m = this.params.map((p) => new Float64Array(p.size));
    this.v = this.params.map((p) => new Float64Array(p.size));
    this.t = this.params.map(() => 0);
  }

  protected checkOptions(): void {
    numberIn("Adam", "lr", this.lr, { above: 0 });
    if (!Array.isArray(this.betas) || this.betas.length !== 2) throw new GumbelgradError("Adam", `betas must be a pair [β₁, β₂], but got ${describeValue(this.betas)}`);
    numberIn("Adam", "betas[0]", this.betas[0], { atLeast: 0, below: 1 });
    numberIn("Adam", "betas[1]", this.betas[1], { atLeast: 0, below: 1 });
    numberIn("Adam", "eps", this.eps, { atLeast: 0 });
    numberIn("Adam", "weightDecay", this.weightDecay, { atLeast: 0 });
  }

  protected update(i: number, p: Data, g: ArrayLike<number>): void {
    const [b1, b2] = this.betas;
    const t = ++this.t[i];
    const m = this.m[i], v = this.v[i];
    const stepSize = this.lr / (1 - b1 ** t);
    const sqrtCorrection2 = Math.sqrt(1 - b2 ** t);
    for (let j = 0; j < p.length; j++) {
      const gj = g[j] + this.weightDecay * p[j];
      m[j] = b1 * m[j] + (1 - b1) * gj;
      v[j] = b2 * v[j] + (1 - b2) * gj * gj;
      p[j] -= stepSize * (m[j] / (Math.sqrt(v[j]) / sqrtCorrection2 + this.eps));
    }
  }
}
