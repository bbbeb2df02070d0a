// The reference workloads written in gumbelgrad, the way a user of its public API would write them.
import {
  Rng, Tensor, add, crossEntropy, fromData, gradcheck, gumbelSoftmax, indexSelect, matmul, mseLoss, mul, noGrad, squaredDistances,
  relu, stopGradient, sub, sum, tanh, argmin, type FloatDType,
} from "../../src/index.js";
import { setWasmMatmul } from "../../src/kernels/matmul.js";
import type { Prepared } from "../harness.js";
import { W1, W2, W3, W4, W5, W5_ADD, W5_MUL, W6, data } from "../workloads.js";

function leaf(values: Float64Array, shape: number[], dtype: FloatDType, requiresGrad = false): Tensor {
  const t = fromData(dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values), shape);
  t.requiresGrad = requiresGrad;
  return t;
}

export function matmulW1(dtype: FloatDType): Prepared {
  const { a, b } = data.w1();
  const ta = leaf(a, [W1.n, W1.n], dtype), tb = leaf(b, [W1.n, W1.n], dtype);
  return { run: () => void matmul(ta, tb) };
}

/** W1 with the WebAssembly kernel switched off: the plain-TS kernel, the readable reference. */
export function matmulW1PlainTs(dtype: FloatDType): Prepared {
  const inner = matmulW1(dtype);
  return {
    run: () => {
      const was = setWasmMatmul(false);
      try {
        inner.run();
      } finally {
        setWasmMatmul(was);
      }
    },
  };
}

export function mlpW2(dtype: FloatDType): Prepared {
  const d = data.w2();
  const x = leaf(d.x, [W2.batch, W2.inputs], dtype);
  const params = [
    leaf(d.w1, [W2.inputs, W2.hidden], dtype, true), leaf(d.b1, [W2.hidden], dtype, true),
    leaf(d.w2, [W2.hidden, W2.classes], dtype, true), leaf(d.b2, [W2.classes], dtype, true),
  ];
  const targets = Array.from(d.labels);
  const [w1, b1, w2, b2] = params;
  return {
    run: () => {
      for (const p of params) p.grad = null;
      const hidden = relu(add(matmul(x, w1), b1));
      const loss = crossEntropy(add(matmul(hidden, w2), b2), targets);
      loss.backward();
    },
  };
}

export function gumbelSoftmaxW3(dtype: FloatDType, hard: boolean): Prepared {
  const d = data.w3();
  const logits = leaf(d.logits, [W3.rows, W3.classes], dtype, true);
  const w = leaf(d.w, [W3.rows, W3.classes], dtype);
  const rng = new Rng(3);
  return {
    run: () => {
      logits.grad = null;
      const y = gumbelSoftmax(logits, { tau: W3.tau, hard, rng });
      sum(mul(y, w)).backward();
    },
  };
}

/** One VQ step: encode, nearest code, straight-through lookup, decode, the three-term loss, backward. */
export function vqStep(x: Tensor, wEnc: Tensor, e: Tensor, wDec: Tensor, beta: number, codes?: Int32Array): Tensor {
  const z = matmul(x, wEnc);
  const idx = codes ?? nearestCodes(z, e);
  const zq = indexSelect(e, 0, Array.from(idx));
  const zst = add(z, stopGradient(sub(zq, z)));
  const recon = matmul(zst, wDec);
  const codebook = mseLoss(stopGradient(z), zq);
  const commitment = mseLoss(z, stopGradient(zq));
  return add(add(mseLoss(recon, x), codebook), mul(commitment, beta));
}

/** argmin_j ‖z − e_j‖², with the library's squaredDistances: no gradient, so computed outside the tape. */
function nearestCodes(z: Tensor, e: Tensor): Int32Array {
  return noGrad(() => argmin(squaredDistances(z, e), 1).values() as Int32Array);
}

/** The VQ model's input and its three parameters (encoder, codebook, decoder), as leaves. */
function vqLeaves(d: { x: Float64Array; wEnc: Float64Array; e: Float64Array; wDec: Float64Array }, s: typeof W4 | typeof W6, dtype: FloatDType): { x: Tensor; params: Tensor[] } {
  return {
    x: leaf(d.x, [s.n, s.inputs], dtype),
    params: [
      leaf(d.wEnc, [s.inputs, s.latent], dtype, true), leaf(d.e, [s.codes, s.latent], dtype, true),
      leaf(d.wDec, [s.latent, s.inputs], dtype, true),
    ],
  };
}

export function vqW4(dtype: FloatDType): Prepared {
  const { x, params } = vqLeaves(data.w4(), W4, dtype);
  const [wEnc, e, wDec] = params;
  return {
    run: () => {
      for (const p of params) p.grad = null;
      vqStep(x, wEnc, e, wDec, W4.beta).backward();
    },
  };
}

export function tapeW5(dtype: FloatDType): Prepared {
  const x = leaf(data.w5(), [W5.size], dtype, true);
  return {
    run: () => {
      x.grad = null;
      let y = x;
      for (let i = 0; i < W5.ops; i++) {
        const k = i % 3;
        y = k === 0 ? add(y, W5_ADD) : k === 1 ? mul(y, W5_MUL) : tanh(y);
      }
      sum(y).backward();
    },
  };
}

export function gradcheckW6(fast: boolean): Prepared {
  const d = data.w6();
  const { x, params: inputs } = vqLeaves(d, W6, "float64");
  const f = (wEnc: Tensor, e: Tensor, wDec: Tensor) => vqStep(x, wEnc, e, wDec, W6.beta, d.codes);
  return { run: () => void gradcheck(f, inputs, { fast }) };
}

/** Used by the memory check: W4 steps in float64, with their parameters updated by plain SGD. */
export function vqTrainingStep(): () => void {
  const { x, params } = vqLeaves(data.w4(), W4, "float64");
  const [wEnc, e, wDec] = params;
  return () => {
    vqStep(x, wEnc, e, wDec, W4.beta).backward();
    for (const p of params) {
      const v = p.values() as Float64Array, g = p.grad!.values();
      for (let i = 0; i < v.length; i++) v[i] -= 1e-3 * g[i];
      p.grad = null;
    }
  };
}
