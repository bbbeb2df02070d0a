// The reference workloads in jax-js on its WebAssembly backend, in float32 and in float64 (which
// jax-js has, unlike tfjs). Its random.gumbel draws float32 only: in float64 the noise is drawn in
// float32 and cast.
//
// jax-js counts references: every function consumes its array arguments, and `x.ref` adds a
// reference before a second use. Its work is lazy, so each step ends in blockUntilReady.
// W2–W4 are written as JAX users write them, jit(valueAndGrad(loss)). W5 (tape overhead) is not
// run: eager grad in jax-js grows quadratically with the chain's length (see bench/run.ts).
// W7/W8 jit the whole training step, loss, gradient and Adam, as a JAX user does with optax; the Adam
// update is written out (as optax.adam computes it), since @jax-js/optax is not a dependency here.
// On Node 20 jax-js needs `navigator` and a Float16Array class before init("wasm").
import type { BenchDType, Prepared } from "../harness.js";
import { W1, W2, W3, W4, data, type LayerValues, type VaeSizes } from "../workloads.js";

type Jax = typeof import("@jax-js/jax");
type JArray = InstanceType<Jax["numpy"]["Array"]>;

let loaded: Promise<Jax> | null = null;

function load(): Promise<Jax> {
  loaded ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    g.navigator ??= { hardwareConcurrency: 1, userAgent: "node" };
    g.Float16Array ??= class Float16Array {};
    const jax = await import("@jax-js/jax");
    await jax.init("wasm");
    jax.defaultDevice("wasm");
    return jax;
  })();
  return loaded;
}

/** A jax-js array of the given dtype and shape from the workload's float64 numbers. */
function asArray(jax: Jax, values: Float64Array, shape: number[], dtype: BenchDType): JArray {
  return jax.numpy.array(dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values)).reshape(shape);
}

/** Gumbel noise of the dtype: random.gumbel draws float32 only. */
function gumbelNoise(jax: Jax, key: JArray, shape: number[], dtype: BenchDType): JArray {
  const g = jax.random.gumbel(key, shape);
  return dtype === "float32" ? g : g.astype(jax.numpy.float64);
}

function disposeTree(x: unknown): void {
  if (Array.isArray(x)) x.forEach(disposeTree);
  else if (x && typeof (x as JArray).dispose === "function") (x as JArray).dispose();
}

