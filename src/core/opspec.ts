// What every differentiable function brings to the registry: sample inputs for the gradient
// check, and sample misuses that must throw. Kept next to the function they describe.
import type { Tensor } from "./tensor.js";
import type { Rng } from "./random.js";

/** One set of inputs on which the gradient checker compares a function's vjp with finite differences. @category Gradient checking */
export interface Sample {
  /** A few words that say what the sample covers: "broadcast [3, 1] with [1, 4]". */
  label: string;
  /** The inputs; the ones with requiresGrad are perturbed by the checker. */
  inputs: Tensor[];
  /** Calls the function under test on the inputs, with this sample's other arguments fixed. */
  run: (...inputs: Tensor[]) => Tensor;
  /** False where the second derivative does not exist at these inputs. Default true. */
  secondOrder?: boolean;
  /** A finite-difference step other than the checker's default, with the reason next to the sample. */
  eps?: number;
  /** False where the sample fixes a dtype itself, so it cannot be rerun in float32. Default true. */
  float32?: boolean;
}

/** One misuse of a function, and the exact message it must throw. @category Gradient checking */
export interface ErrorSample {
  /** A few words that say what the misuse is: "shapes that do not broadcast". */
  label: string;
  /** Makes the call that must throw. */
  run: () => unknown;
  /** The exact message the error must carry. */
  message: string;
}

/** A differentiable function's entry in the {@link registry}: its samples and error samples. @category Gradient checking */
export interface OpSpec {
  /** The exported name of the function. */
  name: string;
  /** The function itself, so the meta-test can match it against the package's exports. */
  fn: Function;
  /** Builds the sample inputs for the gradient check, drawing any random values from `rng`. */
  samples: (rng: Rng) => Sample[];
  /** Builds the misuses that must throw, each with its exact message. */
  errors: () => ErrorSample[];
  /** False when no sample of this function has a second derivative to check. Default true. */
  secondOrder?: boolean;
}
