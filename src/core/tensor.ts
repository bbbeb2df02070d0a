// Tensor: values in an ndarray view, plus what autodiff needs (requiresGrad, grad, the tape node).
import type { NdArray } from "ndarray";
import { allocate, dtypeOf, isPacked, packed, sizeOf, view, type Data, type DType } from "../kernels/index.js";
import { GumbelgradError, formatShape } from "./errors.js";
import type { TapeEntry } from "./entry.js";
import { runBackward } from "./backward.js";
import { rngArg, type Rng } from "./random.js";
import { checkSize, describeValue, optionsArg } from "./checks.js";
import * as ops from "../ops/index.js";

export type { DType };
/** The floating dtypes, the only ones that can carry a gradient. @category Tensors */
export type FloatDType = "float64" | "float32";
/** Numbers nested in arrays, one level per axis: `[[1, 2], [3, 4]]` has shape [2, 2]. @category Tensors */
export type NestedArray = number[] | NestedArray[];
/** What an op accepts for an operand: a tensor, or a plain number that becomes a rank-0 constant. @category Tensors */
export type TensorLike = Tensor | number;
/** The axis or axes a reduction runs over; negative axes count from the end (-1 is the last). */
export type Axis = number | number[];

let nextId = 0;

/**
 * An n-dimensional array of numbers, plus what autodiff needs: whether it requires grad, its
 * gradient after {@link Tensor.backward}, and the tape entry that made it. Values are float64 by
 * default (finite differences need it), float32 on request, int32 for indices. Make one with
 * {@link tensor}, {@link zeros}, {@link ones}, {@link full}, {@link rand} or {@link randn}.
 *
 * Every op has a method form, so that `x.mul(w).sum(1, true)` reads left to right: `x.add(y)` is
 * `add(x, y)`.
 * @category Tensors
 */
export class Tensor {
  /** A small number that names the tensor on the tape (`t12`). */
  readonly id = nextId++;
  /** The size of each axis, e.g. `[N, K]`; `[]` for a rank-0 tensor (a scalar). */
  readonly shape: number[];
  /** The element type: "float64", "float32" or "int32". */
  readonly dtype: DType;
  /** The number of elements: the product of the shape (1 for rank 0). */
  readonly size: number;
  /**
   * Whether backward computes a gradient for this tensor. Set it on the leaves you want to learn
   * (parameters); an op's result requires grad when one of its inputs does (outside noGrad). Default false.
   */
  requiresGrad = false;
  /**
   * The gradient ∂root/∂this after `root.backward()`, of this tensor's shape; null until then.
   * Assignable: `x.grad = null` resets it, and a later backward adds into it.
   */
  grad: Tensor | null = null;
  /** The tape entry that produced this tensor; null for leaves and for values made without recording. */
  node: TapeEntry | null = null;
  /** Set on Gumbel noise leaves, so the tape can show where randomness enters. */
  noiseLabel: string | null = null;
  /**
   * Most tensors are packed: their values are exactly `buffer[0..size)` in row-major order. Such a
   * tensor builds its ndarray view only when someone asks for `data`, since an op's output is
   * usually read by the next kernel as flat data and never needs one (a view costs more to build
   * than a small op costs to run). Views that are not packed (a transpose, a broadcast) keep
   * their ndarray from the start, and `buffer` is null.
   */
  private buffer: Data | null;
  private view: NdArray<Data> | null;

