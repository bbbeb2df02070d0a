// Linear and MLP: the layers of the examples' encoders and decoders.
import { Tensor, wrap } from "../core/tensor.js";
import { GumbelgradError, ShapeError } from "../core/errors.js";
import { rngArg, type Rng } from "../core/random.js";
import { describeValue, optionsArg, show } from "../core/checks.js";
import { sizeOf } from "../kernels/layout.js";
import { Module } from "./module.js";
import { positiveInteger } from "../ops/common.js";

export interface LinearOptions {
  bias?: boolean;
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
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

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

export type Activation = "relu" | "tanh";

export interface MLPOptions {
  activation?: Activation;
  rng?: Rng;
}

/**
 * Linear layers of the given sizes ([in, hidden…, out]) with an activation between them, none after
 * the last. Parameters are named as in a PyTorch Sequential: `0.weight`, `0.bias`, `1.weight`, …
 */
export class MLP extends Module {
  readonly layers: Linear[];
  readonly activation: Activation;

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

  forward(x: Tensor): Tensor {
    let h = x;
    this.layers.forEach((layer, i) => {
      h = layer.apply("MLP", h);
      if (i < this.layers.length - 1) h = this.activation === "relu" ? h.relu() : h.tanh();
    });
    return h;
  }
}
