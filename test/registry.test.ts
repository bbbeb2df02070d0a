// Every registered function: gradcheck and gradgradcheck on every sample, every error sample,
// and a meta-test that nothing exported and differentiable escapes the registry.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as gg from "../src/index.js";
import { registry, notDifferentiable, Rng } from "../src/index.js";
import { checkRegistry } from "../src/testing/index.js";

const checks = suite("registry: gradient checks");

for (const spec of registry) {
  checks(`${spec.name}: gradcheck and gradgradcheck on every sample`, () => {
    const [row] = checkRegistry([spec]);
    assert.ok(row.samples > 0, `${spec.name} has no samples`);
    assert.ok(row.ok, `${spec.name} ${row.failure}`);
  });
}
checks.run();

const errors = suite("registry: error samples");

for (const spec of registry) {
  errors(`${spec.name}: every misuse throws a message naming the op`, () => {
    const samples = spec.errors();
    assert.ok(samples.length > 0, `${spec.name} has no error samples`);
    for (const e of samples) {
      let message: string | null = null;
      try {
        e.run();
      } catch (err) {
        assert.instance(err, gg.GumbelgradError, `${spec.name} [${e.label}] threw something other than a GumbelgradError: ${err}`);
        message = (err as Error).message;
      }
      assert.is(message, e.message, `${spec.name} [${e.label}]`);
      assert.ok(message!.startsWith(`${spec.name}: `), `${spec.name} [${e.label}] names no op`);
    }
  });
}
errors.run();

const meta = suite("registry: meta");

meta("every exported function and class is registered or listed as not differentiable", () => {
  const registered = new Set(registry.map((s) => s.name));
  const exportedFunctions = Object.entries(gg).filter(([, v]) => typeof v === "function");
  const missing = exportedFunctions.map(([name]) => name).filter((name) => !registered.has(name) && !notDifferentiable.includes(name));
  assert.equal(missing, [], `exported but neither registered nor listed in notDifferentiable: ${missing.join(", ")}`);
});

meta("each registry entry is the exported function of that name", () => {
  for (const spec of registry) {
    assert.is((gg as Record<string, unknown>)[spec.name], spec.fn, `registry entry ${spec.name} is not the export of that name`);
  }
});

meta("names are unique, and the not-differentiable list names real exports", () => {
  const names = registry.map((s) => s.name);
  assert.is(new Set(names).size, names.length);
  for (const name of notDifferentiable) assert.type((gg as Record<string, unknown>)[name], "function", `${name} is not exported`);
});

meta.run();

const single = suite("registry: float32 agrees with float64");

/** A float32 copy of a floating input, keeping requiresGrad; other inputs (indices) stay as they are. */
function toFloat32(x: gg.Tensor): gg.Tensor {
  if (!x.isFloating) return x;
  const y = gg.cast(x.detach(), "float32");
  y.requiresGrad = x.requiresGrad;
  return y;
}

/** Largest |a − b| relative to the float64 value's scale. float32 keeps ~7 digits; chains of ops lose a few. */
function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0, gap = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) gap = Math.max(gap, Math.abs(a[i] - b[i]));
  return gap / Math.max(scale, 1e-30);
}

const FLOAT32_TOLERANCE = 1e-4; // ~1000 float32 ulps: enough for a chain of a few ops, far below any real bug

for (const spec of registry) {
  single(`${spec.name}: forward and gradients in float32 match float64`, () => {
    for (const s of spec.samples(new Rng(42))) {
      if (s.float32 === false) continue;
      const inputs32 = s.inputs.map(toFloat32);
      const out64 = s.run(...s.inputs);
      const out32 = s.run(...inputs32);
      assert.is(out32.dtype, "float32", `${spec.name} [${s.label}] returns ${out32.dtype} for float32 inputs`);
      const gapOut = relativeGap(out32.values(), out64.values());
      assert.ok(gapOut <= FLOAT32_TOLERANCE, `${spec.name} [${s.label}] output differs by ${gapOut.toExponential(2)} (relative)`);
      if (!out64.requiresGrad) continue;
      const weights = gg.randn(out64.shape, { rng: new Rng(3) });
      const grads64 = gg.valueAndGrad((...xs: gg.Tensor[]) => gg.sum(gg.mul(s.run(...xs), weights)), { argnums: s.inputs.map((_, i) => i).filter((i) => s.inputs[i].requiresGrad) })(...s.inputs)[1] as gg.Tensor[];
      const grads32 = gg.valueAndGrad((...xs: gg.Tensor[]) => gg.sum(gg.mul(s.run(...xs), gg.cast(weights, "float32"))), { argnums: s.inputs.map((_, i) => i).filter((i) => s.inputs[i].requiresGrad) })(...inputs32)[1] as gg.Tensor[];
      grads32.forEach((g32, k) => {
        assert.is(g32.dtype, "float32", `${spec.name} [${s.label}] gradient ${k} is ${g32.dtype}`);
        const gap = relativeGap(g32.values(), grads64[k].values());
        assert.ok(gap <= FLOAT32_TOLERANCE, `${spec.name} [${s.label}] gradient ${k} differs by ${gap.toExponential(2)} (relative)`);
      });
    }
  });
}
single.run();
