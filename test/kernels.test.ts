// The fast kernels against their reference definitions, on random shapes, float64 and float32,
// contiguous data and non-contiguous views (transposes, broadcasts, offsets).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import ndarray from "ndarray";
import { Rng, fromData, tensor, add, sub, mul, div, maximum, matmul, softmax, logSoftmax, logsumexp, transpose, broadcastTo, squaredDistances, linear, reshape, sum, type Tensor } from "../src/index.js";
import { readFileSync } from "node:fs";
import { addToRows, allocate, copyStrided, matmulAddRows, dtypeOf, logSoftmaxAlong, matmulKernel, matmulReference, matmulSmall, matmulStrided, matmulWasm, packedOperand, rowMajorStrides, sizeOf, softmaxAlong, wasmMatmulAvailable, wasmMatmulMemoryBytes, type MatrixOperand } from "../src/kernels/index.js";
import binaryen from "binaryen";
import { compileWat, generatedModule } from "../scripts/build-wasm.js";

const rng = new Rng(2024);
const randomData = (size: number, dtype: "float64" | "float32") => {
  const d = dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) d[i] = 4 * rng.uniform() - 2;
  return d;
};
const dim = (max: number) => 1 + rng.int(max);

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * (1 + Math.abs(expected[i])))) assert.unreachable(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

/** Relative tolerance per dtype; the matmul checks scale it by k, the number of products summed. */
const tol = (dtype: string) => (dtype === "float32" ? 1e-5 : 1e-12);

// ---- matmul --------------------------------------------------------------------------------

const mm = suite("kernels: matmul against the reference");

mm("random shapes (edges that do not fill a tile, k past one packed block), both dtypes", () => {
  for (const dtype of ["float64", "float32"] as const) {
    for (let trial = 0; trial < 25; trial++) {
      const batch = dim(3), n = dim(19), k = trial % 5 === 0 ? 129 + rng.int(140) : dim(21), m = dim(19);
      const a = packedOperand(randomData(batch * n * k, dtype), n, k), b = packedOperand(randomData(batch * k * m, dtype), k, m);
      const fast = dtype === "float32" ? new Float32Array(batch * n * m) : new Float64Array(batch * n * m);
      const ref = new Float64Array(batch * n * m);
      matmulStrided(a, b, fast, batch, n, k, m);
      matmulReference(a, b, ref, batch, n, k, m);
      close(fast, ref, tol(dtype) * k, `${dtype} [${batch}, ${n}, ${k}] @ [${batch}, ${k}, ${m}]`);
    }
  }
});

mm("strided operands: transposed, offset and broadcast-batch views are read in place", () => {
  for (let trial = 0; trial < 20; trial++) {
    const n = dim(13), k = dim(150), m = dim(13);
    const bigA = randomData(5 + n * k, "float64"), bigB = randomData(3 + k * m, "float64");
    // A stored transposed (k×n) at offset 5; B a row-major k×m at offset 3, shared by two batches.
    const a: MatrixOperand = { data: bigA, offset: 5, batchStride: 0, rowStride: 1, colStride: n };
    const b: MatrixOperand = { data: bigB, offset: 3, batchStride: 0, rowStride: m, colStride: 1 };
    const fast = new Float64Array(2 * n * m), ref = new Float64Array(2 * n * m);
    matmulStrided(a, b, fast, 2, n, k, m);
    matmulReference(a, b, ref, 2, n, k, m);
    close(fast, ref, 1e-12 * k, `strided [${n}, ${k}] @ [${k}, ${m}]`);
  }
});

mm("the WebAssembly SIMD kernel matches the reference too (k past its 256-row block, strided operands)", () => {
  assert.ok(wasmMatmulAvailable(), "Node 20 has WebAssembly SIMD");
  for (const dtype of ["float64", "float32"] as const) {
    for (let trial = 0; trial < 15; trial++) {
      const batch = dim(2), n = dim(23), k = trial % 3 === 0 ? 250 + rng.int(300) : dim(40), m = dim(23);
      const transposedA = trial % 2 === 1;
      const aData = randomData(batch * n * k, dtype);
      const a: MatrixOperand = transposedA
        ? { data: aData, offset: 0, batchStride: n * k, rowStride: 1, colStride: n }
        : packedOperand(aData, n, k);
      const b = packedOperand(randomData(batch * k * m, dtype), k, m);
      const fast = dtype === "float32" ? new Float32Array(batch * n * m) : new Float64Array(batch * n * m);
      const ref = new Float64Array(batch * n * m);
      assert.ok(matmulWasm(a, b, fast, batch, n, k, m));
      matmulReference(a, b, ref, batch, n, k, m);
      close(fast, ref, tol(dtype) * k, `wasm ${dtype} [${batch}, ${n}, ${k}] @ [${batch}, ${k}, ${m}]${transposedA ? " (Aᵀ view)" : ""}`);
    }
  }
});

mm("a product wider than one packed block of B (256 columns) and deeper than one of k, both kernels", () => {
  for (const dtype of ["float64", "float32"] as const) {
    const batch = 2, n = 7, k = 300, m = 263;
    const a = packedOperand(randomData(batch * n * k, dtype), n, k), b = packedOperand(randomData(batch * k * m, dtype), k, m);
    const ref = new Float64Array(batch * n * m);
    matmulReference(a, b, ref, batch, n, k, m);
    for (const [name, kernel] of [["plain-TS", matmulStrided], ["wasm", matmulWasm]] as const) {
      const fast = dtype === "float32" ? new Float32Array(batch * n * m) : new Float64Array(batch * n * m);
      kernel(a, b, fast, batch, n, k, m);
      close(fast, ref, tol(dtype) * k, `${name} ${dtype} [${batch}, ${n}, ${k}] @ [${batch}, ${k}, ${m}]`);
    }
  }
});

/** The same k×m matrices (one per batch entry) stored in `layout`, read back through its strides. */
function operandIn(layout: "packed" | "transposed" | "reversed" | "broadcast", data: Float64Array | Float32Array, batch: number, rows: number, cols: number): MatrixOperand {
  switch (layout) {
    case "packed": return packedOperand(data, rows, cols);
    case "transposed": return { data, offset: 0, batchStride: rows * cols, rowStride: 1, colStride: rows };
    case "reversed": return { data, offset: batch * rows * cols - 1, batchStride: -rows * cols, rowStride: -cols, colStride: -1 };
    case "broadcast": return { data, offset: 2, batchStride: 0, rowStride: cols, colStride: 1 };
  }
}

mm("every operand layout (transposed, reversed, offset broadcast) and mixed dtypes, both kernels", () => {
  const layouts = ["packed", "transposed", "reversed", "broadcast"] as const;
  for (let trial = 0; trial < 24; trial++) {
    const batch = 2, n = dim(13), k = trial % 4 === 0 ? 250 + rng.int(60) : dim(30), m = dim(19);
    const [aType, bType, outType] = [trial % 3 === 0 ? "float32" : "float64", trial % 2 === 0 ? "float32" : "float64", trial % 5 < 2 ? "float32" : "float64"] as const;
    const a = operandIn(layouts[trial % 4], randomData(batch * n * k + 2, aType), batch, n, k);
    const b = operandIn(layouts[Math.floor(trial / 4) % 4], randomData(batch * k * m + 2, bType), batch, k, m);
    const ref = new Float64Array(batch * n * m);
    matmulReference(a, b, ref, batch, n, k, m);
    const what = `[${n}, ${k}] @ [${k}, ${m}], A ${layouts[trial % 4]} ${aType}, B ${layouts[Math.floor(trial / 4) % 4]} ${bType}, out ${outType}`;
    for (const [name, kernel] of [["plain-TS", matmulStrided], ["wasm", matmulWasm]] as const) {
      const fast = outType === "float32" ? new Float32Array(batch * n * m) : new Float64Array(batch * n * m);
      kernel(a, b, fast, batch, n, k, m);
      close(fast, ref, (aType === "float32" || bType === "float32" || outType === "float32" ? 1e-5 : 1e-12) * k, `${name} ${what}`);
    }
  }
});

mm("a narrow column slice of a wide matrix is multiplied without copying the whole matrix into WebAssembly memory", () => {
  const rows = 300, width = 20_000, n = 4; // A: 4 × 300 packed; B: column 7 … 9 of a 300 × 20,000 matrix
  const wide = randomData(rows * width, "float64");
  const a = packedOperand(randomData(n * rows, "float64"), n, rows);
  const b: MatrixOperand = { data: wide, offset: 7, batchStride: 0, rowStride: width, colStride: 1 };
  const ref = new Float64Array(n * 3), out = new Float64Array(n * 3);
  matmulReference(a, b, ref, 1, n, rows, 3);
  assert.ok(matmulWasm(a, b, out, 1, n, rows, 3));
  close(out, ref, tol("float64") * rows, "column slice");
  assert.ok(wasmMatmulMemoryBytes() < wide.byteLength / 4, `${wasmMatmulMemoryBytes()} bytes of WebAssembly memory for a ${wide.byteLength}-byte source`);
});

mm("squaredDistances gives the composite ‖z‖² − 2·z·eᵀ + ‖e‖² bit for bit in float64, and within rounding in float32", () => {
  for (let trial = 0; trial < 12; trial++) {
    const dtype = trial % 3 === 2 ? "float32" : "float64";
    const n = trial < 4 ? dim(6) : 40 + rng.int(300), k = trial < 4 ? dim(6) : 30 + rng.int(600), d = 1 + rng.int(70);
    const z = fromData(randomData(n * d, dtype), [n, d]), e = fromData(randomData(k * d, dtype), [k, d]);
    const composite = z.square().sum(1, true).sub(z.matmul(e.T).mul(2)).add(e.square().sum(1));
    close(squaredDistances(z, e).values(), composite.values(), dtype === "float32" ? 1e-5 * d : 0, `${dtype} [${n}, ${d}] to [${k}, ${d}]`);
  }
});

mm("the committed WebAssembly modules are the ones their .wat sources compile to (npm run build:wasm)", async () => {
  for (const name of ["matmul", "gumbel", "softmax", "elementwise", "adam", "argbest"]) {
    const source = readFileSync(new URL(`../src/kernels/wasm/${name}.wat`, import.meta.url), "utf8");
    const rebuilt = generatedModule(name, await compileWat(source, `${name}.wat`));
    const committed = readFileSync(new URL(`../src/kernels/wasm/${name}.generated.ts`, import.meta.url), "utf8");
    assert.is(committed, rebuilt, `run npm run build:wasm after editing ${name}.wat`);
  }
});

mm("build:wasm inlines every helper function: each module keeps only its exported kernels", async () => {
  for (const name of ["matmul", "gumbel", "softmax", "elementwise", "adam", "argbest"]) {
    const source = readFileSync(new URL(`../src/kernels/wasm/${name}.wat`, import.meta.url), "utf8");
    const bytes = await compileWat(source, `${name}.wat`);
    const compiled = new WebAssembly.Module(new Uint8Array(bytes));
    const kernels = WebAssembly.Module.exports(compiled).filter((e) => e.kind === "function").length;
    const imported = WebAssembly.Module.imports(compiled).filter((e) => e.kind === "function").length;
    const module = binaryen.readBinary(bytes);
    assert.is(module.getNumFunctions(), kernels + imported, `${name}.wat: a helper was left as a call`);
    module.dispose();
  }
});

mm("the direct kernel for tiny products, and the dispatcher, match the reference", () => {
  for (let trial = 0; trial < 20; trial++) {
    const batch = dim(2), n = dim(9), k = dim(9), m = dim(9);
    const a: MatrixOperand = { data: randomData(batch * n * k, "float64"), offset: 0, batchStride: n * k, rowStride: 1, colStride: n };
    const b = packedOperand(randomData(batch * k * m, "float32"), k, m);
    const small = new Float64Array(batch * n * m), viaKernel = new Float32Array(batch * n * m), ref = new Float64Array(batch * n * m);
    matmulSmall(a, b, small, batch, n, k, m);
    matmulKernel(a, b, viaKernel, batch, n, k, m);
    matmulReference(a, b, ref, batch, n, k, m);
    close(small, ref, 1e-12 * k, `small [${n}, ${k}] @ [${k}, ${m}]`);
    close(viaKernel, ref, 1e-5 * k, `dispatched float32 [${n}, ${k}] @ [${k}, ${m}]`);
  }
});

mm("k = 0 gives zeros", () => {
  const out = new Float64Array(6).fill(7);
  matmulStrided(packedOperand(new Float64Array(0), 2, 0), packedOperand(new Float64Array(0), 0, 3), out, 1, 2, 0, 3);
  assert.equal(Array.from(out), [0, 0, 0, 0, 0, 0]);
});

mm("a product plus a bias on every row has the bits of the product followed by a separate addition, both dtypes, every depth", () => {
  for (const dtype of ["float64", "float32"] as const) for (const k of [1, 7, 64, 80, 255, 256, 257, 300, 600]) {
    const n = 37, m = 45;
    const a = randomData(n * k, dtype), w = randomData(m * k, dtype), bias = randomData(m, dtype);
    bias[0] = -0; bias[1] = 0; bias[2] = Infinity; bias[3] = NaN; bias[4] = 1e300;
    for (let r = 0; r < n; r++) a[r * k] = r % 5 === 0 ? NaN : a[r * k]; // NaN rows meet every bias
    a.fill(0, 2 * k, 3 * k); // a row of zeros: products of exactly 0 meet ±0 biases
    const wt: MatrixOperand = { data: w, offset: 0, batchStride: 0, rowStride: 1, colStride: k };
    const fused = dtype === "float32" ? new Float32Array(n * m) : new Float64Array(n * m);
    matmulAddRows(packedOperand(a, n, k), wt, fused, n, k, m, bias);
    const separate = dtype === "float32" ? new Float32Array(n * m) : new Float64Array(n * m);
    matmulKernel(packedOperand(a, n, k), wt, separate, 1, n, k, m);
    addToRows(separate, bias);
    const at = Array.from(fused).findIndex((v, i) => !Object.is(v, separate[i]));
    assert.is(at, -1, `${dtype}, k = ${k}: value ${at} is ${fused[at]}, the separate pass gives ${separate[at]}`);
  }
});

mm("linear with no input features gives rows of the bias, and the bias its gradient, as PyTorch's", () => {
  const x = tensor(new Array(5).fill([]) as number[][], { requiresGrad: true });
  const w = tensor([[], []] as number[][], { requiresGrad: true });
  const b = tensor([1, 2], { requiresGrad: true });
  const y = linear(reshape(x, [5, 0]), reshape(w, [2, 0]), b);
  assert.equal(y.toArray(), [[1, 2], [1, 2], [1, 2], [1, 2], [1, 2]]);
  sum(mul(y, tensor([[1, 3]]))).backward();
  assert.equal(b.grad!.toArray(), [5, 15]);
  assert.equal(linear(reshape(x, [5, 0]), reshape(w, [2, 0])).toArray(), [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]);
});

mm("the op: a transposed view and a mixed-dtype product match the packed float64 product", () => {
  const x = fromData(randomData(7 * 5, "float64"), [7, 5]);
  const w = fromData(randomData(7 * 3, "float32"), [7, 3]);
  const viaView = matmul(transpose(x), w);
  const packedXT = fromData(Float64Array.from(transpose(x).values()), [5, 7]);
  const viaCopy = matmul(packedXT, fromData(Float64Array.from(w.values()), [7, 3]));
  assert.is(viaView.dtype, "float64");
  close(viaView.values(), viaCopy.values(), 1e-12, "xᵀw");
});

mm.run();

// ---- elementwise with broadcasting ------------------------------------------------------------

/** NumPy broadcasting by hand, through ndarray get(): the definition the kernels must match. */
function referenceBinary(f: (x: number, y: number) => number, a: Tensor, b: Tensor): number[] {
  const shape = add(a, b).shape; // only the shape is used
  const n = sizeOf(shape);
  const out: number[] = [];
  const strides = rowMajorStrides(shape);
  const at = (t: Tensor, flat: number) => {
    const lead = shape.length - t.ndim;
    const idx = t.shape.map((d, i) => (d === 1 ? 0 : Math.floor(flat / strides[i + lead]) % shape[i + lead]));
    return t.data.get(...idx);
  };
  for (let q = 0; q < n; q++) out.push(f(at(a, q), at(b, q)));
  return out;
}

const SHAPE_PAIRS: [number[], number[]][] = [
  [[4, 5], [4, 5]], [[4, 5], [5]], [[4, 5], [4, 1]], [[4, 1], [1, 5]], [[3, 4, 5], [4, 1]],
  [[3, 4, 5], [3, 1, 5]], [[3, 4, 5], [1]], [[], [3, 2]], [[2, 1, 3], [4, 1]], [[1], [1]],
];

const bin = suite("kernels: binary ops against NumPy broadcasting");

bin("every broadcast pattern, both dtypes, and operands that are transposed or broadcast views", () => {
  const ops: [string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number][] = [
    ["add", add, (x, y) => x + y], ["sub", sub, (x, y) => x - y], ["mul", mul, (x, y) => x * y],
    ["div", div, (x, y) => x / y], ["maximum", maximum, (x, y) => (x >= y ? x : y)],
  ];
  for (const dtype of ["float64", "float32"] as const) {
    for (const [sa, sb] of SHAPE_PAIRS) {
      for (const [name, op, f] of ops) {
        const make = (shape: number[]) => fromData(randomData(sizeOf(shape), dtype), shape);
        const a = make(sa), b = make(sb);
        close(op(a, b).values(), referenceBinary(f, a, b), tol(dtype), `${name} ${dtype} [${sa}] with [${sb}]`);
        close(op(b, a).values(), referenceBinary(f, b, a), tol(dtype), `${name} ${dtype} [${sb}] with [${sa}]`);
      }
    }
    // Non-contiguous operands: a transpose, and a broadcast view such as a sum's vjp makes.
    const x = fromData(randomData(6 * 4, dtype), [6, 4]);
    const xt = transpose(x);
    const y = fromData(randomData(4 * 6, dtype), [4, 6]);
    close(mul(xt, y).values(), referenceBinary((p, q) => p * q, xt, y), tol(dtype), `mul of a transposed view ${dtype}`);
    const column = broadcastTo(fromData(randomData(4, dtype), [4, 1]), [4, 6]);
    close(sub(y, column).values(), referenceBinary((p, q) => p - q, y, column), tol(dtype), `sub of a broadcast view ${dtype}`);
    const scalarView = broadcastTo(fromData(randomData(1, dtype), [1, 1]), [4, 6]);
    close(mul(scalarView, y).values(), referenceBinary((p, q) => p * q, scalarView, y), tol(dtype), `mul of a scalar broadcast view ${dtype}`);
  }
});

bin.run();

// ---- strided copies ---------------------------------------------------------------------------------

const copy = suite("kernels: strided copy against ndarray's get");

copy("random permutations, offsets and broadcast (stride 0) axes", () => {
  for (let trial = 0; trial < 30; trial++) {
    const rank = 1 + rng.int(4);
    const shape = Array.from({ length: rank }, () => dim(4));
    const size = sizeOf(shape);
    const data = randomData(size + 3, "float64");
    const base = ndarray(data, shape, rowMajorStrides(shape), 3);
    const order = shape.map((_, i) => i).sort(() => rng.uniform() - 0.5);
    const view = base.transpose(...order);
    const stride = view.stride.map((s, i) => (rng.uniform() < 0.2 ? 0 : s)); // some axes broadcast
    const strided = ndarray(data, view.shape, stride, view.offset);
    const out = new Float64Array(size);
    copyStrided(data, strided.offset, strided.shape, strided.stride, out);
    const expected: number[] = [];
    const walk = (idx: number[]): void => {
      if (idx.length === rank) { expected.push(strided.get(...idx)); return; }
      for (let i = 0; i < strided.shape[idx.length]; i++) walk([...idx, i]);
    };
    walk([]);
    close(out, expected, 0, `copy of shape [${strided.shape}] strides [${stride}]`);
  }
});

copy.run();

// ---- allocate ---------------------------------------------------------------------------------------

const alloc = suite("kernels: allocate");

alloc("arrays of every size come zeroed, aligned, of their dtype, and never overlap, also across slabs", () => {
  const made: { data: ReturnType<typeof allocate>; fill: number }[] = [];
  const sizes = [0, 1, 8, 9, 17, 100, 511, 512, 513, 1023, 1024, 1025, 5000];
  for (let round = 0; round < 40; round++) {
    for (const dtype of ["float64", "float32", "int32"] as const) {
      const size = sizes[(round + made.length) % sizes.length];
      const data = allocate(dtype, size);
      assert.is(data.length, size);
      assert.is(dtypeOf(data), dtype);
      assert.is(data.byteOffset % data.BYTES_PER_ELEMENT, 0, "aligned for its element type");
      assert.ok(data.every((v) => v === 0), `a fresh ${dtype} array of ${size} is zeroed`);
      const fill = made.length + 1;
      data.fill(fill);
      made.push({ data, fill });
    }
  }
  for (const { data, fill } of made) assert.ok(data.every((v) => v === fill), "no later array wrote into an earlier one");
  const shared = made.filter(({ data }) => data.buffer.byteLength > data.byteLength);
  assert.ok(shared.length > 0 && new Set(shared.map(({ data }) => data.buffer)).size > 1, "small arrays share slabs, and more than one slab was used");
});

alloc.run();

// ---- softmax ----------------------------------------------------------------------------------------

const sm = suite("kernels: fused softmax against the composite exp(x − logsumexp x)");

sm("every axis of random shapes, both dtypes, with large logits", () => {
  for (const dtype of ["float64", "float32"] as const) {
    for (let trial = 0; trial < 20; trial++) {
      const rank = 1 + rng.int(3);
      const shape = Array.from({ length: rank }, () => dim(6));
      const size = sizeOf(shape);
      const scale = trial % 4 === 0 ? 500 : 1;
      const x = fromData(randomData(size, dtype).map((v) => v * scale), shape);
      const axis = rng.int(rank);
      const lse = logsumexp(x, axis, true);
      close(softmax(x, axis).values(), x.sub(lse).exp().values(), tol(dtype) * 10, `softmax ${dtype} [${shape}] axis ${axis}`);
      close(logSoftmax(x, axis).values(), x.sub(lse).values(), tol(dtype) * 10 * scale, `logSoftmax ${dtype} [${shape}] axis ${axis}`);
    }
  }
});

sm("a non-contiguous input and the raw kernels on [outer, size, inner] layouts", () => {
  const x = fromData(randomData(5 * 3, "float64"), [5, 3]);
  const xt = transpose(x); // [3, 5], not packed
  const rows = softmax(xt, 1).values();
  const expected = Float64Array.from(xt.values());
  for (let r = 0; r < 3; r++) {
    const row = expected.subarray(r * 5, r * 5 + 5);
    const m = Math.max(...row);
    const s = row.reduce((acc, v) => acc + Math.exp(v - m), 0);
    row.forEach((v, j) => { row[j] = Math.exp(v - m) / s; });
  }
  close(rows, expected, 1e-12, "softmax of a transposed view");
  const data = randomData(2 * 4 * 3, "float64");
  const out = new Float64Array(data.length), outLog = new Float64Array(data.length);
  softmaxAlong(data, out, 2, 4, 3);
  logSoftmaxAlong(data, outLog, 2, 4, 3);
  const t = fromData(data, [2, 4, 3]);
  close(out, t.sub(logsumexp(t, 1, true)).exp().values(), 1e-12, "softmaxAlong, inner 3");
  close(outLog, out.map(Math.log), 1e-12, "logSoftmaxAlong is log softmaxAlong");
  assert.equal(Array.from(softmax(tensor([[-Infinity, 0]]), 1).values()), [0, 1]);
});

sm.run();