  /** From an ndarray view, or from flat row-major data and its shape. */
  constructor(source: NdArray<Data> | Data, shape?: readonly number[]) {
    if (ArrayBuffer.isView(source)) {
      if (!(source instanceof Float64Array || source instanceof Float32Array || source instanceof Int32Array)) {
        throw new GumbelgradError("Tensor", `data must be a Float64Array, Float32Array or Int32Array, but got ${describeValue(source)}`);
      }
      if (shape !== undefined && !Array.isArray(shape)) throw new GumbelgradError("Tensor", `shape must be an array of integers, but got ${describeValue(shape)}`);
      this.shape = shape ? shape.slice() : [source.length];
      this.size = sizeOf(this.shape);
      // Data longer than the shape needs a view that shows only its first `size` values.
      this.buffer = source.length === this.size ? source : null;
      this.view = this.buffer ? null : view(source, this.shape);
      this.dtype = dtypeOf(source);
    } else {
      if (!isNdArray(source)) throw new GumbelgradError("Tensor", `needs an ndarray, or a typed array and its shape, but got ${describeValue(source)}`);
      this.shape = source.shape.slice();
      this.view = source;
      this.buffer = isPacked(source) ? source.data : null;
      this.dtype = dtypeOf(source.data);
      this.size = source.size;
    }
  }

  /** The ndarray holding the values. */
  get data(): NdArray<Data> {
    return (this.view ??= view(this.buffer!, this.shape));
  }

  /** The typed array that holds the values (perhaps shared with other tensors: a detached copy, a view). */
  get storage(): Data {
    return this.buffer ?? this.view!.data;
  }

  /** The flat row-major data when the tensor is packed, else null. */
  get packedData(): Data | null {
    return this.buffer;
  }

  /** The number of axes (the rank): `shape.length`. */
  get ndim(): number {
    return this.shape.length;
  }

  /** True for float64 and float32, false for int32. */
  get isFloating(): boolean {
    return this.dtype !== "int32";
  }

  /**
   * The values as flat row-major data (a copy only when the view is not packed). Do not write into
   * it. Small arrays share their ArrayBuffer with others (see `allocate`): to read the bytes, go
   * through byteOffset and byteLength, not the whole buffer.
   */
  values(): Data {
    return this.buffer ?? packed(this.view!);
  }

  /**
   * The value of a one-element tensor, as a number.
   * @throws GumbelgradError when the tensor does not hold exactly one element.
   */
  item(): number {
    if (this.size !== 1) {
      throw new GumbelgradError("item", `needs a tensor with exactly one element, but the tensor has shape ${formatShape(this.shape)}`);
    }
    return this.values()[0];
  }

  /** The values as nested arrays in the tensor's shape; a plain number for rank 0. */
  toArray(): number | NestedArray {
    const flat = this.values();
    if (this.ndim === 0) return flat[0];
    const build = (axis: number, offset: number, stride: number): NestedArray => {
      const n = this.shape[axis];
      const inner = stride / Math.max(n, 1);
      const out: NestedArray = [];
      for (let i = 0; i < n; i++) {
        if (axis === this.ndim - 1) (out as number[]).push(flat[offset + i]);
        else (out as NestedArray[]).push(build(axis + 1, offset + i * inner, inner));
      }
      return out;
    };
    return build(0, 0, sizeOf(this.shape));
  }

  /** The same values, cut from the tape: no gradient flows through the result. */
  detach(): Tensor {
    const t = this.buffer ? new Tensor(this.buffer, this.shape) : new Tensor(this.view!);
    t.noiseLabel = this.noiseLabel;
    return t;
  }

  /**
   * Reverse-mode sweep from this tensor. Leaves that require grad receive ∂this/∂leaf in `.grad`
   * (added to what is there). A non-scalar needs `grad`, the vector of the vector-Jacobian product.
   * `opts.createGraph` records the vjps, so the gradient can be differentiated again (it implies
   * `retainGraph`); `opts.retainGraph` keeps the graph for a second backward. Both default to false.
   * @throws GumbelgradError when this tensor does not require grad, when it has more than one element and
   * no `grad` is given, or when `grad` does not have its shape.
   */
  backward(grad?: Tensor, opts: { createGraph?: boolean; retainGraph?: boolean } = {}): void {
    runBackward(this, grad, opts);
  }

