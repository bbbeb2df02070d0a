// Values and gradients at the edges — NaN, ±∞, ties, masks, base 0 — against PyTorch 1.13 on fixed
// inputs (test/fixtures/edge-cases.json, written by scripts/fixtures/edge_cases.py), plus nested
// differentiation and a gradient penalty. Where gumbelgrad departs from PyTorch on purpose, the test
// says so and checks the value gumbelgrad gives instead (docs/reliability.md lists the differences).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import {
  Tensor, abs, argmax, argmin, clamp, crossEntropy, gradcheck, grad, gumbelSoftmax, logSoftmax, logsumexp, matmul, max,
  maximum, min, minimum, mul, pow, relu, scoreFunctionSurrogate, softmax, sqrt, sum, tanh, tensor, valueAndGrad, where,
  type NestedArray,
} from "../src/index.js";

type Encoded = string | Encoded[];
interface Case { name: string; inputs: Encoded[]; weights: Encoded; output: Encoded; grads: (Encoded | null)[]; [key: string]: unknown }
const fixture = JSON.parse(readFileSync("test/fixtures/edge-cases.json", "utf8")) as {
  cases: Case[];
  argReductions: { values: Encoded; argmax: number; argmin: number }[];
  nested: { x: number; y: number; grad: string };
  gradientPenalty: Record<"x" | "W" | "b" | "v" | "penalty" | "gradW" | "gradB", Encoded>;
};

/** The fixture writes every number as a string, since JSON has no NaN or ±∞. */
function decode(x: Encoded): number | NestedArray {
  if (Array.isArray(x)) return x.map(decode) as NestedArray;
  return x === "nan" ? NaN : x === "inf" ? Infinity : x === "-inf" ? -Infinity : Number(x);
}

function flat(x: number | NestedArray): number[] {
  return Array.isArray(x) ? (x as NestedArray[]).flatMap((v) => flat(v as number | NestedArray)) : [x];
}

/** Same NaNs, same infinities, finite values within 1e-12 (relative): what float64 arithmetic in another order gives. */
function assertClose(actual: number[], expected: number[], what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => {
    const e = expected[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e));
    assert.ok(ok, `${what}[${i}]: gumbelgrad ${a}, PyTorch ${e}`);
  });
}

const c = (values: number[]) => tensor(values);
/** gumbelgrad's version of each PyTorch case, by the case's name. */
const implementations: Record<string, (...xs: Tensor[]) => Tensor> = {
  "sqrt(relu(x))": (x) => sqrt(relu(x)),
  "sqrt(clamp(x, 0))": (x) => sqrt(clamp(x, 0)),
  "clamp with NaN": (x) => clamp(x, -1, 1),
  "abs away from 0, and NaN": (x) => abs(x),
  "sqrt(clamp(x, -1, 1) + 1)": (x) => sqrt(clamp(x, -1, 1).add(1)),
  "sqrt(maximum(a, b))": (a, b) => sqrt(maximum(a, b)),
  "sqrt(minimum(a, b))": (a, b) => sqrt(minimum(a, b)),
  "maximum with NaN": (a, b) => maximum(a, b),
  "minimum with NaN": (a, b) => minimum(a, b),
  "maximum broadcast with ties": (a, b) => maximum(a, b),
  "sqrt(where(c, a, b))": (a, b) => sqrt(where(c([1, 0, 1]), a, b)),
  "pow(x, y) at base 0": (x, y) => pow(x, y),
  "pow(x, 0) at x = 0": (x, y) => pow(x, y),
  "pow(x, 2) at x = 0": (x, y) => pow(x, y),
  "pow with a negative base": (x, y) => pow(x, y),
  "logSoftmax with −∞": (x) => logSoftmax(x, -1),
  "softmax with −∞": (x) => softmax(x, -1),
  "logsumexp with −∞": (x) => logsumexp(x, -1),
  "crossEntropy with −∞": (x) => crossEntropy(x, [0, 1]),
  "crossEntropy with −∞, one row": (x) => crossEntropy(x, [0]),
  "scoreFunctionSurrogate with −∞": (x) => scoreFunctionSurrogate(x, [2, 1], c([1.5, -0.5]), { baseline: 0.25 }),
  "learnable-tau gumbelSoftmax with −∞": (x, tau) => gumbelSoftmax(x, { tau, noise: tensor([[0.1, 0.2, -0.3], [0.5, -0.2, 0.4]]) }),
  "logsumexp of NaN": (x) => logsumexp(x, 0),
  "logsumexp with +∞": (x) => logsumexp(x, 0),
  "logsumexp of all −∞": (x) => logsumexp(x, 0),
  "logsumexp of an empty axis": (x) => logsumexp(x, 1),
  "max of all with NaN": (x) => max(x),
  "max of all with a tie": (x) => max(x),
  "amax along an axis with ties": (x) => max(x, 1),
  "amin along an axis with ties": (x) => min(x, 1),
  "softmax with NaN": (x) => softmax(x, -1),
  "softmax with +∞": (x) => softmax(x, -1),
  "softmax of all −∞": (x) => softmax(x, -1),
  "hard gumbel-softmax of NaN logits": (x) => gumbelSoftmax(x, { hard: true }),
};

