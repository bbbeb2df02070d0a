// Gradient checking: finite differences against the vjps, for one function or the whole registry.
export { gradcheck, gradgradcheck } from "./gradcheck.js";
export type { GradcheckOptions, GradcheckReport, InputReport, WorstElement } from "./gradcheck.js";
export { checkRegistry } from "./checkRegistry.js";
export type { RegistryCheckRow } from "./checkRegistry.js";

/** The checkers are not ops. */
export const notDifferentiable = ["gradcheck", "gradgradcheck"];
