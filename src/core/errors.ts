// Errors name the op first, then the rule, then the offending shapes or values.
// Format: `<op>: <rule>, but <arg> has shape [2, 3] and <arg> has shape [4, 5]`.

/** Writes a shape the way every message in gumbelgrad does: `[2, 3]`, and `[]` for a scalar. @category Errors */
export function formatShape(shape: readonly number[]): string {
  if (!Array.isArray(shape)) throw new GumbelgradError("formatShape", "shape must be an array of numbers");
  return `[${shape.map((d) => (typeof d === "number" ? String(d) : "?")).join(", ")}]`;
}

/** Any misuse of an op: a bad parameter, a wrong dtype, a value out of range. @category Errors */
export class GumbelgradError extends Error {
  /** The name of the function that was misused, e.g. "indexSelect"; the message starts with it. */
  readonly op: string;
  /**
   * An error whose message is `${op}: ${detail}`.
   * @param op The function's name.
   * @param detail The rule and the offending value.
   */
  constructor(op: string, detail: string) {
    super(`${op}: ${detail}`);
    this.name = "GumbelgradError";
    this.op = op;
  }
}

/** Shapes that do not fit together. Carries the shapes, keyed by argument name, for tests and tools. @category Errors */
export class ShapeError extends GumbelgradError {
  /** The offending shapes, keyed by argument name: `{ a: [2, 3], b: [4] }`. */
  readonly shapes: Record<string, number[]>;
  /**
   * An error whose message reads `${op}: ${rule}, but a has shape [2, 3] and b has shape [4]`.
   * @param op The function's name.
   * @param rule The rule the shapes broke: "shapes must broadcast (NumPy rules)".
   * @param shapes The shapes, keyed by argument name.
   */
  constructor(op: string, rule: string, shapes: Record<string, readonly number[]>) {
    const parts = Object.entries(shapes).map(([arg, s]) => `${arg} has shape ${formatShape(s)}`);
    super(op, `${rule}, but ${parts.join(" and ")}`);
    this.name = "ShapeError";
    this.shapes = Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, [...s]]));
  }
}