/** Where gumbelgrad gives another (finite, correct) gradient than PyTorch, on purpose: input → expected. */
const departures: Record<string, (k: Case) => Record<number, number[]>> = {
  // PyTorch's ∂/∂τ is NaN here (0·∞ in the division's gradient); the impossible categories add nothing to the sample.
  "learnable-tau gumbelSoftmax with −∞": (k) => ({ 1: [decode(k.tauGradWithoutImpossible as string) as number] }),
};

const torch = suite("edge cases against PyTorch 1.13");

torch("every PyTorch case has a gumbelgrad version", () => {
  assert.equal(fixture.cases.map((k) => k.name).filter((name) => !implementations[name]), []);
});

for (const k of fixture.cases) {
  torch(k.name, () => {
    const inputs = k.inputs.map((v) => {
      const value = decode(v);
      return typeof value === "number" ? tensor(value, { requiresGrad: true }) : tensor(value, { requiresGrad: true });
    });
    const fn = implementations[k.name];
    const [out, grads] = valueAndGrad((...xs: Tensor[]) => sum(mul(fn(...xs), tensor(decode(k.weights)))), { argnums: inputs.map((_, i) => i) })(...inputs);
    assert.ok(out instanceof Tensor);
    assertClose(flat(fn(...inputs).toArray()), flat(decode(k.output)), `${k.name}: value`);
    const instead = departures[k.name]?.(k) ?? {};
    (grads as Tensor[]).forEach((g, i) => {
      const expected = instead[i] ?? flat(decode(k.grads[i]!));
      assertClose(flat(g.toArray()), expected, `${k.name}: gradient of input ${i}`);
    });
  });
}

torch("argmax and argmin treat NaN as the extreme and take the first of a tie", () => {
  for (const { values, argmax: ia, argmin: ii } of fixture.argReductions) {
    const x = tensor(decode(values));
    assert.is(argmax(x, 0).item(), ia, `argmax of ${values}`);
    assert.is(argmin(x, 0).item(), ii, `argmin of ${values}`);
  }
});

torch.run();

const departures2 = suite("edge cases where gumbelgrad departs from PyTorch");

departures2("abs at 0 passes no gradient, even an infinite one (PyTorch: ∞·sign(0) = NaN)", () => {
  const x = tensor([0, -1, 0.25], { requiresGrad: true });
  sum(sqrt(abs(x))).backward();
  assert.equal(x.grad!.toArray(), [0, -0.5, 1]);
});

departures2.run();

const nested = suite("nested differentiation through closures");

