// Checkpoints: stateDict / loadStateDict as plain data, checked whole before anything is written.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { GumbelgradError, MLP, Module, Rng, Tensor, loadStateDict, randn, stateDict, tensor, zeros, type StateDict } from "../src/index.js";

/** A module holding the given tensors as parameters, buffers and children. */
class Holder extends Module {
  constructor(parameters: Record<string, Tensor>, buffers: Record<string, Tensor> = {}, children: Record<string, Module> = {}) {
    super();
    for (const [name, t] of Object.entries(parameters)) this.addParameter(name, t);
    for (const [name, t] of Object.entries(buffers)) this.addBuffer(name, t);
    for (const [name, m] of Object.entries(children)) this.addModule(name, m);
  }
}

/** Every value of every tensor, compared with Object.is, so NaN equals NaN and −0 differs from 0. */
function assertSameState(actual: StateDict, expected: StateDict, what = ""): void {
  assert.equal(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what} names`);
  for (const [name, e] of Object.entries(expected)) {
    const a = actual[name];
    assert.equal([a.shape, a.dtype], [e.shape, e.dtype], `${what} ${name}`);
    const differs = a.values.findIndex((v, i) => !Object.is(v, e.values[i]));
    assert.is(differs, -1, `${what} ${name}[${differs}] is ${a.values[differs]}, expected ${e.values[differs]}`);
  }
}

function throwsGumbelgrad(fn: () => unknown, message: RegExp | string): void {
  assert.throws(fn, (err: unknown) => {
    if (!(err instanceof GumbelgradError)) return false;
    return typeof message === "string" ? err.message === message : message.test(err.message);
  });
}

/** A module with every awkward value: NaN, ±∞, −0, the extremes, rank 0, empty, float32 and int32. */
function awkwardModule(): Module {
  const layer = new Holder({
    weight: tensor([[NaN, Infinity, -Infinity], [-0, 5e-324, -1.7976931348623157e308]]),
    bias: tensor([0.1, -0.2, 1 / 3]),
  });
  return new Holder(
    { scale: tensor(2.5), empty: zeros([0, 4]), half: tensor([[NaN, -0], [Infinity, 1e-45]], { dtype: "float32" }) },
    { steps: tensor(new Int32Array([7, -2147483648, 2147483647]), { shape: [3] }), none: zeros([0], { dtype: "float32" }) },
    { layer },
  );
}

/** The same names, shapes and dtypes as awkwardModule, with other values. */
function blankLike(m: Module): Module {
  const state = stateDict(m);
  for (const entry of Object.values(state)) entry.values = entry.values.map((_, i) => i + 0.5);
  for (const entry of Object.values(state)) if (entry.dtype === "int32") entry.values = entry.values.map((_, i) => i);
  const copy = awkwardModule();
  loadStateDict(copy, state);
  return copy;
}

// ---------------------------------------------------------------------------------------------
const plain = suite("stateDict / loadStateDict");

plain("stateDict is plain data, and NaN, ±∞ and −0 survive stateDict → loadStateDict", () => {
  const source = awkwardModule();
  const state = stateDict(source);
  assert.equal(state["layer.bias"].dtype, "float64");
  assert.ok(Array.isArray(state["layer.weight"].values), "values are a plain array");
  assert.equal(state.scale.shape, []);
  const target = blankLike(source);
  loadStateDict(target, state);
  assertSameState(stateDict(target), state);
});

plain("stateDict → JSON → loadStateDict gives back the same finite values, bit for bit", () => {
  const source = new MLP([3, 5, 2], { rng: new Rng(1) });
  const target = new MLP([3, 5, 2], { rng: new Rng(2) });
  loadStateDict(target, JSON.parse(JSON.stringify(stateDict(source))));
  assertSameState(stateDict(target), stateDict(source));
  const x = randn([2, 3], { rng: new Rng(3) });
  assert.equal(target.forward(x).toArray(), source.forward(x).toArray());
});

plain("loadStateDict names what is missing, unexpected or misshapen", () => {
  const m = new MLP([3, 2], { rng: new Rng(1) });
  const state = stateDict(m);
  const { ["0.bias"]: _dropped, ...missing } = state;
  throwsGumbelgrad(() => loadStateDict(m, missing), "loadStateDict: the state dict must hold exactly the module's parameters and buffers, but missing: [0.bias], unexpected: []");
  throwsGumbelgrad(() => loadStateDict(m, { ...state, extra: state["0.bias"] }), /but missing: \[\], unexpected: \[extra\]$/);
  const wrong = { ...state, "0.bias": { shape: [3], dtype: "float64", values: [1, 2, 3] } };
  throwsGumbelgrad(() => loadStateDict(m, wrong), "loadStateDict: 0.bias must have shape [2], but it has shape [3] in the state dict");
  const short = { ...state, "0.bias": { ...state["0.bias"], values: [1] } };
  throwsGumbelgrad(() => loadStateDict(m, short), "loadStateDict: 0.bias of shape [2] needs 2 values, but it has 1 in the state dict");
});

plain("loadStateDict rejects a malformed state, naming the entry, and writes nothing", () => {
  const m = awkwardModule();
  const before = stateDict(m);
  const good = (): StateDict => stateDict(blankLike(m));
  const cases: [unknown, string][] = [
    [null, "the state must be an object of name → { shape, dtype, values }, but got null"],
    [3, "the state must be an object of name → { shape, dtype, values }, but got 3"],
    [[], "the state must be an object of name → { shape, dtype, values }, but got []"],
    [{ ...good(), scale: null }, "scale must be { shape, dtype, values }, but got null"],
    [{ ...good(), scale: { dtype: "float64", values: [1] } }, "scale.shape must be an array of non-negative integers, but got undefined"],
    [{ ...good(), scale: { shape: [-1], dtype: "float64", values: [1] } }, "scale.shape must be an array of non-negative integers, but got [-1]"],
    [{ ...good(), scale: { shape: [], values: [1] } }, 'scale.dtype must be "float64", "float32" or "int32", but got undefined'],
    [{ ...good(), scale: { shape: [], dtype: "F64", values: [1] } }, 'scale.dtype must be "float64", "float32" or "int32", but got "F64"'],
    [{ ...good(), scale: { shape: [], dtype: "float64" } }, "scale.values must be an array of numbers, but got undefined"],
    [{ ...good(), scale: { shape: [], dtype: "float64", values: ["1"] } }, 'scale.values must hold only numbers, but values[0] is "1"'],
    [{ ...good(), scale: { shape: [], dtype: "float64", values: [null] } }, "scale.values must hold only numbers, but values[0] is null"],
    [{ ...good(), steps: { shape: [3], dtype: "int32", values: [1, 2.5, 3] } }, "steps.values must hold only 32-bit integers, but values[1] is 2.5"],
    [{ ...good(), steps: { shape: [3], dtype: "int32", values: [1, 2 ** 31, 3] } }, "steps.values must hold only 32-bit integers, but values[1] is 2147483648"],
    [{ ...good(), steps: { shape: [3], dtype: "float64", values: [1, 2, 3] } }, "steps is int32 and takes only int32 values, but it is float64 in the state dict"],
    [{ ...good(), scale: { shape: [], dtype: "int32", values: [1] } }, "scale is float64 and takes float64 or float32 values, but it is int32 in the state dict"],
  ];
  for (const [state, message] of cases) {
    throwsGumbelgrad(() => loadStateDict(m, state as StateDict), `loadStateDict: ${message}`);
    // Every bad entry comes after good ones in the module's order, so a write-as-you-go load would have changed them.
    assertSameState(stateDict(m), before, message);
  }
  throwsGumbelgrad(() => loadStateDict(null as unknown as Module, before), "loadStateDict: module must be a Module, but got null");
  throwsGumbelgrad(() => stateDict({} as Module), "stateDict: module must be a Module, but got an object");
});

plain("a target that cannot be written in place is found before anything is written", () => {
  const first = tensor([1, 2]);
  const strided = tensor([[1, 2, 3], [4, 5, 6]]).T; // a transposed view, not packed
  const m = new Holder({ first, strided });
  const state = stateDict(m);
  state.first.values = [7, 8];
  const message = "can only update a packed tensor in place, but got a strided view of shape [3, 2]";
  throwsGumbelgrad(() => loadStateDict(m, state), `loadStateDict: ${message}`);
  assert.equal(Array.from(first.values()), [1, 2]);
});

plain("a float tensor takes float32 or float64 values, as PyTorch's load_state_dict converts them", () => {
  const m = new Holder({ w: zeros([2], { dtype: "float32" }) });
  loadStateDict(m, { w: { shape: [2], dtype: "float64", values: [0.1, -1 / 3] } });
  assert.equal(stateDict(m).w.values, [Math.fround(0.1), Math.fround(-1 / 3)]);
});

plain.run();

