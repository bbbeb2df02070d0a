// Test hooks: each panel publishes the numbers it plots on window.__explorer, so the browser tests
// read values rather than scraping chart pixels.
export interface ExplorerHooks {
  ready: boolean;
  gumbelMax?: { drawn: number; target: number; totalVariation: number; frequencies: number[]; probabilities: number[] };
  temperature?: { tau: number; plottedY: () => number[] };
  gradients?: { tau: number; exact: number[]; soft: number[]; straightThrough: number[] };
  codebook?: { running: boolean; step: number; usage: number; perplexity: number; quantizer: string; restarts: boolean };
  estimators?: { done: boolean; rows: object[] };
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
