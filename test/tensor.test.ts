import { suite } from "uvu";
import * as assert from "uvu/assert";
import ndarray from "ndarray";
import { tensor, zeros, ones, full, rand, randn, Rng, GumbelgradError, add, mul, cast } from "../src/index.js";

const creation = suite("tensor creation");

creation("tensor(3) is rank 0 and float64", () => {
  const t = tensor(3);
  assert.equal(t.shape, []);
  assert.is(t.dtype, "float64");
  assert.is(t.item(), 3);
  assert.is(t.toArray(), 3);
});

creation("nested arrays keep their shape and values", () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.equal(t.shape, [2, 3]);
  assert.equal(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(tensor([[[1], [2]]]).shape, [1, 2, 1]);
});

creation("a ragged nested array is an error that says where", () => {
  assert.throws(() => tensor([[1, 2], [3]]), (e: Error) => e instanceof GumbelgradError && e.message === "tensor: ragged nested array: expected length 2 at [1], but found length 1");
  assert.throws(() => tensor([[1, 2], 3] as never), /tensor: ragged nested array: expected length 2 at \[1\], but found number/);
  assert.throws(() => tensor([1, [2]] as never), /tensor: expected a number at \[1\], but found an array/);
});

creation("typed arrays with a shape; float32 and int32 stay what they are", () => {
  const f32 = tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] });
  assert.is(f32.dtype, "float32");
  assert.equal(f32.toArray(), [[1, 2], [3, 4]]);
  assert.is(tensor(new Int32Array([1, 2])).dtype, "int32");
  assert.is(tensor([1, 2], { dtype: "float32" }).dtype, "float32");
  assert.throws(() => tensor(new Float64Array(5), { shape: [2, 2] }), /tensor: shape \[2, 2\] holds 4 values, but 5 were given/);
});

creation("an ndarray view is read in its logical order", () => {
  const base = ndarray(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
  const t = tensor(base.transpose(1, 0));
  assert.equal(t.shape, [3, 2]);
  assert.equal(t.toArray(), [[1, 4], [2, 5], [3, 6]]);
});

creation("zeros, ones, full", () => {
  assert.equal(zeros([2]).toArray(), [0, 0]);
  assert.equal(ones([1, 2]).toArray(), [[1, 1]]);
  assert.equal(full([2], 7, { dtype: "float32" }).toArray(), [7, 7]);
  assert.is(full([2], 7, { dtype: "float32" }).dtype, "float32");
  assert.throws(() => zeros([2, -1]), /^zeros: a shape is a list of non-negative integers, but got \[2, -1\]$/);
});

creation("rand and randn are reproducible from a seed", () => {
  const a = rand([100], { rng: new Rng(7) }).values();
  const b = rand([100], { rng: new Rng(7) }).values();
  assert.equal(Array.from(a), Array.from(b));
  assert.ok(Array.from(a).every((u) => u > 0 && u < 1));
  const n = randn([20000], { rng: new Rng(3) }).values();
  const mean = Array.from(n).reduce((s, v) => s + v, 0) / n.length;
  const variance = Array.from(n).reduce((s, v) => s + (v - mean) ** 2, 0) / n.length;
  // standard errors: 1/√20000 ≈ 0.007 for the mean, √(2/20000) ≈ 0.01 for the variance; allow 4 of each
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.04, `variance ${variance}`);
});

creation("requiresGrad only for floating tensors", () => {
  assert.ok(tensor([1, 2], { requiresGrad: true }).requiresGrad);
  assert.throws(() => tensor([1, 2], { dtype: "int32", requiresGrad: true }), /tensor: only floating tensors can require grad, but dtype is int32/);
});

creation.run();

const values = suite("tensor values");

values("item needs exactly one element", () => {
  assert.is(tensor([[5]]).item(), 5);
  assert.throws(() => tensor([1, 2]).item(), /item: needs a tensor with exactly one element, but the tensor has shape \[2\]/);
});

values("detach shares values and drops the gradient", () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = mul(x, 2);
  const d = y.detach();
  assert.ok(y.requiresGrad);
  assert.not.ok(d.requiresGrad);
  assert.is(d.node, null);
  assert.equal(d.toArray(), [2, 4]);
});

values("float32 with float64 promotes to float64; float32 with float32 stays float32", () => {
  const a = tensor([1, 2], { dtype: "float32" });
  const b = tensor([3, 4]);
  assert.is(add(a, b).dtype, "float64");
  assert.is(add(a, a).dtype, "float32");
  assert.is(add(a, 1).dtype, "float32", "a plain number takes the tensor's dtype");
});

values("float32 gradients come back as float32", () => {
  const a = tensor([1, 2], { dtype: "float32", requiresGrad: true });
  const b = tensor([3, 4], { requiresGrad: true });
  mul(a, b).sum().backward();
  assert.is(a.grad!.dtype, "float32");
  assert.equal(a.grad!.toArray(), [3, 4]);
  assert.is(b.grad!.dtype, "float64");
});

values("cast between dtypes", () => {
  const x = tensor([1.7, -2.2]);
  assert.equal(cast(x, "int32").toArray(), [1, -2]);
  assert.is(cast(x, "float32").dtype, "float32");
});

values("method forms chain", () => {
  const x = tensor([[1, 2], [3, 4]]);
  assert.equal(x.mul(2).sum(1, true).toArray(), [[6], [14]]);
  assert.equal(x.T.toArray(), [[1, 3], [2, 4]]);
  assert.equal(x.matmul(x).toArray(), [[7, 10], [15, 22]]);
});

values.run();
