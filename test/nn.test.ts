// nn: seeded Linear init, MLP naming, and a library a browser can load (checkpoints: checkpoint.test.ts).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Linear, MLP, Rng, ShapeError, randn } from "../src/index.js";

const nn = suite("nn");

nn("Linear init is seeded and within PyTorch's bound 1/√in", () => {
  const a = new Linear(5, 3, { rng: new Rng(4) });
  const b = new Linear(5, 3, { rng: new Rng(4) });
  const c = new Linear(5, 3, { rng: new Rng(5) });
  assert.equal(a.weight.toArray(), b.weight.toArray());
  assert.equal(a.bias!.toArray(), b.bias!.toArray());
  assert.not.equal(a.weight.toArray(), c.weight.toArray());
  assert.equal(a.weight.shape, [3, 5]);
  const bound = 1 / Math.sqrt(5);
  for (const v of [...a.weight.values(), ...a.bias!.values()]) assert.ok(Math.abs(v) < bound, `${v} outside ±${bound}`);
});

nn("Linear computes x·Wᵀ + b", () => {
  const layer = new Linear(3, 2, { rng: new Rng(1) });
  const x = randn([4, 3], { rng: new Rng(2) });
  const y = layer.forward(x).values();
  const w = layer.weight.values(), b = layer.bias!.values(), xv = x.values();
  for (let n = 0; n < 4; n++) {
    for (let o = 0; o < 2; o++) {
      let expected = b[o];
      for (let i = 0; i < 3; i++) expected += xv[n * 3 + i] * w[o * 3 + i];
      assert.ok(Math.abs(y[n * 2 + o] - expected) < 1e-12);
    }
  }
  assert.throws(() => layer.forward(randn([4, 5])), (e: unknown) => e instanceof ShapeError && /Linear: the last axis of x must be inFeatures = 3, but x has shape \[4, 5\]/.test((e as Error).message));
});

nn("MLP names its parameters like a PyTorch Sequential (the ReLU is module 1) and collects them all", () => {
  const mlp = new MLP([4, 8, 2], { rng: new Rng(0) });
  assert.equal(mlp.namedParameters().map(([n, t]) => `${n} [${t.shape}]`), ["0.weight [8,4]", "0.bias [8]", "2.weight [2,8]", "2.bias [2]"]);
  assert.ok(mlp.parameters().every((p) => p.requiresGrad));
  const out = mlp.forward(randn([3, 4], { rng: new Rng(1) }));
  assert.equal(out.shape, [3, 2]);
  out.sum().backward();
  assert.ok(mlp.parameters().every((p) => p.grad !== null), "every parameter receives a gradient");
});

nn("nothing that src/index.ts imports needs Node (a browser can load the library)", () => {
  // Follow the relative imports from the entry point and collect every module specifier.
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
      if (spec.startsWith(".")) visit(join(dirname(file), spec.replace(/\.js$/, ".ts")));
      else external.add(spec);
    }
  };
  visit("src/index.ts");
  assert.ok(seen.has(join("src", "quantize", "vectorQuantizer.ts")), "the walk reaches the quantizers");
  assert.not.ok([...seen].some((f) => f.includes(join("src", "node"))), "src/node is not imported");
  assert.equal([...external].filter((s) => s.startsWith("node:") || ["fs", "path", "os", "zlib", "url"].includes(s)), []);
});

nn("Linear rejects sizes that are not positive integers", () => {
  assert.throws(() => new Linear(0, 2), /Linear: inFeatures must be a positive integer, but got 0/);
  assert.throws(() => new MLP([3]), /MLP: needs at least two sizes/);
  assert.throws(() => new Linear(2, 1.5), /Linear: outFeatures must be a positive integer, but got 1.5/);
});

nn.run();