nested("grad of a function that takes an inner grad over a closed-over x: d/dx [x·∂/∂y(x·y)] = 2x", () => {
  const inner = (x: Tensor) => grad((y: Tensor) => mul(x, y))(tensor(fixture.nested.y)) as Tensor;
  const g = grad((x: Tensor) => mul(x, inner(x)))(tensor(fixture.nested.x)) as Tensor;
  assert.is(g.item(), Number(fixture.nested.grad));
  assert.is(g.item(), 2);
});

nested("the same through valueAndGrad and argnums", () => {
  const f = (x: Tensor, w: Tensor) => {
    const [, [dy]] = valueAndGrad((y: Tensor, z: Tensor) => mul(mul(x, y), z), { argnums: [0, 1] })(tensor(2), w) as [Tensor, Tensor[]];
    return mul(x, dy); // x · (x·w) = x²w
  };
  const [value, [gx, gw]] = valueAndGrad(f, { argnums: [0, 1] })(tensor(3), tensor(5)) as [Tensor, Tensor[]];
  assert.is(value.item(), 45);
  assert.is(gx.item(), 30, "∂/∂x x²w = 2xw");
  assert.is(gw.item(), 9, "∂/∂w x²w = x²");
});

nested("a third derivative by nesting grad three times: d³/dx³ x⁴ = 24x", () => {
  const f = (x: Tensor) => mul(mul(x, x), mul(x, x));
  const d3 = grad((x: Tensor) => grad((x2: Tensor) => grad(f)(x2) as Tensor)(x) as Tensor)(tensor(1.5)) as Tensor;
  assert.ok(Math.abs(d3.item() - 36) < 1e-12, `got ${d3.item()}`);
});

/** D(x) = Σ tanh(x·W + b)·v, a critic that closes over its parameters. */
function critic(W: Tensor, b: Tensor, v: Tensor) {
  return (x: Tensor) => sum(mul(tanh(matmul(x, W).add(b)), v));
}

/** The gradient penalty ‖∇ₓ D(x)‖², differentiable in the critic's parameters. */
function penalty(W: Tensor, b: Tensor, v: Tensor, x: Tensor): Tensor {
  const dx = grad(critic(W, b, v))(x) as Tensor;
  return sum(mul(dx, dx));
}

nested("a gradient penalty gives the critic's parameters PyTorch's gradients", () => {
  const gp = fixture.gradientPenalty;
  const W = tensor(decode(gp.W), { requiresGrad: true });
  const b = tensor(decode(gp.b), { requiresGrad: true });
  const v = tensor(decode(gp.v));
  const x = tensor(decode(gp.x));
  const p = penalty(W, b, v, x);
  assertClose([p.item()], [decode(gp.penalty) as number], "penalty");
  p.backward();
  assertClose(flat(W.grad!.toArray()), flat(decode(gp.gradW)), "∂penalty/∂W");
  assertClose(flat(b.grad!.toArray()), flat(decode(gp.gradB)), "∂penalty/∂b");
});

nested("gradcheck agrees with the gradient penalty's gradients in W and b", () => {
  const gp = fixture.gradientPenalty;
  const v = tensor(decode(gp.v)), x = tensor(decode(gp.x));
  const report = gradcheck((W, b) => penalty(W, b, v, x), [tensor(decode(gp.W), { requiresGrad: true }), tensor(decode(gp.b), { requiresGrad: true })]);
  assert.ok(report.ok, report.message);
});

nested("grad with respect to a non-leaf leaves its history for a later backward, as in PyTorch", () => {
  const w = tensor([1, 2], { requiresGrad: true });
  const h = mul(w, 3); // a non-leaf
  const g = grad((t: Tensor) => sum(mul(t, t)))(h) as Tensor;
  assert.equal(g.toArray(), [6, 12]);
  sum(h).backward();
  assert.equal(w.grad!.toArray(), [3, 3]);
});

nested("a plain grad of a function of its arguments alone returns values off the tape", () => {
  const g = grad((x: Tensor) => sum(mul(x, x)))(tensor([1, 2])) as Tensor;
  assert.not.ok(g.requiresGrad);
  assert.is(g.node, null);
});

nested.run();
