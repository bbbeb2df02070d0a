// The contract every quantizer meets, so that a model can hold any of them: VectorQuantizer (nearest
// code, straight-through), GumbelQuantizer (a relaxed or straight-through Gumbel sample over codes),
// or a new one.
import type { Tensor } from "../core/index.js";
import type { Module } from "../nn/index.js";

/** What every quantizer's forward returns (a quantizer may return more). @category Quantizers */
export interface QuantizedOutput {
  /** What the decoder sees: [N, D], the chosen codes (or their relaxed blend), with the quantizer's gradient to z. */
  quantized: Tensor;
  /** The chosen code of each row, int32 [N]. */
  indices: Tensor;
  /** The quantizer's own loss terms, to add to the model's loss (a scalar; 0 when it has none). */
  loss: Tensor;
  /** exp of the entropy of the codes chosen in this batch: from 1 (one code) to K (all codes equally). */
  perplexity: number;
  /** Fraction of the codes chosen at least once in this batch. */
  usage: number;
}

/**
 * A module that replaces each encoding by one of K codes. In training mode it may update its own
 * state (EMA statistics, restarts); in evaluation mode it must not, and picks codes deterministically.
 * @category Quantizers
 */
export interface Quantizer extends Module {
  /** The codebook E: [K, D]. */
  readonly codebook: Tensor;
  /** Quantizes encodings z: [N, D] (or [N, inputDim]); `step` is the training step, for schedules. */
  forward(z: Tensor, step?: number): QuantizedOutput;
}
