// Every misuse of a public function is a GumbelgradError that names the function: never an internal
// TypeError, RangeError or SyntaxError, never a hang. Each export is called with arguments of every
// wrong kind in every position, next to good ones, and whatever it throws is checked.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as gg from "../src/index.js";
import { GumbelgradError, Linear, MLP, Adam, SGD, Rng, tensor, zeros } from "../src/index.js";

const good = () => tensor([[0.5, -1, 2], [1, 0.25, -0.5]], { requiresGrad: true });
/** Values of the wrong kind for almost any argument. */
const WRONG: unknown[] = [undefined, null, "1e-3", [1, 2], [[1], [2, 3]], {}, NaN, -1, 1.5, 2 ** 40, true, Symbol("s"), () => 1, new Float32Array(3)];

/** How a function or class is named in its errors. */
function nameOf(key: string): string {
  return key;
}

/** Runs fn; a throw must be a GumbelgradError whose message starts with `name: ` (or `name.method: `). */
function expectNamed(name: string, label: string, fn: () => unknown): void {
  try {
    const out = fn();
    if (out instanceof Promise) out.catch(() => {}); // async misuse is checked in its own tests
  } catch (err) {
    assert.instance(err, GumbelgradError, `${label} threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
    const message = (err as Error).message;
    assert.ok(message.startsWith(`${name}: `) || message.startsWith(`${name}.`), `${label} threw an error that does not name ${name}: ${message}`);
  }
}

const label = (name: string, args: unknown[]) => `${name}(${args.map((a) => (typeof a === "symbol" ? "Symbol" : typeof a === "function" ? "fn" : a instanceof gg.Tensor ? "Tensor" : JSON.stringify(a) ?? String(a))).join(", ")})`;

/** The option names the library's functions take, each to be given a value of the wrong kind. */
const OPTIONS = [
  "tau", "axis", "rng", "noise", "hard", "samples", "baseline", "decay", "lr", "dtype", "requiresGrad", "shape", "argnums",
  "createGraph", "eps", "atol", "rtol", "fast", "restarts", "maxIterations", "categories", "dim", "seed", "phi", "target",
  "bias", "activation", "momentum", "betas", "weightDecay", "rate", "min", "every", "tau0", "numCodes", "beta", "ema",
  "deadAfter", "init", "dampening", "nesterov", "inputDim", "epsilon", "restartDeadCodes",
];

/**
 * Argument lists: each wrong value alone, then in each of the first three positions beside good
 * tensors, then as each option in an options object in the second, third and fourth positions.
 */
function argumentLists(): unknown[][] {
  const lists: unknown[][] = [[]];
  for (const w of WRONG) {
    lists.push([w], [good(), w], [good(), good(), w], [w, good()], [good(), 1, w], [good(), w, {}]);
    for (const key of OPTIONS) {
      const opts = { [key]: w };
      lists.push([opts], [good(), opts], [good(), 2, opts], [good(), good(), opts], [2, 3, opts]);
    }
  }
  return lists;
}

const misuse = suite("misuse of public functions");

// Error classes are thrown, not called; Optimizer and Module are abstract bases a user extends.
const skip = new Set(["tape", "registry", "notDifferentiable", "MAX_OUTCOMES", "GumbelgradError", "ShapeError", "Optimizer", "Module"]);
const exported = Object.entries(gg).filter(([name, v]) => typeof v === "function" && !skip.has(name));

for (const [key, value] of exported) {
  const isClass = /^class\b/.test(Function.prototype.toString.call(value));
  misuse(`${key}: every argument of the wrong kind is a GumbelgradError naming ${key}`, () => {
    for (const args of argumentLists()) {
      const call = isClass ? () => new (value as new (...a: unknown[]) => unknown)(...args) : () => (value as (...a: unknown[]) => unknown)(...args);
      expectNamed(nameOf(key), label(key, args), call);
    }
  });
}

misuse("backward, with a seed that is a plain array or of the wrong shape", () => {
  const y = good().mul(2);
  expectNamed("backward", "backward([1, 2])", () => y.backward([1, 2] as unknown as gg.Tensor));
  expectNamed("backward", "backward(number)", () => y.sum().backward(3 as unknown as gg.Tensor));
  assert.throws(() => y.backward([1, 2] as unknown as gg.Tensor), /^backward: grad must be a Tensor, but got an array/);
});

misuse("a customOp whose vjp returns a number, or too few gradients, or a wrong shape", () => {
  const bad = (vjp: () => unknown) => gg.customOp({ name: "twice", forward: (x) => x.mul(2), vjp: vjp as never });
  const x = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => bad(() => 3)(x).sum().backward(), /^twice: vjp must return one gradient per input \(null for none\), 1 in all, but returned the number 3$/);
  assert.throws(() => bad(() => [3])(x).sum().backward(), /^twice: vjp returned the number 3 for input 0, but a gradient must be a Tensor \(or null for none\)$/);
  assert.throws(() => bad(() => [])(x).sum().backward(), /^twice: vjp must return one gradient per input/);
  assert.throws(() => bad(() => [tensor([1])])(x).sum().backward(), /^twice: vjp returned a gradient of shape \[1\] for input 0 of shape \[2\]$/);
});

misuse("a bad rng option names the function", () => {
  assert.throws(() => gg.gumbelSoftmax(zeros([2, 3]), { rng: 5 as unknown as Rng }), /^gumbelSoftmax: rng must be an Rng \(new Rng\(seed\)\), but got the number 5$/);
  assert.throws(() => gg.categorical(zeros([2, 3]), { rng: {} as unknown as Rng }), /^categorical: rng must be an Rng/);
  assert.throws(() => gg.randn([2], { rng: "seed" as unknown as Rng }), /^randn: rng must be an Rng/);
  assert.throws(() => new Linear(2, 3, { rng: 1 as unknown as Rng }), /^Linear: rng must be an Rng/);
});

misuse("module forward and optimizer options name the class", () => {
  assert.throws(() => new MLP([3, 2]).forward([1, 2] as unknown as gg.Tensor), /^MLP: x must be a Tensor, but got an array/);
  assert.throws(() => new Linear(3, 2).forward(tensor([1, 2])), /^Linear: the last axis of x must be inFeatures = 3, but x has shape \[2\]$/);
  const p = tensor([1], { requiresGrad: true });
  assert.throws(() => new Adam([p], { lr: "1e-3" as unknown as number }), (e: unknown) => e instanceof GumbelgradError && (e as Error).message === 'Adam: lr must be a positive finite number, but got the string "1e-3"');
  assert.throws(() => new SGD([p], undefined as unknown as { lr: number }), /^SGD: needs options with lr/);
});

misuse("arguments are named as the signature names them", () => {
  assert.throws(() => gg.crossEntropy(zeros([2, 3]), [0, 1.5]), /^crossEntropy: targets must be integers, but index 1 is 1.5$/);
  assert.throws(() => gg.crossEntropy(zeros([2, 3]), tensor([0, 1])), /^crossEntropy: targets must be an int32 tensor or an array of integers, but targets has dtype float64$/);
  assert.throws(() => gg.scoreFunctionSurrogate(zeros([2, 3]), [0, "1"] as unknown as number[], 1), /^scoreFunctionSurrogate: sample must be integers/);
});

misuse.run();
