import { suite } from "uvu";
import * as assert from "uvu/assert";
import { collector, settledHeap } from "../bench/gc.js";
import { tensor, randn, tape, noGrad, mul, add, tanh, sum, matmul, mean, Rng, GumbelgradError, Tensor } from "../src/index.js";

const recording = suite("tape: recording");

recording("a tensor used twice gets both contributions", () => {
  const x = tensor(3, { requiresGrad: true });
  const y = add(mul(x, x), x); // dy/dx = 2x + 1 = 7
  y.backward();
  assert.is(x.grad!.item(), 7);
});

recording("a later backward adds into grad; assigning null resets it", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  sum(mul(x, 3)).backward();
  sum(mul(x, 3)).backward();
  assert.equal(x.grad!.toArray(), [6, 6]);
  x.grad = null;
  sum(mul(x, 3)).backward();
  assert.equal(x.grad!.toArray(), [3, 3]);
});

recording("only ops with an input that requires grad are recorded", () => {
  tape.clear();
  const c = tensor([1, 2]);
  const x = tensor([1, 2], { requiresGrad: true });
  const k = mul(c, 2);
  assert.is(k.node, null);
  assert.not.ok(k.requiresGrad);
  const y = mul(x, k);
  assert.is(tape.length, 1);
  assert.is(y.node!.name, "mul");
});

recording("nothing is recorded inside noGrad", () => {
  tape.clear();
  const x = tensor([1, 2], { requiresGrad: true });
  const y = noGrad(() => tanh(mul(x, x)));
  assert.is(tape.length, 0);
  assert.not.ok(y.requiresGrad);
  assert.is(noGrad(() => 5), 5);
});

recording("tape.toString prints one line per op, in execution order, with shapes", () => {
  tape.clear();
  const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const w = tensor([[1], [2], [3]], { requiresGrad: true });
  const loss = sum(tanh(matmul(x, w)));
  const lines = tape.toString().split("\n");
  assert.is(lines.length, 3);
  assert.match(lines[0], new RegExp(`^t\\d+ \\[2, 1\\] = matmul\\(t${x.id} \\[2, 3\\], t${w.id} \\[3, 1\\]\\)$`));
  assert.match(lines[1], /^t\d+ \[2, 1\] = tanh\(t\d+ \[2, 1\]\)$/);
  assert.match(lines[2], new RegExp(`^t${loss.id} \\[\\] = sum\\(t\\d+ \\[2, 1\\]\\) axis=\\[0, 1\\]$`));
  assert.is(tape.toString(loss), tape.toString(), "the root's ancestry is the whole tape here");
});

recording.run();

const backward = suite("tape: backward");

backward("backward of a non-scalar needs a grad argument", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => mul(x, 2).backward(),
    (e: Error) => e instanceof GumbelgradError && e.message === "backward: a non-scalar needs a grad argument (the vector of the vector-Jacobian product), but the tensor has shape [2]");
  mul(x, 2).backward(tensor([1, 10]));
  assert.equal(x.grad!.toArray(), [2, 20]);
});

backward("a second backward through a released graph is an error; retainGraph allows it", () => {
  const x = tensor(2, { requiresGrad: true });
  const y = mul(tanh(x), 3);
  y.backward(undefined, { retainGraph: true });
  y.backward();
  assert.ok(Math.abs(x.grad!.item() - 2 * 3 * (1 - Math.tanh(2) ** 2)) < 1e-12);
  assert.throws(() => y.backward(), /backward: the graph through mul \(t\d+\) was already released by an earlier backward; pass \{ retainGraph: true \} to the first backward to go through it twice/);
});

backward("backward of a tensor that does not require grad is an error", () => {
  assert.throws(() => tensor(1).backward(), /backward: the tensor does not require grad/);
});

backward("a grad argument of the wrong shape is an error", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  assert.throws(() => mul(x, 2).backward(tensor([1, 2, 3])), /backward: grad must have the tensor's shape, but grad has shape \[3\] and the tensor has shape \[2\]/);
});

backward("backward of a leaf gives the seed", () => {
  const x = tensor(4, { requiresGrad: true });
  x.backward();
  assert.is(x.grad!.item(), 1);
});

