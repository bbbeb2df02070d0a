// Labelled form controls and readouts. Every control is a native input or button, so it is reachable
// by Tab and works with the arrow keys, and every one has a <label> that a screen reader announces.
import { whenSettled } from "./schedule.js";

let nextId = 0;

function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

export interface SliderOptions {
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  /** How the value is shown beside the slider (and read out). */
  format?: (value: number) => string;
  /** A stable name for tests and styling (data-control). */
  name?: string;
  onInput: (value: number) => void;
}

export interface Slider {
  input: HTMLInputElement;
  /** Moves the thumb without calling onInput (another slider changed the same value). */
  set(value: number): void;
}

/** A range input with its label above and its value beside it. */
export function slider(parent: HTMLElement, opts: SliderOptions): Slider {
  const id = uniqueId("slider");
  const row = element(parent, "div", "control slider");
  const label = element(row, "label");
  label.htmlFor = id;
  label.textContent = opts.label;
  const input = element(row, "input");
  Object.assign(input, { type: "range", id, min: String(opts.min), max: String(opts.max), step: String(opts.step), value: String(opts.value) });
  if (opts.name) input.dataset.control = opts.name;
  const readout = element(row, "output");
  readout.htmlFor.add(id);
  const format = opts.format ?? ((v: number) => v.toFixed(2));
  const show = () => {
    const v = Number(input.value);
    readout.textContent = format(v);
    input.setAttribute("aria-valuetext", format(v));
    return v;
  };
  show();
  input.addEventListener("input", () => opts.onInput(show()));
  return {
    input,
    set(value) {
      input.value = String(value);
      show();
    },
  };
}

export function button(parent: HTMLElement, text: string, onClick: () => void, name?: string): HTMLButtonElement {
  const b = element(parent, "button");
  b.type = "button";
  b.textContent = text;
  if (name) b.dataset.control = name;
  b.addEventListener("click", onClick);
  return b;
}

/** A group of radio buttons in a fieldset with a legend. */
export function choice<T extends string>(parent: HTMLElement, legend: string, options: { value: T; label: string }[], value: T, onChange: (value: T) => void, name?: string): HTMLFieldSetElement {
  const set = element(parent, "fieldset", "choice");
  element(set, "legend").textContent = legend;
  const group = uniqueId("choice");
  if (name) set.dataset.control = name;
  for (const o of options) {
    const id = uniqueId("option");
    const item = element(set, "span", "option");
    const input = element(item, "input");
    Object.assign(input, { type: "radio", name: group, id, value: o.value, checked: o.value === value });
    input.addEventListener("change", () => input.checked && onChange(o.value));
    const label = element(item, "label");
    label.htmlFor = id;
    label.textContent = o.label;
  }
  return set;
}

export function checkbox(parent: HTMLElement, text: string, checked: boolean, onChange: (checked: boolean) => void, name?: string): HTMLInputElement {
  const id = uniqueId("check");
  const row = element(parent, "div", "control");
  const input = element(row, "input");
  Object.assign(input, { type: "checkbox", id, checked });
  if (name) input.dataset.control = name;
  input.addEventListener("change", () => onChange(input.checked));
  const label = element(row, "label");
  label.htmlFor = id;
  label.textContent = text;
  return input;
}

export interface Readout {
  /** Shows the text at once; a screen reader hears it once the numbers have settled. */
  show(text: string): void;
}

/**
 * A line of numbers under a figure. What sighted readers see follows every frame; the live region
 * beside it (role="status") is written only after half a second without change, so a slider drag
 * or a running sampler is announced once, with its final numbers.
 */
export function readout(parent: HTMLElement): Readout {
  const visible = element(parent, "p", "readout");
  visible.setAttribute("aria-hidden", "true");
  const status = element(parent, "p", "visually-hidden");
  status.setAttribute("role", "status");
  let latest = "";
  const announce = whenSettled(() => {
    if (status.textContent !== latest) status.textContent = latest;
  }, 500);
  return {
    show(text) {
      latest = text;
      visible.textContent = text;
      announce();
    },
  };
}

export function element<K extends keyof HTMLElementTagNameMap>(parent: HTMLElement, tag: K, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  parent.appendChild(e);
  return e;
}

export interface KeyItem {
  color: string;
  text: string;
  /** How the mark looks: a filled box (bars), a line, a dashed line or a hollow diamond. */
  mark?: "box" | "line" | "dashed" | "dotted" | "hollow";
}

/** A legend in the caption: real text beside a swatch of each mark, in the chart's colours. */
export function key(parent: HTMLElement, items: KeyItem[]): HTMLUListElement {
  const list = element(parent, "ul", "key");
  for (const item of items) {
    const entry = element(list, "li");
    const swatch = element(entry, "span", `swatch ${item.mark ?? "box"}`);
    swatch.setAttribute("aria-hidden", "true");
    swatch.style.setProperty("--color", item.color);
    entry.append(item.text);
  }
  return list;
}
