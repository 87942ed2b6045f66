#!/usr/bin/env python3
"""Compare one MLP training step in Braid and in PyTorch on this machine.

Runs Braid's benchmark "MLP 784-1024-1024-10 train step b256" (forward, cross-entropy, backward and
an Adam update of an MLP 784-1024-1024-10 with ReLU at batch 256), then times the same step in
PyTorch eager mode with 2 threads, and prints both medians and their ratio (Braid / PyTorch; below
1 means Braid is faster).

PyTorch is only a measuring tool here, never a dependency of Braid:
    python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0
    /opt/braid-venv/bin/python Scripts/compare-mlp-pytorch.py [--skip-swift]
"""
import argparse
import sys

from benchmark_output import median_ms, swift_median_ms

BENCHMARK = "MLP 784-1024-1024-10 train step b256"


def pytorch_median_ms(batch: int = 256, steps: int = 50) -> float:
    import torch
    torch.manual_seed(0)
    torch.set_num_threads(2)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 1024), torch.nn.ReLU(),
        torch.nn.Linear(1024, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, 784)
    y = torch.arange(batch) % 10

    def step():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()

    return median_ms(step, warmup=5, repeats=steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-swift", action="store_true", help="time PyTorch only")
    args = parser.parse_args()
    swift = None if args.skip_swift else swift_median_ms("FoundationBenchmarks", BENCHMARK)
    torch_ms = pytorch_median_ms()
    print(f"PyTorch eager, 2 threads: {torch_ms:.2f} ms")
    if swift is not None:
        print(f"Braid:                    {swift:.2f} ms")
        print(f"ratio Braid / PyTorch:    {swift / torch_ms:.3f}")


if __name__ == "__main__":
    sys.exit(main())
