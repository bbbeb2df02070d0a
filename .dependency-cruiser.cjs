// The architecture's rules, checked by `npm test` (test/architecture.test.ts). docs/architecture.md
// explains the layers and where new code goes.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "enter-through-index",
      comment: "A folder of src/ is entered only through its index.ts; what two folders share belongs in core/.",
      severity: "error",
      from: { path: "^src/([^/]+)/" },
      to: { path: "^src/[^/]+/", pathNot: ["^src/$1/", "^src/[^/]+/index\\.ts$"] },
    },
    {
      name: "root-files-enter-through-index",
      comment: "src/index.ts and src/registry.ts see each folder through its index.ts.",
      severity: "error",
      from: { path: "^src/[^/]+\\.ts$" },
      to: { path: "^src/[^/]+/", pathNot: "^src/[^/]+/index\\.ts$" },
    },
    {
      name: "kernels-are-the-floor",
      comment: "kernels/ compute on flat arrays and know nothing of tensors or gradients.",
      severity: "error",
      from: { path: "^src/kernels/" },
      to: { path: "^src/", pathNot: "^src/kernels/" },
    },
    {
      name: "core-stays-low",
      comment: "core/ imports only core/ and kernels/, but for the one documented exception: Tensor's method forms (x.add(y)) call the ops.",
      severity: "error",
      from: { path: "^src/core/", pathNot: "^src/core/tensor\\.ts$" },
      to: { path: "^src/", pathNot: ["^src/core/", "^src/kernels/"] },
    },
    {
      name: "tensor-imports-only-ops",
      comment: "The exception itself: core/tensor.ts reaches the ops through ops/index.ts, and nothing else above core.",
      severity: "error",
      from: { path: "^src/core/tensor\\.ts$" },
      to: { path: "^src/", pathNot: ["^src/core/", "^src/kernels/", "^src/ops/index\\.ts$"] },
    },
    {
      name: "no-new-cycles",
      comment: "No import cycle, but the documented core ↔ ops one that runs through core/tensor.ts, and the ops among themselves (their vjps are written in ops).",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true, viaNot: "^src/core/tensor\\.ts$", viaSomeNot: "^src/ops/" },
    },
    {
      name: "library-is-browser-safe",
      comment: "Only src/node/ and the command line may import Node's modules: the root entry runs in a browser.",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/node/", "^src/cli/"] },
      to: { dependencyTypes: ["core"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    moduleSystems: ["es6"],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
