// gumbelgrad/node: helpers that need Node's file system. Not imported by the browser-safe root.
export { saveParameters, saveParametersSync, loadParameters } from "./io.js";