export const jaxjs = {
  async matmulW1(dtype: BenchDType): Promise<Prepared> {
    const jax = await load();
    const np = jax.numpy;
    const { a, b } = data.w1();
    const ta = asArray(jax, a, [W1.n, W1.n], dtype), tb = asArray(jax, b, [W1.n, W1.n], dtype);
    return {
      run: async () => disposeTree(await jax.blockUntilReady(np.matmul(ta.ref, tb.ref))),
      dispose: () => disposeTree([ta, tb]),
    };
  },

  async mlpW2(dtype: BenchDType): Promise<Prepared> {
    const jax = await load();
    const { numpy: np, nn } = jax;
    const d = data.w2();
    const x = asArray(jax, d.x, [W2.batch, W2.inputs], dtype);
    const targets = nn.oneHot(np.array(d.labels, { dtype: np.int32 }), W2.classes);
    const params = [asArray(jax, d.w1, [W2.inputs, W2.hidden], dtype), asArray(jax, d.b1, [W2.hidden], dtype), asArray(jax, d.w2, [W2.hidden, W2.classes], dtype), asArray(jax, d.b2, [W2.classes], dtype)];
    const loss = (p: JArray[], xs: JArray, t: JArray) => {
      const [w1, b1, w2, b2] = p;
      const hidden = nn.relu(np.matmul(xs, w1).add(b1));
      const logits = np.matmul(hidden, w2).add(b2);
      return nn.logSoftmax(logits).mul(t).sum(1).mean().neg();
    };
    const step = jax.jit(jax.valueAndGrad(loss));
    return {
      run: async () => disposeTree(await jax.blockUntilReady(step(params.map((p) => p.ref), x.ref, targets.ref))),
      dispose: () => { disposeTree([x, targets, ...params]); step.dispose(); },
    };
  },

  async gumbelSoftmaxW3(hard: boolean, dtype: BenchDType): Promise<Prepared> {
    const jax = await load();
    const { numpy: np, nn, random, lax } = jax;
    const d = data.w3();
    const shape = [W3.rows, W3.classes];
    const logits = asArray(jax, d.logits, shape, dtype), w = asArray(jax, d.w, shape, dtype);
    const loss = (l: JArray, key: JArray, wt: JArray) => {
      const soft = nn.softmax(l.add(gumbelNoise(jax, key, shape, dtype)).div(W3.tau));
      const y = hard
        ? nn.oneHot(np.argmax(soft.ref, 1), W3.classes).add(soft.ref.sub(lax.stopGradient(soft)))
        : soft;
      return y.mul(wt).sum();
    };
    const step = jax.jit(jax.valueAndGrad(loss));
    let key = random.key(3);
    return {
      run: async () => {
        const [next, sub] = random.split(key, 2) as unknown as JArray[];
        key = next;
        disposeTree(await jax.blockUntilReady(step(logits.ref, sub, w.ref)));
      },
      dispose: () => { disposeTree([logits, w, key]); step.dispose(); },
    };
  },

  async vqW4(dtype: BenchDType): Promise<Prepared> {
    const jax = await load();
    const { numpy: np, lax } = jax;
    const d = data.w4();
    const x = asArray(jax, d.x, [W4.n, W4.inputs], dtype);
    const params = [asArray(jax, d.wEnc, [W4.inputs, W4.latent], dtype), asArray(jax, d.e, [W4.codes, W4.latent], dtype), asArray(jax, d.wDec, [W4.latent, W4.inputs], dtype)];
    const mse = (a: JArray, b: JArray) => { const diff = a.sub(b); return diff.ref.mul(diff).mean(); };
    const loss = (p: JArray[], xs: JArray) => {
      const [wEnc, e, wDec] = p;
      const z = np.matmul(xs.ref, wEnc);
      // argmin has an integer output, so JAX does not differentiate through the distances.
      const dist = e.ref.mul(e.ref).sum(1).sub(np.matmul(z.ref, e.ref.transpose()).mul(2));
      const zq = np.take(e, np.argmin(dist, 1), 0);
      const zst = z.ref.add(lax.stopGradient(zq.ref.sub(z.ref)));
      const recon = np.matmul(zst, wDec);
      const codebook = mse(lax.stopGradient(z.ref), zq.ref);
      const commitment = mse(z, lax.stopGradient(zq));
      return mse(recon, xs).add(codebook).add(commitment.mul(W4.beta));
    };
    const step = jax.jit(jax.valueAndGrad(loss));
    return {
      run: async () => disposeTree(await jax.blockUntilReady(step(params.map((p) => p.ref), x.ref))),
      dispose: () => { disposeTree([x, ...params]); step.dispose(); },
    };
  },

  async vaeStep(s: VaeSizes, d: { x: Float64Array; encoder: LayerValues[]; decoder: LayerValues[] }, dtype: BenchDType): Promise<Prepared> {
    const jax = await load();
    const { numpy: np, random } = jax;
    const x = asArray(jax, d.x, [s.batch, s.pixels], dtype);
    // Weights as JAX users hold them, [in, out] for x·W: the transpose of PyTorch's layout.
    const layerParams = (layers: LayerValues[]) => layers.flatMap((l) => [asArray(jax, l.weight, [l.outFeatures, l.inFeatures], dtype).transpose(), asArray(jax, l.bias, [l.outFeatures], dtype)]);
    let params = [...layerParams(d.encoder), ...layerParams(d.decoder)];
    let state = adamInit(np, params, dtype);
    const encoderArrays = 2 * d.encoder.length;
    const loss = (p: JArray[], xs: JArray, key: JArray) => vaeLoss(jax, s, p.slice(0, encoderArrays), p.slice(encoderArrays), xs, key, dtype);
    const step = jax.jit((p: JArray[], st: AdamState, xs: JArray, key: JArray) => {
      const [value, grads] = jax.valueAndGrad(loss)(p.map((a) => a.ref), xs, key) as unknown as [JArray, JArray[]];
      const [next, nextState] = adamUpdate(np, p, grads, st, s.lr);
      return [value, next, nextState] as unknown as JArray;
    });
    let key = random.key(7);
    return {
      run: async () => {
        const [nextKey, sub] = random.split(key, 2) as unknown as JArray[];
        key = nextKey;
        const [value, next, nextState] = (await jax.blockUntilReady(step(params, state, x.ref, sub))) as unknown as [JArray, JArray[], AdamState];
        value.dispose();
        params = next;
        state = nextState;
      },
      dispose: () => { disposeTree([x, key, params, state.m, state.v, state.count]); step.dispose(); },
    };
  },
};

