// Learning-rate schedules, as torch.optim.lr_scheduler's. Each sets `optimizer.lr` once when it is
// made and again at every step() (called after optimizer.step()). Like PyTorch's, each new rate is
// computed from the rate the optimizer has now (the "chainable" form), with the same arithmetic, so
// the sequences are PyTorch's to the last bit.
import { describeValue, GumbelgradError, numberIn, optionsArg, positiveInteger } from "../core/index.js";
import { Optimizer } from "./optimizer.js";
import { cosine } from "./rounding.js";
import { checkKeys, checkKind, readCount, readRecord } from "./state.js";

/** A schedule's state as plain data, from {@link LRScheduler.stateDict}; it survives JSON. @category Optimizers */
export interface SchedulerState {
  /** The schedule's class: "StepLR", "ExponentialLR", "CosineAnnealingLR" or "LinearLR". */
  scheduler: string;
  /** How many times step() had run. */
  lastEpoch: number;
  /** The optimizer's rate when the schedule was made. */
  baseLr: number;
  /** The schedule's own settings, named as its options. */
  options: Record<string, number>;
}

/** The optimizer argument of a schedule, or an error naming it. */
function optimizerArg(op: string, optimizer: unknown): Optimizer {
  if (!(optimizer instanceof Optimizer)) throw new GumbelgradError(op, `optimizer must be an Optimizer (SGD, Adam, AdamW), but got ${describeValue(optimizer)}`);
  return optimizer;
}

/**
 * The base of the schedules: each sets `optimizer.lr` when it is made and at every {@link LRScheduler.step},
 * as PyTorch's `_LRScheduler`. The loop is `optimizer.step(); scheduler.step();`.
 * @category Optimizers
 */
export abstract class LRScheduler {
  /** The optimizer whose rate the schedule sets. */
  readonly optimizer: Optimizer;
  /** The optimizer's rate when the schedule was made (PyTorch's `base_lrs[0]`). */
  baseLr: number;
  /** How many times step() has run (PyTorch's `last_epoch`): 0 once the schedule is made. */
  lastEpoch = 0;
  /** The schedule's class name, for errors and its state: "StepLR". */
  abstract readonly name: string;

  /**
   * Takes hold of the optimizer and its current rate; the schedule's constructor then sets the rate
   * of step 0.
   * @throws GumbelgradError unless optimizer is an Optimizer.
   */
  constructor(optimizer: Optimizer) {
    this.optimizer = optimizerArg("LRScheduler", optimizer);
    this.baseLr = this.optimizer.lr;
  }

  /** Sets the rate of step 0: the schedules' constructors end with it, as PyTorch's. */
  protected begin(): void {
    this.optimizer.lr = this.nextLr(this.optimizer.lr);
  }

  /** Moves the schedule one step and sets `optimizer.lr`; call it after `optimizer.step()`. */
  step(): void {
    this.lastEpoch++;
    this.optimizer.lr = this.nextLr(this.optimizer.lr);
  }

  /** The rate at step `lastEpoch`, from the rate of the step before (PyTorch's chainable get_lr). */
  protected abstract nextLr(lr: number): number;

  /** The schedule's state as plain data, as PyTorch's `scheduler.state_dict()`. */
  stateDict(): SchedulerState {
    return { scheduler: this.name, lastEpoch: this.lastEpoch, baseLr: this.baseLr, options: this.options() };
  }

  /**
   * Restores a state from {@link LRScheduler.stateDict}, after checking all of it (naming the
   * schedule and the entry). The rate itself is the optimizer's: load the optimizer's state too.
   */
  loadStateDict(state: SchedulerState): void {
    const op = `${this.name}.loadStateDict`;
    const s = readRecord(op, "the state", state);
    checkKind(op, "scheduler", this.name, s.scheduler);
    const lastEpoch = readCount(op, "lastEpoch", s.lastEpoch);
    const baseLr = numberIn(op, "baseLr", s.baseLr, { atLeast: 0 });
    const writeOptions = this.loadOptions(op, readRecord(op, "options", s.options));
    this.lastEpoch = lastEpoch;
    this.baseLr = baseLr;
    writeOptions();
  }

  /** The schedule's settings as plain data, named as its options. */
  protected abstract options(): Record<string, number>;

  /** Checks saved settings and returns what assigns them. */
  protected abstract loadOptions(op: string, saved: Record<string, unknown>): () => void;
}

