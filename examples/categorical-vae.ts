// npm run example:vae: the categorical VAE of Jang et al. (2017), trained with every gradient
// estimator from the same start. `npm run example:vae -- --help` lists the flags.
import { runAsProgram } from "./cli-common.js";
import { main } from "./vae/main.js";

await runAsProgram(main);
