"""Runs Braid's package-benchmark targets and reads the results they export.

Shared by the Scripts/compare-*-pytorch.py scripts: `run_benchmarks` runs
`swift package benchmark --format influx` in Benchmarks/ and returns the CSV file that
package-benchmark writes, `wall_clock_p50_ms` reads every benchmark's median (p50) wall-clock time
from it, `median_ms` times the PyTorch side, and `print_training_step` prints a training-step
comparison.

The influx export is one CSV file per run, one row per benchmark, metric and percentile
(p0, p25, p50, p75, p90, p99, p100) holding package-benchmark's own percentiles, the numbers its
tables print. Time values are raw nanoseconds: the `unit` column names the unit the tables would
show them in, not the unit of `value`. Of the other formats, jsonSmallerIsBetter has the p99 only,
jmh needs the built-in `.throughput` metric (ours is a custom one), and histogramEncoded and
histogramPercentiles write a file per benchmark and metric whose name has the benchmark's spaces
turned into underscores, with no name inside; histogramEncoded's p50 would also have to be
recomputed from the HDR histogram's internals.
"""
import csv
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
WALL_CLOCK = "Time(wallclock)"  # the metric's description with its spaces removed, as exported
NS_PER_MS = 1e6


def run_benchmarks(target: str, filters: list[str] | None = None) -> str:
    """Runs the benchmarks of `target` whose names wholly match one of the regular expressions in
    `filters` (all when none) and returns the influx CSV that package-benchmark exports."""
    with tempfile.TemporaryDirectory(prefix="braid-benchmarks-") as folder:
        command = ["swift", "package", "--allow-writing-to-directory", folder, "benchmark",
                   "--target", target, "--no-progress", "--format", "influx", "--path", folder]
        for pattern in filters or []:
            command += ["--filter", pattern]
        result = subprocess.run(command, cwd=ROOT / "Benchmarks", capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            raise RuntimeError(f"{' '.join(command)} failed with status {result.returncode}")
        exports = list(pathlib.Path(folder).glob("*.influx.csv"))
        if len(exports) != 1:
            sys.stderr.write(result.stdout + result.stderr)
            raise RuntimeError(f"expected one *.influx.csv in {folder}, found {len(exports)}")
        return exports[0].read_text(encoding="utf-8")


def wall_clock_p50_ms(export: str) -> dict[str, float]:
    """Each benchmark's median wall-clock time in ms, by name, from package-benchmark's influx CSV
    export: the `value` of its row with metric "Time(wallclock)" and percentile 50, in ns."""
    rows = csv.DictReader(line for line in export.splitlines() if line and not line.startswith("#"))
    return {row["test"]: float(row["value"]) / NS_PER_MS
            for row in rows if row["metric"] == WALL_CLOCK and float(row["percentile"]) == 50.0}


def swift_median_ms(target: str, name: str) -> float:
    """Runs one benchmark of `target` and returns its median wall-clock time in ms."""
    medians = wall_clock_p50_ms(run_benchmarks(target, [name]))
    if name not in medians:
        raise RuntimeError(f"no wall-clock p50 for {name!r} in the benchmark export")
    return medians[name]


def median_ms(step, warmup: int = 1, repeats: int = 7) -> float:
    """The median wall-clock time of `step()` in ms over `repeats` calls, after `warmup` calls."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def print_training_step(workload: str, braid_ms: float, pytorch_ms: float, samples: int) -> None:
    """Prints a training step's median times in Braid and PyTorch, their ratio (below 1 = Braid
    faster) and both throughputs in samples/s, as the training comparisons report them."""
    print(f"{'workload':34} {'Braid ms':>10} {'PyTorch ms':>11} {'Braid/PyTorch':>14}")
    print(f"{workload:34} {braid_ms:10.2f} {pytorch_ms:11.2f} {braid_ms / pytorch_ms:14.3f}")
    print(f"{'  samples/s':34} {samples / braid_ms * 1000:10.1f} {samples / pytorch_ms * 1000:11.1f}")
