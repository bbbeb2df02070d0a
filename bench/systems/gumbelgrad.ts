// The reference workloads written in gumbelgrad, the way a user of its public API would write them.
import {
  Adam, MLP, Rng, Tensor, add, crossEntropy, div, exp, fromData, gradcheck, gumbelSoftmax, indexSelect, loadStateDict, logSoftmax,
  matmul, mseLoss, mul, noGrad, relu, reshape, softplus, squaredDistances, stopGradient, sub, sum, tanh, argmin,
  type FloatDType, type StateDict,
} from "../../src/index.js";
import { setWasmMatmul } from "../../src/kernels/index.js";
import type { Prepared } from "../harness.js";
import { W1, W2, W3, W4, W5, W5_ADD, W5_MUL, W6, W7, data, type LayerValues, type VaeSizes } from "../workloads.js";

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

/** The part of a module the VAE uses: a forward pass and the parameters to hand to Adam. */
interface Net {
  forward(x: Tensor): Tensor;
  parameters(): Tensor[];
}

/** The library's MLP, ReLU between its layers, in `dtype`, starting from the bench's values. */
function mlpFrom(layers: LayerValues[], dtype: FloatDType): Net {
  const mlp = new MLP([layers[0].inFeatures, ...layers.map((l) => l.outFeatures)], { rng: new Rng(0), dtype });
  loadStateDict(mlp, mlpState(layers, dtype));
  return mlp;
}

/** The layers' values under the names of a PyTorch Sequential of Linears and ReLUs: 0.weight, 0.bias, 2.weight, … */
function mlpState(layers: LayerValues[], dtype: FloatDType): StateDict {
  const state: StateDict = {};
  layers.forEach((l, i) => {
    state[`${2 * i}.weight`] = { shape: [l.outFeatures, l.inFeatures], dtype, values: Array.from(l.weight) };
    state[`${2 * i}.bias`] = { shape: [l.outFeatures], dtype, values: Array.from(l.bias) };
  });
  return state;
}

/**
 * The categorical VAE's loss (see VaeSizes): encode, a straight-through Gumbel-softmax sample of
 * the N categorical variables, decode, then BCE with logits plus the KL to the uniform prior.
 * BCE with logits is softplus(ℓ) − ℓ·x, the stable form of −x·log σ(ℓ) − (1 − x)·log(1 − σ(ℓ)).
 */
function vaeLoss(s: VaeSizes, x: Tensor, encoder: Net, decoder: Net, rng: Rng): Tensor {
  const code = s.latents * s.categories;
  const logits = reshape(encoder.forward(x), [s.batch, s.latents, s.categories]);
  const z = gumbelSoftmax(logits, { tau: s.tau, hard: true, axis: -1, rng });
  const reconLogits = decoder.forward(reshape(z, [s.batch, code]));
  const bce = sum(sub(softplus(reconLogits), mul(reconLogits, x)));
  const logQ = logSoftmax(logits, -1);
  // KL(q ‖ Uniform(K)) = Σ_k q log q + log K for each of the batch × N variables.
  const kl = add(sum(mul(exp(logQ), logQ)), s.batch * s.latents * Math.log(s.categories));
  return div(add(bce, kl), s.batch);
}

/** A function doing one VAE training step (forward, backward, Adam) from the workload's fixed data; it returns the step's loss. */
export function vaeTrainer(s: VaeSizes, d: ReturnType<typeof data.w7>, dtype: FloatDType): () => Tensor {
  const x = leaf(d.x, [s.batch, s.pixels], dtype);
  const encoder = mlpFrom(d.encoder, dtype), decoder = mlpFrom(d.decoder, dtype);
  const optimizer = new Adam([...encoder.parameters(), ...decoder.parameters()], { lr: s.lr });
  const rng = new Rng(7);
  return () => {
    optimizer.zeroGrad();
    const loss = vaeLoss(s, x, encoder, decoder, rng);
    loss.backward();
    optimizer.step();
    return loss;
  };
}

/** W7 and W8: one training step of the categorical VAE at the given sizes. */
export function vaeStep(s: VaeSizes, d: ReturnType<typeof data.w7>, dtype: FloatDType): Prepared {
  const step = vaeTrainer(s, d, dtype);
  return { run: () => void step() };
}

/** Used by the memory check: W7 steps in float64. */
export function vaeTrainingStep(): () => void {
  const step = vaeTrainer(W7, data.w7(), "float64");
  return () => void step();
}
