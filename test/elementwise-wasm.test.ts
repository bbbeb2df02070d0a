// The WebAssembly add, sub, mul, div, relu (and its gradient), exp, sigmoid and softplus against the
// plain-TypeScript loops they stand in for: the same values, bit for bit, on every operand layout
// the Binary contract allows, at lengths around the vector width, the thresholds and the copy
// chunk, with NaN, ±∞, ±0 and subnormals; and the ops that use them give the same tensors with the
// fast path on and off. Also the squared distances
// from products, which the quantizers compute for every batch.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Rng, add, div, exp, fromData, mul, relu, sigmoid, softplus, sub, sum, grad, type Tensor } from "../src/index.js";
import * as K from "../src/kernels/index.js";
import { growTo } from "../src/kernels/wasmModule.js";

const rng = new Rng(91);
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 5e-324, -1e-310, 1.5e-45, 3e38, -3.4e38, 1, -1];

function values(n: number, single: boolean): Float32Array | Float64Array {
  const out = single ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = rng.uniform() < 0.05 ? SPECIAL[rng.int(SPECIAL.length)] : (rng.uniform() - 0.5) * 2 ** (rng.int(40) - 20);
  }
  return out;
}

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

const OPS = ["add", "sub", "mul", "div"] as const;

test("each WebAssembly arithmetic kernel gives the plain loop's bits: whole operands, single values, rows and columns, both dtypes", () => {
  assert.ok(K.wasmElementwiseAvailable(), "Node.js 20 has WebAssembly SIMD: the fast path must be the one tested");
  // [outer, inner] and each operand's steps: whole, a single value, one value per row, one row for all rows
  // each layout gives [operand size, outer step, inner step]
  const layouts: [string, (o: number, i: number) => number[]][] = [
    ["whole", (o, i) => [o * i, i, 1]],
    ["single value", () => [1, 0, 0]],
    ["one per row", (o) => [o, 1, 0]],
    ["one row for all", (_o, i) => [i, 0, 1]],
  ];
  const shapes: [number, number][] = [[1, 1024], [1, 1027], [1, 16_387], [1, 40_001], [3, 8192], [5, 1031], [2, 1000]];
  let checked = 0;
  for (const single of [false, true]) {
    for (const op of OPS) {
      const fast = K.withWasm(op, K[op])[single ? "float32" : "float64"];
      const plain = K.perDType(K[op])[single ? "float32" : "float64"];
      for (const [outer, inner] of shapes) {
        for (const [la, shapeA] of layouts) for (const [lb, shapeB] of layouts) {
          const [sizeA, ao, ai] = shapeA(outer, inner), [sizeB, bo, bi] = shapeB(outer, inner);
          const a = values(sizeA, single), b = values(sizeB, single);
          const want = single ? new Float32Array(outer * inner) : new Float64Array(outer * inner);
          const got = single ? new Float32Array(outer * inner) : new Float64Array(outer * inner);
          plain(a, ao, ai, b, bo, bi, want, outer, inner);
          fast(a, ao, ai, b, bo, bi, got, outer, inner);
          const at = firstDifference(got, want);
          assert.is(at, -1, `${op} ${single ? "float32" : "float64"} [${outer}, ${inner}], a ${la}, b ${lb}: element ${at} is ${got[at]}, expected ${want[at]}`);
          checked++;
        }
      }
    }
  }
  assert.is(checked, 2 * OPS.length * shapes.length * 16);
});

const UNARY = ["relu", "exp", "sigmoid", "softplus"] as const;
/** Inputs for exp, sigmoid and softplus: every magnitude up to past exp's overflow and underflow, and the special values. */
function exponents(n: number, single: boolean): Float32Array | Float64Array {
  const out = single ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    out[i] = u < 0.05 ? SPECIAL[rng.int(SPECIAL.length)] : u < 0.1 ? (rng.uniform() - 0.5) * 1600 : (rng.uniform() - 0.5) * 2 ** (rng.int(16) - 6);
  }
  return out;
}

