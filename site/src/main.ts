// The explorer page: each panel finds its own <section> and fills in its controls and charts. Each
// is built in a task of its own, so the page paints and answers input while the next one is built.
import { hooks } from "./hooks.js";
import { noGradientPanel } from "./panels/noGradient.js";
import { gumbelMaxPanel } from "./panels/gumbelMax.js";
import { temperaturePanel } from "./panels/temperature.js";
import { estimatorsPanel } from "./panels/estimators.js";
import { annealingPanel } from "./panels/annealing.js";
import { straightThroughPanel } from "./panels/straightThrough.js";
import { lookupPanel } from "./panels/lookup.js";
import { collapsePanel } from "./panels/collapse.js";
import { yieldToBrowser } from "./schedule.js";
import { auditCharts } from "./charts.js";

const panels: [string, (root: HTMLElement) => unknown][] = [
  ["no-gradient", noGradientPanel],
  ["gumbel-max", gumbelMaxPanel],
  ["temperature", temperaturePanel],
  ["estimators", estimatorsPanel],
  ["annealing", annealingPanel],
  ["straight-through", straightThroughPanel],
  ["lookup", lookupPanel],
  ["collapse", collapsePanel],
];

await yieldToBrowser(); // the bundle's own evaluation is one task; the first panel gets the next
for (const [id, build] of panels) {
  build(document.getElementById(id)!);
  await yieldToBrowser();
}
hooks().charts = auditCharts;
hooks().ready = true;
