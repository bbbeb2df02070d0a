// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019), with PyTorch's defaults and its
// order of operations (torch.optim.Adam and AdamW, amsgrad off); β^t is rounded once, as Python's
// `**`. PyTorch's CPU kernels fuse a multiply and an add into one rounding, which JavaScript cannot
// do at speed, so a step can differ from PyTorch's in the last bit (docs/reliability.md). Moments
// have the parameter's dtype, and a float32 parameter is updated in float32 arithmetic, as PyTorch's.
import { describeValue, GumbelgradError, numberIn, optionsArg, type Tensor } from "../core/index.js";
import { adamWasm, allocate, kernelFor, type Data, type FloatData, type PerDType } from "../kernels/index.js";
import { Optimizer, type OptimizerState, type ParamState } from "./optimizer.js";
import { powInteger } from "./rounding.js";
import { checkKeys, readCount, readNumbers, saveNumbers } from "./state.js";

/** Options for {@link Adam} and {@link AdamW}, as torch.optim.Adam's and AdamW's. @category Optimizers */
export interface AdamOptions {
  /** The learning rate, > 0. Default 1e-3. */
  lr?: number;
  /** [β₁, β₂], the decay rates of the moving averages of g and g², each in [0, 1). Default [0.9, 0.999]. */
  betas?: [number, number];
  /** ε, added to the denominator for stability. Default 1e-8. */
  eps?: number;
  /** λ: Adam's L2 penalty added to the gradient (default 0), or AdamW's decoupled decay (default 0.01). */
  weightDecay?: number;
}

/**
 * g ← g + λ·p;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
 * p ← p − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε).   Defaults: lr 1e-3, β (0.9, 0.999), ε 1e-8, λ 0.
 * @category Optimizers
 */
export class Adam extends Optimizer {
  /** The learning rate; a schedule may change it between steps. */
  lr: number;
  /** [β₁, β₂]. */
  betas: [number, number];
  /** ε. */
  eps: number;
  /** λ, the L2 penalty (Adam) or the decoupled weight decay (AdamW). */
  weightDecay: number;
  private readonly m: FloatData[];
  private readonly v: FloatData[];
  /** Steps taken per parameter (a parameter without a gradient does not advance). */
  private readonly t: number[];

  /**
   * An Adam optimizer over `params`: `new Adam(model.parameters(), { lr: 1e-3 })`.
   * @throws GumbelgradError for a non-positive lr, a beta outside [0, 1), or a negative eps or weightDecay.
   */
  constructor(params: Tensor[], opts: AdamOptions = {}) {
    const decoupled = new.target === AdamW;
    const name = decoupled ? "AdamW" : "Adam";
    super(name, params);
    const o = optionsArg(name, opts);
    this.lr = numberIn(name, "lr", o.lr ?? 1e-3, { above: 0 });
    this.betas = o.betas ?? [0.9, 0.999];
    this.eps = o.eps ?? 1e-8;
    this.weightDecay = o.weightDecay ?? (decoupled ? 0.01 : 0);
    this.checkOptions();
    // zeros of each parameter's size and dtype, as PyTorch's exp_avg and exp_avg_sq
    this.m = this.params.map((p) => allocate(p.dtype, p.size) as FloatData);
    this.v = this.params.map((p) => allocate(p.dtype, p.size) as FloatData);
    this.t = this.params.map(() => 0);
  }

  protected checkOptions(): void {
    checkAdamOptions(this.name, this);
  }

  protected update(i: number, p: Data, g: ArrayLike<number>): void {
    this.adamStep(i, p, g, this.weightDecay);
  }

  /** Adam's step for parameter i, with the L2 penalty λ added to the gradient (none when λ = 0). */
  protected adamStep(i: number, p: Data, g: ArrayLike<number>, l2: number): void {
    const [b1, b2] = this.betas;
    const t = ++this.t[i];
    const m = this.m[i], v = this.v[i], eps = this.eps;
    const stepSize = this.lr / (1 - powInteger(b1, t));
    const sqrtCorrection2 = Math.sqrt(1 - powInteger(b2, t));
    if (adamWasm(p, g, { m, v, b1, b2, stepSize, sqrtCorrection2, eps, l2 })) return;
    kernelFor(adamKernels, p as FloatData)(p, g, m, v, b1, b2, stepSize, sqrtCorrection2, eps, l2);
  }

  protected options(): OptimizerState["options"] {
    return { lr: this.lr, betas: [...this.betas], eps: this.eps, weightDecay: this.weightDecay };
  }

  protected saveParam(i: number): Omit<ParamState, "shape"> {
    return { step: this.t[i], expAvg: saveNumbers(this.m[i]), expAvgSq: saveNumbers(this.v[i]) };
  }

  protected loadOptions(op: string, saved: Record<string, unknown>): () => void {
    checkKeys(op, "options", saved, ["lr", "betas", "eps", "weightDecay"]);
    const o = saved as unknown as AdamHyperparameters;
    checkAdamOptions(op, o);
    const betas: [number, number] = [o.betas[0], o.betas[1]];
    return () => {
      this.lr = o.lr;
      this.betas = betas;
      this.eps = o.eps;
      this.weightDecay = o.weightDecay;
    };
  }

