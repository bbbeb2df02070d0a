// Argument checks shared by every layer: each names the function and the argument it checks.

/** A few words for a value of the wrong kind, for error messages: "a string", "an array (wrap it with tensor(...))". */
export function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (Array.isArray(x)) return "an array (wrap it with tensor(...))";
  if (typeof x === "string") return `the string ${JSON.stringify(x)}`;
  if (typeof x === "number") return `the number ${x}`;
  if (typeof x === "object") return `an object (${x.constructor?.name ?? "Object"})`;
  return `a ${typeof x}`;
}
