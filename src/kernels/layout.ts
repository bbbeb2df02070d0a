// Layout helpers over ndarray views: sizes, strides, contiguous copies and broadcast views.
// Nothing here knows about gradients.
import ndarray, { type NdArray } from "ndarray";
import { logAllocation, takeRecycled } from "./recycling.js";

/** A tensor's element type: "float64" (the default), "float32", or "int32" for indices. @category Tensors */
export type DType = "float64" | "float32" | "int32";
/** The typed arrays that hold a tensor's values, one per {@link DType}. */
export type Data = Float64Array | Float32Array | Int32Array;
export type FloatData = Float64Array | Float32Array;

/**
 * Zeroed storage for `size` values of `dtype`, no other tensor's.
 *
 * Small arrays are cut from a shared slab, as Node's Buffer pool does. V8 keeps a typed array of
 * up to 64 bytes inside its heap, where it is cheap, but gives any larger one its own memory outside
 * the heap, which costs an allocation and work for the garbage collector, which tracks each one. A
 * small model's ops make thousands of such arrays: a full gradient check of the W6 benchmark makes
 * about four thousand, and took three times as long with them as with views on shared slabs.
 * Pieces are never reused, so they start zeroed; a slab is freed once every array cut from it is
 * garbage. So `values().buffer` may be shared with other tensors: read a tensor's bytes through
 * byteOffset and byteLength. Larger arrays come from those a backward pass has finished with
 * (recycling.ts) when one of the size is there, zero-filled, and are fresh otherwise.
 */
export function allocate(dtype: DType, size: number): Data {
  const bytes = size * (dtype === "float64" ? 8 : 4);
  if (bytes <= V8_ON_HEAP_BYTES) return fresh(dtype, size);
  if (bytes <= SLAB_PIECE_BYTES) return fromSlab(dtype, size, bytes);
  const reused = takeRecycled(bytes);
  const data = reused ? over(dtype, reused, 0, size).fill(0) : fresh(dtype, size);
  logAllocation(data.buffer);
  return data;
}

function fresh(dtype: DType, size: number): Data {
  if (dtype === "float32") return new Float32Array(size);
  if (dtype === "int32") return new Int32Array(size);
  return new Float64Array(size);
}

/** A typed array of `dtype` over `size` values of `buffer` from byte `offset`. */
function over(dtype: DType, buffer: ArrayBuffer, offset: number, size: number): Data {
  if (dtype === "float32") return new Float32Array(buffer, offset, size);
  if (dtype === "int32") return new Int32Array(buffer, offset, size);
  return new Float64Array(buffer, offset, size);
}

/** Typed arrays up to this size live in V8's heap already. */
const V8_ON_HEAP_BYTES = 64;
/** The largest piece cut from a slab, and the slab's size: eight or more pieces per slab. */
const SLAB_PIECE_BYTES = 4096;
const SLAB_BYTES = 32768;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

function fromSlab(dtype: DType, size: number, bytes: number): Data {
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const offset = slabUsed;
  slabUsed += (bytes + 7) & ~7; // the next piece starts 8-byte aligned, as a Float64Array needs
  return over(dtype, slab, offset, size);
}

export function dtypeOf(data: Data): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  return "float64";
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: the last axis moves fastest. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i], 1);
  }
  return strides;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** An ndarray view over flat row-major data. */
export function view(data: Data, shape: readonly number[]): NdArray<Data> {
  return ndarray(data, [...shape], rowMajorStrides(shape), 0);
}

/** True when the view's elements are exactly `data[0..size)` in row-major order. */
export function isPacked(nd: NdArray<Data>): boolean {
  if (nd.offset !== 0 || nd.data.length !== nd.size) return false;
  // Compare with rowMajorStrides(nd.shape) as they are computed, without allocating them: this runs for every op's inputs.
  for (let i = nd.shape.length - 1, s = 1; i >= 0; i--) {
    if (nd.shape[i] > 1 && nd.stride[i] !== s) return false;
    s *= Math.max(nd.shape[i], 1);
  }
  return true;
}

/**
 * The view's elements as flat row-major data, copied only when the view is not already packed.
 * Callers must not write into the result.
 */
export function packed(nd: NdArray<Data>, dtype: DType = dtypeOf(nd.data)): Data {
  if (isPacked(nd) && dtypeOf(nd.data) === dtype) return nd.data;
  return packedCopy(nd, dtype);
}

/** A fresh flat row-major copy of the view, safe to write into. */
export function packedCopy(nd: NdArray<Data>, dtype: DType = dtypeOf(nd.data)): Data {
  const out = allocate(dtype, nd.size);
  if (nd.size === 0) return out;
  if (nd.shape.length === 0) {
    out[0] = nd.data[nd.offset];
    return out;
  }
  copyStrided(nd.data, nd.offset, nd.shape, nd.stride, out);
  return out;
}

/**
 * Writes the strided view (data, offset, shape, stride) into `out` in row-major order.
 * The last axis is a tight loop; the axes before it advance like an odometer. This replaces
 * ndarray-ops' assign on the hot paths (transposes, broadcasts, reductions over inner axes),
 * where it is several times faster for small and medium arrays.
 */
export function copyStrided(src: Data, offset: number, shape: readonly number[], stride: readonly number[], out: Data): void {
  const last = shape.length - 1;
  const inner = shape[last], step = stride[last];
  if (inner === 0) return;
  const outer = out.length / inner;
  const counter = new Array<number>(last).fill(0);
  let base = offset;
  for (let o = 0, w = 0; o < outer; o++) {
    for (let j = 0, r = base; j < inner; j++, r += step) out[w++] = src[r];
    for (let axis = last - 1; axis >= 0; axis--) {
      base += stride[axis];
      if (++counter[axis] < shape[axis]) break;
      base -= stride[axis] * shape[axis];
      counter[axis] = 0;
    }
  }
}

/** A view of `nd` broadcast to `shape` (NumPy rules): new leading axes and size-1 axes get stride 0. */
export function broadcastView(nd: NdArray<Data>, shape: readonly number[]): NdArray<Data> {
  const lead = shape.length - nd.shape.length;
  const strides = shape.map((d, i) => {
    const j = i - lead;
    if (j < 0 || nd.shape[j] === 1) return 0;
    return nd.stride[j];
  });
  return ndarray(nd.data, [...shape], strides, nd.offset);
}

/** The view's elements broadcast to `shape`, as flat row-major data (copied only when needed). */
export function packedAs(nd: NdArray<Data>, shape: readonly number[], dtype: DType): Data {
  if (sameShape(nd.shape, shape)) return packed(nd, dtype);
  return packedCopy(broadcastView(nd, shape), dtype);
}

/** The broadcast shape of two shapes, or null when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Permute axes of a view (no copy). */
export function permuted(nd: NdArray<Data>, axes: readonly number[]): NdArray<Data> {
  return ndarray(nd.data, axes.map((a) => nd.shape[a]), axes.map((a) => nd.stride[a]), nd.offset);
}

/** A shape seen as [outer, axis, inner]: the sizes of everything before the axis, the axis, everything after. */
export function aroundAxis(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

/** The multi-index of element `flat` of a row-major array of `shape` (`[]` for a scalar). */
export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const strides = rowMajorStrides(shape);
  return shape.map((d, k) => Math.floor(flat / strides[k]) % Math.max(d, 1));
}