  /** A short description without the values: `Tensor([2, 3], float64, requiresGrad)`. */
  toString(): string {
    return `Tensor(${formatShape(this.shape)}, ${this.dtype}${this.requiresGrad ? ", requiresGrad" : ""})`;
  }

  /** `x.add(y)` is {@link ops.add | add}(x, y): x + y, broadcast. */
  add(other: TensorLike): Tensor { return ops.add(this, other); }
  /** `x.sub(y)` is {@link ops.sub | sub}(x, y): x − y, broadcast. */
  sub(other: TensorLike): Tensor { return ops.sub(this, other); }
  /** `x.mul(y)` is {@link ops.mul | mul}(x, y): x·y elementwise, broadcast. */
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  /** `x.div(y)` is {@link ops.div | div}(x, y): x/y, broadcast. */
  div(other: TensorLike): Tensor { return ops.div(this, other); }
  /** `x.pow(b)` is {@link ops.pow | pow}(x, b): xᵇ, broadcast. */
  pow(exponent: TensorLike): Tensor { return ops.pow(this, exponent); }
  /** `x.maximum(y)` is {@link ops.maximum | maximum}(x, y), the elementwise larger value. */
  maximum(other: TensorLike): Tensor { return ops.maximum(this, other); }
  /** `x.minimum(y)` is {@link ops.minimum | minimum}(x, y), the elementwise smaller value. */
  minimum(other: TensorLike): Tensor { return ops.minimum(this, other); }
  /** `x.neg()` is {@link ops.neg | neg}(x): −x. */
  neg(): Tensor { return ops.neg(this); }
  /** `x.exp()` is {@link ops.exp | exp}(x): eˣ. */
  exp(): Tensor { return ops.exp(this); }
  /** `x.log()` is {@link ops.log | log}(x), the natural logarithm. */
  log(): Tensor { return ops.log(this); }
  /** `x.sqrt()` is {@link ops.sqrt | sqrt}(x): √x. */
  sqrt(): Tensor { return ops.sqrt(this); }
  /** `x.abs()` is {@link ops.abs | abs}(x): |x|. */
  abs(): Tensor { return ops.abs(this); }
  /** `x.square()` is {@link ops.square | square}(x): x². */
  square(): Tensor { return ops.square(this); }
  /** `x.relu()` is {@link ops.relu | relu}(x): max(x, 0). */
  relu(): Tensor { return ops.relu(this); }
  /** `x.sigmoid()` is {@link ops.sigmoid | sigmoid}(x): 1/(1 + e⁻ˣ). */
  sigmoid(): Tensor { return ops.sigmoid(this); }
  /** `x.tanh()` is {@link ops.tanh | tanh}(x). */
  tanh(): Tensor { return ops.tanh(this); }
  /** `x.softplus()` is {@link ops.softplus | softplus}(x): log(1 + eˣ). */
  softplus(): Tensor { return ops.softplus(this); }
  /** `x.clamp(min, max)` is {@link ops.clamp | clamp}(x, min, max): x limited to [min, max]. */
  clamp(min: number, max: number): Tensor { return ops.clamp(this, min, max); }
  /** `x.sum(axis, keepdim)` is {@link ops.sum | sum}(x, axis, keepdim); every axis when axis is left out. */
  sum(axis?: Axis, keepdim = false): Tensor { return ops.sum(this, axis, keepdim); }
  /** `x.mean(axis, keepdim)` is {@link ops.mean | mean}(x, axis, keepdim); every axis when axis is left out. */
  mean(axis?: Axis, keepdim = false): Tensor { return ops.mean(this, axis, keepdim); }
  /** `x.max(axis, keepdim)` is {@link ops.max | max}(x, axis, keepdim), the largest value along the axes. */
  max(axis?: Axis, keepdim = false): Tensor { return ops.max(this, axis, keepdim); }
  /** `x.min(axis, keepdim)` is {@link ops.min | min}(x, axis, keepdim), the smallest value along the axes. */
  min(axis?: Axis, keepdim = false): Tensor { return ops.min(this, axis, keepdim); }
  /** `x.logsumexp(axis, keepdim)` is {@link ops.logsumexp | logsumexp}(x, axis, keepdim): log Σ eˣ, computed stably. */
  logsumexp(axis?: Axis, keepdim = false): Tensor { return ops.logsumexp(this, axis, keepdim); }
  /** `x.softmax(axis)` is {@link ops.softmax | softmax}(x, axis); the last axis by default. */
  softmax(axis = -1): Tensor { return ops.softmax(this, axis); }
  /** `x.logSoftmax(axis)` is {@link ops.logSoftmax | logSoftmax}(x, axis); the last axis by default. */
  logSoftmax(axis = -1): Tensor { return ops.logSoftmax(this, axis); }
  /** `x.matmul(w)` is {@link ops.matmul | matmul}(x, w), the matrix product x @ w. */
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  /** `x.transpose(axes)` is {@link ops.transpose | transpose}(x, axes); reverses the axes when they are left out. */
  transpose(axes?: number[]): Tensor { return ops.transpose(this, axes); }
  /** The transpose with the axes reversed, as for a matrix: `x.T` is `transpose(x)`. */
  get T(): Tensor { return ops.transpose(this); }
  /** `x.reshape(shape)` is {@link ops.reshape | reshape}(x, shape): the same values in a new shape. */
  reshape(shape: number[]): Tensor { return ops.reshape(this, shape); }
  /** `x.broadcastTo(shape)` is {@link ops.broadcastTo | broadcastTo}(x, shape). */
  broadcastTo(shape: number[]): Tensor { return ops.broadcastTo(this, shape); }
  /** `x.indexSelect(axis, idx)` is {@link ops.indexSelect | indexSelect}(x, axis, idx): the slices at idx along axis. */
  indexSelect(axis: number, indices: Tensor | number[]): Tensor { return ops.indexSelect(this, axis, indices); }
  /** `x.argmax(axis)` is {@link ops.argmax | argmax}(x, axis): int32 indices of the largest values, no gradient. */
  argmax(axis: number): Tensor { return ops.argmax(this, axis); }
  /** `x.argmin(axis)` is {@link ops.argmin | argmin}(x, axis): int32 indices of the smallest values, no gradient. */
  argmin(axis: number): Tensor { return ops.argmin(this, axis); }
  /** `x.cast(dtype)` is {@link ops.cast | cast}(x, dtype): the values converted to another dtype. */
  cast(dtype: DType): Tensor { return ops.cast(this, dtype); }
}

