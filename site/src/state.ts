// What the first panels share: the logits ℓ (set in panels 1 and 2) and the temperature τ (set in
// panels 3 and 6). A change notifies every listener, so two sliders for one value stay in step.
import { mul, softmax, square, sum, tensor, type Tensor } from "../../src/index.js";

export const CATEGORIES = 4;

export interface SharedState {
  logits: number[];
  tau: number;
}

type Listener = (state: SharedState) => void;

const state: SharedState = { logits: [1.5, 0.5, 0, -1], tau: 0.5 };
const listeners: Listener[] = [];

export function shared(): SharedState {
  return { logits: [...state.logits], tau: state.tau };
}

export function update(change: Partial<SharedState>): void {
  Object.assign(state, change);
  for (const listener of listeners) listener(shared());
}

export function onChange(listener: Listener): void {
  listeners.push(listener);
}

/** π = softmax(ℓ), in plain numbers (for labels and the histogram's target). */
export function probabilities(logits: readonly number[]): number[] {
  return Array.from(softmax(tensor([...logits])).values());
}

export const categoryName = (i: number): string => `c${i + 1}`;

/** The downstream function of panels 1 and 6 until the reader changes its weights: f(y) = (w·y)². */
export const DEFAULT_WEIGHTS = [1, -1.5, 2, 0.5];

export const squaredDownstream = (w: Tensor) => (y: Tensor): Tensor => square(sum(mul(w, y)));

export const formatTau = (tau: number): string => (tau < 0.1 ? tau.toFixed(3) : tau < 1 ? tau.toFixed(2) : tau.toFixed(1));