backward.run();

const memory = suite("tape: memory stays flat");

memory("10,000 training steps of a small model: live tape entries and heap are bounded", async () => {
  const gc = collector();
  const rng = new Rng(5);
  const w1 = randn([8, 16], { rng, requiresGrad: true });
  const w2 = randn([16, 1], { rng, requiresGrad: true });
  const x = randn([4, 8], { rng });
  const target = randn([4, 1], { rng });
  const step = () => {
    const pred = matmul(tanh(matmul(x, w1)), w2);
    const loss = mean(mul(add(pred, mul(target, -1)), add(pred, mul(target, -1))));
    loss.backward();
    noGrad(() => {
      for (const p of [w1, w2]) (p.values() as Float64Array).set(add(p, mul(p.grad!, -1e-3)).values());
    });
    w1.grad = null;
    w2.grad = null;
  };
  for (let i = 0; i < 1000; i++) step();
  const heapAfterWarmup = await settledHeap(gc);
  let maxEntries = 0;
  for (let i = 0; i < 10000; i++) {
    step();
    if (i % 100 === 0) maxEntries = Math.max(maxEntries, tape.length);
  }
  const heapAfter = await settledHeap(gc);
  assert.ok(maxEntries <= 20, `live tape entries grew to ${maxEntries}`);
  assert.is(tape.length, 0, "every step's graph was released by its backward");
  const growthMB = (heapAfter - heapAfterWarmup) / 2 ** 20;
  assert.ok(growthMB < 2, `heap grew by ${growthMB.toFixed(2)} MB over 10,000 steps`);
});

memory("graphs that are never backwarded are collected, and drop out of the tape", async () => {
  const gc = collector();
  tape.clear();
  const w = randn([4, 4], { rng: new Rng(1), requiresGrad: true });
  for (let i = 0; i < 5000; i++) sum(tanh(matmul(w, w)));
  await settledHeap(gc);
  assert.ok(tape.length < 10, `${tape.length} entries of garbage graphs are still listed`);
  const kept: Tensor = sum(tanh(matmul(w, w)));
  await settledHeap(gc);
  assert.is(tape.length, 3, "a live graph stays listed");
  assert.ok(kept.requiresGrad);
});

memory.run();

const determinism = suite("determinism");

determinism("the same seed reproduces a whole training run bit for bit", () => {
  const train = (seed: number): number[] => {
    const rng = new Rng(seed);
    const w = randn([6, 3], { rng, requiresGrad: true });
    const losses: number[] = [];
    for (let step = 0; step < 50; step++) {
      const x = randn([5, 6], { rng: rng.split() });
      const loss = mean(tanh(matmul(x, w)).mul(tanh(matmul(x, w))));
      loss.backward();
      noGrad(() => (w.values() as Float64Array).set(add(w, mul(w.grad!, -0.1)).values()));
      w.grad = null;
      losses.push(loss.item());
    }
    return [...losses, ...Array.from(w.values())];
  };
  const a = train(9), b = train(9), c = train(10);
  assert.ok(a.every((v, i) => Object.is(v, b[i])), "same seed, same bits");
  assert.ok(a.some((v, i) => v !== c[i]), "another seed, another run");
});

determinism("nothing made inside noGrad holds on to its inputs", async () => {
  const gc = collector();
  tape.clear();
  const registry = new FinalizationRegistry<string>(() => { collected++; });
  let collected = 0;
  const w = randn([50, 50], { rng: new Rng(2), requiresGrad: true });
  let kept: Tensor[] = [];
  (() => {
    for (let i = 0; i < 20; i++) {
      const hidden = matmul(w, w.detach().mul(1));
      registry.register(hidden, "hidden");
      kept.push(noGrad(() => tanh(hidden)));
    }
  })();
  assert.is(tape.length, 20, "the matmuls outside noGrad are recorded; nothing inside is");
  assert.ok(kept.every((t) => t.node === null && !t.requiresGrad));
  await settledHeap(gc);
  await settledHeap(gc);
  assert.is(collected, 20, "the outputs of noGrad keep no reference to their recorded inputs");
  kept = [];
});

determinism.run();