/** Options for {@link StepLR}, as torch's StepLR. @category Optimizers */
export interface StepLROptions {
  /** Multiply the rate by γ every stepSize steps: a positive integer. Required. */
  stepSize: number;
  /** γ, > 0. Default 0.1. */
  gamma?: number;
}

/**
 * Multiplies the rate by γ every `stepSize` steps: lr_t = lr₀·γ^⌊t / stepSize⌋, as torch.optim.lr_scheduler.StepLR.
 * @category Optimizers
 */
export class StepLR extends LRScheduler {
  /** The schedule's name. */
  readonly name = "StepLR";
  /** Steps between two decays. */
  stepSize: number;
  /** γ, the factor of each decay. */
  gamma: number;

  /**
   * A step schedule on the optimizer's rate: `new StepLR(opt, { stepSize: 30, gamma: 0.1 })`.
   * @throws GumbelgradError for a stepSize that is not a positive integer, or γ ≤ 0.
   */
  constructor(optimizer: Optimizer, opts: StepLROptions) {
    super(optimizerArg("StepLR", optimizer));
    const o = optionsArg("StepLR", opts);
    this.stepSize = positiveInteger("StepLR", "stepSize", o.stepSize);
    this.gamma = numberIn("StepLR", "gamma", o.gamma ?? 0.1, { above: 0 });
    this.begin();
  }

  protected nextLr(lr: number): number {
    return this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0 ? lr : lr * this.gamma;
  }

  protected options(): Record<string, number> {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }

  protected loadOptions(op: string, saved: Record<string, unknown>): () => void {
    checkKeys(op, "options", saved, ["stepSize", "gamma"]);
    const stepSize = positiveInteger(op, "stepSize", saved.stepSize);
    const gamma = numberIn(op, "gamma", saved.gamma, { above: 0 });
    return () => {
      this.stepSize = stepSize;
      this.gamma = gamma;
    };
  }
}

/** Options for {@link ExponentialLR}. @category Optimizers */
export interface ExponentialLROptions {
  /** γ, > 0: the factor of every step. Required. */
  gamma: number;
}

/** Multiplies the rate by γ at every step: lr_t = lr₀·γᵗ, as torch.optim.lr_scheduler.ExponentialLR. @category Optimizers */
export class ExponentialLR extends LRScheduler {
  /** The schedule's name. */
  readonly name = "ExponentialLR";
  /** γ, the factor of every step. */
  gamma: number;

  /**
   * An exponential schedule on the optimizer's rate: `new ExponentialLR(opt, { gamma: 0.95 })`.
   * @throws GumbelgradError for γ ≤ 0 or not given.
   */
  constructor(optimizer: Optimizer, opts: ExponentialLROptions) {
    super(optimizerArg("ExponentialLR", optimizer));
    const o = optionsArg("ExponentialLR", opts);
    this.gamma = numberIn("ExponentialLR", "gamma", o.gamma, { above: 0 });
    this.begin();
  }

  protected nextLr(lr: number): number {
    return this.lastEpoch === 0 ? lr : lr * this.gamma;
  }

  protected options(): Record<string, number> {
    return { gamma: this.gamma };
  }

  protected loadOptions(op: string, saved: Record<string, unknown>): () => void {
    checkKeys(op, "options", saved, ["gamma"]);
    const gamma = numberIn(op, "gamma", saved.gamma, { above: 0 });
    return () => {
      this.gamma = gamma;
    };
  }
}

/** Options for {@link CosineAnnealingLR}. @category Optimizers */
export interface CosineAnnealingLROptions {
  /** T_max, the steps of half a cosine period: a positive integer. Required. */
  tMax: number;
  /** η_min, the lowest rate, ≥ 0. Default 0. */
  etaMin?: number;
}

/**
 * Anneals the rate along a cosine, lr_t = η_min + (lr₀ − η_min)·(1 + cos(πt/T_max))/2, rising again
 * after T_max, as torch.optim.lr_scheduler.CosineAnnealingLR. Computed as PyTorch does, from the
 * previous rate: lr_t = (1 + cos(πt/T))/(1 + cos(π(t−1)/T))·(lr_{t−1} − η_min) + η_min, which
 * differs from the closed form in the last bits. cos is rounded once, as Python's math.cos.
 * @category Optimizers
 */
export class CosineAnnealingLR extends LRScheduler {
  /** The schedule's name. */
  readonly name = "CosineAnnealingLR";
  /** T_max, the steps of half a period. */
  tMax: number;
  /** η_min, the lowest rate. */
  etaMin: number;

