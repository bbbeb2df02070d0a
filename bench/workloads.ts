// The reference workloads W1–W8: their fixed sizes, and the data every system starts from.
// Each system builds the same computation from the same numbers (float32 systems round them).

export const W1 = { n: 256, flops: 2 * 256 ** 3 };
export const W2 = { batch: 64, inputs: 784, hidden: 256, classes: 10 };
export const W3 = { rows: 1024, classes: 512, tau: 0.5 };
export const W4 = { n: 256, inputs: 32, latent: 64, codes: 512, beta: 0.25 };
export const W5 = { size: 4, ops: 10_000 };
export const W6 = { n: 32, inputs: 8, latent: 6, codes: 16, beta: 0.25 };

/** The three elementwise ops W5 cycles through, so the chain stays bounded: x+0.1, x·0.9, tanh x. */
export const W5_ADD = 0.1;
export const W5_MUL = 0.9;

/**
 * W7 and W8: one training step of the categorical VAE of Jang et al. (2017). The encoder MLP maps
 * binary pixels to logits of N variables with K categories each; z = straight-through
 * Gumbel-softmax(logits, τ, hard) along the categories; the decoder MLP maps z back to Bernoulli logits.
 *   loss = mean over the batch of [Σ_pixels BCE-with-logits(decoder(z), x) + Σ_n KL(softmax(ℓ_n) ‖ Uniform(K))],
 *   KL = Σ_k q log q + log K with log q = logSoftmax(ℓ_n); then backward and one Adam step on every parameter.
 * W7 has the digits example's sizes (8×8 images); W8 the paper's MNIST sizes.
 */
export interface VaeSizes {
  batch: number;
  pixels: number;
  encoderHidden: number[];
  decoderHidden: number[];
  /** N, the number of categorical variables. */
  latents: number;
  /** K, the categories of each. */
  categories: number;
  tau: number;
  lr: number;
  /** The fraction of pixels that are on in the fixed batch. */
  onFraction: number;
}

export const W7: VaeSizes = { batch: 100, pixels: 64, encoderHidden: [256], decoderHidden: [256], latents: 8, categories: 10, tau: 1, lr: 1e-3, onFraction: 0.3 };
export const W8: VaeSizes = { batch: 100, pixels: 784, encoderHidden: [512, 256], decoderHidden: [256, 512], latents: 30, categories: 10, tau: 1, lr: 1e-3, onFraction: 0.3 };

/** The layer sizes of the VAE's encoder and decoder, input first: [64, 256, 80] and [80, 256, 64] for W7. */
export function vaeLayerSizes(s: VaeSizes): { encoder: number[]; decoder: number[] } {
  const code = s.latents * s.categories;
  return { encoder: [s.pixels, ...s.encoderHidden, code], decoder: [code, ...s.decoderHidden, s.pixels] };
}

/** Uniforms in the open interval (0, 1) from a small seeded generator (mulberry32), the same on every run. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/** Normal samples from the seeded generator (Box–Muller), the same on every run. */
export function normals(seed: number, size: number, scale = 1): Float64Array {
  const uniform = seededUniform(seed);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = scale * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

/** Uniform samples in (−bound, bound): PyTorch's default Linear init with bound 1/√inFeatures. */
export function uniforms(seed: number, size: number, bound: number): Float64Array {
  const uniform = seededUniform(seed);
  return Float64Array.from({ length: size }, () => bound * (2 * uniform() - 1));
}

/** A fixed binary batch: each value is 1 with probability p. */
export function bernoullis(seed: number, size: number, p: number): Float64Array {
  const uniform = seededUniform(seed);
  return Float64Array.from({ length: size }, () => (uniform() < p ? 1 : 0));
}

/** One Linear layer's starting values, in PyTorch's layout: weight [outFeatures, inFeatures], row-major. */
export interface LayerValues {
  inFeatures: number;
  outFeatures: number;
  weight: Float64Array;
  bias: Float64Array;
}

/** Linear layers between consecutive sizes, initialised as PyTorch does, each from its own seed. */
function linearLayers(sizes: number[], seed: number): LayerValues[] {
  return sizes.slice(1).map((outFeatures, i) => {
    const inFeatures = sizes[i], bound = 1 / Math.sqrt(inFeatures);
    return {
      inFeatures, outFeatures,
      weight: uniforms(seed + 2 * i, outFeatures * inFeatures, bound),
      bias: uniforms(seed + 2 * i + 1, outFeatures, bound),
    };
  });
}

/** The VAE's fixed batch x [batch, pixels] and the starting values of its encoder and decoder layers. */
export function vaeData(s: VaeSizes, seed: number): { x: Float64Array; encoder: LayerValues[]; decoder: LayerValues[] } {
  const { encoder, decoder } = vaeLayerSizes(s);
  return {
    x: bernoullis(seed, s.batch * s.pixels, s.onFraction),
    encoder: linearLayers(encoder, seed + 1),
    decoder: linearLayers(decoder, seed + 1 + 2 * encoder.length),
  };
}

/** The fixed labels of W2: row i has class i mod 10. */
export function labels(n: number, classes: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i % classes);
}

/** The fixed code indices of W6 (the gradient check needs them fixed, so the loss is smooth). */
export function fixedCodes(n: number, codes: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (i * 7 + 3) % codes);
}

export const data = {
  w1: () => ({ a: normals(1, W1.n * W1.n), b: normals(2, W1.n * W1.n) }),
  w2: () => ({
    x: normals(3, W2.batch * W2.inputs),
    w1: normals(4, W2.inputs * W2.hidden, Math.sqrt(2 / W2.inputs)),
    b1: new Float64Array(W2.hidden),
    w2: normals(5, W2.hidden * W2.classes, Math.sqrt(1 / W2.hidden)),
    b2: new Float64Array(W2.classes),
    labels: labels(W2.batch, W2.classes),
  }),
  w3: () => ({ logits: normals(6, W3.rows * W3.classes), w: normals(7, W3.rows * W3.classes) }),
  w4: () => ({
    x: normals(8, W4.n * W4.inputs),
    wEnc: normals(9, W4.inputs * W4.latent, Math.sqrt(1 / W4.inputs)),
    e: normals(10, W4.codes * W4.latent),
    wDec: normals(11, W4.latent * W4.inputs, Math.sqrt(1 / W4.latent)),
  }),
  w5: () => normals(12, W5.size, 0.5),
  w6: () => ({
    x: normals(13, W6.n * W6.inputs),
    wEnc: normals(14, W6.inputs * W6.latent, 0.4),
    e: normals(15, W6.codes * W6.latent),
    wDec: normals(16, W6.latent * W6.inputs, 0.4),
    codes: fixedCodes(W6.n, W6.codes),
  }),
  w7: () => vaeData(W7, 20),
  w8: () => vaeData(W8, 40),
};
