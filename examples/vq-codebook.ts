// npm start: train a VQ codebook lookup (straight-through, EMA, restarts, Gumbel) and compare with k-means.
// `npm start -- --help` lists the flags.
import { main } from "./vq/main.js";

process.exitCode = await main(process.argv.slice(2));
