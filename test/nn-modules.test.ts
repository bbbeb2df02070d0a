// nn modules against PyTorch 1.13 (test/fixtures/nn-optim.json): LayerNorm, Embedding and Sequential
// forward and backward in float64 and float32, state-dict names as torch's, float32 end to end,
// Dropout's train/eval semantics, and errors that name the class.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  Dropout, Embedding, GumbelgradError, LayerNorm, Linear, MLP, Module, ReLU, Rng, Sequential, Sigmoid, Tanh,
  loadStateDict, mul, randn, stateDict, sum, tensor, type Layer, type Tensor,
} from "../src/index.js";
import { decode, fixture, flat, FLOAT32_EPS, gapRelativeToScale } from "./nn-optim-fixture.js";

type FloatDType = "float64" | "float32";
const EPS: Record<FloatDType, number> = { float64: 2 ** -52, float32: FLOAT32_EPS };
/** Another order of summation moves a value by an ulp or two of the tensor's scale; a wrong formula by far more. */
const ULPS = 4;

function close(label: string, actual: Tensor, expected: unknown, dtype: FloatDType): void {
  assert.is(actual.dtype, dtype, `${label} is ${actual.dtype}`);
  const gap = gapRelativeToScale(actual.values(), flat(expected));
  assert.ok(gap <= ULPS * EPS[dtype], `${label}: off by ${(gap / EPS[dtype]).toFixed(2)} ulps of its scale`);
}

/** Loss weights as the script drew them; the gradients are those of sum(output · weights). */
function backwardWith(y: Tensor, weights: unknown, dtype: FloatDType): void {
  sum(mul(y, tensor(decode(weights) as number[], { dtype }))).backward();
}

const parity = suite("nn: PyTorch's forward and backward");

parity("LayerNorm over one or two trailing axes, with and without γ, β: output and gradients", () => {
  for (const c of fixture.modules.layerNorm) {
    const m = new LayerNorm(c.normalizedShape, { dtype: c.dtype, eps: decode(c.eps) as number, elementwiseAffine: c.affine });
    if (c.affine) loadStateDict(m, { weight: saved(c.weight, c.normalizedShape, c.dtype), bias: saved(c.bias, c.normalizedShape, c.dtype) });
    const x = tensor(decode(c.x) as number[], { dtype: c.dtype, requiresGrad: true });
    const y = m.forward(x);
    close(`${c.name}: output`, y, c.output, c.dtype);
    backwardWith(y, c.weights, c.dtype);
    close(`${c.name}: ∂x`, x.grad!, c.grads.x, c.dtype);
    if (c.affine) {
      close(`${c.name}: ∂weight`, m.weight!.grad!, c.grads.weight, c.dtype);
      close(`${c.name}: ∂bias`, m.bias!.grad!, c.grads.bias, c.dtype);
    }
  }
});

parity("Embedding: rows of the table, and a gradient that adds up repeated indices", () => {
  for (const c of fixture.modules.embedding) {
    const m = new Embedding(c.numEmbeddings, c.embeddingDim, { dtype: c.dtype });
    loadStateDict(m, { weight: saved(c.table, [c.numEmbeddings, c.embeddingDim], c.dtype) });
    const y = m.forward(Array.isArray(c.indices[0]) ? tensor(c.indices, { dtype: "int32" }) : c.indices);
    assert.equal(y.shape, [...(Array.isArray(c.indices[0]) ? [c.indices.length, c.indices[0].length] : [c.indices.length]), c.embeddingDim]);
    close(`${c.name}: output`, y, c.output, c.dtype);
    backwardWith(y, c.weights, c.dtype);
    close(`${c.name}: ∂weight`, m.weight.grad!, c.grads.weight, c.dtype);
  }
});

const ACTIVATIONS: Record<string, () => Layer> = { ReLU: () => new ReLU(), Tanh: () => new Tanh(), Sigmoid: () => new Sigmoid() };

parity("Sequential of Linear and activations: output and the gradient of x and of every named parameter", () => {
  for (const c of fixture.modules.sequential) {
    const seq = new Sequential(...c.layout.map((l: [string, number, number]) => (l[0] === "Linear" ? new Linear(l[1], l[2], { dtype: c.dtype }) : ACTIVATIONS[l[0]]())));
    const state = Object.fromEntries(seq.namedParameters().map(([name, p]) => [name, saved(c.parameters[name], p.shape, c.dtype)]));
    loadStateDict(seq, state); // by torch's names: it throws if any differs
    const x = tensor(decode(c.x) as number[], { dtype: c.dtype, requiresGrad: true });
    const y = seq.forward(x);
    close(`${c.name}: output`, y, c.output, c.dtype);
    backwardWith(y, c.weights, c.dtype);
    close(`${c.name}: ∂x`, x.grad!, c.grads.x, c.dtype);
    for (const [name, p] of seq.namedParameters()) close(`${c.name}: ∂${name}`, p.grad!, c.grads[name], c.dtype);
  }
});