/** Options for {@link tensor}, {@link zeros}, {@link ones} and {@link full}. @category Tensors */
export interface CreateOptions {
  /** The shape, needed when the values are a flat typed array; by default the nested array's shape. */
  shape?: number[];
  /** The element type. Default "float64" (for a typed array: its own type). */
  dtype?: DType;
  /** Mark the new tensor as a leaf whose gradient backward computes. Default false. */
  requiresGrad?: boolean;
}

/** Wraps flat row-major data of the given shape, unchecked: for the library's own code, which makes both. */
export function wrap(data: Data, shape: readonly number[]): Tensor {
  return new Tensor(data, shape);
}

/** Wraps flat row-major data of the given shape (no copy: the tensor shares `data`). @category Tensors */
export function fromData(data: Data, shape: readonly number[]): Tensor {
  if (!(data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array)) {
    throw new GumbelgradError("fromData", `data must be a Float64Array, Float32Array or Int32Array, but got ${describeValue(data)}`);
  }
  checkShape("fromData", shape);
  if (sizeOf(shape) > data.length) throw new GumbelgradError("fromData", `shape ${formatShape(shape)} holds ${sizeOf(shape)} values, but data has ${data.length}`);
  return new Tensor(data, shape);
}

/** Creates a tensor from a number, a nested array, a typed array (with `shape`) or an ndarray. @category Tensors */
export function tensor(values: number | NestedArray | Data | NdArray<any>, opts: CreateOptions = {}): Tensor {
  opts = optionsArg("tensor", opts);
  const dtypeGiven = opts?.dtype === undefined ? undefined : dtypeOption("tensor", opts);
  if (opts.shape !== undefined) checkShape("tensor", opts.shape);
  const { flat, shape, dtype: inferred } = readValues(values, opts.shape);
  const dtype = dtypeGiven ?? inferred;
  if (opts.shape && sizeOf(opts.shape) !== flat.length) {
    throw new GumbelgradError("tensor", `shape ${formatShape(opts.shape)} holds ${sizeOf(opts.shape)} values, but ${flat.length} were given`);
  }
  const data = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) data[i] = flat[i];
  return finish("tensor", wrap(data, opts.shape ?? shape), opts);
}

