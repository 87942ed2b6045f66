"""Runs Braid's package-benchmark targets and reads their text output.

Shared by the Scripts/compare-*-pytorch.py scripts: `run_benchmarks` runs
`swift package benchmark` in Benchmarks/, `wall_clock_p50_ms` reads every benchmark's median
(p50) wall-clock time from the tables it prints, and `median_ms` times the PyTorch side.
"""
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
UNITS_MS = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}
TABLE_CHARACTERS = "╒╞├╘│"


def run_benchmarks(target: str, filters: list[str] | None = None) -> str:
    """Runs the benchmarks of `target` whose names wholly match one of the regular expressions in
    `filters` (all when none) and returns the printed output, times in μs."""
    command = ["swift", "package", "benchmark", "--target", target, "--no-progress", "--time-units", "microseconds"]
    for pattern in filters or []:
        command += ["--filter", pattern]
    result = subprocess.run(command, cwd=ROOT / "Benchmarks", capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise RuntimeError(f"{' '.join(command)} failed with status {result.returncode}")
    return result.stdout


def wall_clock_p50_ms(output: str) -> dict[str, float]:
    """Each benchmark's median wall-clock time in ms, by name, from package-benchmark's text output:
    every table follows a line holding the benchmark's name, and its "Time (wall clock) (unit)" row
    has the p50 in the column so headed."""
    medians: dict[str, float] = {}
    name = None
    p50_column = None
    for line in output.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[0] not in TABLE_CHARACTERS:
            if set(stripped) != {"="}:
                name = stripped
            continue
        cells = [c.strip() for c in stripped.split("│")[1:-1]]
        if cells and cells[0] == "Metric":
            p50_column = cells.index("p50")
        elif cells and cells[0].startswith("Time (wall clock)") and name is not None and p50_column is not None:
            unit = cells[0].split("(")[2].split(")")[0]
            medians[name] = float(cells[p50_column]) * UNITS_MS[unit]
    return medians


def swift_median_ms(target: str, name: str) -> float:
    """Runs one benchmark of `target` and returns its median wall-clock time in ms."""
    medians = wall_clock_p50_ms(run_benchmarks(target, [name]))
    if name not in medians:
        raise RuntimeError(f"no wall-clock row for {name!r} in the benchmark output")
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
