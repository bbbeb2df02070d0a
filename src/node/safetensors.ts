// The safetensors layout, the file format of Hugging Face's `safetensors`:
//   8 bytes   N, the length of the header: an unsigned 64-bit little-endian integer
//   N bytes   the header, a UTF-8 JSON object: name → { "dtype", "shape", "data_offsets": [begin, end] },
//             and optionally "__metadata__": { string: string }; padded with spaces to a multiple of 8
//   the rest  every tensor's values, row-major and little-endian, back to back; a tensor's
//             data_offsets count bytes from the end of the header
// A reader trusts nothing in a file: every number in the header is checked against the others and
// against the file's size before any value is read.
import { formatShape, GumbelgradError, type Tensor } from "../core/index.js";
import { sizeOf, type Data, type DType } from "../kernels/index.js";

/** A tensor as a file lists it: dtype, shape, and where its bytes lie after the header. */
export interface FileEntry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

const FILE_DTYPE: Record<DType, string> = { float64: "F64", float32: "F32", int32: "I32" };
const DTYPE_OF_FILE = new Map<string, DType>([["F64", "float64"], ["F32", "float32"], ["I32", "int32"]]);
const BYTES_PER_VALUE: Record<DType, number> = { float64: 8, float32: 4, int32: 4 };
/** The reference writer puts the widest dtypes first, so every tensor's data starts aligned. */
const WRITE_ORDER: Record<DType, number> = { float64: 0, float32: 1, int32: 2 };

/** The reference reader refuses larger headers, and so do we: a bigger length is garbage, not a header. */
export const MAX_HEADER_BYTES = 100_000_000;

/** The format is little-endian; a big-endian machine swaps each value's bytes on the way in and out. */
const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * A file's bytes as the pieces to write in order: the length and header, then each tensor's
 * values straight from its own storage (a view, not a copy, on a little-endian machine).
 * Tensors are ordered as the reference writer orders them, so the bytes are the same as its.
 */
export function encode(tensors: [string, Tensor][]): Uint8Array[] {
  const sorted = [...tensors].sort(([a, x], [b, y]) => WRITE_ORDER[x.dtype] - WRITE_ORDER[y.dtype] || compareNames(a, b));
  let offset = 0;
  const fields = sorted.map(([name, t]) => {
    const begin = offset;
    offset += t.size * BYTES_PER_VALUE[t.dtype];
    const info = { dtype: FILE_DTYPE[t.dtype], shape: t.shape, data_offsets: [begin, offset] };
    return `${JSON.stringify(name)}:${JSON.stringify(info)}`;
  });
  // Written by hand rather than JSON.stringify of one object, which would move names like "7" first.
  return [lengthAndHeader(`{${fields.join(",")}}`), ...sorted.map(([, t]) => littleEndianBytes(t.values()))];
}

/** Names in the order of their UTF-8 bytes, as the reference writer sorts them. */
function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The 8-byte header length, then the header padded with spaces so the data starts 8-byte aligned. */
function lengthAndHeader(json: string): Uint8Array {
  const text = new TextEncoder().encode(json);
  const padded = Math.ceil(text.length / 8) * 8;
  const out = new Uint8Array(8 + padded).fill(0x20, 8);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(text, 8);
  return out;
}

function littleEndianBytes(values: Data): Uint8Array {
  // Small arrays share one ArrayBuffer (see allocate): take only this array's own bytes.
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return LITTLE_ENDIAN_HOST ? bytes : swapByteOrder(bytes.slice(), values.BYTES_PER_ELEMENT);
}

/** Reverses the bytes of each `width`-byte value in place. */
export function swapByteOrder(bytes: Uint8Array, width: number): Uint8Array {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Reading

function notSafetensors(path: string, finding: string): never {
  throw new GumbelgradError("loadParameters", `${path} must be a safetensors file, but ${finding}`);
}

/** The header length N from the file's first 8 bytes, checked against the file's size. */
export function headerLength(path: string, first: Uint8Array, fileSize: number): number {
  if (fileSize < 8) notSafetensors(path, `it is ${fileSize} bytes long, too short for the 8-byte header length`);
  const n = new DataView(first.buffer, first.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    notSafetensors(path, `its first 8 bytes give a header length of ${n} bytes, more than the ${MAX_HEADER_BYTES} a header may have`);
  }
  if (8 + Number(n) > fileSize) {
    notSafetensors(path, `its header of ${n} bytes runs past the end of the file, which is ${fileSize} bytes long`);
  }
  return Number(n);
}

/**
 * The tensors the header lists, in the order of their data, once everything about them is
 * checked: the header is UTF-8 JSON starting with `{`, names are not repeated, each entry has a
 * known dtype, a shape and offsets whose span is exactly its size, and the data of all entries
 * covers the `dataBytes` after the header with no gap and no overlap.
 */
export function parseHeader(path: string, header: Uint8Array, dataBytes: number): FileEntry[] {
  const text = utf8(path, header);
  if (!text.startsWith("{")) notSafetensors(path, `its header does not start with "{"`);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    notSafetensors(path, `its header is not valid JSON (${(err as Error).message})`);
  }
  const repeated = firstRepeatedKey(text);
  if (repeated !== null) notSafetensors(path, `its header names ${JSON.stringify(repeated)} twice`);
  const entries: FileEntry[] = [];
  for (const [name, info] of Object.entries(parsed)) {
    if (name === "__metadata__") checkMetadata(path, info);
    else entries.push(readEntry(path, name, info));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  checkContiguous(path, entries, dataBytes);
  return entries;
}

function utf8(path: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    notSafetensors(path, "its header is not UTF-8 text");
  }
}