test("relu, exp, sigmoid and softplus in WebAssembly give the plain loops' bits: lengths around the threshold, the vector width and the copy chunk, both dtypes", () => {
  const lengths = [255, 256, 257, 1023, 8192, 8193, 32_769, 70_001];
  let checked = 0;
  for (const single of [false, true]) {
    const dtype = single ? "float32" : "float64";
    for (const op of UNARY) {
      const fast = K.withWasmUnary(op, K[op])[dtype], plain = K.perDType(K[op])[dtype];
      for (const n of lengths) {
        const x = op === "relu" ? values(n, single) : exponents(n, single);
        const want = single ? new Float32Array(n) : new Float64Array(n), got = want.slice();
        plain(x, want);
        fast(x, got);
        const at = firstDifference(got, want);
        assert.is(at, -1, `${op} ${dtype} of ${n}: element ${at}, of ${x[at]}, is ${got[at]}, expected ${want[at]}`);
        checked += n;
      }
    }
  }
  assert.is(checked, 2 * UNARY.length * lengths.reduce((sum, n) => sum + n, 0));
});

test("relu's gradient in WebAssembly gives the plain loop's bits: g passes where x > 0 or x is NaN, 0 elsewhere, also at ±0", () => {
  for (const single of [false, true]) {
    const dtype = single ? "float32" : "float64";
    const fast = K.reluGradientWithWasm(K.reluGradient)[dtype], plain = K.perDType(K.reluGradient)[dtype];
    for (const n of [1023, 1024, 1025, 8193, 40_001]) {
      const g = values(n, single), x = values(n, single);
      const want = single ? new Float32Array(n) : new Float64Array(n), got = want.slice();
      plain(g, x, want);
      fast(g, x, got);
      const at = firstDifference(got, want);
      assert.is(at, -1, `reluGradient ${dtype} of ${n}: element ${at} (g ${g[at]}, x ${x[at]}) is ${got[at]}, expected ${want[at]}`);
    }
  }
});

test("exp and sigmoid in WebAssembly keep the plain kernel's edge values: overflow to ∞, underflow to 0, NaN, and σ of ±∞ and ±0", () => {
  const x = Float64Array.from({ length: 300 }, (_, i) => [710, -746, NaN, Infinity, -Infinity, 0, -0, 709.78, -745.1, 37][i % 10]);
  const e = new Float64Array(300), s = new Float64Array(300);
  K.withWasmUnary("exp", K.exp).float64(x, e);
  K.withWasmUnary("sigmoid", K.sigmoid).float64(x, s);
  assert.equal(Array.from(e.subarray(0, 7)), [Infinity, 0, NaN, Infinity, 0, 1, 1]);
  assert.equal(Array.from(s.subarray(0, 7)), [1, 0, NaN, 1, 0, 0.5, 0.5]);
  assert.ok(Number.isFinite(e[7]) && e[8] > 0, "the last finite exp and the smallest subnormal one");
});

test("softplus in WebAssembly gives Math.log1p's bits at each branch of fdlibm's log1p: e^−|x| near 2⁻⁵⁴, 2⁻²⁹, 0.41422, 1 − 2⁻²⁰ and 1", () => {
  // x where e^−|x| crosses a threshold of log1p, and a dense walk of neighbouring doubles around each
  const centres = [54 * Math.LN2, 29 * Math.LN2, -Math.log(0.41422), -Math.log(1 - 2 ** -20), 2 ** -30, 0];
  const x = new Float64Array(centres.length * 4000 * 2);
  let n = 0;
  for (const c of centres) {
    for (let i = -2000; i < 2000; i++) {
      const near = c + i * Math.max(Math.abs(c), 2 ** -40) * 2 ** -40, far = c * (1 + i * 1e-6) + i * 1e-12;
      x[n++] = near;
      x[n++] = -far;
    }
  }
  for (const single of [false, true]) {
    const input = single ? Float32Array.from(x) : x;
    const want = single ? new Float32Array(x.length) : new Float64Array(x.length), got = want.slice();
    K.perDType(K.softplus)[single ? "float32" : "float64"](input, want);
    K.withWasmUnary("softplus", K.softplus)[single ? "float32" : "float64"](input, got);
    const at = firstDifference(got, want);
    assert.is(at, -1, `softplus of ${input[at]}: ${got[at]}, expected ${want[at]}`);
  }
  const edges = new Float64Array(256).fill(0);
  edges.set([Infinity, -Infinity, NaN, -0, 800, -800]);
  const y = new Float64Array(256);
  K.withWasmUnary("softplus", K.softplus).float64(edges, y);
  assert.equal(Array.from(y.subarray(0, 6)), [Infinity, 0, NaN, Math.LN2, 800, 0]);
});

