// The 2-D data the codebook learns: a seeded mixture of Gaussian blobs on a ring. The ring sits away
// from the origin, where the original VQ-VAE initialisation puts every code, so at the start a few
// codes are nearest to all the data and the rest are never chosen: codebook collapse, in the flesh.
import { Rng, fromData, type Tensor } from "../../../src/index.js";

export interface MixtureOptions {
  points?: number;
  blobs?: number;
  seed?: number;
}

const RING = { centre: [3, 2], radius: 1.6, spread: 0.22 };

/** [points, 2]: blob j centred at centre + radius·(cos, sin)(2πj/blobs), each point that plus N(0, spread²·I). */
export function ringMixture(opts: MixtureOptions = {}): Tensor {
  const { points = 1200, blobs = 8, seed = 7 } = opts;
  const rng = new Rng(seed);
  const x = new Float64Array(points * 2);
  for (let n = 0; n < points; n++) {
    const angle = (2 * Math.PI * rng.int(blobs)) / blobs;
    x[2 * n] = RING.centre[0] + RING.radius * Math.cos(angle) + RING.spread * rng.normal();
    x[2 * n + 1] = RING.centre[1] + RING.radius * Math.sin(angle) + RING.spread * rng.normal();
  }
  return fromData(x, [points, 2]);
}
