// Training-time safety in the VQ example: a NaN or ±∞ is reported with the step and the tensor's
// name, and the last good checkpoint survives (how checkpoints are written: checkpoint.test.ts).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng, VectorQuantizer, findNonFinite, stateDict, tensor } from "../src/index.js";
import { loadParameters } from "../src/node/index.js";
import { gaussianMixture } from "../examples/vq/data.js";
import { VQAutoencoder } from "../examples/vq/model.js";
import { TrainingDiverged, train } from "../examples/vq/train.js";

function smallModel(seed = 1): VQAutoencoder {
  const rng = new Rng(seed);
  return new VQAutoencoder(16, 16, 4, new VectorQuantizer({ numCodes: 4, dim: 4, rng: rng.split() }), rng.split());
}

function data(count = 256) {
  return gaussianMixture({ rng: new Rng(2), count, components: 4 }).x;
}

function diverged(fn: () => unknown): TrainingDiverged {
  try {
    fn();
  } catch (err) {
    if (err instanceof TrainingDiverged) return err;
    throw err;
  }
  throw new Error("training did not report a divergence");
}

const safety = suite("training-time safety");

safety("findNonFinite names the tensor and the element", () => {
  assert.is(findNonFinite([["a", tensor([1, 2])]]), null);
  assert.equal(findNonFinite([["a", tensor([1, 2])], ["b", tensor([[0, 1], [NaN, 2]])]]), { name: "b", index: [1, 0], value: NaN });
});

safety("a NaN in a batch is reported with the step and the name 'batch'", () => {
  const x = data();
  (x.values() as Float64Array)[5 * 16 + 3] = NaN; // row 5
  const err = diverged(() => train(smallModel(), x, 4, { steps: 20, batchSize: 64, lr: 1e-3, rng: new Rng(3) }));
  assert.is(err.bad.name, "batch");
  assert.ok(Number.isNaN(err.bad.value));
  assert.ok(err.step >= 1 && err.step <= 4, "row 5 is in one of the first epoch's four batches");
  assert.match(err.message, new RegExp(`^training diverged at step ${err.step}: batch holds NaN at \\[\\d+, 3\\]; no checkpoint was written yet$`));
});

safety("a bad tensor is named, even one that does not touch the loss", () => {
  const model = smallModel();
  // Without EMA the quantizer never reads its cluster sizes, so a NaN there leaves the loss finite.
  const sizes = model.quantizer.namedBuffers().find(([name]) => name === "clusterSize")![1];
  const err = diverged(() => train(model, data(), 4, {
    steps: 5, batchSize: 64, lr: 1e-3, rng: new Rng(3),
    onStep: (step) => { if (step === 1) (sizes.values() as Float64Array)[2] = NaN; },
  }));
  assert.is(err.step, 2);
  assert.is(err.bad.name, "quantizer.clusterSize");
  assert.equal(err.bad.index, [2]);
});

safety("a NaN in the codebook reaches the loss: the nearest-code search picks it, as PyTorch's argmin does", () => {
  const model = smallModel();
  const codebook = model.quantizer.namedParameters().find(([name]) => name.includes("codebook"))![1];
  const err = diverged(() => train(model, data(), 4, {
    steps: 5, batchSize: 64, lr: 1e-3, rng: new Rng(3),
    onStep: (step) => { if (step === 1) (codebook.values() as Float64Array)[3 * 4 + 2] = NaN; },
  }));
  assert.is(err.step, 2);
  assert.is(err.bad.name, "loss");
});

safety("the last good checkpoint is kept when training diverges", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vq-checkpoint-"));
  const path = join(dir, "checkpoint.safetensors");
  const model = smallModel();
  let afterFirstEpoch: ReturnType<typeof stateDict> | null = null;
  const err = diverged(() => train(model, data(256), 4, {
    steps: 10, batchSize: 128, lr: 1e-3, rng: new Rng(3), checkpointPath: path,
    onEpoch: (f) => { if (f.epoch === 1) afterFirstEpoch = stateDict(model); },
    // Corrupt a weight after step 3, in the second epoch: the next step's loss turns NaN.
    onStep: (step) => { if (step === 3) (model.encoder.namedParameters()[0][1].values() as Float64Array)[0] = NaN; },
  }));
  assert.is(err.step, 4);
  assert.is(err.bad.name, "loss");
  assert.equal(err.checkpoint, { path, step: 2 });
  const restored = smallModel(9);
  await loadParameters(restored, path);
  assert.is(findNonFinite(restored.namedParameters()), null, "the checkpoint holds finite values");
  assert.equal(stateDict(restored), afterFirstEpoch, "and exactly the parameters after the last healthy epoch");
  assert.equal(readdirSync(dir), ["checkpoint.safetensors"], "no temporary file is left behind");
});

safety.run();

const reproducible = suite("reproducibility of the VQ example");

reproducible("the same seed reproduces a whole training run bit for bit; another seed does not", () => {
  const run = (seed: number) => {
    const model = smallModel(seed);
    const { losses } = train(model, data(), 4, { steps: 30, batchSize: 64, lr: 1e-3, rng: new Rng(seed + 100) });
    return [...losses, ...model.parameters().flatMap((p) => Array.from(p.values()))];
  };
  const a = run(4), b = run(4), c = run(5);
  assert.is(a.length, b.length);
  assert.ok(a.every((v, i) => Object.is(v, b[i])), "same seed, same bits");
  assert.ok(a.some((v, i) => v !== c[i]), "another seed, another run");
});

reproducible.run();
