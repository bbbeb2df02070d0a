// The explorer page: `npm run explore` serves it, `npm run build:site` writes site/dist.
// The page imports the library's TypeScript from ../src; Vite bundles it with Chart.js, so the built
// site needs no network at all. base "./" makes every asset path relative: the folder can be
// published under any sub-path as it is.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  base: "./",
  build: { outDir: "dist", emptyOutDir: true },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
