// The activations as modules, for Sequential: no parameters, the input's dtype kept.
import { awayFrom, errorSample, sample, uniformArg, type OpSpec, type Tensor } from "../core/index.js";
import { relu, sigmoid, tanh } from "../ops/index.js";
import { Module } from "./module.js";
import { floatInput } from "./input.js";

/** max(x, 0), elementwise, as a module (torch.nn.ReLU). @category nn */
export class ReLU extends Module {
  /** relu(x), of x's shape and dtype. */
  forward(x: Tensor): Tensor {
    return relu(floatInput("ReLU", x));
  }
}

/** tanh x, elementwise, as a module (torch.nn.Tanh). @category nn */
export class Tanh extends Module {
  /** tanh(x), of x's shape and dtype. */
  forward(x: Tensor): Tensor {
    return tanh(floatInput("Tanh", x));
  }
}

/** 1/(1 + e⁻ˣ), elementwise, as a module (torch.nn.Sigmoid). @category nn */
export class Sigmoid extends Module {
  /** sigmoid(x), of x's shape and dtype. */
  forward(x: Tensor): Tensor {
    return sigmoid(floatInput("Sigmoid", x));
  }
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const reluModuleSpec: OpSpec = {
  name: "ReLU",
  fn: ReLU,
  samples: (rng) => [
    sample("x [3, 4] away from the kink", [awayFrom(rng, [3, 4])], (x) => new ReLU().forward(x)),
  ],
  errors: () => [
    errorSample("a plain array", () => new ReLU().forward([1, -1] as unknown as Tensor), "ReLU: x must be a Tensor, but got an array (wrap it with tensor(...))"),
  ],
};

export const tanhModuleSpec: OpSpec = {
  name: "Tanh",
  fn: Tanh,
  samples: (rng) => [
    sample("x [2, 3]", [uniformArg(rng, [2, 3], -2, 2)], (x) => new Tanh().forward(x)),
  ],
  errors: () => [
    errorSample("a number", () => new Tanh().forward(1 as unknown as Tensor), "Tanh: x must be a Tensor, but got the number 1"),
  ],
};

export const sigmoidModuleSpec: OpSpec = {
  name: "Sigmoid",
  fn: Sigmoid,
  samples: (rng) => [
    sample("x [4]", [uniformArg(rng, [4], -3, 3)], (x) => new Sigmoid().forward(x)),
  ],
  errors: () => [
    errorSample("undefined", () => new Sigmoid().forward(undefined as unknown as Tensor), "Sigmoid: x must be a Tensor, but got undefined"),
  ],
};
