import { suite } from "uvu";
import * as assert from "uvu/assert";
import { tensor, sqrt, sum, log, mul, detectAnomaly, setDetectAnomaly, GumbelgradError, exp } from "../src/index.js";

const anomaly = suite("detectAnomaly");

anomaly("backward: sum(sqrt(x)).backward() at x = 0 names sqrt and where it was created", () => {
  const x = tensor([0, 1, 4], { requiresGrad: true });
  let error: Error | null = null;
  try {
    detectAnomaly(() => sum(sqrt(x)).backward());
  } catch (e) {
    error = e as Error;
  }
  assert.instance(error, GumbelgradError);
  assert.match(error!.message, /^sqrt: backward produced Infinity in the gradient of input 0 \(detectAnomaly\), with inputs of shapes \[3\]; the op was created at\n/);
  assert.match(error!.message, /anomaly\.test\.ts/, "the stack points at the line that made the op");
});

anomaly("forward: the first op that makes NaN or ±∞ from finite inputs is named", () => {
  assert.throws(() => detectAnomaly(() => log(mul(tensor([1, -1]), 2))), /^log: produced NaN from finite inputs \(detectAnomaly\), with inputs of shapes \[2\]/);
  assert.throws(() => detectAnomaly(() => exp(tensor([800]))), /^exp: produced Infinity from finite inputs/);
});

anomaly("an op whose input is already non-finite is not blamed", () => {
  const y = detectAnomaly(() => mul(tensor([Infinity]), 2));
  assert.is(y.item(), Infinity);
});

anomaly("off by default, and the global switch turns it on and off", () => {
  const x = tensor([0], { requiresGrad: true });
  sum(sqrt(x)).backward();
  assert.is(x.grad!.item(), Infinity, "without anomaly mode, the infinity passes through");
  setDetectAnomaly(true);
  try {
    assert.throws(() => log(tensor([-1])), /log: produced NaN/);
  } finally {
    setDetectAnomaly(false);
  }
  assert.ok(Number.isNaN(log(tensor([-1])).item()));
});

anomaly.run();
