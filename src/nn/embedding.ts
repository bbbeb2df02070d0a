// Embedding: a table of learned vectors looked up by index, as PyTorch's nn.Embedding.
import { checkSize, errorSample, fixed, optionsArg, positiveInteger, Rng, rngArg, sample, Tensor, uniformArg, wrap, type FloatDType, type OpSpec } from "../core/index.js";
import { allocate } from "../kernels/index.js";
import { indexSelect, readIndices, reshape } from "../ops/index.js";
import { Module } from "./module.js";
import { dtypeArg } from "./input.js";

/** Options for {@link Embedding}. @category nn */
export interface EmbeddingOptions {
  /** The dtype of the table and of what forward returns: "float64" (default) or "float32". */
  dtype?: FloatDType;
  /** The generator for the initial table. Default: the generator set by manualSeed. */
  rng?: Rng;
}

/**
 * E[i]: row i of a learned table E [numEmbeddings, embeddingDim], as PyTorch's nn.Embedding; indices
 * of any shape give [...shape, embeddingDim]. Init as PyTorch: E ~ N(0, 1), drawn from `rng`.
 * The gradient adds into the rows that were looked up (a row used twice gets both contributions).
 * @category nn
 */
export class Embedding extends Module {
  /** E, [numEmbeddings, embeddingDim]; the parameter `weight`. */
  readonly weight: Tensor;
  /** The dtype of the table. */
  readonly dtype: FloatDType;

  /**
   * A table of numEmbeddings vectors of embeddingDim values each, freshly drawn.
   * @param numEmbeddings The number of rows: indices run from 0 to numEmbeddings − 1.
   * @param embeddingDim The length of each vector.
   * @throws GumbelgradError unless both sizes are positive integers.
   */
  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    positiveInteger("Embedding", "numEmbeddings", numEmbeddings);
    positiveInteger("Embedding", "embeddingDim", embeddingDim);
    checkSize("Embedding", [numEmbeddings, embeddingDim]);
    const o = optionsArg("Embedding", opts);
    const rng = rngArg("Embedding", o.rng);
    this.dtype = dtypeArg("Embedding", o.dtype);
    const table = allocate(this.dtype, numEmbeddings * embeddingDim);
    for (let i = 0; i < table.length; i++) table[i] = rng.normal();
    this.weight = this.addParameter("weight", wrap(table, [numEmbeddings, embeddingDim]));
  }

  /**
   * The rows at `indices` (an int32 tensor of any shape, or an array of integers): [...shape, embeddingDim].
   * @throws GumbelgradError for an index outside [0, numEmbeddings), or indices that are not integers.
   */
  forward(indices: Tensor | number[]): Tensor {
    return embed("Embedding", this.weight, indices);
  }
}

/** E[indices] as [...indices.shape, D]: rows of the table, by indexSelect, whose gradient scatter-adds. */
function embed(op: string, table: Tensor, indices: Tensor | number[]): Tensor {
  const [rows, dim] = table.shape;
  const flat = readIndices(op, "indices", indices, rows, "numEmbeddings");
  const shape = indices instanceof Tensor ? indices.shape : [flat.length];
  return reshape(indexSelect(table, 0, wrap(flat, [flat.length])), [...shape, dim]);
}

// ---- gradient-check samples and error samples --------------------------------------------------

export const embeddingSpec: OpSpec = {
  name: "Embedding",
  fn: Embedding,
  // The table is the input here, so the check reaches the gradient that matters: into E's rows.
  samples: (rng) => [
    sample("indices [2, 3] with repeats into a table [5, 4]", [uniformArg(rng, [5, 4])], (table) => embed("Embedding", table, fixed([[0, 4, 4], [2, 0, 1]], "int32"))),
    sample("an array of indices, one row twice", [uniformArg(rng, [3, 2])], (table) => embed("Embedding", table, [2, 2, 0])),
  ],
  errors: () => [
    errorSample("an index past the table", () => new Embedding(5, 2).forward([1, 7]), "Embedding: index 7 is out of range for numEmbeddings of size 5"),
    errorSample("a negative index", () => new Embedding(5, 2).forward(fixed([-1], "int32")), "Embedding: index -1 is out of range for numEmbeddings of size 5"),
    errorSample("float indices", () => new Embedding(5, 2).forward(fixed([1, 2])), "Embedding: indices must be an int32 tensor or an array of integers, but indices has dtype float64"),
    errorSample("a zero dimension", () => new Embedding(5, 0), "Embedding: embeddingDim must be a positive integer, but got 0"),
  ],
};
