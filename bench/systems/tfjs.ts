// The reference workloads in TensorFlow.js (float32 only), on its pure-JS CPU backend or its
// WebAssembly backend (XNNPACK, SIMD). The backend is global in tfjs, so each case switches to its
// own before its turn (`enter`).
//
// Notes on faithfulness:
// - tfjs-core's Node build registers no gradients; importing `@tensorflow/tfjs` (the union
//   package) does, and also registers the CPU backend.
// - tfjs has no stopGradient. We emulate it with customGrad (forward: a copy, backward: zeros),
//   the way its users do.
// - W4's codebook lookup is a one-hot matmul: tf.gather's gradient is slow on the CPU backend
//   and missing on the WebAssembly backend. The code choice (argmin) runs before the gradient
//   function, as gumbelgrad's runs under noGrad, so neither system differentiates through it.
// - W7/W8 hold the weights as tfjs users do, as variables of shape [in, out] (x·W, the transpose of
//   PyTorch's layout, filled from the same numbers), and train them with tf.train.adam's minimize.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import type { Prepared } from "../harness.js";
import { W1, W2, W3, W4, W5, W5_ADD, W5_MUL, data, type LayerValues, type VaeSizes } from "../workloads.js";

export type TfBackend = "cpu" | "wasm";

let quieted = false;

async function use(backend: TfBackend): Promise<void> {
  if (!quieted) {
    // Production mode skips tfjs's debug checks (its fastest setting) and the note that tfjs-node exists.
    tf.enableProdMode();
    quieted = true;
  }
  if (tf.getBackend() !== backend) {
    await tf.setBackend(backend);
    await tf.ready();
  }
}

const f32 = (values: Float64Array | Int32Array, shape: number[]) => tf.tensor(Float32Array.from(values), shape, "float32");

/** stopGradient for tfjs: the value passes, the gradient is zero. */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: x.clone(),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;

const mse = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.square(tf.sub(a, b)));

/** Runs `make` on the chosen backend; the tensors it creates live there. */
async function prepare(backend: TfBackend, make: () => { run: () => void; keep: tf.Tensor[]; cleanup?: () => void }): Promise<Prepared> {
  await use(backend);
  const { run, keep, cleanup } = make();
  return {
    enter: () => use(backend),
    run: () => tf.tidy(run),
    dispose: () => {
      tf.dispose(keep);
      cleanup?.();
    },
  };
}

/** Gumbel noise of the given shape, from uniforms in the open interval (0, 1), so the noise is finite. */
function gumbelNoise(shape: number[]): tf.Tensor {
  const u = tf.clipByValue(tf.randomUniform(shape, 0, 1), 1e-7, 1 - 1e-7);
  return tf.neg(tf.log(tf.neg(tf.log(u))));
}

/** Straight-through: the one-hot of the argmax forward, the gradient of `soft` backward. */
function straightThrough(soft: tf.Tensor, axis: number): tf.Tensor {
  const hard = tf.oneHot(tf.argMax(soft, axis), soft.shape[soft.shape.length - 1]!).toFloat();
  return tf.add(hard, tf.sub(soft, stopGradient(soft)));
}

interface Dense {
  w: tf.Variable;
  b: tf.Variable;
}

/** The layers as tfjs variables, weights transposed to [in, out]. */
function denseLayers(layers: LayerValues[]): Dense[] {
  return layers.map((l) => ({
    w: tf.variable(tf.transpose(f32(l.weight, [l.outFeatures, l.inFeatures]))),
    b: tf.variable(f32(l.bias, [l.outFeatures])),
  }));
}

/** x·W + b through the layers, ReLU between them. */
function mlp(layers: Dense[], x: tf.Tensor): tf.Tensor {
  return layers.reduce((h, { w, b }, i) => {
    const y = tf.add(tf.matMul(h, w), b);
    return i < layers.length - 1 ? tf.relu(y) : y;
  }, x);
}

