// The API reference: TypeDoc, with the options of typedoc.json (`npm run docs`), converts both
// entry points and validates them. Any warning fails the test: an export or member without a doc
// comment, a {@link} that resolves to nothing, a type in a public signature that is not exported.
// Nothing is rendered here, to keep it fast; `npm run docs` writes the HTML to out/api.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { fileURLToPath } from "node:url";
import { Application, DeclarationReflection, Logger, LogLevel, ReflectionKind, type ProjectReflection } from "typedoc";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Keeps every warning and error, without printing them, so the failure can list them. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.messages.push(message.replace(/\x1b\[[0-9;]*m/g, ""));
  }
}

/** "gumbelgrad.Tensor.item (CallSignature), defined in …, does not have any documentation" → "gumbelgrad.Tensor.item (CallSignature)". */
function undocumentedNames(messages: string[]): string[] {
  return messages.flatMap((m) => {
    const found = /^(\S+) \((\w+)\), defined in .* does not have any documentation/.exec(m);
    return found ? [`${found[1]} (${found[2]})`] : [];
  });
}

const test = suite("api docs");

let app: Application;
let project: ProjectReflection | undefined;
let logger: CollectingLogger;
/** Warnings and errors while reading typedoc.json (an unknown or misspelt option), printed by TypeDoc itself. */
let optionProblems = 0;

test.before(async () => {
  app = await Application.bootstrapWithPlugins({ options: `${root}typedoc.json` });
  optionProblems = app.logger.errorCount + app.logger.warningCount;
  logger = new CollectingLogger();
  app.logger = logger;
  project = await app.convert();
  if (project) app.validate(project);
});

test("typedoc.json turns a missing doc comment, a broken link and an unexported type into failures", () => {
  assert.is(optionProblems, 0, "TypeDoc could not read typedoc.json (its messages are printed above)");
  const validation = app.options.getValue("validation");
  assert.equal({ notExported: validation.notExported, invalidLink: validation.invalidLink, notDocumented: validation.notDocumented },
    { notExported: true, invalidLink: true, notDocumented: true });
  assert.ok(app.options.getValue("treatValidationWarningsAsErrors") || app.options.getValue("treatWarningsAsErrors"),
    "validation warnings must be errors, so `npm run docs` fails on them too");
  const required = app.options.getValue("requiredToBeDocumented");
  for (const kind of ["Class", "Function", "Interface", "TypeAlias", "Variable", "Method", "Property", "Accessor", "Constructor"] as const) {
    assert.ok(required.includes(kind), `requiredToBeDocumented must include ${kind}`);
  }
});

test("both entry points convert, under their package names", () => {
  assert.ok(project, `TypeDoc could not convert the sources:\n${logger.messages.join("\n")}`);
  const modules = project!.getChildrenByKind(ReflectionKind.Module).map((m) => m.name).sort();
  assert.equal(modules, ["gumbelgrad", "gumbelgrad/node"]);
  const names = (module: string): string[] => {
    const found = project!.getChildByName([module]);
    assert.instance(found, DeclarationReflection, `no module ${module}`);
    return ((found as DeclarationReflection).children ?? []).map((c) => c.name);
  };
  for (const name of ["Tensor", "tensor", "gumbelSoftmax", "straightThrough", "gradcheck", "registry", "VectorQuantizer"]) {
    assert.ok(names("gumbelgrad").includes(name), `gumbelgrad should export ${name}`);
  }
  assert.ok(project!.getChildByName(["gumbelgrad", "Tensor", "backward"]), "Tensor.backward should be in the reference");
  assert.equal(names("gumbelgrad/node").sort(), ["Digits", "DigitsOptions", "loadDigits", "loadParameters", "saveParameters", "saveParametersSync"]);
});

test("every export of the root sits in one of the themes of typedoc.json's categoryOrder", () => {
  const module = project!.getChildByName(["gumbelgrad"]) as DeclarationReflection;
  const themes = (app.options.getValue("categoryOrder") as string[]).filter((c) => c !== "*");
  const categories = module.categories ?? [];
  assert.ok(categories.length > 0, "the root's exports carry no @category");
  const stray = categories.filter((c) => !themes.includes(c.title)).flatMap((c) => c.children.map((r) => `${r.name} (${c.title})`));
  assert.equal(stray, [], `give these a @category from categoryOrder (${themes.join(", ")}):\n  ${stray.join("\n  ")}`);
});

test("every export and member is documented, every link resolves, nothing referenced is hidden", () => {
  const undocumented = undocumentedNames(logger.messages);
  assert.equal(undocumented, [], `${undocumented.length} without a doc comment:\n  ${undocumented.join("\n  ")}`);
  assert.equal(logger.messages, [], `TypeDoc reported:\n${logger.messages.join("\n")}`);
  assert.is(logger.errorCount, 0);
  assert.is(logger.warningCount, 0);
});

test.run();
