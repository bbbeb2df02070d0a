// Sequential: modules applied one after another, named "0", "1", … as PyTorch's nn.Sequential, so
// state dicts load across by name; and MLP, Linear layers with an activation between, built on it.
import { describeValue, errorSample, GumbelgradError, optionsArg, positiveInteger, Rng, rngArg, sample, show, Tensor, uniformArg, type FloatDType, type OpSpec } from "../core/index.js";
import { Module } from "./module.js";
import { Linear } from "./linear.js";
import { ReLU, Sigmoid, Tanh } from "./activations.js";
import { dtypeArg } from "./input.js";

/** A module whose forward maps one tensor to one tensor: what a {@link Sequential} chains. @category nn */
export type Layer = Module & {
  /** The module's output for x. */
  forward(x: Tensor): Tensor;
};

/**
 * Applies its modules in order, y = mₙ(…m₂(m₁(x))), as PyTorch's nn.Sequential. The modules are
 * registered as children "0", "1", …, so an MLP [in, h, out] with a ReLU between has parameters
 * `0.weight`, `0.bias`, `2.weight`, `2.bias`: the names of PyTorch's state dict.
 * @category nn
 */
export class Sequential extends Module {
  /** The modules, in the order they are applied; module i is the child named String(i). */
  readonly modules: readonly Layer[];

  /**
   * A chain of modules: `new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2))`.
   * @throws GumbelgradError when an argument is not a Module with a forward(x) method.
   */
  constructor(...modules: Layer[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module) || typeof (m as Partial<Layer>).forward !== "function") {
        throw new GumbelgradError(this.kind(), `module ${i} must be a Module with a forward(x) method, but got ${describeValue(m)}`);
      }
    });
    this.modules = modules.map((m, i) => this.addModule(String(i), m));
  }

  /** The class name errors carry: "Sequential", or "MLP" for the MLP built on it. */
  protected kind(): string {
    return "Sequential";
  }

  /** x through every module in turn; an empty Sequential returns x. */
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new GumbelgradError(this.kind(), `x must be a Tensor, but got ${describeValue(x)}`);
    return this.modules.reduce((h, m) => m.forward(h), x);
  }
}

/** The nonlinearity between an {@link MLP}'s layers. @category nn */
export type Activation = "relu" | "tanh" | "sigmoid";

/** Options for {@link MLP}. @category nn */
export interface MLPOptions {
  /** The activation between layers. Default "relu". */
  activation?: Activation;
  /** The dtype of every layer: "float64" (default) or "float32". */
  dtype?: FloatDType;
  /** The generator for the initial weights. Default: the generator set by manualSeed. */
  rng?: Rng;
}

const ACTIVATIONS: Record<Activation, () => Layer> = { relu: () => new ReLU(), tanh: () => new Tanh(), sigmoid: () => new Sigmoid() };

/** The MLP's modules: Linear, activation, Linear, …, Linear; the options checked on the way. */
function mlpModules(sizes: number[], opts: MLPOptions | undefined): Layer[] {
  if (!Array.isArray(sizes) || sizes.length < 2) throw new GumbelgradError("MLP", `needs at least two sizes [in, out], but got ${Array.isArray(sizes) ? `[${sizes.map(show).join(", ")}]` : describeValue(sizes)}`);
  sizes.forEach((d, i) => positiveInteger("MLP", `sizes[${i}]`, d));
  const o = optionsArg("MLP", opts);
  const activation = o.activation ?? "relu";
  if (!Object.hasOwn(ACTIVATIONS, activation)) throw new GumbelgradError("MLP", `activation must be "relu", "tanh" or "sigmoid", but got ${describeValue(activation)}`);
  const rng = rngArg("MLP", o.rng);
  const dtype = dtypeArg("MLP", o.dtype);
  return sizes.slice(1).flatMap((out, i) => {
    const layer = new Linear(sizes[i], out, { rng, dtype });
    return i < sizes.length - 2 ? [layer, ACTIVATIONS[activation]()] : [layer];
  });
}

/**
 * Linear layers of the given sizes ([in, hidden…, out]) with an activation between them, none after
 * the last: a {@link Sequential} of Linear, activation, Linear, …, so parameters are named as in
 * PyTorch's `nn.Sequential(nn.Linear(…), nn.ReLU(), nn.Linear(…))`: `0.weight`, `0.bias`, `2.weight`, …
 * @category nn
 */
export class MLP extends Sequential {
  /** The Linear layers, first to last (children "0", "2", "4", …). */
  readonly layers: Linear[];
  /** The activation between layers. */
  readonly activation: Activation;
  /** The dtype of every layer. */
  readonly dtype: FloatDType;

  /**
   * An MLP with one Linear layer per pair of consecutive sizes: `new MLP([784, 256, 10], { rng })`.
   * @param sizes [in, hidden…, out], at least two positive integers.
   */
  constructor(sizes: number[], opts: MLPOptions = {}) {
    super(...mlpModules(sizes, opts));
    this.layers = this.modules.filter((m): m is Linear => m instanceof Linear);
    this.activation = opts.activation ?? "relu";
    this.dtype = this.layers[0].dtype;
  }

  protected override kind(): string {
    return "MLP";
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const sequentialSpec: OpSpec = {
  name: "Sequential",
  fn: Sequential,
  samples: (rng) => {
    const net = new Sequential(new Linear(3, 4, { rng: new Rng(11) }), new Tanh(), new Linear(4, 2, { rng: new Rng(12) }), new Sigmoid());
    const activations = new Sequential(new Tanh(), new Sigmoid());
    return [
      { ...sample("x [5, 3] through Linear, Tanh, Linear, Sigmoid", [uniformArg(rng, [5, 3])], (x) => net.forward(x)), float32: false },
      sample("activations only keep the input's dtype", [uniformArg(rng, [2, 3])], (x) => activations.forward(x)),
      sample("an empty Sequential is the identity", [uniformArg(rng, [2])], (x) => new Sequential().forward(x)),
    ];
  },
  errors: () => [
    errorSample("an argument that is not a module", () => new Sequential(new ReLU(), ((x: Tensor) => x) as unknown as Layer), "Sequential: module 1 must be a Module with a forward(x) method, but got a function"),
    errorSample("a plain array", () => new Sequential(new ReLU()).forward([1, 2] as unknown as Tensor), "Sequential: x must be a Tensor, but got an array (wrap it with tensor(...))"),
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
    errorSample("an unknown activation", () => new MLP([3, 2], { activation: "gelu" as never }), 'MLP: activation must be "relu", "tanh" or "sigmoid", but got the string "gelu"'),
  ],
};