function readValues(values: number | NestedArray | Data | NdArray<any>, shape?: number[]): { flat: ArrayLike<number>; shape: number[]; dtype: DType } {
  if (typeof values === "number") return { flat: [values], shape: [], dtype: "float64" };
  if (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array) {
    return { flat: values, shape: shape ?? [values.length], dtype: dtypeOf(values) };
  }
  if (Array.isArray(values)) return readNested(values);
  if (isNdArray(values)) {
    return { flat: packed(values), shape: [...values.shape], dtype: dtypeOf(values.data as Data) }; // tensor() copies it once
  }
  throw new GumbelgradError("tensor", `values must be a number, a nested array of numbers, a typed array or an ndarray, but got ${describeValue(values)}`);
}

function isNdArray(v: unknown): v is NdArray<any> {
  return typeof v === "object" && v !== null && "shape" in v && "stride" in v && "data" in v && "get" in v;
}

/** Flattens a nested array, checking that it is rectangular and holds only numbers. */
function readNested(values: NestedArray): { flat: number[]; shape: number[]; dtype: DType } {
  const shape: number[] = [];
  for (let level: unknown = values; Array.isArray(level); level = level[0]) shape.push(level.length);
  const flat: number[] = [];
  const walk = (node: unknown, depth: number, path: number[]): void => {
    const at = path.length ? ` at [${path.join("][")}]` : "";
    if (depth === shape.length) {
      if (typeof node !== "number") throw new GumbelgradError("tensor", `expected a number${at}, but found ${Array.isArray(node) ? "an array" : typeof node}`);
      flat.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      const found = Array.isArray(node) ? `length ${node.length}` : typeof node;
      throw new GumbelgradError("tensor", `ragged nested array: expected length ${shape[depth]}${at}, but found ${found}`);
    }
    node.forEach((child, i) => walk(child, depth + 1, [...path, i]));
  };
  walk(values, 0, []);
  return { flat, shape, dtype: "float64" };
}

function finish(op: string, t: Tensor, opts: CreateOptions): Tensor {
  if (opts.requiresGrad) {
    if (!t.isFloating) throw new GumbelgradError(op, `only floating tensors can require grad, but dtype is ${t.dtype}`);
    t.requiresGrad = true;
  }
  return t;
}

/** Throws, naming the op, unless `shape` is a list of non-negative integers of at most MAX_ELEMENTS elements in all. */
export function checkShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new GumbelgradError(op, `a shape is a list of non-negative integers, but got ${Array.isArray(shape) ? `[${shape.map(String).join(", ")}]` : describeValue(shape)}`);
  }
  checkSize(op, shape);
}

/** A tensor of the given shape with every element equal to `value`; float64 unless `opts.dtype` says otherwise. @category Tensors */
export function full(shape: number[], value: number, opts: Omit<CreateOptions, "shape"> = {}): Tensor {
  return filled("full", shape, value, opts);
}