/** A fixture tensor as a state-dict entry. */
function saved(values: unknown, shape: number[], dtype: FloatDType) {
  return { shape, dtype, values: flat(values) };
}

parity.run();

const names = suite("nn: state-dict names as PyTorch's");

function namesOf(m: Module): [string, number[]][] {
  return Object.entries(stateDict(m)).map(([name, t]) => [name, t.shape]);
}

names("Sequential and MLP name their tensors as torch's nn.Sequential does", () => {
  const built: Record<string, Module> = {
    "MLP [3, 4, 2], ReLU": new MLP([3, 4, 2]),
    "MLP [3, 4, 4, 2], Tanh": new MLP([3, 4, 4, 2], { activation: "tanh" }),
    "Linear, LayerNorm, ReLU, Dropout, Linear": new Sequential(new Linear(4, 8), new LayerNorm([8]), new ReLU(), new Dropout(0.1), new Linear(8, 2)),
    "Embedding, Linear without bias": new Sequential(new Embedding(10, 4) as unknown as Layer, new Linear(4, 2, { bias: false })),
    "nested Sequential": new Sequential(new Sequential(new Linear(2, 3), new ReLU()), new LayerNorm(3), new Linear(3, 1)),
  };
  assert.equal(Object.keys(built), Object.keys(fixture.names));
  for (const [name, module] of Object.entries(built)) assert.equal(namesOf(module), fixture.names[name], name);
});

names("MLP is a Sequential: layers holds the Linears, forward still works, activations have no parameters", () => {
  const mlp = new MLP([4, 8, 8, 2], { rng: new Rng(0) });
  assert.instance(mlp, Sequential);
  assert.equal(mlp.layers.map((l) => [l.inFeatures, l.outFeatures]), [[4, 8], [8, 8], [8, 2]]);
  assert.equal(mlp.modules.map((m) => m.constructor.name), ["Linear", "ReLU", "Linear", "ReLU", "Linear"]);
  assert.equal(new ReLU().namedParameters(), []);
  const x = randn([3, 4], { rng: new Rng(1) });
  const byHand = mlp.layers[2].forward(mlp.layers[1].forward(mlp.layers[0].forward(x).relu()).relu());
  assert.equal(Array.from(mlp.forward(x).values()), Array.from(byHand.values()));
});

names.run();

const float32 = suite("nn: float32 end to end");

float32("float32 modules hold float32 parameters and compute in float32, gradients included", () => {
  const rng = new Rng(5);
  const model = new Sequential(new Linear(6, 5, { dtype: "float32", rng }), new LayerNorm([5], { dtype: "float32" }), new Tanh(), new Dropout(0.2, { rng }), new Linear(5, 3, { dtype: "float32", rng }));
  const table = new Embedding(10, 6, { dtype: "float32", rng });
  const mlp = new MLP([3, 4, 2], { dtype: "float32", rng });
  for (const m of [model, table, mlp]) for (const [name, p] of m.namedParameters()) assert.is(p.dtype, "float32", name);
  const y = mlp.forward(model.forward(table.forward([1, 4, 4, 9])));
  assert.is(y.dtype, "float32");
  y.sum().backward();
  for (const m of [model, table, mlp]) for (const [name, p] of m.namedParameters()) assert.is(p.grad?.dtype, "float32", `∂${name}`);
});

