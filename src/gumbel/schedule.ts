// Temperature annealing (Jang et al. 2017): start smooth, end near one-hot.
//   τ_t = max(τ_min, τ₀·exp(−r·t')),  t' = every·⌊t/every⌋  (τ is held for `every` steps)
import { describeValue, GumbelgradError, integerIn, numberIn, positiveInteger } from "../core/index.js";

/** Options for {@link expDecayTau}: τ_t = max(min, tau0·exp(−rate·t′)), with t′ = every·⌊t/every⌋. @category Gumbel family */
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

/**
 * Exponential temperature annealing (Jang et al. 2017): start smooth, end near one-hot. Returns the
 * schedule as a function of the step number (an integer ≥ 0): τ_t = max(min, tau0·exp(−rate·t′)),
 * where t′ = every·⌊t/every⌋ holds τ for `every` steps.
 * @throws GumbelgradError for tau0 ≤ 0, rate < 0, min ≤ 0 or a non-integer every; the schedule throws for a bad step.
 * @category Gumbel family
 */
export function expDecayTau(opts: ExpDecayTauOptions): (step: number) => number {
  const op = "expDecayTau";
  if (opts === null || typeof opts !== "object") throw new GumbelgradError(op, `needs options { rate, tau0?, min?, every? }, but got ${describeValue(opts)}`);
  const { tau0 = 1, rate, min = 0.5, every = 1 } = opts;
  numberIn(op, "tau0", tau0, { above: 0 });
  numberIn(op, "rate", rate, { atLeast: 0 });
  numberIn(op, "min", min, { above: 0 });
  positiveInteger(op, "every", every);
  return (step: number): number => {
    integerIn(op, "step", step, 0);
    const held = every * Math.floor(step / every);
    return Math.max(min, tau0 * Math.exp(-rate * held));
  };
}
