// Node-only file helpers: save and load a module's parameters and buffers as JSON.
// Imported as "gumbelgrad/node"; the library itself (src/index.ts) never imports this file,
// so it stays usable in a browser.
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { GumbelgradError } from "../core/errors.js";
import type { Module } from "../nn/module.js";
import { loadStateDict, stateDict, type StateDict } from "../nn/state.js";

/**
 * Writes stateDict(module) to `path` as JSON. The file is written to a temporary name beside it
 * and renamed into place, so a crash never leaves a half-written file at `path`.
 */
export async function saveParameters(module: Module, path: string): Promise<void> {
  const temp = temporaryName(path);
  try {
    await writeFile(temp, serialise(module));
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** saveParameters for a synchronous training loop (a checkpoint between steps); also atomic. */
export function saveParametersSync(module: Module, path: string): void {
  const temp = temporaryName(path);
  try {
    writeFileSync(temp, serialise(module));
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

function temporaryName(path: string): string {
  return `${path}.${process.pid}.${Date.now()}.tmp`;
}

function serialise(module: Module): string {
  return JSON.stringify({ format: "gumbelgrad-state-dict", version: 1, state: stateDict(module) });
}

/** Reads a file written by saveParameters into the module's tensors (names and shapes must match). */
export async function loadParameters(module: Module, path: string): Promise<void> {
  const parsed = JSON.parse(await readFile(path, "utf8")) as { format?: string; state?: StateDict };
  if (parsed?.format !== "gumbelgrad-state-dict" || typeof parsed.state !== "object") {
    throw new GumbelgradError("loadParameters", `${path} is not a file written by saveParameters`);
  }
  loadStateDict(module, parsed.state);
}