float32("a float32 layer refuses float64 input (and the other way round), naming the layer and the fix", () => {
  const message = 'Linear: x must be float32, the dtype of the module\'s parameters, but x is float64: cast it with x.cast("float32"), or build the module with { dtype: "float64" }';
  assert.throws(() => new Linear(2, 2, { dtype: "float32" }).forward(tensor([[1, 2]])), (e: unknown) => e instanceof GumbelgradError && (e as Error).message === message);
  assert.throws(() => new MLP([2, 2], { dtype: "float32" }).forward(tensor([[1, 2]])), /^Linear: x must be float32/);
  assert.throws(() => new LayerNorm(2).forward(tensor([[1, 2]], { dtype: "float32" })), /^LayerNorm: x must be float64, the dtype of the module's parameters, but x is float32/);
  assert.throws(() => new Linear(2, 2, { dtype: "float16" as never }), /^Linear: dtype must be "float64" or "float32", but got the string "float16"$/);
});

float32("init follows PyTorch's distributions, drawn from the given rng", () => {
  const a = new Linear(50, 40, { rng: new Rng(3), dtype: "float32" });
  const b = new Linear(50, 40, { rng: new Rng(3) });
  const bound = 1 / Math.sqrt(50);
  assert.ok([...a.weight.values(), ...a.bias!.values()].every((v) => Math.abs(v) <= bound));
  assert.equal(Array.from(a.weight.values()), Array.from(b.weight.values(), Math.fround), "the same draws, rounded");
  const e = Array.from(new Embedding(100, 50, { rng: new Rng(4) }).weight.values());
  const mean = e.reduce((s, v) => s + v, 0) / e.length;
  const variance = e.reduce((s, v) => s + (v - mean) ** 2, 0) / e.length;
  assert.ok(Math.abs(mean) < 0.05 && Math.abs(variance - 1) < 0.05, `N(0, 1): mean ${mean}, variance ${variance}`);
  const ln = new LayerNorm([2, 3]);
  assert.equal([Array.from(ln.weight!.values()), Array.from(ln.bias!.values()), ln.eps], [[1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0], 1e-5]);
});

float32.run();

const dropout = suite("nn: Dropout");

dropout("training drops with probability p and scales the rest by 1/(1 − p); eval is the identity", () => {
  const x = tensor(new Float64Array(20000).fill(2), { requiresGrad: true });
  const layer = new Dropout(0.3, { rng: new Rng(8) });
  const y = layer.forward(x);
  const v = y.values();
  const kept = v.filter((e) => e !== 0);
  assert.ok(kept.every((e) => e === 2 / 0.7), "survivors are scaled by 1/(1 − p)");
  const dropped = 1 - kept.length / v.length;
  assert.ok(Math.abs(dropped - 0.3) < 0.015, `dropped ${dropped}`);
  y.sum().backward();
  assert.equal(Array.from(x.grad!.values()), Array.from(v, (e) => e / 2), "the gradient is masked and scaled the same way");
  assert.is(layer.eval().forward(x), x, "evaluation mode returns x itself");
  assert.is(new Dropout(0, { rng: new Rng(1) }).forward(x), x, "p = 0 returns x itself");
});

dropout("a fresh mask at every call, reproducible from the seed; p = 1 gives x·0; train() and eval() reach nested modules", () => {
  const x = randn([8, 8], { rng: new Rng(2) });
  const a = new Dropout(0.5, { rng: new Rng(9) });
  const b = new Dropout(0.5, { rng: new Rng(9) });
  const first = Array.from(a.forward(x).values());
  assert.equal(first, Array.from(b.forward(x).values()), "the same seed, the same masks");
  assert.not.equal(first, Array.from(a.forward(x).values()), "the next call draws a new mask");
  const ones = new Dropout(1, { rng: new Rng(1) }).forward(tensor([1, -2, NaN]));
  assert.ok(Object.is(ones.values()[0], 0) && Object.is(ones.values()[1], -0) && Number.isNaN(ones.values()[2]), "x·0, as torch");
  const net = new Sequential(new Sequential(new Dropout(0.5)), new ReLU());
  net.eval();
  assert.is((net.modules[0] as Sequential).modules[0].training, false);
  net.train();
  assert.is((net.modules[0] as Sequential).modules[0].training, true);
});

dropout.run();

const errors = suite("nn: misuse names the class");

errors("bad sizes, indices, probabilities and modules throw, naming the class and the argument", () => {
  const cases: [() => unknown, string][] = [
    [() => new Embedding(5, 2).forward([0, 5]), "Embedding: index 5 is out of range for numEmbeddings of size 5"],
    [() => new Embedding(5, 2).forward([0.5]), "Embedding: indices must be integers, but index 0 is 0.5"],
    [() => new Embedding(0, 2), "Embedding: numEmbeddings must be a positive integer, but got 0"],
    [() => new Dropout(1.01), "Dropout: p must be a number in [0, 1], but got 1.01"],
    [() => new Dropout(NaN), "Dropout: p must be a number in [0, 1], but got NaN"],
    [() => new Dropout(0.5, { rng: 3 as never }), "Dropout: rng must be an Rng (new Rng(seed)), but got the number 3"],
    [() => new LayerNorm([]), "LayerNorm: normalizedShape must be a positive integer or a non-empty array of them, but got []"],
    [() => new LayerNorm(4, { eps: -1 }), "LayerNorm: eps must be a finite number ≥ 0, but got -1"],
    [() => new LayerNorm(4, { elementwiseAffine: "no" as never }), 'LayerNorm: elementwiseAffine must be true or false, but got the string "no"'],
    [() => new LayerNorm([2, 3]).forward(randn([3, 2])), "LayerNorm: x must end in normalizedShape [2, 3], but x has shape [3, 2]"],
    [() => new Sequential(new ReLU(), {} as Layer), "Sequential: module 1 must be a Module with a forward(x) method, but got an object (Object)"],
    [() => new ReLU().forward(tensor([1], { dtype: "int32" })), "ReLU: x must be a floating tensor (float64 or float32), but x has dtype int32"],
    [() => new MLP([2, 2], { dtype: "int32" as never }), 'MLP: dtype must be "float64" or "float32", but got the string "int32"'],
  ];
  for (const [run, message] of cases) {
    assert.throws(run, (e: unknown) => e instanceof GumbelgradError && (e as Error).message === message, message);
  }
});

errors.run();