  /**
   * A cosine schedule on the optimizer's rate: `new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 })`.
   * @throws GumbelgradError for a tMax that is not a positive integer, or a negative etaMin.
   */
  constructor(optimizer: Optimizer, opts: CosineAnnealingLROptions) {
    super(optimizerArg("CosineAnnealingLR", optimizer));
    const o = optionsArg("CosineAnnealingLR", opts);
    this.tMax = positiveInteger("CosineAnnealingLR", "tMax", o.tMax);
    this.etaMin = numberIn("CosineAnnealingLR", "etaMin", o.etaMin ?? 0, { atLeast: 0 });
    this.begin();
  }

  protected nextLr(lr: number): number {
    const { lastEpoch: t, tMax: T, etaMin: eta, baseLr: base } = this;
    if (t === 0) return lr;
    // at the start of each rising half-period, PyTorch adds the step of the closed form instead
    if ((t - 1 - T) % (2 * T) === 0) return lr + (base - eta) * (1 - cosine(Math.PI / T)) / 2;
    return (1 + cosine(Math.PI * t / T)) / (1 + cosine(Math.PI * (t - 1) / T)) * (lr - eta) + eta;
  }

  protected options(): Record<string, number> {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }

  protected loadOptions(op: string, saved: Record<string, unknown>): () => void {
    checkKeys(op, "options", saved, ["tMax", "etaMin"]);
    const tMax = positiveInteger(op, "tMax", saved.tMax);
    const etaMin = numberIn(op, "etaMin", saved.etaMin, { atLeast: 0 });
    return () => {
      this.tMax = tMax;
      this.etaMin = etaMin;
    };
  }
}

/** Options for {@link LinearLR}, with torch's defaults. @category Optimizers */
export interface LinearLROptions {
  /** The factor of step 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** The factor from step totalIters on, in [0, 1]. Default 1. */
  endFactor?: number;
  /** The steps from startFactor to endFactor: a positive integer. Default 5. */
  totalIters?: number;
}

/**
 * Moves the rate's factor linearly from startFactor to endFactor over totalIters steps, then holds
 * it, as torch.optim.lr_scheduler.LinearLR (a warm-up, with the defaults): the rate is lr₀·startFactor
 * as soon as the schedule is made. Computed from the previous rate, as PyTorch does:
 * lr_t = lr_{t−1}·(1 + (e − s)/(T·s + (t − 1)(e − s))).
 * @category Optimizers
 */
export class LinearLR extends LRScheduler {
  /** The schedule's name. */
  readonly name = "LinearLR";
  /** The factor of step 0. */
  startFactor: number;
  /** The factor from step totalIters on. */
  endFactor: number;
  /** The steps of the ramp. */
  totalIters: number;

  /**
   * A linear ramp of the optimizer's rate: `new LinearLR(opt, { startFactor: 0.1, totalIters: 100 })`.
   * @throws GumbelgradError for a startFactor outside (0, 1], an endFactor outside [0, 1], or a totalIters that is not a positive integer.
   */
  constructor(optimizer: Optimizer, opts: LinearLROptions = {}) {
    super(optimizerArg("LinearLR", optimizer));
    const o = optionsArg("LinearLR", opts);
    this.startFactor = numberIn("LinearLR", "startFactor", o.startFactor ?? 1 / 3, { above: 0, atMost: 1 });
    this.endFactor = numberIn("LinearLR", "endFactor", o.endFactor ?? 1, { atLeast: 0, atMost: 1 });
    this.totalIters = positiveInteger("LinearLR", "totalIters", o.totalIters ?? 5);
    this.begin();
  }

  protected nextLr(lr: number): number {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: T } = this;
    if (t === 0) return lr * s;
    if (t > T) return lr;
    return lr * (1 + (e - s) / (T * s + (t - 1) * (e - s)));
  }

  protected options(): Record<string, number> {
    return { startFactor: this.startFactor, endFactor: this.endFactor, totalIters: this.totalIters };
  }

  protected loadOptions(op: string, saved: Record<string, unknown>): () => void {
    checkKeys(op, "options", saved, ["startFactor", "endFactor", "totalIters"]);
    const startFactor = numberIn(op, "startFactor", saved.startFactor, { above: 0, atMost: 1 });
    const endFactor = numberIn(op, "endFactor", saved.endFactor, { atLeast: 0, atMost: 1 });
    const totalIters = positiveInteger(op, "totalIters", saved.totalIters);
    return () => {
      this.startFactor = startFactor;
      this.endFactor = endFactor;
      this.totalIters = totalIters;
    };
  }
}
