// The explorer page: each panel finds its own <section> and fills in its controls and charts.
import { hooks } from "./hooks.js";
import { gumbelMaxPanel } from "./panels/gumbelMax.js";
import { temperaturePanel } from "./panels/temperature.js";
import { gradientsPanel } from "./panels/gradients.js";
import { codebookPanel } from "./panels/codebook.js";
import { estimatorsPanel } from "./panels/estimators.js";

const panels: [string, (root: HTMLElement) => void][] = [
  ["gumbel-max", gumbelMaxPanel],
  ["temperature", temperaturePanel],
  ["gradients", gradientsPanel],
  ["codebook", codebookPanel],
  ["estimators", estimatorsPanel],
];

for (const [id, build] of panels) build(document.getElementById(id)!);
hooks().ready = true;
