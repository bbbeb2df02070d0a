// What the first three panels share: the logits ℓ the reader sets in panel 1, and the temperature τ
// set in panel 2 (panel 3 measures gradients at both). A change notifies every listener.
import { softmax, tensor } from "../../src/index.js";

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
