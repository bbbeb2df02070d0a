// The architecture as a test: dependency-cruiser checks src/ against the rules in .dependency-cruiser.cjs
// (folders entered through their index.ts, kernels and core at the bottom, no import cycle but the
// documented core ↔ ops one, Node's modules only in src/node and src/cli). docs/architecture.md
// explains them.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createRequire } from "node:module";
import { cruise, type IReporterOutput } from "dependency-cruiser";

const require = createRequire(import.meta.url);
const rules = require("../.dependency-cruiser.cjs");

const architecture = suite("architecture");

architecture("src/ keeps the rules of .dependency-cruiser.cjs", async () => {
  const result: IReporterOutput = await cruise(["src"], { validate: true, ruleSet: rules, ...rules.options });
  const output = result.output;
  assert.type(output, "object");
  if (typeof output === "string") return;
  const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(" → ")})` : ""}`);
  assert.ok(output.summary.totalCruised > 50, `only ${output.summary.totalCruised} modules were cruised`);
  assert.equal(violations, [], `\n${violations.join("\n")}`);
});

architecture.run();