/** x·W + b through the layers (params: w0, b0, w1, b1, …), ReLU between them. */
function mlp(jax: Jax, params: JArray[], x: JArray): JArray {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    h = jax.numpy.matmul(h, params[i]).add(params[i + 1]);
    if (i < params.length - 2) h = jax.nn.relu(h);
  }
  return h;
}

/** The categorical VAE's loss (see VaeSizes), with the straight-through Gumbel-softmax of W3. */
function vaeLoss(jax: Jax, s: VaeSizes, encoder: JArray[], decoder: JArray[], x: JArray, key: JArray, dtype: BenchDType): JArray {
  const { numpy: np, nn, lax } = jax;
  const latentShape = [s.batch, s.latents, s.categories];
  const logits = mlp(jax, encoder, x.ref).reshape(latentShape);
  const soft = nn.softmax(logits.ref.add(gumbelNoise(jax, key, latentShape, dtype)).div(s.tau), -1);
  const z = nn.oneHot(np.argmax(soft.ref, -1), s.categories).add(soft.ref.sub(lax.stopGradient(soft)));
  const reconLogits = mlp(jax, decoder, z.reshape([s.batch, s.latents * s.categories]));
  // BCE with logits, the stable form: softplus(ℓ) − ℓ·x.
  const bce = nn.softplus(reconLogits.ref).sub(reconLogits.mul(x)).sum();
  const logQ = nn.logSoftmax(logits, -1);
  // KL(q ‖ Uniform(K)) = Σ_k q log q + log K for each of the batch × N variables.
  const kl = np.exp(logQ.ref).mul(logQ).sum().add(s.batch * s.latents * Math.log(s.categories));
  return bce.add(kl).div(s.batch);
}

interface AdamState {
  m: JArray[];
  v: JArray[];
  count: JArray;
}

const ADAM = { b1: 0.9, b2: 0.999, eps: 1e-8 };

function adamInit(np: Jax["numpy"], params: JArray[], dtype: BenchDType): AdamState {
  return { m: params.map((p) => np.zerosLike(p.ref)), v: params.map((p) => np.zerosLike(p.ref)), count: np.array(0, { dtype: dtype === "float32" ? np.float32 : np.float64 }) };
}

/**
 * One Adam step, as optax.adam: m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
 * p ← p − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε). Consumes its arguments, returns the new ones.
 */
function adamUpdate(np: Jax["numpy"], params: JArray[], grads: JArray[], st: AdamState, lr: number): [JArray[], AdamState] {
  const { b1, b2, eps } = ADAM;
  const count = st.count.add(1);
  const correction1 = np.power(b1, count.ref).neg().add(1), correction2 = np.power(b2, count.ref).neg().add(1);
  const m = st.m.map((mi, i) => mi.mul(b1).add(grads[i].ref.mul(1 - b1)));
  const v = st.v.map((vi, i) => vi.mul(b2).add(grads[i].ref.mul(grads[i]).mul(1 - b2)));
  const next = params.map((p, i) => {
    const mHat = m[i].ref.div(correction1.ref), vHat = v[i].ref.div(correction2.ref);
    return p.sub(mHat.div(np.sqrt(vHat).add(eps)).mul(lr));
  });
  correction1.dispose();
  correction2.dispose();
  return [next, { m, v, count }];
}
