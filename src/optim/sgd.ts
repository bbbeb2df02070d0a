// Stochastic gradient descent with momentum, as PyTorch's torch.optim.SGD, in its order of
// operations (PyTorch's CPU kernels fuse each multiply-add into one rounding; here it rounds twice).
// The momentum buffer has the parameter's dtype, and a float32 parameter is updated in float32
// arithmetic, as PyTorch's.
import { describeValue, numberIn, GumbelgradError, type Tensor } from "../core/index.js";
import { allocate, dtypeOf, type Data, type FloatData } from "../kernels/index.js";
import { Optimizer, type OptimizerState, type ParamState } from "./optimizer.js";
import { checkKeys, readNumbers, saveNumbers } from "./state.js";

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
  momentum: number;
  /** The dampening of the momentum buffer. */
  dampening: number;
  /** λ, the L2 penalty. */
  weightDecay: number;
  /** Whether the momentum is Nesterov's. */
  nesterov: boolean;
  /** The momentum buffer b of each parameter; null until its first step with momentum. */
  private readonly buffers: (FloatData | null)[];

  /**
   * An SGD optimizer over `params`: `new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`.
   * @throws GumbelgradError for a missing or non-positive lr, a negative rate, or nesterov without momentum.
   */
  constructor(params: Tensor[], opts: SGDOptions) {
    super("SGD", params);
    if (opts === null || typeof opts !== "object") throw new GumbelgradError("SGD", `needs options with lr, e.g. new SGD(params, { lr: 0.1 }), but got ${describeValue(opts)}`);
    this.lr = numberIn("SGD", "lr", opts.lr, { above: 0 });
    this.momentum = opts.momentum ?? 0;
    this.dampening = opts.dampening ?? 0;
    this.weightDecay = opts.weightDecay ?? 0;
    this.nesterov = opts.nesterov ?? false;
    this.checkOptions();
    this.buffers = this.params.map(() => null);
  }

  protected checkOptions(): void {
    checkSGDOptions("SGD", this);
  }

  protected update(i: number, p: Data, g: ArrayLike<number>): void {
    const first = this.buffers[i] === null;
    if (this.momentum !== 0 && first) this.buffers[i] = allocate(dtypeOf(p), p.length) as FloatData; // in p's dtype, as PyTorch's momentum_buffer
    const rule = p instanceof Float32Array ? sgdUpdateFloat32 : sgdUpdate;
    rule(p, g, this.momentum === 0 ? null : this.buffers[i], first, this);
  }

  protected options(): OptimizerState["options"] {
    const { lr, momentum, dampening, weightDecay, nesterov } = this;
    return { lr, momentum, dampening, weightDecay, nesterov };
  }

  protected saveParam(i: number): Omit<ParamState, "shape"> {
    const buf = this.buffers[i];
    return { momentumBuffer: buf === null ? null : saveNumbers(buf) };
  }

  protected loadOptions(op: string, saved: Record<string, unknown>): () => void {
    checkKeys(op, "options", saved, ["lr", "momentum", "dampening", "weightDecay", "nesterov"]);
    const o = saved as unknown as SGDHyperparameters;
    checkSGDOptions(op, o);
    return () => {
      this.lr = o.lr;
      this.momentum = o.momentum;
      this.dampening = o.dampening;
      this.weightDecay = o.weightDecay;
      this.nesterov = o.nesterov;
    };
  }

  protected loadParam(op: string, i: number, saved: Record<string, unknown>): () => void {
    checkKeys(op, `params[${i}]`, saved, ["shape", "momentumBuffer"]);
    const values = saved.momentumBuffer === null ? null : readNumbers(op, `params[${i}].momentumBuffer`, saved.momentumBuffer, this.params[i].size);
    const p = this.params[i];
    return () => {
      this.buffers[i] = values && (p.dtype === "float32" ? Float32Array.from(values) : values);
    };
  }
}

/** The hyperparameters SGD reads at every step. */
interface SGDHyperparameters {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

/**
 * One SGD step of p in place, in float64: d = g + λp;  b ← d on the first step, else μb + (1 − τ)d;
 * d ← d + μb (Nesterov) or b;  p ← p − lr·d. `buf` is null without momentum.
 */
function sgdUpdate(p: Data, g: ArrayLike<number>, buf: FloatData | null, first: boolean, o: SGDHyperparameters): void {
  const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = o;
  for (let j = 0; j < p.length; j++) {
    let d = wd === 0 ? g[j] : g[j] + wd * p[j];
    if (buf) {
      buf[j] = first ? d : mu * buf[j] + (1 - dampening) * d;
      d = nesterov ? d + mu * buf[j] : buf[j];
    }
    p[j] -= lr * d;
  }
}

/** sgdUpdate in float32 arithmetic: the scalars rounded to float32 once, each result rounded (see adamUpdateFloat32). */
function sgdUpdateFloat32(p: Data, g: ArrayLike<number>, buf: FloatData | null, first: boolean, o: SGDHyperparameters): void {
  const f = Math.fround;
  const step = f(-o.lr), mu = f(o.momentum), keep = f(1 - o.dampening), wd = f(o.weightDecay);
  for (let j = 0; j < p.length; j++) {
    let d = o.weightDecay === 0 ? f(g[j]) : f(f(g[j]) + f(wd * p[j]));
    if (buf) {
      buf[j] = first ? d : f(f(mu * buf[j]) + f(keep * d));
      d = o.nesterov ? f(d + f(mu * buf[j])) : buf[j];
    }
    p[j] = f(p[j] + f(step * d));
  }
}

/** Throws, naming `op`, unless the hyperparameters are usable: lr ≥ 0 here, since a schedule may reach 0. */
function checkSGDOptions(op: string, o: SGDHyperparameters): void {
  numberIn(op, "lr", o.lr, { atLeast: 0 });
  numberIn(op, "momentum", o.momentum, { atLeast: 0 });
  numberIn(op, "dampening", o.dampening, { atLeast: 0 });
  numberIn(op, "weightDecay", o.weightDecay, { atLeast: 0 });
  if (typeof o.nesterov !== "boolean") throw new GumbelgradError(op, `nesterov must be true or false, but got ${describeValue(o.nesterov)}`);
  if (o.nesterov && (o.momentum === 0 || o.dampening !== 0)) {
    throw new GumbelgradError(op, "nesterov needs a positive momentum and zero dampening");
  }
}
