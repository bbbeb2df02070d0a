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
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import type { Prepared } from "../harness.js";
import { W1, W2, W3, W4, W5, W5_ADD, W5_MUL, data } from "../workloads.js";

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
async function prepare(backend: TfBackend, make: () => { run: () => void; keep: tf.Tensor[] }): Promise<Prepared> {
  await use(backend);
  const { run, keep } = make();
  return {
    enter: () => use(backend),
    run: () => tf.tidy(run),
    dispose: () => tf.dispose(keep),
  };
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
      // u in the open interval (0, 1), so the noise is finite.
      const u = tf.clipByValue(tf.randomUniform(shape, 0, 1), 1e-7, 1 - 1e-7);
      const g = tf.neg(tf.log(tf.neg(tf.log(u))));
      const soft = tf.softmax(tf.div(tf.add(l, g), W3.tau));
      const y = hard ? tf.add(tf.oneHot(tf.argMax(soft, 1), W3.classes).toFloat(), tf.sub(soft, stopGradient(soft))) : soft;
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
};
