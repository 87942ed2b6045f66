#!/usr/bin/env python3
"""Compare CLIP ViT-B/32 embedding throughput with transformers (PyTorch) and ONNX Runtime.

Runs Braid's EncoderBenchmarks "CLIP ViT-B/32 image embeddings b32" and "... text embeddings b32"
(Benchmarks/Benchmarks/EncoderBenchmarks/CLIPEmbedding.swift), then right after the same work in
transformers' CLIPModel (random weights, eval, torch.no_grad, 2 threads) and in ONNX Runtime
(the two towers exported with torch.onnx, fp32, 2 intra-op threads, all graph optimisations):
get_image_features of 32 images 3x224x224 uniform in [-1, 1], and get_text_features of 32 texts of
16 tokens (49406, 14 ids, 49407; text k's id t is 1000 + (37k + 11t) mod 40000), no padding.
Prints images/s and texts/s of each and Braid's ratio to each (above 1 = Braid faster).

PyTorch and ONNX Runtime are measuring tools only, never dependencies of Braid:
    python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0
    /opt/braid-venv/bin/pip install transformers onnx onnxscript onnxruntime
    /opt/braid-venv/bin/python Scripts/compare-clip-pytorch.py [--skip-swift]
"""
import argparse
import pathlib
import sys
import tempfile

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchmark_output import median_ms, run_benchmarks, wall_clock_p50_ms  # noqa: E402

BATCH, TEXT_LENGTH = 32, 16
IMAGE_NAME, TEXT_NAME = f"CLIP ViT-B/32 image embeddings b{BATCH}", f"CLIP ViT-B/32 text embeddings b{BATCH}"


def inputs():
    generator = torch.Generator().manual_seed(0)
    images = torch.rand(BATCH, 3, 224, 224, generator=generator) * 2 - 1
    ids = [[49406] + [1000 + (37 * k + 11 * t) % 40000 for t in range(1, TEXT_LENGTH - 1)] + [49407] for k in range(BATCH)]
    return images, torch.tensor(ids)


class Tower(torch.nn.Module):
    """One tower's projected pooled output: get_image_features or get_text_features."""

    def __init__(self, encoder, projection):
        super().__init__()
        self.encoder, self.projection = encoder, projection

    def forward(self, x):
        return self.projection(self.encoder(x).pooler_output)


def rates(repeats=5):
    """Images/s and texts/s of transformers and of ONNX Runtime."""
    import onnxruntime
    from transformers import CLIPConfig, CLIPModel

    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = CLIPModel(CLIPConfig()).eval()
    images, ids = inputs()
    towers = {"image": (Tower(model.vision_model, model.visual_projection).eval(), images),
              "text": (Tower(model.text_model, model.text_projection).eval(), ids)}
    result = {}
    with torch.no_grad():
        for name, (tower, example) in towers.items():
            result[("PyTorch", name)] = BATCH / median_ms(lambda: tower(example), warmup=1, repeats=repeats) * 1000
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = 2, 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    with tempfile.TemporaryDirectory(prefix="braid-clip-onnx-") as folder:
        for name, (tower, example) in towers.items():
            path = str(pathlib.Path(folder) / f"{name}.onnx")
            torch.onnx.export(tower, (example,), path, input_names=["x"], output_names=["y"], dynamo=True)
            session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
            feed = {"x": example.numpy()}
            result[("ONNX Runtime", name)] = BATCH / median_ms(lambda: session.run(None, feed), warmup=1, repeats=repeats) * 1000
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-swift", action="store_true", help="time PyTorch and ONNX Runtime only")
    args = parser.parse_args()
    braid = {}
    if not args.skip_swift:
        medians = wall_clock_p50_ms(run_benchmarks("EncoderBenchmarks", [IMAGE_NAME, TEXT_NAME]))
        braid = {"image": BATCH / medians[IMAGE_NAME] * 1000, "text": BATCH / medians[TEXT_NAME] * 1000}
    reference = rates()
    print(f"{'workload (per second)':32} {'Braid':>8} {'PyTorch':>8} {'ORT':>8} {'Braid/PyTorch':>14} {'Braid/ORT':>10}")
    for name, unit in (("image", "images"), ("text", "texts")):
        ours = braid.get(name, float("nan"))
        torch_rate, ort_rate = reference[("PyTorch", name)], reference[("ONNX Runtime", name)]
        print(f"{'CLIP ViT-B/32 ' + unit + ', b32':32} {ours:8.1f} {torch_rate:8.1f} {ort_rate:8.1f} "
              f"{ours / torch_rate:14.3f} {ours / ort_rate:10.3f}")


if __name__ == "__main__":
    sys.exit(main())
