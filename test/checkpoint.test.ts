// Checkpoints: stateDict / loadStateDict as plain data, and parameters files (gumbelgrad/node) in
// the safetensors layout: exact bytes, a file written from Python, atomic and concurrent saves,
// orphaned temporaries, and every kind of bad file refused without touching the module.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GumbelgradError, MLP, Module, Rng, Tensor, loadStateDict, randn, stateDict, tensor, zeros, type StateDict } from "../src/index.js";
import { loadParameters, saveParameters, saveParametersSync } from "../src/node/index.js";
import { swapByteOrder } from "../src/node/safetensors.js";

/** A module holding the given tensors as parameters, buffers and children. */
class Holder extends Module {
  constructor(parameters: Record<string, Tensor>, buffers: Record<string, Tensor> = {}, children: Record<string, Module> = {}) {
    super();
    for (const [name, t] of Object.entries(parameters)) this.addParameter(name, t);
    for (const [name, t] of Object.entries(buffers)) this.addBuffer(name, t);
    for (const [name, m] of Object.entries(children)) this.addModule(name, m);
  }
}

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), "gumbelgrad-checkpoint-"));
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

/** Throws unless fn rejects with a GumbelgradError whose message matches. */
async function rejects(fn: () => Promise<unknown>, message: RegExp | string): Promise<void> {
  try {
    await fn();
  } catch (err) {
    assert.instance(err, GumbelgradError);
    if (typeof message === "string") assert.is((err as Error).message, message);
    else assert.match((err as Error).message, message);
    return;
  }
  assert.unreachable(`should have thrown ${message}`);
}

