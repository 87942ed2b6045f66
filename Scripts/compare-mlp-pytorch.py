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
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCHMARK = "MLP 784-1024-1024-10 train step b256"
UNITS_MS = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}


def swift_median_ms(target: str, name: str) -> float:
    """Runs one package-benchmark benchmark and returns its median wall-clock time in ms."""
    output = subprocess.run(
        ["swift", "package", "benchmark", "--target", target, "--filter", name],
        cwd=ROOT / "Benchmarks", capture_output=True, text=True, check=True).stdout
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == name)
    for line in lines[start:]:
        if line.startswith("│ Time (wall clock)"):
            unit = line.split("(")[2].split(")")[0]
            cells = [c.strip() for c in line.split("│")[1:-1]]
            return float(cells[3]) * UNITS_MS[unit]  # columns: metric, p0, p25, p50, ...
    raise RuntimeError(f"no wall-clock row for {name!r} in the benchmark output")


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

    for _ in range(5):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


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
