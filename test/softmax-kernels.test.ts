// The fused softmax kernels against their definitions written with framework ops, on random
// shapes, every axis, both dtypes, with temperatures down to 1e-3 and logits up to ±1e3.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Rng, fromData, grad, gumbel, gumbelSoftmax, logsumexp, mul, softmax, sub, sum, tensor, transpose, type Tensor } from "../src/index.js";
import { oneHotOfPerturbedMax } from "../src/gumbel/onehot.js";
import { aroundAxis, exp32, sizeOf, softmaxBackwardAlong, softmaxBackwardRowsReference, softmaxBackwardRowsWasm, shiftedPerturbationReference, logSoftmaxRowsReference, logSoftmaxRowsWasm, shiftedPerturbationRowsWasm, perturbedSoftmaxAlong, perturbedSoftmaxRowsWasm, softmaxRowsReference, softmaxRowsWasm, temperedSoftmaxAlong, wasmExpInPlace, wasmSoftmaxAvailable, type FloatData } from "../src/kernels/index.js";

const rng = new Rng(77);
const dim = (max: number) => 1 + rng.int(max);

function randomTensor(shape: number[], dtype: "float64" | "float32", scale: number): Tensor {
  const size = sizeOf(shape);
  const data = dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) data[i] = scale * (4 * rng.uniform() - 2);
  return fromData(data, shape);
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * (1 + Math.abs(expected[i])))) assert.unreachable(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

/** The kernel's [outer, size, inner] view of `shape` around `axis`, and an output of x's dtype. */
function layout(x: Tensor, axis: number): { out: FloatData; outer: number; size: number; inner: number } {
  const [outer, size, inner] = aroundAxis(x.shape, axis);
  const out = x.dtype === "float32" ? new Float32Array(x.size) : new Float64Array(x.size);
  return { out, outer, size, inner };
}

const cases = () =>
  Array.from({ length: 24 }, (_, trial) => {
    const rank = 1 + rng.int(3);
    const shape = Array.from({ length: rank }, () => dim(7));
    return {
      shape,
      axis: rng.int(rank),
      dtype: trial % 2 === 0 ? ("float64" as const) : ("float32" as const),
      tau: [1, 0.5, 3, 1e-3][trial % 4],
      scale: trial % 3 === 0 ? 500 : 1,
    };
  });

test("tempered softmax equals exp(x/τ − logsumexp(x/τ)) on every axis, both dtypes, τ from 1e-3 to 3, logits to ±1e3", () => {
  for (const { shape, axis, dtype, tau, scale } of cases()) {
    const x = randomTensor(shape, dtype, scale);
    const { out, outer, size, inner } = layout(x, axis);
    temperedSoftmaxAlong(x.values() as FloatData, out, outer, size, inner, tau);
    const scores = x.div(tau);
    const expected = scores.sub(logsumexp(scores, axis, true)).exp().values();
    assertClose(out, expected, dtype === "float32" ? 1e-5 : 1e-12, `${dtype} [${shape}] axis ${axis} tau ${tau}`);
    for (const v of out) assert.ok(Number.isFinite(v), `finite at tau ${tau}, scale ${scale}`);
    const inPlace = Float64Array.from(x.values()) as FloatData; // the kernel may write over its input
    const same = dtype === "float32" ? Float32Array.from(inPlace) : inPlace;
    temperedSoftmaxAlong(same, same, outer, size, inner, tau);
    assertClose(same, out, 0, `in place, ${dtype} [${shape}] axis ${axis}`);
  }
});

test("the fused softmax vjp equals y·(g − Σ g·y)/τ written with framework ops", () => {
  for (const { shape, axis, dtype, tau } of cases()) {
    const y = randomTensor(shape, dtype, 1), g = randomTensor(shape, dtype, 1);
    const { out, outer, size, inner } = layout(y, axis);
    softmaxBackwardAlong(y.values() as FloatData, g.values() as FloatData, out, outer, size, inner, tau);
    const expected = mul(y, sub(g, sum(mul(g, y), axis, true))).div(tau).values();
    assertClose(out, expected, dtype === "float32" ? 1e-5 : 1e-12, `${dtype} [${shape}] axis ${axis} tau ${tau}`);
  }
});

test("a row holding +∞ comes out NaN, and an empty axis is no error", () => {
  const x = fromData(Float64Array.from([Infinity, 1, 2, 0, 1, 2]), [2, 3]);
  const { out, outer, size, inner } = layout(x, 1);
  temperedSoftmaxAlong(x.values() as FloatData, out, outer, size, inner, 0.5);
  assert.ok(Array.from(out.subarray(0, 3)).every(Number.isNaN));
  const e = [1, Math.exp(2), Math.exp(4)]; // exp((x − max)/τ) up to a common factor, for x = [0, 1, 2] and τ = 0.5
  const total = e[0] + e[1] + e[2];
  assertClose(out.subarray(3), e.map((v) => v / total), 1e-15, "the finite row at tau 0.5");
  const empty = new Float64Array(0);
  assert.not.throws(() => temperedSoftmaxAlong(empty, empty, 2, 0, 1, 1));
});

test("the fused ops read non-contiguous views: a transposed input gives what its packed copy gives, forward and backward", () => {
  const x = randomTensor([5, 3], "float64", 2);
  const w = randomTensor([3, 5], "float64", 1);
  const noise = gumbel([3, 5], { rng: new Rng(3) }).detach();
  const view = transpose(x); //                                   [3, 5], not packed
  const copy = tensor(view.toArray() as number[][]); //           the same values, packed
  for (const f of [(t: Tensor) => softmax(t, 0), (t: Tensor) => gumbelSoftmax(t, { tau: 0.3, noise })]) {
    const lossOf = (t: Tensor) => sum(mul(f(t), w));
    assertClose(f(view).values(), f(copy).values(), 1e-15, "forward");
    const gView = grad(lossOf)(view) as Tensor;
    const gCopy = grad(lossOf)(copy) as Tensor;
    assertClose(gView.values(), gCopy.values(), 1e-15, "gradient");
  }
});


// ---- the WebAssembly row kernels, bit for bit against the plain-TS ones ------------------------

const ulp32 = (v: number) => {
  const a = Math.abs(Math.fround(v));
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
};

/** Values spread over a range, with the special values every exp must get right. */
function expInputs(lo: number, hi: number, n: number): number[] {
  const out = [NaN, Infinity, -Infinity, 0, -0, Math.LN2 / 2, 1.5 * Math.LN2, 709.782712893384, 709.79, -745.1332191019411, -745.14, 88.72, 88.73, -87.3, -103.9, -104.1, 2 ** -29, -(2 ** -29)];
  for (let i = 0; i < n; i++) out.push(lo + (hi - lo) * rng.uniform());
  return out;
}

test("the WebAssembly float64 exp is Math.exp bit for bit, from underflow to overflow", () => {
  assert.ok(wasmSoftmaxAvailable(), "Node.js 20 has WebAssembly SIMD: the fast path must be the one tested");
  for (const [lo, hi] of [[-1, 1], [-800, 800], [-1e-8, 1e-8], [-746, -700], [700, 710], [-40, 0]]) {
    const x = Float64Array.from(expInputs(lo, hi, 20000));
    const e = Float64Array.from(x);
    wasmExpInPlace(e);
    for (let i = 0; i < x.length; i++) if (!Object.is(e[i], Math.exp(x[i]))) assert.unreachable(`exp(${x[i]}): wasm ${e[i]}, Math.exp ${Math.exp(x[i])}`);
  }
});

test("exp32 is within 2 float32 ulps of eˣ, 0 and +∞ where float32 is, and the WebAssembly copy gives its bits", () => {
  for (const [lo, hi] of [[-1, 1], [-110, 95], [-1e-6, 1e-6], [-104, -87], [80, 89], [-20, 0]]) {
    const x = Float32Array.from(expInputs(lo, hi, 20000));
    const e = Float32Array.from(x);
    wasmExpInPlace(e);
    for (let i = 0; i < x.length; i++) {
      const mine = exp32(x[i]), exact = Math.fround(Math.exp(x[i]));
      if (!Object.is(e[i], mine)) assert.unreachable(`exp32(${x[i]}): wasm ${e[i]}, TS ${mine}`);
      if (Number.isNaN(x[i])) assert.ok(Number.isNaN(mine));
      else if (!Number.isFinite(exact) || exact === 0) assert.is(mine, exact, `exp32(${x[i]}) must be ${exact}`);
      else if (Math.abs(mine - exact) > 2 * ulp32(exact)) assert.unreachable(`exp32(${x[i]}) = ${mine}, eˣ = ${exact}: ${Math.abs(mine - exact) / ulp32(exact)} ulps`);
    }
  }
});

test("the WebAssembly softmax rows give the plain-TS kernel's bits, both dtypes, any row length, NaN and ±∞ rows", () => {
  for (let trial = 0; trial < 200; trial++) {
    const rows = dim(6), size = trial < 40 ? 1 + (trial % 9) : dim(70), n = rows * size;
    const dtype = trial % 2 === 0 ? "float64" : "float32";
    const scale = [1, 30, 1e3][trial % 3], tau = [1, 0.5, 0.7, 1e-3, 3][trial % 5];
    const x = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = scale * (2 * rng.uniform() - 1);
    if (trial % 7 === 3) x[rng.int(n)] = NaN;
    if (trial % 7 === 4) x[rng.int(n)] = Infinity;
    if (trial % 7 === 5) for (let i = 0; i < size; i++) x[i] = -Infinity;
    if (trial % 7 === 6) x[rng.int(n)] = -Infinity;
    const ref = dtype === "float32" ? new Float32Array(n) : new Float64Array(n), fast = ref.slice();
    softmaxRowsReference(x, ref, rows, size, tau);
    assert.ok(softmaxRowsWasm(x, fast, rows, size, tau));
    for (let i = 0; i < n; i++) if (!Object.is(fast[i], ref[i])) assert.unreachable(`${dtype} [${rows}, ${size}] τ ${tau}: element ${i} is ${fast[i]}, plain TS ${ref[i]}`);
  }
});

test("the WebAssembly log-softmax rows give the plain-TS kernel's bits: both dtypes, odd lengths, several chunks, NaN, ±∞ and −∞ rows", () => {
  const shapes: [number, number][] = [[1, 1], [3, 2], [5, 7], [100, 10], [300, 301], [2, 40_001]];
  for (let trial = 0; trial < 200; trial++) {
    const [rows, size] = trial < shapes.length * 2 ? shapes[trial % shapes.length] : [dim(9), dim(70)];
    const n = rows * size, dtype = trial % 2 === 0 ? "float64" : "float32", scale = [1, 30, 1e3, 1e-6][trial % 4];
    const x = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = scale * (2 * rng.uniform() - 1);
    if (trial % 7 === 3) x[rng.int(n)] = NaN;
    if (trial % 7 === 4) x[rng.int(n)] = Infinity;
    if (trial % 7 === 5) for (let i = 0; i < size; i++) x[i] = -Infinity;
    if (trial % 7 === 6) x[rng.int(n)] = -Infinity;
    const ref = dtype === "float32" ? new Float32Array(n) : new Float64Array(n), fast = ref.slice();
    logSoftmaxRowsReference(x, ref, rows, size);
    assert.ok(logSoftmaxRowsWasm(x, fast, rows, size));
    for (let i = 0; i < n; i++) if (!Object.is(fast[i], ref[i])) assert.unreachable(`${dtype} [${rows}, ${size}]: element ${i} is ${fast[i]}, plain TS ${ref[i]}`);
  }
});

test("the WebAssembly softmax vjp rows give the plain-TS kernel's bits, both dtypes, odd lengths, several chunks, a row longer than a chunk, NaN and ±∞", () => {
  const shapes: [number, number][] = [[1, 1], [3, 2], [5, 7], [2, 33], [300, 301], [2, 40_001]];
  for (let trial = 0; trial < 120; trial++) {
    const [rows, size] = trial < shapes.length * 2 ? shapes[trial % shapes.length] : [dim(9), dim(90)];
    const n = rows * size, dtype = trial % 2 === 0 ? "float64" : "float32", tau = [1, 0.5, 1e-3, 3][trial % 4];
    const make = () => (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
    const y = make(), g = make();
    for (let i = 0; i < n; i++) { y[i] = rng.uniform(); g[i] = [1, 1e3, 1e-8][trial % 3] * (2 * rng.uniform() - 1); }
    if (trial % 5 === 1) g[rng.int(n)] = NaN;
    if (trial % 5 === 2) g[rng.int(n)] = -Infinity;
    if (trial % 5 === 3) y[rng.int(n)] = Infinity;
    const ref = make(), fast = make();
    softmaxBackwardRowsReference(y, g, ref, rows, size, tau);
    assert.ok(softmaxBackwardRowsWasm(y, g, fast, rows, size, tau));
    for (let i = 0; i < n; i++) if (!Object.is(fast[i], ref[i])) assert.unreachable(`${dtype} [${rows}, ${size}] τ ${tau}: element ${i} is ${fast[i]}, plain TS ${ref[i]}`);
  }
});

test("the WebAssembly Gumbel perturbation rows give the plain-TS kernel's bits: both dtypes, several chunks, ±0 maxima, NaN, ±∞, logits of 1e16", () => {
  const shapes: [number, number][] = [[1, 1], [4, 3], [3, 8], [300, 301], [2, 40_001]];
  for (let trial = 0; trial < 120; trial++) {
    const [rows, size] = trial < shapes.length * 2 ? shapes[trial % shapes.length] : [dim(9), dim(90)];
    const n = rows * size, dtype = trial % 2 === 0 ? "float64" : "float32";
    const make = () => (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
    const x = make(), g = make(), scale = [1, 1e16, 1e-3][trial % 3];
    for (let i = 0; i < n; i++) { x[i] = scale * (2 * rng.uniform() - 1); g[i] = -Math.log(-Math.log(rng.uniform())); }
    if (trial % 6 === 1) x[rng.int(n)] = NaN;
    if (trial % 6 === 2) x[rng.int(n)] = Infinity;
    if (trial % 6 === 3) for (let i = 0; i < size; i++) x[i] = -Infinity;
    if (trial % 6 === 4) for (let i = 0; i < n; i++) { x[i] = -Math.abs(x[i]); if (rng.uniform() < 0.3) x[i] = rng.uniform() < 0.5 ? 0 : -0; g[i] = rng.uniform() < 0.5 ? 0 : -0; }
    if (trial % 6 === 5) g[rng.int(n)] = NaN;
    const ref = make(), fast = make();
    shiftedPerturbationReference(x, g, ref, rows, size, 1);
    assert.ok(shiftedPerturbationRowsWasm(x, g, fast, rows, size));
    for (let i = 0; i < n; i++) if (!Object.is(fast[i], ref[i])) assert.unreachable(`${dtype} [${rows}, ${size}]: element ${i} is ${fast[i]}, plain TS ${ref[i]}`);
  }
});

test("the WebAssembly row maximum finds the largest value wherever it sits, past NaNs, in rows of every length to 40", () => {
  // The kernels keep several running maxima, one per group of lanes: the maximum must survive from any lane of any group.
  for (const dtype of ["float64", "float32"] as const) {
    for (let size = 1; size <= 40; size++) {
      const rows = size, n = rows * size;
      const make = () => (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
      const x = make(), g = make(), ref = make(), fast = make();
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < size; i++) x[r * size + i] = i % 3 === 1 ? NaN : -1 - rng.uniform();
        x[r * size + r] = 2; // row r has its largest value at position r
      }
      shiftedPerturbationReference(x, g, ref, rows, size, 1);
      assert.ok(shiftedPerturbationRowsWasm(x, g, fast, rows, size));
      for (let i = 0; i < n; i++) if (!Object.is(fast[i], ref[i])) assert.unreachable(`${dtype} [${rows}, ${size}]: element ${i} is ${fast[i]}, plain TS ${ref[i]}`);
    }
  }
});

test("the fused perturbed softmax (one trip through WebAssembly memory) gives the bits of the perturbation and then the softmax, in plain TS", () => {
  const shapes: [number, number][] = [[1, 1], [4, 3], [3, 8], [300, 301], [2, 40_001]];
  for (let trial = 0; trial < 90; trial++) {
    const [rows, size] = trial < shapes.length * 2 ? shapes[trial % shapes.length] : [dim(9), dim(90)];
    const n = rows * size, dtype = trial % 2 === 0 ? "float64" : "float32", tau = [1, 0.5, 1e-3][trial % 3];
    const make = () => (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
    const x = make(), g = make(), scale = [1, 1e3, 1e16][Math.floor(trial / 3) % 3];
    for (let i = 0; i < n; i++) { x[i] = scale * (2 * rng.uniform() - 1); g[i] = -Math.log(-Math.log(rng.uniform())); }
    if (trial % 5 === 1) x[rng.int(n)] = NaN;
    if (trial % 5 === 2) x[rng.int(n)] = Infinity;
    if (trial % 5 === 3) for (let i = 0; i < size; i++) x[i] = -Infinity;
    if (trial % 5 === 4) g[rng.int(n)] = NaN;
    const ref = make(), fast = make();
    shiftedPerturbationReference(x, g, ref, rows, size, 1);
    softmaxRowsReference(ref, ref, rows, size, tau);
    assert.ok(perturbedSoftmaxRowsWasm(x, g, fast, rows, size, tau));
    for (let i = 0; i < n; i++) if (!Object.is(fast[i], ref[i])) assert.unreachable(`${dtype} [${rows}, ${size}] τ ${tau}: element ${i} is ${fast[i]}, plain TS ${ref[i]}`);
  }
});

test("perturbedSoftmaxAlong along a middle axis is the perturbation and then the softmax", () => {
  for (const dtype of ["float64", "float32"] as const) {
    const [outer, size, inner] = [3, 5, 4], n = outer * size * inner;
    const x = randomTensor([n], dtype, 3).values() as FloatData, g = randomTensor([n], dtype, 1).values() as FloatData;
    const ref = dtype === "float32" ? new Float32Array(n) : new Float64Array(n), fused = ref.slice();
    shiftedPerturbationReference(x, g, ref, outer, size, inner);
    temperedSoftmaxAlong(ref, ref, outer, size, inner, 0.7);
    perturbedSoftmaxAlong(x, g, fused, outer, size, inner, 0.7);
    for (let i = 0; i < n; i++) assert.ok(Object.is(fused[i], ref[i]), `${dtype} element ${i}: ${fused[i]} vs ${ref[i]}`);
  }
});

test("the Gumbel-max one-hot is the one-hot of the first maximum of perturbedLogits, or all NaN: every axis, both dtypes, ties, NaN, ±∞, −∞ rows, logits of 1e16", () => {
  for (let trial = 0; trial < 160; trial++) {
    const shape = trial % 4 === 0 ? [dim(4), dim(5), dim(6)] : [dim(9), dim(40)], axis = rng.int(shape.length);
    const n = sizeOf(shape), dtype = trial % 2 === 0 ? "float64" : "float32";
    const scale = [1, 1e3, 1e16][trial % 3], x = randomTensor(shape, dtype, scale), xv = x.values();
    const gv = gumbel(shape, { rng, dtype: trial % 5 === 0 ? "float64" : dtype }).values();
    if (trial % 7 === 1) xv[rng.int(n)] = NaN;
    if (trial % 7 === 2) xv[rng.int(n)] = Infinity;
    if (trial % 7 === 3) xv.fill(-Infinity, 0, Math.ceil(n / 2));
    if (trial % 7 === 4) gv[rng.int(n)] = NaN;
    if (trial % 7 === 5) { xv.fill(0.5); gv.fill(1); } // every category ties: the first wins
    if (trial % 7 === 6) for (let i = 0; i < n; i++) gv[i] = Math.round(4 * gv[i]) / 4; // many ties
    // values 2⁻³⁰ apart below 1 + 0: apart in float64, tied once rounded to float32
    if (trial % 14 === 13) for (let i = 0; i < n; i++) { xv[i] = rng.uniform() < 0.5 ? 0 : -(2 ** -30); gv[i] = 1; }
    const g = fromData(gv, shape), single = x.dtype === "float32" && g.dtype === "float32";
    // the definition, one distribution at a time: v_c = (x_c − max x) + g_c rounded to the promoted
    // dtype; 1 at the first largest v, or all NaN if some v is NaN
    const [outer, size, inner] = aroundAxis(shape, axis), expected = new Array<number>(n).fill(0);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const at = (c: number) => (o * size + c) * inner + j;
        let m = -Infinity;
        for (let c = 0; c < size; c++) if (xv[at(c)] > m) m = xv[at(c)];
        const v = Array.from({ length: size }, (_, c) => (single ? Math.fround : Number)(xv[at(c)] - (m + 0) + gv[at(c)]));
        const k = v.indexOf(Math.max(...v)), hasNaN = v.some(Number.isNaN);
        for (let c = 0; c < size; c++) expected[at(c)] = hasNaN ? NaN : c === k ? 1 : 0;
      }
    }
    const got = oneHotOfPerturbedMax(x, g, axis);
    assert.is(got.dtype, single ? "float32" : "float64");
    const gotValues = got.values();
    for (let i = 0; i < n; i++) if (!Object.is(gotValues[i], expected[i])) assert.unreachable(`${dtype} ${JSON.stringify(shape)} axis ${axis}: element ${i} is ${gotValues[i]}, expected ${expected[i]}`);
  }
});

test("float32 softmax rows stay within float32 rounding of the float64 softmax", () => {
  const rows = 8, size = 37, tau = 0.5, x = new Float32Array(rows * size);
  for (let i = 0; i < x.length; i++) x[i] = 8 * (2 * rng.uniform() - 1);
  const single = new Float32Array(x.length), double = new Float64Array(x.length);
  softmaxRowsReference(x, single, rows, size, tau);
  softmaxRowsReference(Float64Array.from(x), double, rows, size, tau);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * size, (r + 1) * size), m = Math.max(...row);
    for (let j = 0; j < size; j++) {
      // Rounding z = (x − m)/τ to float32 moves e^z by |z|·2⁻²⁴ relative; exp32, the sum and the division add a few ulps.
      const i = r * size + j, z = (row[j] - m) / tau, bound = (Math.abs(z) + 8) * 2 ** -24;
      assert.ok(Math.abs(single[i] - double[i]) <= bound * double[i], `element ${i}: ${single[i]} vs ${double[i]}`);
    }
  }
});

test.run();