export const tfjs = {
  matmulW1: (backend: TfBackend) => prepare(backend, () => {
    const { a, b } = data.w1();
    const ta = f32(a, [W1.n, W1.n]), tb = f32(b, [W1.n, W1.n]);
    return { run: () => void tf.matMul(ta, tb), keep: [ta, tb] };
  }),

  mlpW2: (backend: TfBackend) => prepare(backend, () => {
    const d = data.w2();
    const x = f32(d.x, [W2.batch, W2.inputs]);
    const targets = tf.oneHot(tf.tensor1d(d.labels, "int32"), W2.classes).toFloat();
    const params = [f32(d.w1, [W2.inputs, W2.hidden]), f32(d.b1, [W2.hidden]), f32(d.w2, [W2.hidden, W2.classes]), f32(d.b2, [W2.classes])];
    const loss = (w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
      const hidden = tf.relu(tf.add(tf.matMul(x, w1), b1));
      const logits = tf.add(tf.matMul(hidden, w2), b2);
      return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), targets), 1)));
    };
    const grads = tf.grads(loss as (...xs: tf.Tensor[]) => tf.Tensor);
    return { run: () => void grads(params), keep: [x, targets, ...params] };
  }),

  gumbelSoftmaxW3: (backend: TfBackend, hard: boolean) => prepare(backend, () => {
    const d = data.w3();
    const shape = [W3.rows, W3.classes];
    const logits = f32(d.logits, shape), w = f32(d.w, shape);
    const loss = (l: tf.Tensor) => {
      const soft = tf.softmax(tf.div(tf.add(l, gumbelNoise(shape)), W3.tau));
      const y = hard ? straightThrough(soft, 1) : soft;
      return tf.sum(tf.mul(y, w));
    };
    const grad = tf.grad(loss);
    return { run: () => void grad(logits), keep: [logits, w] };
  }),

  vqW4: (backend: TfBackend) => prepare(backend, () => {
    const d = data.w4();
    const x = f32(d.x, [W4.n, W4.inputs]);
    const params = [f32(d.wEnc, [W4.inputs, W4.latent]), f32(d.e, [W4.codes, W4.latent]), f32(d.wDec, [W4.latent, W4.inputs])];
    const nearest = () => {
      const z = tf.matMul(x, params[0]);
      const ee = tf.sum(tf.square(params[1]), 1);
      return tf.argMin(tf.sub(ee, tf.mul(tf.matMul(z, params[1], false, true), 2)), 1);
    };
    const run = () => {
      const lookup = tf.oneHot(nearest(), W4.codes).toFloat();
      const loss = (wEnc: tf.Tensor, e: tf.Tensor, wDec: tf.Tensor) => {
        const z = tf.matMul(x, wEnc);
        const zq = tf.matMul(lookup, e);
        const zst = tf.add(z, stopGradient(tf.sub(zq, z)));
        const recon = tf.matMul(zst, wDec);
        return tf.add(tf.add(mse(recon, x), mse(stopGradient(z), zq)), tf.mul(mse(z, stopGradient(zq)), W4.beta));
      };
      tf.grads(loss as (...xs: tf.Tensor[]) => tf.Tensor)(params);
    };
    return { run, keep: [x, ...params] };
  }),

  tapeW5: (backend: TfBackend) => prepare(backend, () => {
    const x = f32(data.w5(), [W5.size]);
    const chain = (v: tf.Tensor) => {
      let y = v;
      for (let i = 0; i < W5.ops; i++) {
        const k = i % 3;
        y = k === 0 ? tf.add(y, W5_ADD) : k === 1 ? tf.mul(y, W5_MUL) : tf.tanh(y);
      }
      return tf.sum(y);
    };
    const grad = tf.grad(chain);
    return { run: () => void grad(x), keep: [x] };
  }),

  vaeStep: (backend: TfBackend, s: VaeSizes, d: { x: Float64Array; encoder: LayerValues[]; decoder: LayerValues[] }) => prepare(backend, () => {
    const x = f32(d.x, [s.batch, s.pixels]);
    const encoder = denseLayers(d.encoder), decoder = denseLayers(d.decoder);
    const optimizer = tf.train.adam(s.lr, 0.9, 0.999, 1e-8);
    const loss = () => {
      const logits = tf.reshape(mlp(encoder, x), [s.batch, s.latents, s.categories]);
      const z = straightThrough(tf.softmax(tf.div(tf.add(logits, gumbelNoise(logits.shape)), s.tau)), -1);
      const reconLogits = mlp(decoder, tf.reshape(z, [s.batch, s.latents * s.categories]));
      const bce = tf.losses.sigmoidCrossEntropy(x, reconLogits, undefined, 0, tf.Reduction.SUM);
      const logQ = tf.logSoftmax(logits);
      // KL(q ‖ Uniform(K)) = Σ_k q log q + log K for each of the batch × N variables.
      const kl = tf.add(tf.sum(tf.mul(tf.exp(logQ), logQ)), s.batch * s.latents * Math.log(s.categories));
      return tf.div(tf.add(bce, kl), s.batch) as tf.Scalar;
    };
    const variables = [...encoder, ...decoder].flatMap((l) => [l.w, l.b]);
    return { run: () => void optimizer.minimize(loss, false, variables), keep: [x, ...variables], cleanup: () => optimizer.dispose() };
  }),
};