function throwsGumbelgrad(fn: () => unknown, message: RegExp | string): void {
  assert.throws(fn, (err: unknown) => {
    if (!(err instanceof GumbelgradError)) return false;
    return typeof message === "string" ? err.message === message : message.test(err.message);
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
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

plain("a target that cannot be written in place is found before anything is written", async () => {
  const first = tensor([1, 2]);
  const strided = tensor([[1, 2, 3], [4, 5, 6]]).T; // a transposed view, not packed
  const m = new Holder({ first, strided });
  const state = stateDict(m);
  state.first.values = [7, 8];
  const message = "can only update a packed tensor in place, but got a strided view of shape [3, 2]";
  throwsGumbelgrad(() => loadStateDict(m, state), `loadStateDict: ${message}`);
  assert.equal(Array.from(first.values()), [1, 2]);
  const path = join(freshDir(), "strided.safetensors");
  await saveParameters(new Holder({ first: tensor([7, 8]), strided: zeros([3, 2]) }), path);
  await rejects(() => loadParameters(m, path), `loadParameters: ${message}`);
  assert.equal(Array.from(first.values()), [1, 2]);
});

plain("a float tensor takes float32 or float64 values, as PyTorch's load_state_dict converts them", () => {
  const m = new Holder({ w: zeros([2], { dtype: "float32" }) });
  loadStateDict(m, { w: { shape: [2], dtype: "float64", values: [0.1, -1 / 3] } });
  assert.equal(stateDict(m).w.values, [Math.fround(0.1), Math.fround(-1 / 3)]);
});

plain.run();

// ---------------------------------------------------------------------------------------------
const format = suite("parameters files: the safetensors layout");

format("the bytes of a small file, checked by hand", async () => {
  const m = new Holder({ w: tensor([1, -2]), b: tensor(0.5, { dtype: "float32" }) }, { step: tensor(new Int32Array([3]), { shape: [1] }) });
  const path = join(freshDir(), "small.safetensors");
  await saveParameters(m, path);
  const bytes = await readFile(path);
  // The header: F64 first, then F32, then I32 (the reference writer's order), offsets back to back.
  const header = '{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[],"data_offsets":[16,20]},"step":{"dtype":"I32","shape":[1],"data_offsets":[20,24]}}';
  assert.is(header.length, 167);
  assert.is(bytes.length, 8 + 168 + 24);
  assert.equal([...bytes.subarray(0, 8)], [168, 0, 0, 0, 0, 0, 0, 0], "the header length, u64 little-endian, padded to a multiple of 8");
  assert.is(bytes.subarray(8, 8 + 167).toString("utf8"), header);
  assert.is(bytes[8 + 167], 0x20, "padded with a space");
  assert.equal([...bytes.subarray(176)], [
    0, 0, 0, 0, 0, 0, 0xf0, 0x3f, // 1 as float64, little-endian
    0, 0, 0, 0, 0, 0, 0, 0xc0, // −2
    0, 0, 0, 0x3f, // 0.5 as float32
    3, 0, 0, 0, // 3 as int32
  ]);
});

format("a module with no tensors is the reference writer's empty file", async () => {
  const path = join(freshDir(), "empty.safetensors");
  saveParametersSync(new Holder({}), path);
  assert.equal([...readFileSync(path)], [8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 32, 32, 32, 32, 32, 32]);
  await loadParameters(new Holder({}), path);
});

format("float64, float32 and int32 tensors round-trip with NaN, ±∞, −0, rank 0, empty tensors and buffers", async () => {
  const source = awkwardModule();
  const path = join(freshDir(), "awkward.safetensors");
  await saveParameters(source, path);
  const target = blankLike(source);
  await loadParameters(target, path);
  assertSameState(stateDict(target), stateDict(source));
  saveParametersSync(source, path);
  const again = blankLike(source);
  await loadParameters(again, path);
  assertSameState(stateDict(again), stateDict(source), "after saveParametersSync");
});

format("a float32 file loads into a float64 module and the other way round; int32 pairs only with int32", async () => {
  const dir = freshDir();
  const single = tensor([0.1, -2.5, NaN], { dtype: "float32" });
  await saveParameters(new Holder({ w: single }), join(dir, "single.safetensors"));
  await saveParameters(new Holder({ w: tensor([1 / 3, 1e300, -0]) }), join(dir, "double.safetensors"));
  const wide = new Holder({ w: zeros([3]) });
  await loadParameters(wide, join(dir, "single.safetensors"));
  assertSameState(stateDict(wide), { w: { shape: [3], dtype: "float64", values: Array.from(single.values()) } });
  const narrow = new Holder({ w: zeros([3], { dtype: "float32" }) });
  await loadParameters(narrow, join(dir, "double.safetensors"));
  assertSameState(stateDict(narrow), { w: { shape: [3], dtype: "float32", values: [Math.fround(1 / 3), Infinity, -0] } });
  const counts = new Holder({}, { w: zeros([3], { dtype: "int32" }) });
  const path = join(dir, "double.safetensors");
  await rejects(() => loadParameters(counts, path), `loadParameters: w is int32 and takes only int32 values, but it is float64 in ${path}`);
});

// The fixture's tensors, as scripts/fixtures/safetensors_fixture.py lists them.
function fixtureState(): StateDict {
  const f64 = (shape: number[], values: number[]) => ({ shape, dtype: "float64", values });
  const f32 = (shape: number[], values: number[]) => ({ shape, dtype: "float32", values: values.map(Math.fround) });
  const i32 = (shape: number[], values: number[]) => ({ shape, dtype: "int32", values });
  return {
    "layer.weight": f64([2, 3], [0.5, -1.25, 3.0, NaN, Infinity, -Infinity]),
    "layer.bias": f64([3], [-0, 5e-324, 1.7976931348623157e308]),
    embed: f32([2, 2], [0.1, -2.5, NaN, -Infinity]),
    empty: f32([0, 3], []),
    step: i32([], [-7]),
    counts: i32([3], [2147483647, -2147483648, 0]),
  };
}

function fixtureModule(): Module {
  const layer = new Holder({ weight: zeros([2, 3]), bias: zeros([3]) });
  const floats = { embed: zeros([2, 2], { dtype: "float32" }), empty: zeros([0, 3], { dtype: "float32" }) };
  return new Holder(floats, { step: zeros([], { dtype: "int32" }), counts: zeros([3], { dtype: "int32" }) }, { layer });
}

format("a file written from Python (struct and json, the reference layout) loads; its __metadata__ is ignored", async () => {
  for (const name of ["python-reference.safetensors", "python-metadata.safetensors"]) {
    const m = fixtureModule();
    await loadParameters(m, join("test", "fixtures", name));
    assertSameState(stateDict(m), fixtureState(), name);
  }
});

format("gumbelgrad writes the fixture's tensors byte for byte as Python laid them out", async () => {
  const m = fixtureModule();
  loadStateDict(m, fixtureState());
  const path = join(freshDir(), "same.safetensors");
  await saveParameters(m, path);
  assert.ok((await readFile(path)).equals(await readFile(join("test", "fixtures", "python-reference.safetensors"))));
});

format("swapping byte order, as a big-endian machine must, reverses each value's bytes", () => {
  const bytes = new Uint8Array(new Float64Array([1, -2]).buffer);
  assert.equal([...swapByteOrder(bytes.slice(), 8)], [0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal([...swapByteOrder(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 4)], [4, 3, 2, 1, 8, 7, 6, 5]);
});

format("a model of a few million parameters round-trips in well under two seconds", async () => {
  const rng = new Rng(5);
  const big = () => [randn([1500, 2000], { rng }), randn([1000, 1000], { rng, dtype: "float32" })];
  const source = big(), target = big();
  const path = join(freshDir(), "big.safetensors");
  const started = performance.now();
  await saveParameters(new Holder({ w: source[0], v: source[1] }), path);
  await loadParameters(new Holder({ w: target[0], v: target[1] }), path);
  const seconds = (performance.now() - started) / 1000;
  source.forEach((t, k) => {
    const a = t.values(), b = target[k].values();
    assert.ok(a.length === b.length && a.every((x, i) => Object.is(x, b[i])), `tensor ${k} comes back bit for bit`);
  });
  assert.ok(seconds < 2, `saving and loading 4M parameters took ${seconds.toFixed(2)} s`);
});

format.run();

// ---------------------------------------------------------------------------------------------
const atomic = suite("parameters files: atomic saves");

atomic("two saves to one path at once both succeed and leave one complete version", async () => {
  const dir = freshDir();
  const path = join(dir, "model.safetensors");
  const a = new MLP([20, 30, 5], { rng: new Rng(1) }), b = new MLP([20, 30, 5], { rng: new Rng(2) });
  const versions = [stateDict(a), stateDict(b)];
  for (let round = 0; round < 10; round++) {
    await Promise.all([saveParameters(a, path), saveParameters(b, path), saveParameters(a, path)]);
    const loaded = new MLP([20, 30, 5], { rng: new Rng(3) });
    await loadParameters(loaded, path);
    const state = stateDict(loaded);
    assert.ok(versions.some((v) => JSON.stringify(v) === JSON.stringify(state)), "the file is exactly one of the saved versions");
    assert.equal(readdirSync(dir), ["model.safetensors"], "no temporary is left behind");
  }
});

atomic("a temporary left by a crashed save is removed by the next save; a fresh one, and other files, are kept", async () => {
  for (const save of [saveParameters, saveParametersSync]) {
    const dir = freshDir();
    const path = join(dir, "model.safetensors");
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    const files = {
      orphan: "model.safetensors.0123456789abcdef.tmp", // a crashed writer's, an hour old
      inProgress: "model.safetensors.fedcba9876543210.tmp", // another writer's, being written now
      otherPath: "other.safetensors.0123456789abcdef.tmp", // not this path's
      notOurs: "model.safetensors.backup.tmp", // not our naming pattern
    };
    for (const name of Object.values(files)) writeFileSync(join(dir, name), "half a file");
    for (const name of [files.orphan, files.otherPath, files.notOurs]) utimesSync(join(dir, name), hourAgo, hourAgo);
    await save(new MLP([2, 2], { rng: new Rng(1) }), path);
    assert.equal(readdirSync(dir).sort(), ["model.safetensors", files.inProgress, files.notOurs, files.otherPath].sort(), save.name);
  }
});

atomic("a save into a missing folder fails with an error naming the function and the path, and leaves nothing", async () => {
  const dir = freshDir();
  const model = new MLP([3, 2], { rng: new Rng(1) });
  const missing = join(dir, "no-such-folder", "model.safetensors");
  await rejects(() => saveParameters(model, missing), new RegExp(`^saveParameters: ${escape(missing)} must be a writable file path, but writing it failed \\(ENOENT.*\\); a file already there is unchanged$`));
  throwsGumbelgrad(() => saveParametersSync(model, missing), new RegExp(`^saveParametersSync: ${escape(missing)} must be a writable file path, but writing it failed \\(ENOENT`));
  assert.not.ok(existsSync(missing));
  assert.equal(readdirSync(dir), []);
});

atomic("a save over a folder fails, removes its temporary and leaves the folder alone", async () => {
  const dir = freshDir();
  const target = join(dir, "taken");
  mkdirSync(target);
  writeFileSync(join(target, "keep"), "x");
  const model = new MLP([3, 2], { rng: new Rng(1) });
  await rejects(() => saveParameters(model, target), new RegExp(`^saveParameters: ${escape(target)} must be a writable file path, but writing it failed \\(E`));
  throwsGumbelgrad(() => saveParametersSync(model, target), /^saveParametersSync: .* must be a writable file path/);
  assert.equal(readdirSync(dir), ["taken"]);
  assert.equal(readdirSync(target), ["keep"]);
});

atomic("saveParametersSync checkpoints are written whole, again and again, with nothing left beside them", async () => {
  const dir = freshDir();
  const path = join(dir, "a.safetensors");
  const model = new MLP([4, 6, 3], { rng: new Rng(7) });
  saveParametersSync(model, path);
  saveParametersSync(model, path);
  assert.equal(readdirSync(dir), ["a.safetensors"]);
  const restored = new MLP([4, 6, 3], { rng: new Rng(8) });
  await loadParameters(restored, path);
  assertSameState(stateDict(restored), stateDict(model));
});

atomic("misuse of the file helpers is a GumbelgradError naming the function", async () => {
  const path = join(freshDir(), "x.safetensors");
  const model = new MLP([2, 2], { rng: new Rng(1) });
  await rejects(() => saveParameters(null as unknown as Module, path), "saveParameters: module must be a Module, but got null");
  await rejects(() => saveParameters(model, 3 as unknown as string), "saveParameters: path must be a non-empty string, but got number");
  throwsGumbelgrad(() => saveParametersSync(model, ""), "saveParametersSync: path must be a non-empty string, but got an empty string");
  await rejects(() => loadParameters({} as Module, path), "loadParameters: module must be a Module, but got an object");
  await rejects(() => loadParameters(model, undefined as unknown as string), "loadParameters: path must be a non-empty string, but got undefined");
  const reserved = new Holder({ __metadata__: zeros([1]) });
  await rejects(() => saveParameters(reserved, path), 'saveParameters: no tensor may be named "__metadata__", a name the file format keeps for itself, but the module has one');
  assert.not.ok(existsSync(path));
});

atomic.run();

// ---------------------------------------------------------------------------------------------
const refused = suite("parameters files: bad files are refused and change nothing");

/** A file with this header text (padded as the writer pads it) followed by `dataBytes` bytes. */
function withHeader(header: string, dataBytes: number): Buffer {
  const text = Buffer.from(header + " ".repeat(-header.length & 7));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([length, text, Buffer.alloc(dataBytes)]);
}

/** A module whose only tensor is w, float64 of shape [2]: 16 bytes of data. */
function smallModel(): Module {
  return new Holder({ w: tensor([1.5, -2.5]) });
}

async function assertRefused(bytes: Uint8Array, finding: RegExp, module: Module = smallModel()): Promise<void> {
  const path = join(freshDir(), "bad.safetensors");
  await writeFile(path, bytes);
  const before = stateDict(module);
  await rejects(() => loadParameters(module, path), new RegExp(`^loadParameters: ${escape(path)} must be a safetensors file, but ${finding.source}`));
  assertSameState(stateDict(module), before, finding.source);
}

const w = (offsets: string, dtype = "F64", shape = "[2]") => `"w":{"dtype":"${dtype}","shape":${shape},"data_offsets":${offsets}}`;

refused("empty, short and truncated files", async () => {
  await assertRefused(new Uint8Array(0), /it is 0 bytes long, too short for the 8-byte header length$/);
  await assertRefused(Uint8Array.of(8, 0, 0), /it is 3 bytes long/);
  const path = join(freshDir(), "good.safetensors");
  await saveParameters(smallModel(), path);
  const good = await readFile(path);
  await assertRefused(good.subarray(0, 20), /its header of 56 bytes runs past the end of the file, which is 20 bytes long$/);
  await assertRefused(good.subarray(0, good.length - 1), /its tensors need 16 bytes of data, and only 15 follow the header \(is it truncated\?\)$/);
  await assertRefused(good.subarray(0, 8 + 56), /its tensors need 16 bytes of data, and only 0 follow/);
});

refused("garbage and foreign files: random bytes, a PNG, a checkpoint in the old JSON format", async () => {
  const rng = new Rng(11);
  const noise = Uint8Array.from({ length: 4096 }, () => rng.int(256));
  await assertRefused(noise, /its first 8 bytes give a header length of \d+ bytes, more than the 100000000 a header may have$/);
  // A PNG's 8-byte signature, read as a little-endian length: 0x0a1a0a0d474e5089.
  const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
  await assertRefused(png, /its first 8 bytes give a header length of 727905341920923785 bytes/);
  const oldJson = JSON.stringify({ format: "gumbelgrad-state-dict", version: 1, state: stateDict(smallModel()) });
  await assertRefused(Buffer.from(oldJson), /its first 8 bytes give a header length of \d+ bytes, more than/);
  // A small header length that happens to fit: text that is not a header.
  const fits = Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from("abcd")]);
  await assertRefused(fits, /its header does not start with "\{"$/);
});

refused("a header that lies is refused, naming the rule it breaks", async () => {
  const cases: [string, number, RegExp][] = [
    [`{${w("[0,48]", "F64", "[6]")}}`, 16, /its tensors need 48 bytes of data, and only 16 follow the header/],
    [`{${w("[0,8]")}}`, 8, /the entry for "w" \(F64, shape \[2\]\) needs 16 bytes, but its data_offsets \[0, 8\] span 8$/],
    [`{${w("[0,16]")},${w("[0,16]")}}`, 16, /its header names "w" twice$/],
    [`{${w("[0,16]")},"v":{"dtype":"F64","shape":[1],"data_offsets":[24,32]}}`, 32, /no tensor covers bytes 16 to 24 of the data, before "v"$/],
    [`{${w("[0,16]")},"v":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}`, 16, /the data of "v" starts at byte 8, inside the tensor before it, which ends at 16$/],
    [`{${w("[8,24]")}}`, 24, /no tensor covers bytes 0 to 8 of the data, before "w"$/],
    [`{${w("[0,16]")}}`, 24, /8 bytes follow the last tensor's data$/],
    [`{${w("[0,4]", "F16")}}`, 4, /the entry for "w" has dtype "F16", and gumbelgrad reads only F64, F32 and I32$/],
    [`{${w("[0,16]", "float64")}}`, 16, /the entry for "w" has dtype "float64", and gumbelgrad reads only/],
    [`{${w("[0,16]", "F64", '"2"')}}`, 16, /the entry for "w" has shape "2", not a list of non-negative integers$/],
    [`{${w("[0,16]", "F64", "[-2]")}}`, 16, /the entry for "w" has shape \[-2\], not a list/],
    [`{${w("[0,16]", "F64", "[2.5]")}}`, 16, /the entry for "w" has shape \[2.5\], not a list/],
    [`{${w("[16,0]")}}`, 16, /the entry for "w" has data_offsets \[16,0\], not \[begin, end\] with begin ≤ end$/],
    [`{${w("[0]")}}`, 16, /the entry for "w" has data_offsets \[0\], not \[begin, end\]/],
    [`{${w("[0,1e300]")}}`, 16, /the entry for "w" has data_offsets \[0,1e\+300\], not \[begin, end\]/],
    ['{"w":3}', 16, /the entry for "w" is 3, not an object of dtype, shape and data_offsets$/],
    ['{"w":', 16, /its header is not valid JSON/],
    ["[1]", 0, /its header does not start with "\{"$/],
    [` {${w("[0,16]")}}`, 16, /its header does not start with "\{"$/],
    [`{"__metadata__":{"a":1},${w("[0,16]")}}`, 16, /its "__metadata__" is \{"a":1\}, not an object of strings$/],
  ];
  for (const [header, dataBytes, finding] of cases) await assertRefused(withHeader(header, dataBytes), finding);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(8n);
  await assertRefused(Buffer.concat([length, Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 32, 32, 32, 32])]), /its header is not UTF-8 text$/);
});

refused("a file that does not fit the module is refused, naming the entry and the path, and changes nothing", async () => {
  const dir = freshDir();
  const path = join(dir, "mlp.safetensors");
  await saveParameters(new MLP([3, 4, 2], { rng: new Rng(1) }), path);
  const other = new MLP([3, 5, 2], { rng: new Rng(2) });
  const before = stateDict(other);
  // 0.bias and 0.weight come first in the file and fit nothing: the first misfit found is named.
  await rejects(() => loadParameters(other, path), `loadParameters: 0.bias must have shape [5], but it has shape [4] in ${path}`);
  assertSameState(stateDict(other), before);
  // The first layer fits, the second does not: a load that wrote as it went would change layer 0.
  const partly = new MLP([3, 4, 3], { rng: new Rng(3) });
  const partlyBefore = stateDict(partly);
  await rejects(() => loadParameters(partly, path), `loadParameters: 2.bias must have shape [3], but it has shape [2] in ${path}`);
  assertSameState(stateDict(partly), partlyBefore);
  const deeper = new MLP([3, 4, 4, 2], { rng: new Rng(4) });
  await rejects(() => loadParameters(deeper, path), `loadParameters: ${path} must hold exactly the module's parameters and buffers, but missing: [4.weight, 4.bias], unexpected: []`);
});

refused("a missing file or a folder is an error naming loadParameters and the path", async () => {
  const dir = freshDir();
  const missing = join(dir, "nothing.safetensors");
  await rejects(() => loadParameters(smallModel(), missing), new RegExp(`^loadParameters: ${escape(missing)} must be a readable file, but reading it failed \\(ENOENT`));
  await rejects(() => loadParameters(smallModel(), dir), new RegExp(`^loadParameters: ${escape(dir)} must be a readable file, but reading it failed \\(EISDIR`));
});

refused.run();