/**
 * The first name the outermost object of a JSON text gives twice, or null. JSON.parse keeps only
 * the last of repeated names, so they are found in the text: strings at depth 1 followed by ":".
 */
function firstRepeatedKey(json: string): string | null {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === '"') {
      const start = i;
      for (i++; json[i] !== '"'; i++) if (json[i] === "\\") i++;
      if (depth === 1 && nextNonSpace(json, i + 1) === ":") {
        const key = JSON.parse(json.slice(start, i + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
      }
    }
  }
  return null;
}

function nextNonSpace(text: string, from: number): string | undefined {
  let i = from;
  while (i < text.length && " \t\n\r".includes(text[i])) i++;
  return text[i];
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function checkMetadata(path: string, info: unknown): void {
  if (!isRecord(info) || !Object.values(info).every((v) => typeof v === "string")) {
    notSafetensors(path, `its "__metadata__" is ${JSON.stringify(info)}, not an object of strings`);
  }
}

function isIndexList(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((v) => Number.isSafeInteger(v) && v >= 0);
}

function readEntry(path: string, name: string, info: unknown): FileEntry {
  const entry = `the entry for ${JSON.stringify(name)}`;
  if (!isRecord(info)) notSafetensors(path, `${entry} is ${JSON.stringify(info)}, not an object of dtype, shape and data_offsets`);
  const { dtype: fileDtype, shape, data_offsets: offsets } = info;
  const dtype = typeof fileDtype === "string" ? DTYPE_OF_FILE.get(fileDtype) : undefined;
  if (dtype === undefined) notSafetensors(path, `${entry} has dtype ${JSON.stringify(fileDtype)}, and gumbelgrad reads only F64, F32 and I32`);
  if (!isIndexList(shape)) notSafetensors(path, `${entry} has shape ${JSON.stringify(shape)}, not a list of non-negative integers`);
  if (!isIndexList(offsets) || offsets.length !== 2 || offsets[0] > offsets[1]) {
    notSafetensors(path, `${entry} has data_offsets ${JSON.stringify(offsets)}, not [begin, end] with begin ≤ end`);
  }
  const [begin, end] = offsets;
  const needed = sizeOf(shape) * BYTES_PER_VALUE[dtype];
  if (end - begin !== needed) {
    notSafetensors(path, `${entry} (${fileDtype}, shape ${formatShape(shape)}) needs ${needed} bytes, but its data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype, shape, begin, end };
}

function checkContiguous(path: string, entries: FileEntry[], dataBytes: number): void {
  let expected = 0;
  for (const { name, begin, end } of entries) {
    if (begin > expected) notSafetensors(path, `no tensor covers bytes ${expected} to ${begin} of the data, before ${JSON.stringify(name)}`);
    if (begin < expected) notSafetensors(path, `the data of ${JSON.stringify(name)} starts at byte ${begin}, inside the tensor before it, which ends at ${expected}`);
    expected = end;
  }
  if (expected > dataBytes) {
    notSafetensors(path, `its tensors need ${expected} bytes of data, and only ${dataBytes} follow the header (is it truncated?)`);
  }
  if (expected < dataBytes) notSafetensors(path, `${dataBytes - expected} bytes follow the last tensor's data`);
}

/** Fresh storage for an entry's values (its own ArrayBuffer, never a shared slab). */
export function storageFor(entry: FileEntry): Data {
  const size = sizeOf(entry.shape);
  if (entry.dtype === "float32") return new Float32Array(size);
  if (entry.dtype === "int32") return new Int32Array(size);
  return new Float64Array(size);
}

/** Puts values just read from a file (little-endian bytes) into the machine's byte order. */
export function fromLittleEndian(values: Data): Data {
  if (!LITTLE_ENDIAN_HOST) swapByteOrder(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), values.BYTES_PER_ELEMENT);
  return values;
}
