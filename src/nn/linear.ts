// Linear and MLP: the layers of the examples' encoders and decoders.
import { describeValue, errorSample, GumbelgradError, optionsArg, positiveInteger, Rng, rngArg, sample, ShapeError, show, Tensor, uniformArg, wrap, zeros, type OpSpec } from "../core/index.js";
import { sizeOf } from "../kernels/index.js";
import { Module } from "./module.js";

/** Options for {@link Linear}. @category nn */
export interface LinearOptions {
  /** Whether to learn a bias b. Default true. */
  bias?: boolean;
  /** The generator for the initial weights. Default: the generator set by manualSeed. */
  rng?: Rng;
}

/** Uniform samples in (−bound, bound), as a packed float64 tensor. */
function uniformInit(shape: number[], bound: number, rng: Rng): Tensor {
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = bound * (2 * rng.uniform() - 1);
  return wrap(data, shape);
}

/**
 * y = x·Wᵀ + b, with W of shape [outFeatures, inFeatures] as in PyTorch (so weights load across).
 * Init as PyTorch: W and b ~ U(−1/√in, 1/√in), drawn from `rng` (seeded) or the default generator.
 * @category nn
 */
export class Linear extends Module {
  /** W, [outFeatures, inFeatures]; the parameter `weight`. */
  readonly weight: Tensor;
  /** b, [outFeatures]; the parameter `bias`, or null with `{ bias: false }`. */
  readonly bias: Tensor | null;

  /**
   * A layer mapping inFeatures to outFeatures, with freshly drawn weights.
   * @param inFeatures The size of the last axis of x.
   * @param outFeatures The size of the last axis of y.
   * @throws GumbelgradError unless both sizes are positive integers.
   */
  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: LinearOptions = {}) {
    super();
    positiveInteger("Linear", "inFeatures", inFeatures);
    positiveInteger("Linear", "outFeatures", outFeatures);
    opts = optionsArg("Linear", opts);
    const rng = rngArg("Linear", opts.rng);
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.addParameter("weight", uniformInit([outFeatures, inFeatures], bound, rng));
    this.bias = opts.bias === false ? null : this.addParameter("bias", uniformInit([outFeatures], bound, rng));
  }

  /**
   * y = x·Wᵀ + b: x [..., inFeatures] gives y [..., outFeatures].
   * @throws ShapeError when the last axis of x is not inFeatures.
   */
  forward(x: Tensor): Tensor {
    return this.apply("Linear", x);
  }

  /** The forward pass, with errors that name `op` (the module the user called). */
  apply(op: string, x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new GumbelgradError(op, `x must be a Tensor, but got ${describeValue(x)}`);
    if (x.ndim < 1 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new ShapeError(op, `the last axis of x must be inFeatures = ${this.inFeatures}`, { x: x.shape });
    }
    const y = x.matmul(this.weight.T);
    return this.bias ? y.add(this.bias) : y;
  }
}

/** The nonlinearity between an {@link MLP}'s layers. @category nn */
export type Activation = "relu" | "tanh";

/** Options for {@link MLP}. @category nn */
export interface MLPOptions {
  /** The activation between layers. Default "relu". */
  activation?: Activation;
  /** The generator for the initial weights. Default: the generator set by manualSeed. */
  rng?: Rng;
}

/**
 * Linear layers of the given sizes ([in, hidden…, out]) with an activation between them, none after
 * the last. Parameters are named as in a PyTorch Sequential: `0.weight`, `0.bias`, `1.weight`, …
 * @category nn
 */
export class MLP extends Module {
  /** The Linear layers, first to last; registered as modules `0`, `1`, … */
  readonly layers: Linear[];
  /** The activation between layers. */
  readonly activation: Activation;

  /**
   * An MLP with one Linear layer per pair of consecutive sizes.
   * @param sizes [in, hidden…, out], at least two positive integers.
   */
  constructor(sizes: number[], opts: MLPOptions = {}) {
    super();
    if (!Array.isArray(sizes) || sizes.length < 2) throw new GumbelgradError("MLP", `needs at least two sizes [in, out], but got ${Array.isArray(sizes) ? `[${sizes.map(show).join(", ")}]` : describeValue(sizes)}`);
    sizes.forEach((d, i) => positiveInteger("MLP", `sizes[${i}]`, d));
    opts = optionsArg("MLP", opts);
    this.activation = opts.activation ?? "relu";
    if (this.activation !== "relu" && this.activation !== "tanh") throw new GumbelgradError("MLP", `activation must be "relu" or "tanh", but got ${describeValue(this.activation)}`);
    const rng = rngArg("MLP", opts.rng);
    this.layers = sizes.slice(1).map((out, i) => this.addModule(String(i), new Linear(sizes[i], out, { rng })));
  }

  /** x [..., in] through every layer, the activation between them: [..., out]. */
  forward(x: Tensor): Tensor {
    let h = x;
    this.layers.forEach((layer, i) => {
      h = layer.apply("MLP", h);
      if (i < this.layers.length - 1) h = this.activation === "relu" ? h.relu() : h.tanh();
    });
    return h;
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const linearSpec: OpSpec = {
  name: "Linear",
  fn: Linear,
  samples: (rng) => {
    const layer = new Linear(3, 2, { rng: new Rng(7) });
    const noBias = new Linear(4, 3, { bias: false, rng: new Rng(8) });
    return [
      sample("x [5, 3] through Linear(3, 2)", [uniformArg(rng, [5, 3])], (x) => layer.forward(x.cast(layer.weight.dtype)), true),
      sample("a batch of batches [2, 3, 4], no bias", [uniformArg(rng, [2, 3, 4])], (x) => noBias.forward(x.cast(noBias.weight.dtype))),
    ].map((s) => ({ ...s, float32: false }));
  },
  errors: () => [
    errorSample("wrong last axis", () => new Linear(3, 2).forward(zeros([4, 2])), "Linear: the last axis of x must be inFeatures = 3, but x has shape [4, 2]"),
    errorSample("zero features", () => new Linear(0, 2), "Linear: inFeatures must be a positive integer, but got 0"),
  ],
};

export const mlpSpec: OpSpec = {
  name: "MLP",
  fn: MLP,
  samples: (rng) => {
    const relu = new MLP([3, 4, 2], { rng: new Rng(9) });
    const tanh = new MLP([2, 3, 3, 1], { activation: "tanh", rng: new Rng(10) });
    return [
      // inputs away from ReLU's kink for this seed's weights are not guaranteed, so the ReLU sample is first order only
      { ...sample("x [4, 3] through 3–4–2 with ReLU", [uniformArg(rng, [4, 3])], (x) => relu.forward(x), false), float32: false },
      { ...sample("x [3, 2] through 2–3–3–1 with tanh", [uniformArg(rng, [3, 2])], (x) => tanh.forward(x)), float32: false },
    ];
  },
  errors: () => [
    errorSample("a plain array", () => new MLP([3, 2]).forward([1, 2] as unknown as Tensor), "MLP: x must be a Tensor, but got an array (wrap it with tensor(...))"),
    errorSample("one size", () => new MLP([3]), "MLP: needs at least two sizes [in, out], but got [3]"),
  ],
};
