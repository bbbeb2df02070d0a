// The functional face of autodiff: grad, valueAndGrad and customOp.
export { grad, valueAndGrad, customOp } from "./functional.js";
export type { GradOptions, CustomOpDefinition } from "./functional.js";

/** grad and customOp make differentiable functions; they are not ops themselves. */
export const notDifferentiable = ["grad", "valueAndGrad", "customOp"];
