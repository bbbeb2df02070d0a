// data: batches of row indices (shuffled from a seed, one epoch per call), gatherRows, and the
// shipped digits from gumbelgrad/node.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GumbelgradError, Rng, batches, gatherRows, indexSelect, tensor } from "../src/index.js";
import { loadDigits } from "../src/node/index.js";

const data = suite("data");

const epoch = (n: number, size: number, opts?: Parameters<typeof batches>[2]) => [...batches(n, size, opts)].map((b) => Array.from(b));

data("batches covers every row once per epoch, in batches of batchSize and a short last one", () => {
  const e = epoch(10, 4, { rng: new Rng(1) });
  assert.equal(e.map((b) => b.length), [4, 4, 2]);
  assert.equal(e.flat().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (const b of batches(10, 4, { rng: new Rng(1) })) assert.instance(b, Int32Array);
  assert.equal(epoch(10, 4, { shuffle: false }), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.equal(epoch(10, 4, { shuffle: false, dropLast: true }), [[0, 1, 2, 3], [4, 5, 6, 7]]);
});

data("a new order at each call with the same rng, the same orders from the same seed", () => {
  const rng = new Rng(5);
  const first = epoch(50, 50, { rng })[0], second = epoch(50, 50, { rng })[0];
  assert.not.equal(first, second);
  const again = new Rng(5);
  assert.equal([epoch(50, 50, { rng: again })[0], epoch(50, 50, { rng: again })[0]], [first, second]);
  assert.not.equal(first, Array.from({ length: 50 }, (_, i) => i), "shuffled by default");
});

data("the shuffle is uniform: every row is equally likely in every place", () => {
  const rng = new Rng(11);
  const counts = Array.from({ length: 4 }, () => new Array(4).fill(0));
  const trials = 24000;
  for (let t = 0; t < trials; t++) epoch(4, 4, { rng })[0].forEach((row, place) => counts[place][row]++);
  for (const row of counts) for (const c of row) assert.ok(Math.abs(c / trials - 0.25) < 0.015, `${c / trials}`);
});

data("edge cases: no rows, a batch larger than n, and an epoch that is a single batch", () => {
  assert.equal(epoch(0, 3), []);
  assert.equal(epoch(0, 3, { dropLast: true }), []);
  assert.equal(epoch(3, 5, { shuffle: false }), [[0, 1, 2]]);
  assert.equal(epoch(3, 5, { dropLast: true }), []);
  assert.equal(epoch(5, 5, { dropLast: true, shuffle: false }), [[0, 1, 2, 3, 4]]);
});

data("bad arguments throw, naming batches and the argument", () => {
  const cases: [() => unknown, string][] = [
    [() => batches(10, 0), "batches: batchSize must be a positive integer, but got 0"],
    [() => batches(10, 2.5), "batches: batchSize must be a positive integer, but got 2.5"],
    [() => batches(-1, 2), "batches: n must be an integer in [0, 268435456], but got -1"],
    [() => batches(10, 2, { shuffle: 1 as never }), "batches: shuffle must be true or false, but got the number 1"],
    [() => batches(10, 2, { dropLast: "yes" as never }), 'batches: dropLast must be true or false, but got the string "yes"'],
    [() => batches(10, 2, { rng: 4 as never }), "batches: rng must be an Rng (new Rng(seed)), but got the number 4"],
  ];
  for (const [run, message] of cases) assert.throws(run, (e: unknown) => e instanceof GumbelgradError && (e as Error).message === message, message);
});

data("gatherRows makes the batch: rows of x (through indexSelect, so gradients reach x) or of int32 labels", () => {
  const x = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
  const rows = Int32Array.from([2, 0, 2]);
  const batch = gatherRows(x, rows);
  assert.equal(batch.toArray(), indexSelect(x, 0, [2, 0, 2]).toArray());
  batch.sum().backward();
  assert.equal(x.grad!.toArray(), [[1, 1], [0, 0], [2, 2]], "a row picked twice gets both gradients");
  const labels = tensor([7, 8, 9], { dtype: "int32" });
  const picked = gatherRows(labels, rows);
  assert.is(picked.dtype, "int32");
  assert.equal(picked.toArray(), [9, 7, 9]);
  assert.equal(gatherRows(tensor([[[1], [2]], [[3], [4]]]), [1]).toArray(), [[[3], [4]]]);
  assert.throws(() => gatherRows(x, [3]), /^gatherRows: index 3 is out of range for axis 0 of size 3$/);
  assert.throws(() => gatherRows([1, 2] as never, [0]), /^gatherRows: x must be a Tensor, but got an array/);
});

data.run();

const digits = suite("data: the shipped digits");

digits("loadDigits gives 1,797 images of 8×8 pixels in 0..16 and int32 labels 0..9", () => {
  const { images, labels } = loadDigits();
  assert.equal(images.shape, [1797, 64]);
  assert.is(images.dtype, "float64");
  assert.equal(labels.shape, [1797]);
  assert.is(labels.dtype, "int32");
  const pixels = Array.from(images.values());
  assert.ok(pixels.every((v) => Number.isInteger(v) && v >= 0 && v <= 16));
  assert.is(Math.max(...pixels), 16);
  const counts = new Array(10).fill(0);
  for (const l of labels.values()) counts[l]++;
  assert.ok(counts.every((c) => c >= 170 && c <= 190), `${counts}`);
  // The first image of scikit-learn's copy is a 0: its top row is 0 0 5 13 9 1 0 0.
  assert.equal(pixels.slice(0, 8), [0, 0, 5, 13, 9, 1, 0, 0]);
  assert.is(labels.values()[0], 0);
  assert.is(loadDigits({ dtype: "float32" }).images.dtype, "float32");
  assert.throws(() => loadDigits({ dtype: "int32" as never }), /^loadDigits: dtype must be "float64" or "float32", but got the string "int32"$/);
});

digits("the file is found two folders above src/node, and the build puts dist/node just as deep", () => {
  assert.ok(existsSync(fileURLToPath(new URL("../data/digits.csv.gz", import.meta.url))), "data/digits.csv.gz is shipped at the root");
  // loadDigits resolves ../../data from its own module: src/node/digits.ts here, dist/node/digits.js installed.
  const build = JSON.parse(readFileSync(new URL("../tsconfig.build.json", import.meta.url), "utf8").replace(/^\s*\/\/.*$/gm, ""));
  assert.equal([build.compilerOptions.rootDir, build.compilerOptions.outDir], ["src", "dist"]);
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  assert.ok(pkg.files.includes("data/digits.csv.gz") && pkg.exports["./node"].default === "./dist/node/index.js");
});

digits.run();
