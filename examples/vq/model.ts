// The example's model: encoder MLP → quantizer → decoder MLP, trained end to end.
import { MLP, Module, Rng, Tensor, mseLoss, noGrad, type Quantizer } from "../../src/index.js";

export interface StepResult {
  loss: Tensor;
  reconstructionLoss: number;
  indices: Int32Array;
}

export class VQAutoencoder extends Module {
  readonly encoder: MLP;
  readonly decoder: MLP;

  constructor(inputDim: number, hidden: number, codeDim: number, readonly quantizer: Quantizer, rng: Rng) {
    super();
    this.encoder = this.addModule("encoder", new MLP([inputDim, hidden, codeDim], { rng }));
    this.addModule("quantizer", quantizer);
    this.decoder = this.addModule("decoder", new MLP([codeDim, hidden, inputDim], { rng }));
  }

  /** loss = mse(decoder(z_st), x) + the quantizer's own terms. */
  trainingStep(x: Tensor, step: number): StepResult {
    const z = this.encoder.forward(x);
    const q = this.quantizer.forward(z, step);
    const reconstruction = mseLoss(this.decoder.forward(q.quantized), x);
    return { loss: reconstruction.add(q.loss), reconstructionLoss: reconstruction.item(), indices: Int32Array.from(q.indices.values()) };
  }

  /** Deterministic reconstructions and codes, in evaluation mode, without a graph. */
  reconstruct(x: Tensor): { reconstruction: Tensor; indices: Int32Array } {
    const wasTraining = this.training;
    this.eval();
    try {
      return noGrad(() => {
        const q = this.quantizer.forward(this.encoder.forward(x));
        return { reconstruction: this.decoder.forward(q.quantized), indices: Int32Array.from(q.indices.values()) };
      });
    } finally {
      this.train(wasTraining);
    }
  }

  /** The decoder's output for each code alone: the points in data space the model can produce. */
  decodedCodes(codebook: Tensor): Tensor {
    return noGrad(() => this.decoder.forward(codebook.detach()));
  }
}

/** Mean over rows of the squared Euclidean distance ‖x − x̂‖², the k-means distortion measure. */
export function distortion(x: Tensor, reconstruction: Tensor): number {
  const a = x.values(), b = reconstruction.values();
  let total = 0;
  for (let i = 0; i < a.length; i++) total += (a[i] - b[i]) ** 2;
  return total / x.shape[0];
}