test("operands that are views into a larger buffer (small arrays cut from shared slabs) are read at their own offset", () => {
  const buffer = new Float32Array(3000).map((_, i) => i * 0.25 - 100);
  const a = buffer.subarray(7, 7 + 1500), b = buffer.subarray(1400, 2900);
  const got = new Float32Array(1500), want = new Float32Array(1500);
  K.withWasm("mul", K.mul).float32(a, 0, 1, b, 0, 1, got, 1, 1500);
  for (let i = 0; i < 1500; i++) want[i] = a[i] * b[i];
  assert.is(firstDifference(got, want), -1);
});

test("relu, exp, sigmoid and softplus give the same tensors and gradients with the WebAssembly path on and off", () => {
  for (const dtype of ["float64", "float32"] as const) {
    const x = fromData(dtype === "float32" ? Float32Array.from(exponents(4000, true)) : exponents(4000, false), [40, 100]);
    const f = (p: Tensor) => sum(add(add(relu(p), exp(mul(p, 0.01))), add(sigmoid(p), softplus(p))));
    const run = () => [relu(x), exp(x), sigmoid(x), softplus(x), grad(f)(x) as Tensor].map((t) => Array.from(t.values()));
    const was = K.setWasmElementwise(false);
    const plain = run();
    K.setWasmElementwise(true);
    const fast = run();
    K.setWasmElementwise(was);
    plain.forEach((p, i) => assert.is(firstDifference(fast[i], p), -1, `${dtype}, result ${i}`));
  }
});

test("add, sub, mul and div give the same tensors and gradients with the WebAssembly path on and off", () => {
  const make = (shape: number[], dtype: "float32" | "float64"): Tensor => {
    const n = shape.reduce((p, d) => p * d, 1);
    return fromData(dtype === "float32" ? Float32Array.from(values(n, true)) : values(n, false), shape);
  };
  for (const dtype of ["float64", "float32"] as const) {
    const x = make([64, 1030], dtype), row = make([1030], dtype), column = make([64, 1], dtype);
    const f = (p: Tensor) => sum(div(mul(sub(add(p, row), column), x), add(column, 3)));
    const run = () => {
      const results = [add(x, row), sub(x, column), mul(x, 2), div(x, x)].map((t) => Array.from(t.values()));
      const g = grad(f)(x) as Tensor;
      return [...results, Array.from(g.values())];
    };
    const was = K.setWasmElementwise(false);
    const plain = run();
    K.setWasmElementwise(true);
    const fast = run();
    K.setWasmElementwise(was);
    plain.forEach((p, i) => assert.is(firstDifference(fast[i], p), -1, `${dtype}, result ${i}`));
  }
});

test("column sums (a bias gradient) in WebAssembly give the plain loop's bits: both dtypes, odd widths, many calls, too wide for the fast path", () => {
  // [rows, cols]: below the threshold, odd widths past the vector width, rows spread over several calls, one column, a chunk wide and past it
  const shapes: [number, number][] = [[3, 5], [100, 256], [100, 80], [7, 1023], [1200, 3], [5000, 1], [4, 8192], [2, 16384], [3, 16385]];
  for (const single of [false, true]) {
    for (const [rows, cols] of shapes) {
      const x = values(rows * cols, single);
      const fast = single ? new Float32Array(cols) : new Float64Array(cols), plain = fast.slice().fill(7);
      K.sumColumns(x, rows, fast);
      K.sumColumnsReference(x, rows, plain);
      const at = firstDifference(fast, plain);
      assert.is(at, -1, `${single ? "float32" : "float64"} [${rows}, ${cols}]: column ${at} is ${fast[at]}, plain ${plain[at]}`);
    }
  }
  // the fast path runs where it should: a float64 [100, 256] is summed in WebAssembly, a [3, 5] is not
  const x = values(100 * 256, false), out = new Float64Array(256);
  assert.ok(K.sumColumnsWasm(x, 100, out));
  assert.not.ok(K.sumColumnsWasm(values(15, false), 3, new Float64Array(5)));
});

