// Node-only file helpers: save and load a module's parameters and buffers in the safetensors
// layout (safetensors.ts), so Python's `safetensors` reads what gumbelgrad writes and the other
// way round. Imported as "gumbelgrad/node"; the library itself (src/index.ts) never imports this
// file, so it stays usable in a browser.
import { open, type FileHandle } from "node:fs/promises";
import { GumbelgradError, overwrite } from "../core/index.js";
import type { Data } from "../kernels/index.js";
import { checkFits, checkSameNames, namedTensors, type Module } from "../nn/index.js";
import { replaceFile, replaceFileSync } from "./atomic.js";
import { encode, fromLittleEndian, headerLength, parseHeader, storageFor, type FileEntry } from "./safetensors.js";

/**
 * Writes every parameter and buffer of the module to `path` (names as in stateDict), atomically:
 * a crash or a second save at the same time never leaves a half-written file. The values are
 * written straight from the tensors, so do not change them until the promise settles (between
 * training steps, saveParametersSync takes its snapshot at once).
 */
export async function saveParameters(module: Module, path: string): Promise<void> {
  const op = "saveParameters";
  await replaceFile(op, path, encodeModule(op, module, path));
}

/** saveParameters for a synchronous training loop (a checkpoint between steps), with the same guarantees. */
export function saveParametersSync(module: Module, path: string): void {
  const op = "saveParametersSync";
  replaceFileSync(op, path, encodeModule(op, module, path));
}

function encodeModule(op: string, module: Module, path: string): Uint8Array[] {
  checkPath(op, path);
  const tensors = [...namedTensors(op, module)];
  if (tensors.some(([name]) => name === "__metadata__")) {
    throw new GumbelgradError(op, `no tensor may be named "__metadata__", a name the file format keeps for itself, but the module has one`);
  }
  return encode(tensors);
}

function checkPath(op: string, path: unknown): asserts path is string {
  if (typeof path !== "string" || path === "") {
    throw new GumbelgradError(op, `path must be a non-empty string, but got ${path === "" ? "an empty string" : typeof path}`);
  }
}

/**
 * Reads a parameters file into the module's tensors, in place. The whole file is checked first
 * (its layout, then names, shapes and dtypes against the module; float64 and float32 convert into
 * each other, int32 pairs only with int32) and read into fresh memory; only then are the module's
 * tensors written. So a file that is not right throws, naming the path, and changes nothing.
 * A `"__metadata__"` entry is allowed and ignored.
 */
export async function loadParameters(module: Module, path: string): Promise<void> {
  const op = "loadParameters";
  checkPath(op, path);
  const targets = namedTensors(op, module);
  try {
    const handle = await open(path, "r");
    try {
      const { entries, dataStart } = await readLayout(handle, path);
      checkSameNames(op, targets, entries.map((e) => e.name), path);
      for (const e of entries) checkFits(op, e.name, targets.get(e.name)!, e.shape, e.dtype, path);
      const values = await readValues(handle, path, entries, dataStart);
      entries.forEach((e, i) => overwrite(op, targets.get(e.name)!, values[i]));
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof GumbelgradError) throw err;
    const error = new GumbelgradError(op, `${path} must be a readable file, but reading it failed (${(err as Error).message})`);
    error.cause = err;
    throw error;
  }
}

async function readLayout(handle: FileHandle, path: string): Promise<{ entries: FileEntry[]; dataStart: number }> {
  const { size } = await handle.stat();
  const n = headerLength(path, await readBytes(handle, path, 0, Math.min(size, 8)), size);
  const entries = parseHeader(path, await readBytes(handle, path, 8, n), size - 8 - n);
  return { entries, dataStart: 8 + n };
}

async function readValues(handle: FileHandle, path: string, entries: FileEntry[], dataStart: number): Promise<Data[]> {
  const out: Data[] = [];
  for (const entry of entries) {
    const values = storageFor(entry);
    await readInto(handle, path, new Uint8Array(values.buffer), dataStart + entry.begin);
    out.push(fromLittleEndian(values));
  }
  return out;
}

async function readBytes(handle: FileHandle, path: string, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  await readInto(handle, path, bytes, position);
  return bytes;
}

/** Fills `bytes` from the file at `position`; a read may return fewer bytes than asked, so it loops. */
async function readInto(handle: FileHandle, path: string, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesRead } = await handle.read(bytes, done, bytes.length - done, position + done);
    if (bytesRead === 0) {
      throw new GumbelgradError("loadParameters", `${path} must not change while it is read, but it ended at byte ${position + done}, before the ${bytes.length - done} bytes still to read`);
    }
    done += bytesRead;
  }
}
