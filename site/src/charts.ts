// Charts are Vega-Lite specs rendered by a Vega View as SVG. A chart is compiled once; live updates
// replace its named data sets and re-run the view, so nothing is drawn by hand.
import { View, parse } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export interface Chart {
  /** Replaces the rows of a named data set of the spec and redraws. */
  set(name: string, rows: object[]): Promise<void>;
  /** The rows a named data set currently holds (what is plotted). */
  rows(name: string): object[];
}

export function createChart(container: HTMLElement, spec: TopLevelSpec): Chart {
  // resize: the axes and legends grow when data arrive, so the view measures itself on every update
  const sized = { ...spec, autosize: { type: "pad", resize: true } } as TopLevelSpec;
  const view = new View(parse(compile(sized).spec), { renderer: "svg", container, hover: true });
  let drawing: Promise<unknown> = view.runAsync();
  const pending = new Map<string, object[]>();
  return {
    set(name, rows) {
      pending.set(name, rows);
      drawing = drawing.then(() => {
        if (pending.size === 0) return;
        for (const [n, r] of pending) view.data(n, r);
        pending.clear();
        return view.runAsync();
      });
      return drawing.then(() => undefined);
    },
    rows: (name) => view.data(name) as object[],
  };
}

/** Colours shared by every chart, so one estimator has one colour on the whole page. */
export const COLORS = {
  target: "#9aa0a6",
  sampled: "#1f77b4",
  soft: "#ff7f0e",
  straightThrough: "#2ca02c",
  exact: "#444444",
};