  protected loadParam(op: string, i: number, saved: Record<string, unknown>): () => void {
    checkKeys(op, `params[${i}]`, saved, ["shape", "step", "expAvg", "expAvgSq"]);
    const step = readCount(op, `params[${i}].step`, saved.step);
    const m = readNumbers(op, `params[${i}].expAvg`, saved.expAvg, this.params[i].size);
    const v = readNumbers(op, `params[${i}].expAvgSq`, saved.expAvgSq, this.params[i].size);
    return () => {
      this.t[i] = step;
      this.m[i].set(m);
      this.v[i].set(v);
    };
  }
}

/** The hyperparameters Adam and AdamW read at every step. */
interface AdamHyperparameters {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
}

/** Throws, naming `op`, unless the hyperparameters are usable: lr ≥ 0 here, since a schedule may reach 0. */
function checkAdamOptions(op: string, o: AdamHyperparameters): void {
  numberIn(op, "lr", o.lr, { atLeast: 0 });
  if (!Array.isArray(o.betas) || o.betas.length !== 2) throw new GumbelgradError(op, `betas must be a pair [β₁, β₂], but got ${describeValue(o.betas)}`);
  numberIn(op, "betas[0]", o.betas[0], { atLeast: 0, below: 1 });
  numberIn(op, "betas[1]", o.betas[1], { atLeast: 0, below: 1 });
  numberIn(op, "eps", o.eps, { atLeast: 0 });
  numberIn(op, "weightDecay", o.weightDecay, { atLeast: 0 });
}

/**
 * Adam with decoupled weight decay, as torch.optim.AdamW: p ← p·(1 − lr·λ), then Adam's step on the
 * gradient alone. Defaults as PyTorch's: lr 1e-3, β (0.9, 0.999), ε 1e-8, λ 0.01.
 * @category Optimizers
 */
export class AdamW extends Adam {
  /**
   * An AdamW optimizer over `params`: `new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 })`.
   * @throws GumbelgradError for a non-positive lr, a beta outside [0, 1), or a negative eps or weightDecay.
   */
  constructor(params: Tensor[], opts: AdamOptions = {}) {
    super(params, opts);
  }

  protected override update(i: number, p: Data, g: ArrayLike<number>): void {
    scaleInPlace(p, 1 - this.lr * this.weightDecay);
    this.adamStep(i, p, g, 0);
  }
}

/** p ← p·c in p's dtype: a float32 p is multiplied by c rounded to float32, as PyTorch's param.mul_(c). */
function scaleInPlace(p: Data, c: number): void {
  const factor = p instanceof Float32Array ? Math.fround(c) : c;
  for (let j = 0; j < p.length; j++) p[j] *= factor;
}

/**
 * One Adam update of p in place, with g + λp as the gradient when λ ≠ 0:
 *   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  p ← p − α̂·m/(√v/√(1 − β₂ᵗ) + ε),  α̂ = lr/(1 − β₁ᵗ)
 * in float64. Parameters of 256 values or more take the WebAssembly twin (kernels/adamWasm.ts),
 * which gives the same bits.
 */
function adamUpdate(p: Data, g: ArrayLike<number>, m: FloatData, v: FloatData, b1: number, b2: number,
  stepSize: number, sqrtCorrection2: number, eps: number, l2: number): void {
  for (let j = 0; j < p.length; j++) {
    const gj = l2 === 0 ? g[j] : g[j] + l2 * p[j];
    const mj = (m[j] = b1 * m[j] + (1 - b1) * gj);
    const vj = (v[j] = b2 * v[j] + (1 - b2) * gj * gj);
    p[j] += (-stepSize * mj) / (Math.sqrt(vj) / sqrtCorrection2 + eps);
  }
}

/**
 * adamUpdate in float32 arithmetic, for float32 parameters and moments: each scalar is rounded to
 * float32 once, and each operation's result rounded to float32 (Math.fround), as PyTorch's float32
 * kernels compute. A double result of +, −, ×, ÷ or √ on floats, rounded to float32, is the float32
 * operation's exact result, so this loop gives the bits of float32 hardware.
 */
function adamUpdateFloat32(p: Data, g: ArrayLike<number>, m: FloatData, v: FloatData, b1: number, b2: number,
  stepSize: number, sqrtCorrection2: number, eps: number, l2: number): void {
  const f = Math.fround;
  const beta1 = f(b1), keep1 = f(1 - b1), beta2 = f(b2), keep2 = f(1 - b2);
  const step = f(-stepSize), correction = f(sqrtCorrection2), epsilon = f(eps), decay = f(l2);
  for (let j = 0; j < p.length; j++) {
    const gj = l2 === 0 ? f(g[j]) : f(f(g[j]) + f(decay * p[j]));
    const mj = (m[j] = f(f(beta1 * m[j]) + f(keep1 * gj)));
    const vj = (v[j] = f(f(beta2 * v[j]) + f(f(keep2 * gj) * gj)));
    p[j] = f(p[j] + f(f(step * mj) / f(f(f(Math.sqrt(vj)) / correction) + epsilon)));
  }
}

/** One loop per parameter dtype, so each reads a single typed-array type. */
const adamKernels: PerDType<typeof adamUpdate> = { float64: adamUpdate, float32: adamUpdateFloat32 };
