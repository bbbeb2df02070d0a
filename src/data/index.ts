// Data: minibatches of row indices, and the rows they pick.
import type { OpSpec } from "../core/index.js";
import { gatherRowsSpec } from "./batches.js";

export { batches, gatherRows } from "./batches.js";
export type { BatchesOptions } from "./batches.js";

/** gatherRows is differentiable in x (through indexSelect). */
export const specs: OpSpec[] = [gatherRowsSpec];

/** batches makes indices; nothing differentiates through it. */
export const notDifferentiable = ["batches"];
