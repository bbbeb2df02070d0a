// Every registered function: gradcheck and gradgradcheck on every sample, every error sample,
// and a meta-test that nothing exported and differentiable escapes the registry.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import * as gg from "../src/index.js";
import { registry, notDifferentiable, gradcheck, gradgradcheck, Rng } from "../src/index.js";

const checks = suite("registry: gradient checks");

for (const spec of registry) {
  checks(`${spec.name}: gradcheck and gradgradcheck on every sample`, () => {
    const samples = spec.samples(new Rng(42));
    assert.ok(samples.length > 0, `${spec.name} has no samples`);
    for (const s of samples) {
      const first = gradcheck(s.run, s.inputs, { eps: s.eps });
      assert.ok(first.ok, `${spec.name} [${s.label}]\n${first.message}`);
      if (spec.secondOrder !== false && s.secondOrder !== false) {
        const second = gradgradcheck(s.run, s.inputs, { eps: s.eps });
        assert.ok(second.ok, `${spec.name} [${s.label}] second order\n${second.message}`);
      }
    }
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
      assert.ok(message!.startsWith(`${spec.name}: `) || message!.includes(": "), `${spec.name} [${e.label}] names no op`);
    }
  });
}
errors.run();

const meta = suite("registry: meta");

meta("every exported function is registered or listed as not differentiable", () => {
  const registered = new Set(registry.map((s) => s.name));
  const exportedFunctions = Object.entries(gg).filter(([, v]) => typeof v === "function" && !/^[A-Z]/.test(v.name ?? ""));
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
