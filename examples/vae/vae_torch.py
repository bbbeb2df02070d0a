"""The categorical VAE of examples/vae, written in PyTorch (1.13, CPU) as a PyTorch user would, to
compare with `npm run example:vae`: the same data and split, the same model sizes and PyTorch's
default initialisation, the same loss, optimizer, batches and τ schedule, with F.gumbel_softmax.
The random draws differ (torch's generator, not gumbelgrad's), so the figures agree within noise.

    /usr/bin/python3 examples/vae/vae_torch.py [--estimator st|gs] [--epochs 30] [--seed 1] [--dtype float64|float32]

Not part of `npm test`: it needs PyTorch (Debian's python3-torch).
"""
import argparse
import gzip
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS = os.path.join(HERE, "..", "..", "data", "digits.csv.gz")
N, K = 8, 10


def load_digits(dtype):
    """The shipped digits, pixel 9..16 -> 1: rows 0..1499 train, 1500..1796 test."""
    with gzip.open(DIGITS, "rt") as f:
        rows = [[int(v) for v in line.split(",")[:64]] for line in f.read().strip().split("\n")]
    x = (torch.tensor(rows) > 8).to(dtype)
    return x[:1500], x[1500:]


class CategoricalVae(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, N * K))
        self.decoder = nn.Sequential(nn.Linear(N * K, 256), nn.ReLU(), nn.Linear(256, 64))

    def encode(self, x):
        return self.encoder(x).view(-1, N, K)

    def decode(self, z):
        return self.decoder(z.reshape(*z.shape[:-2], N * K))


def kl_to_uniform(logits):
    """KL(softmax(l_n) || Uniform(K)) summed over the N variables: [B]."""
    log_q = F.log_softmax(logits, -1)
    return (log_q.exp() * (log_q + math.log(K))).sum((-2, -1))


def bce(recon, x):
    return F.binary_cross_entropy_with_logits(recon, x, reduction="none").sum(-1)


def one_hot_sample(logits, shape=()):
    index = torch.distributions.Categorical(logits=logits).sample(shape)
    return index, F.one_hot(index, K).to(logits.dtype)


@torch.no_grad()
def neg_elbo(model, x, draws=10):
    logits = model.encode(x)
    _, z = one_hot_sample(logits, (draws,))
    return (bce(model.decode(z), x.expand(draws, *x.shape)).mean(0) + kl_to_uniform(logits)).mean().item()


@torch.no_grad()
def nll(model, x, samples=100):
    logits = model.encode(x)
    log_q = F.log_softmax(logits, -1)
    weights = []
    for _ in range(samples):
        index, z = one_hot_sample(logits)
        log_qz = log_q.gather(-1, index.unsqueeze(-1)).squeeze(-1).sum(-1)
        weights.append(-bce(model.decode(z), x) - N * math.log(K) - log_qz)
    return -(torch.logsumexp(torch.stack(weights), 0) - math.log(samples)).mean().item()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--estimator", choices=["st", "gs"], default="st")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(1)
    dtype = getattr(torch, a.dtype)
    train, test = load_digits(dtype)
    model = CategoricalVae().to(dtype)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    steps_per_epoch = math.ceil(len(train) / 100)
    rate = math.log(2) / ((a.epochs - 1) * steps_per_epoch) if a.epochs > 1 else 0
    started = time.perf_counter()
    for epoch in range(a.epochs):
        tau = max(0.5, math.exp(-rate * epoch * steps_per_epoch))
        total = 0.0
        for idx in torch.randperm(len(train)).split(100):
            x = train[idx]
            logits = model.encode(x)
            z = F.gumbel_softmax(logits, tau=tau, hard=a.estimator == "st")
            loss = (bce(model.decode(z), x) + kl_to_uniform(logits)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        if (epoch + 1) % 5 == 0 or epoch + 1 == a.epochs:
            print(f"epoch {epoch + 1:3d}  -ELBO {total / len(train):.2f}  tau {tau:.3f}")
    seconds = time.perf_counter() - started
    print(f"{a.estimator}: train -ELBO {neg_elbo(model, train):.2f}  test -ELBO {neg_elbo(model, test):.2f}  "
          f"test NLL {nll(model, test):.2f}  ({seconds:.1f} s, {seconds / a.epochs:.3f} s per epoch)")


if __name__ == "__main__":
    main()
