"""W7 and W8, the categorical VAE step, in PyTorch on the CPU with one thread, as its users write it.

The bench (bench/systems/torch.ts) runs this script as a child process and talks to it over
stdin/stdout, one JSON object a line each way. The bench's harness decides the warm-up and the
repetitions, the same rules as for every other system; this process only builds a case and times
steps of it, so no pipe is inside a timing:

  {"op": "prepare", "id": 1, "sizes": {...}, "dtype": "float64", "data": "/tmp/dir"}  -> {"ok": true, "threads": 1}
  {"op": "time", "id": 1, "steps": 20}   -> {"ok": true, "ms": 3.1}   (ms per step; a full gc.collect() first, untimed)
  {"op": "dispose", "id": 1}             -> {"ok": true}

`threads` is how many threads the process has after one step (on Linux), so the bench can check
that the BLAS library runs on one thread too (its parent sets OPENBLAS_NUM_THREADS=1).

The data directory holds the bench's fixed numbers as raw little-endian float64 files (x.f64,
encoder.0.weight.f64, …), so every system starts from the same values.
"""
import gc
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def mlp(sizes):
    """Linear layers between consecutive sizes with ReLU between them (none after the last)."""
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class CategoricalVAE(nn.Module):
    """Jang et al. (2017): N categorical variables of K categories, straight-through Gumbel-softmax."""

    def __init__(self, s):
        super().__init__()
        self.s = s
        code = s["latents"] * s["categories"]
        self.encoder = mlp([s["pixels"], *s["encoderHidden"], code])
        self.decoder = mlp([code, *s["decoderHidden"], s["pixels"]])

    def loss(self, x):
        s = self.s
        batch, n, k = x.shape[0], s["latents"], s["categories"]
        logits = self.encoder(x).view(batch, n, k)
        z = F.gumbel_softmax(logits, tau=s["tau"], hard=True, dim=-1)
        recon_logits = self.decoder(z.view(batch, n * k))
        bce = F.binary_cross_entropy_with_logits(recon_logits, x, reduction="sum")
        log_q = F.log_softmax(logits, dim=-1)
        # KL(q ‖ Uniform(K)) = Σ_k q log q + log K for each of the batch × N variables.
        kl = (log_q.exp() * log_q).sum() + batch * n * math.log(k)
        return (bce + kl) / batch


def read(folder, name, shape):
    return torch.from_numpy(np.fromfile(os.path.join(folder, name + ".f64"), dtype="<f8").reshape(shape))


def load_values(model, folder):
    """Copies the bench's starting values into every Linear (weights in PyTorch's [out, in] layout)."""
    with torch.no_grad():
        for part in ("encoder", "decoder"):
            linears = [m for m in getattr(model, part) if isinstance(m, nn.Linear)]
            for i, layer in enumerate(linears):
                layer.weight.copy_(read(folder, f"{part}.{i}.weight", layer.weight.shape))
                layer.bias.copy_(read(folder, f"{part}.{i}.bias", layer.bias.shape))


class Case:
    def __init__(self, sizes, dtype, folder):
        torch.manual_seed(0)
        torch_dtype = torch.float64 if dtype == "float64" else torch.float32
        self.model = CategoricalVAE(sizes).to(torch_dtype)
        load_values(self.model, folder)
        self.x = read(folder, "x", (sizes["batch"], sizes["pixels"])).to(torch_dtype)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=sizes["lr"])

    def step(self):
        self.optimizer.zero_grad(set_to_none=True)
        self.model.loss(self.x).backward()
        self.optimizer.step()

    def time(self, steps):
        gc.collect()
        start = time.perf_counter()
        for _ in range(steps):
            self.step()
        return (time.perf_counter() - start) * 1000 / steps


def thread_count():
    return len(os.listdir("/proc/self/task"))


def answer(request, cases):
    op = request["op"]
    if op == "prepare":
        case = Case(request["sizes"], request["dtype"], request["data"])
        case.step()
        cases[request["id"]] = case
        return {"threads": thread_count()} if os.path.isdir("/proc/self/task") else {}
    if op == "time":
        return {"ms": cases[request["id"]].time(int(request["steps"]))}
    if op == "dispose":
        cases.pop(request["id"], None)
        return {}
    raise ValueError(f"unknown op {op!r}")


def main():
    cases = {}
    for line in sys.stdin:
        try:
            reply = {"ok": True, **answer(json.loads(line), cases)}
        except Exception as err:  # the bench reports it and stops; this process keeps no state worth saving
            reply = {"ok": False, "error": f"{type(err).__name__}: {err}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
