// npm start: train a VQ codebook lookup (straight-through, EMA, restarts, Gumbel) and compare with k-means.
// `npm start -- --help` lists the flags.
import { runAsProgram } from "./cli-common.js";
import { main } from "./vq/main.js";

await runAsProgram(main);
