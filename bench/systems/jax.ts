// The reference workloads in jax-js on its WebAssembly backend, float32.
//
// jax-js counts references: every function consumes its array arguments, and `x.ref` adds a
// reference before a second use. Its work is lazy, so each step ends in blockUntilReady.
// W2–W4 are written as JAX users write them, jit(valueAndGrad(loss)). W5 (tape overhead) is not
// run: eager grad in jax-js grows quadratically with the chain's length (see bench/run.ts).
// On Node 20 jax-js needs `navigator` and a Float16Array class before init("wasm").
import type { Prepared } from "../harness.js";
import { W1, W2, W3, W4, data } from "../workloads.js";

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

/** A jax-js float32 array of the given shape from the workload's float64 numbers. */
function f32(jax: Jax, values: Float64Array, shape: number[]): JArray {
  return jax.numpy.array(Float32Array.from(values)).reshape(shape);
}

function disposeTree(x: unknown): void {
  if (Array.isArray(x)) x.forEach(disposeTree);
  else if (x && typeof (x as JArray).dispose === "function") (x as JArray).dispose();
}

export const jaxjs = {
  async matmulW1(): Promise<Prepared> {
    const jax = await load();
    const np = jax.numpy;
    const { a, b } = data.w1();
    const ta = f32(jax, a, [W1.n, W1.n]), tb = f32(jax, b, [W1.n, W1.n]);
    return {
      run: async () => disposeTree(await jax.blockUntilReady(np.matmul(ta.ref, tb.ref))),
      dispose: () => disposeTree([ta, tb]),
    };
  },

  async mlpW2(): Promise<Prepared> {
    const jax = await load();
    const { numpy: np, nn } = jax;
    const d = data.w2();
    const x = f32(jax, d.x, [W2.batch, W2.inputs]);
    const targets = nn.oneHot(np.array(d.labels, { dtype: np.int32 }), W2.classes);
    const params = [f32(jax, d.w1, [W2.inputs, W2.hidden]), f32(jax, d.b1, [W2.hidden]), f32(jax, d.w2, [W2.hidden, W2.classes]), f32(jax, d.b2, [W2.classes])];
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

  async gumbelSoftmaxW3(hard: boolean): Promise<Prepared> {
    const jax = await load();
    const { numpy: np, nn, random, lax } = jax;
    const d = data.w3();
    const shape = [W3.rows, W3.classes];
    const logits = f32(jax, d.logits, shape), w = f32(jax, d.w, shape);
    const loss = (l: JArray, key: JArray, wt: JArray) => {
      const soft = nn.softmax(l.add(random.gumbel(key, shape)).div(W3.tau));
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

  async vqW4(): Promise<Prepared> {
    const jax = await load();
    const { numpy: np, lax } = jax;
    const d = data.w4();
    const x = f32(jax, d.x, [W4.n, W4.inputs]);
    const params = [f32(jax, d.wEnc, [W4.inputs, W4.latent]), f32(jax, d.e, [W4.codes, W4.latent]), f32(jax, d.wDec, [W4.latent, W4.inputs])];
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
};