/** A tensor of zeros of the given shape; float64 unless `opts.dtype` says otherwise. @category Tensors */
export function zeros(shape: number[], opts: Omit<CreateOptions, "shape"> = {}): Tensor {
  return filled("zeros", shape, 0, opts);
}

/** A tensor of ones of the given shape; float64 unless `opts.dtype` says otherwise. @category Tensors */
export function ones(shape: number[], opts: Omit<CreateOptions, "shape"> = {}): Tensor {
  return filled("ones", shape, 1, opts);
}

function filled(op: string, shape: number[], value: number, opts: Omit<CreateOptions, "shape">): Tensor {
  checkShape(op, shape);
  opts = optionsArg(op, opts);
  if (typeof value !== "number") throw new GumbelgradError(op, `value must be a number, but got ${describeValue(value)}`);
  const data = allocate(dtypeOption(op, opts), sizeOf(shape));
  data.fill(value);
  return finish(op, wrap(data, shape), opts);
}

/** The dtype option: "float64" when left out. */
function dtypeOption(op: string, opts: { dtype?: unknown } | undefined): DType {
  if (opts === null || (opts !== undefined && typeof opts !== "object")) throw new GumbelgradError(op, `options must be an object, but got ${describeValue(opts)}`);
  const dtype = opts?.dtype ?? "float64";
  if (dtype !== "float64" && dtype !== "float32" && dtype !== "int32") {
    throw new GumbelgradError(op, `dtype must be "float64", "float32" or "int32", but got ${describeValue(dtype)}`);
  }
  return dtype;
}

/** A plain number becomes a rank-0 tensor of the given dtype; a tensor is returned as it is. */
export function asTensor(x: TensorLike, dtype: DType = "float64"): Tensor {
  return typeof x === "number" ? constant(x, dtype) : x;
}

/**
 * The rank-0 constants that plain numbers become (`mul(x, 0.9)`) are shared: a loop that applies
 * the same few constants thousands of times would otherwise keep thousands of copies alive on
 * its tape, and the collector's time grows with what is alive. No op writes into its inputs, so
 * sharing is safe; the cache keeps at most a few hundred values.
 */
const constants: Record<"float64" | "float32" | "int32", Map<number, Tensor>> = { float64: new Map(), float32: new Map(), int32: new Map() };

function constant(value: number, dtype: DType): Tensor {
  if (Object.is(value, -0)) return full([], value, { dtype }); // a Map would mistake −0 for 0
  const cache = constants[dtype];
  let t = cache.get(value);
  if (t === undefined) {
    if (cache.size >= 256) cache.clear();
    t = full([], value, { dtype });
    cache.set(value, t);
  }
  return t;
}

/** Options for {@link rand} and {@link randn}. @category Tensors */
export interface RandomOptions extends Omit<CreateOptions, "shape" | "dtype"> {
  /** The generator to draw from. Default: the shared one that {@link manualSeed} seeds. */
  rng?: Rng;
  /** "float64" (default) or "float32". */
  dtype?: FloatDType;
}

/** Uniform samples in the open interval (0, 1). @category Tensors */
export function rand(shape: number[], opts: RandomOptions = {}): Tensor {
  return randomTensor("rand", shape, opts, (rng) => rng.uniform());
}

/** Standard normal samples. @category Tensors */
export function randn(shape: number[], opts: RandomOptions = {}): Tensor {
  return randomTensor("randn", shape, opts, (rng) => rng.normal());
}

function randomTensor(op: string, shape: number[], opts: RandomOptions, draw: (rng: Rng) => number): Tensor {
  checkShape(op, shape);
  opts = optionsArg(op, opts);
  const dtype = dtypeOption(op, opts);
  if (dtype === "int32") throw new GumbelgradError(op, `dtype must be "float64" or "float32", but got "int32"`);
  const rng = rngArg(op, opts.rng);
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return finish(op, wrap(data, shape), opts);
}
