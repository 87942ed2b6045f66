#!/usr/bin/env python3
"""Compare scaled dot-product attention in Braid and in PyTorch on this machine.

Runs Braid's AttentionBenchmarks target (the fused kernel, forward and forward+backward, at B=4,
H=8, D=64 for N = 128 … 4096 and at D=128 for N=1024, and the raw 1024³ sgemm), then right after
times the same shapes with `torch.nn.functional.scaled_dot_product_attention` in PyTorch eager mode
with 2 threads in float32: forward under `torch.no_grad()`, forward+backward on inputs that require
gradients with a fixed upstream gradient, the median of several runs after warm-up. It prints one
table of medians, GFLOP/s (forward 4·B·H·N²·D flops, forward+backward 3.5 times that) and the
ratio Braid / PyTorch (below 1 means Braid is faster), and the sgemm roofline of the Swift run.

PyTorch is only a measuring tool here, never a dependency of Braid:
    python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0
    /opt/braid-venv/bin/python Scripts/compare-attention-pytorch.py [--skip-swift] [--filter REGEX]
"""
import argparse
import sys
import time

from benchmark_output import median_ms, run_benchmarks, wall_clock_p50_ms

BATCH, HEADS = 4, 8
SHAPES = [(128, 64), (512, 64), (1024, 64), (2048, 64), (4096, 64), (1024, 128)]  # (N, D)
PASSES = ["fwd", "fwd+bwd"]
SGEMM = "sgemm raw 1024³"
# The fused benchmarks and the roofline; the naive kernel's take minutes and are not compared.
DEFAULT_FILTER = "attention fused .*|sgemm raw .*"


def flops(length: int, depth: int, pass_: str) -> float:
    forward = 4 * BATCH * HEADS * length * length * depth
    return forward if pass_ == "fwd" else 3.5 * forward


def braid_name(length: int, depth: int, pass_: str) -> str:
    return f"attention fused {pass_} N{length} D{depth}"


def budgeted_median_ms(step, budget_s: float = 3.0, max_runs: int = 50) -> float:
    """Times `step` after warm-up: as many runs as fit in about `budget_s`, at least 3."""
    start = time.perf_counter()
    step()
    first = time.perf_counter() - start
    runs = max(3, min(max_runs, int(budget_s / max(first, 1e-6))))
    return median_ms(step, warmup=1 if first < 1.0 else 0, repeats=runs)


def pytorch_medians_ms() -> tuple[dict[tuple[int, int, str], float], float]:
    """PyTorch's median per (N, D, pass), and its 1024³ matrix product in GFLOP/s."""
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    torch.set_num_threads(2)
    medians = {}
    for length, depth in SHAPES:
        shape = (BATCH, HEADS, length, depth)
        q, k, v, upstream = (torch.randn(shape, dtype=torch.float32) for _ in range(4))

        def forward():
            with torch.no_grad():
                F.scaled_dot_product_attention(q, k, v)

        medians[(length, depth, "fwd")] = budgeted_median_ms(forward)
        qg, kg, vg = (t.clone().requires_grad_(True) for t in (q, k, v))

        def forward_backward():
            qg.grad = kg.grad = vg.grad = None
            F.scaled_dot_product_attention(qg, kg, vg).backward(upstream)

        medians[(length, depth, "fwd+bwd")] = budgeted_median_ms(forward_backward)
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    mm_ms = budgeted_median_ms(lambda: torch.mm(a, b))
    return medians, 2 * 1024**3 / mm_ms / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-swift", action="store_true", help="time PyTorch only")
    parser.add_argument(
        "--filter", metavar="REGEX", default=DEFAULT_FILTER,
        help=f"benchmarks of the Swift run, matched whole (default: {DEFAULT_FILTER!r})")
    args = parser.parse_args()
    swift = {} if args.skip_swift else wall_clock_p50_ms(run_benchmarks("AttentionBenchmarks", [args.filter]))
    torch_ms, torch_mm_gflops = pytorch_medians_ms()

    def cell(value, width, digits):
        return f"{value:>{width}.{digits}f}" if value is not None else f"{'—':>{width}}"

    header = (f"{'shape [B,H,N,D]':<18} {'pass':<8} {'Braid ms':>10} {'GFLOP/s':>8} "
              f"{'PyTorch ms':>11} {'GFLOP/s':>8} {'Braid/PyTorch':>14}")
    print(header)
    print("-" * len(header))
    for length, depth in SHAPES:
        for pass_ in PASSES:
            work = flops(length, depth, pass_)
            braid = swift.get(braid_name(length, depth, pass_))
            torch_value = torch_ms[(length, depth, pass_)]
            print(f"{f'[{BATCH},{HEADS},{length},{depth}]':<18} {pass_:<8} "
                  f"{cell(braid, 10, 2)} {cell(braid and work / braid / 1e6, 8, 1)} "
                  f"{cell(torch_value, 11, 2)} {cell(work / torch_value / 1e6, 8, 1)} "
                  f"{cell(braid and braid / torch_value, 14, 3)}")
    print()
    if SGEMM in swift:
        print(f"Roofline, Braid raw sgemm 1024³ (OpenBLAS): {2 * 1024**3 / swift[SGEMM] / 1e6:.1f} GFLOP/s "
              f"({swift[SGEMM]:.2f} ms)")
    print(f"PyTorch torch.mm 1024³, 2 threads:          {torch_mm_gflops:.1f} GFLOP/s")
    print("Braid: p50 wall clock of `swift package benchmark`; PyTorch: median after warm-up; ratio < 1: Braid faster.")


if __name__ == "__main__":
    sys.exit(main())
