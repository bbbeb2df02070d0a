// Test hooks: each panel publishes the numbers it plots on window.__explorer, so the browser tests
// read values rather than scraping chart pixels.
import type { TableRow } from "./panels/estimators.js";
import type { RunRecord, ScheduleSettings } from "./panels/annealing.js";
import type { LookupErrors, LookupKind } from "./codebook/lookups.js";
import type { ChartAudit } from "./charts.js";

export interface ExplorerHooks {
  ready: boolean;
  charts?: () => ChartAudit[];
  noGradient?: { logits: number[]; sample: number; throughSample: number[]; finiteDifference: number[]; exact: number[]; staircase: number[] };
  gumbelMax?: { drawn: number; target: number; totalVariation: number; frequencies: number[]; probabilities: number[] };
  temperature?: { tau: number; plottedY: () => number[] };
  estimators?: { done: boolean; samples: number; seed: number; rows: TableRow[] };
  annealing?: { done: boolean; settings: ScheduleSettings; every: number; runs: RunRecord[] };
  straightThrough?: { tau: number; downstream: string; weights: number[]; exact: number[]; soft: number[]; straightThrough: number[] };
  lookup?: { running: boolean; step: number; final: Record<LookupKind, LookupErrors> | null };
  collapse?: { running: boolean; step: number; usage: number; perplexity: number; rule: string; restarts: boolean; historyLength: number };
}

declare global {
  interface Window {
    __explorer: ExplorerHooks;
  }
}

export function hooks(): ExplorerHooks {
  window.__explorer ??= { ready: false };
  return window.__explorer;
}
