// Temperature annealing (Jang et al. 2017): start smooth, end near one-hot.
//   τ_t = max(τ_min, τ₀·exp(−r·t')),  t' = every·⌊t/every⌋  (τ is held for `every` steps)
import { GumbelgradError } from "../core/errors.js";
import { positiveInteger } from "../ops/common.js";

export interface ExpDecayTauOptions {
  /** τ at step 0. Default 1. */
  tau0?: number;
  /** r, the decay per step (Jang et al. used 1e-5 and 1e-4). */
  rate: number;
  /** τ_min, the floor. Default 0.5. */
  min?: number;
  /** Update τ every this many steps (Jang et al. used 500 and 1000). Default 1. */
  every?: number;
}

/** The schedule as a function of the step number (an integer ≥ 0). */
export function expDecayTau({ tau0 = 1, rate, min = 0.5, every = 1 }: ExpDecayTauOptions): (step: number) => number {
  const op = "expDecayTau";
  if (!(tau0 > 0 && Number.isFinite(tau0))) throw new GumbelgradError(op, `tau0 must be a positive finite number, but got ${tau0}`);
  if (!(rate >= 0 && Number.isFinite(rate))) throw new GumbelgradError(op, `rate must be a finite number ≥ 0, but got ${rate}`);
  if (!(min > 0 && Number.isFinite(min))) throw new GumbelgradError(op, `min must be a positive finite number, but got ${min}`);
  positiveInteger(op, "every", every);
  return (step: number): number => {
    if (!Number.isInteger(step) || step < 0) throw new GumbelgradError(op, `step must be an integer ≥ 0, but got ${step}`);
    const held = every * Math.floor(step / every);
    return Math.max(min, tau0 * Math.exp(-rate * held));
  };
}