test("squared distances made inside the WebAssembly product give the bits of the product and the plain pass: both dtypes, padded rows, two panels", () => {
  // [n, dim, k]: rows of C padded to whole tiles (k = 77, 3), a product deeper than one panel (dim = 300), a long row
  const shapes: [number, number, number][] = [[64, 8, 64], [256, 64, 512], [1000, 3, 77], [7, 300, 600], [3, 5, 40_001], [129, 17, 3]];
  for (const single of [false, true]) {
    for (const [n, dim, k] of shapes) {
      const z = values(n * dim, single), e = values(k * dim, single);
      const zz = single ? new Float32Array(n) : new Float64Array(n), ee = single ? new Float32Array(k) : new Float64Array(k);
      K.squaredNormsOfRows(z, n, dim, zz);
      K.squaredNormsOfRows(e, k, dim, ee);
      const a = K.packedOperand(z, n, dim), eT: K.MatrixOperand = { data: e, offset: 0, batchStride: 0, rowStride: 1, colStride: dim };
      const fused = single ? new Float32Array(n * k) : new Float64Array(n * k), separate = fused.slice();
      assert.ok(K.matmulWasm(a, eT, fused, 1, n, dim, k, null, { zz, ee }), `the fused kernel runs for [${n}, ${dim}] to [${k}, ${dim}]`);
      const was = K.setWasmDistances(false);
      K.matmulDistances(a, eT, separate, n, dim, k, { zz, ee });
      K.setWasmDistances(was);
      const at = firstDifference(fused, separate);
      assert.is(at, -1, `${single ? "float32" : "float64"} [${n}, ${dim}] to [${k}, ${dim}]: element ${at} is ${fused[at]}, expected ${separate[at]}`);
    }
  }
});

test("argmin and argmax rows in WebAssembly give the plain loops' indices: ties, ±0, ±∞, NaN anywhere, both dtypes, many chunks", () => {
  const shapes: [number, number][] = [[4096, 1], [2048, 2], [1366, 3], [1024, 4], [820, 5], [512, 9], [256, 512], [2, 40_001], [700, 130]];
  let rowsChecked = 0;
  for (const single of [false, true]) {
    for (const [rows, size] of shapes) {
      for (const kind of ["random", "ties", "special", "nan"] as const) {
        const x = single ? new Float32Array(rows * size) : new Float64Array(rows * size);
        for (let i = 0; i < x.length; i++) {
          if (kind === "random") x[i] = rng.uniform() - 0.5;
          else if (kind === "ties") x[i] = rng.int(3); // many equal values in every row
          else x[i] = SPECIAL[rng.int(SPECIAL.length)];
          if (kind === "nan" && rng.uniform() < 2 / size) x[i] = NaN; // about two NaNs a row, at any position
          if (kind === "special" && x[i] !== x[i]) x[i] = rng.uniform() < 0.5 ? 0 : -0;
        }
        for (const op of ["argmin", "argmax"] as const) {
          const fast = new Int32Array(rows), plain = new Int32Array(rows);
          (op === "argmin" ? K.argminRows : K.argmaxRows)(x, size, fast);
          (op === "argmin" ? K.argminRowsReference : K.argmaxRowsReference)(x, size, plain);
          const at = firstDifference(fast, plain);
          assert.is(at, -1, `${op} ${single ? "float32" : "float64"} [${rows}, ${size}] ${kind}: row ${at} gives ${fast[at]}, expected ${plain[at]}`);
          rowsChecked += rows;
        }
      }
    }
  }
  assert.ok(rowsChecked > 100_000);
});

test("a kernel that cannot grow its WebAssembly memory says so, so that the plain kernel does the work", () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
  assert.ok(growTo(memory, 65536), "already large enough");
  assert.ok(growTo(memory, 65537), "grows to 2 pages");
  assert.is(memory.buffer.byteLength, 2 * 65536);
  assert.not.ok(growTo(memory, 3 * 65536), "past its maximum");
  assert.is(memory.buffer.byteLength, 2 * 65536);
});

test.run();
