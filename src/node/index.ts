/**
 * gumbelgrad/node: helpers that need Node's file system, imported from `"gumbelgrad/node"`. Not
 * imported by the browser-safe root. Parameter files in the safetensors layout, which Python's
 * `safetensors` reads and writes too; the digits data set that ships with the package.
 * @module gumbelgrad/node
 */
export { saveParameters, saveParametersSync, loadParameters } from "./io.js";
export { loadDigits } from "./digits.js";
export type { Digits, DigitsOptions } from "./digits.js";
