#!/usr/bin/env python3
"""Compare one training step of Braid's fusion classifier with PyTorch on this machine.

Runs Braid's TrainingBenchmarks ("fusion train step b64": zero grad, forward, cross-entropy,
backward and Adam step of a text-image early-fusion classifier at batch 64), then right after the
identical model in PyTorch eager with 2 threads: a 2-layer BERT-style text encoder (token, position
and token-type embeddings with LayerNorm, then nn.TransformerEncoderLayer(d_model=128, nhead=4,
dim_feedforward=512, activation="gelu", batch_first=True, dropout=0.1) twice, post-norm, [CLS]
pooled) over 32 random tokens; three bias-free 3x3 convolutions 1->32->64->128 (strides 1, 2, 2)
each with BatchNorm2d and ReLU, then global average pooling, on 1x32x32 images; concatenation ->
Linear 512 -> ReLU -> Linear 2; Adam lr 1e-3; random 0/1 labels. Also "resnet18 train step
224x224 b16": the fixtures' torchvision-layout resnet18 in training mode, SGD (momentum 0.9, lr
0.01), cross-entropy over 1000 classes on 16 random images of 3x224x224. Prints the median step
times in ms and the ratio Braid / PyTorch (below 1 = Braid faster).

PyTorch is a measuring tool only, never a dependency of Braid:
    python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0
    /opt/braid-venv/bin/python Scripts/compare-training-pytorch.py [--skip-swift]
"""
import argparse
import pathlib
import sys

import torch
from torch import nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchmark_output import median_ms, print_training_step, run_benchmarks, wall_clock_p50_ms  # noqa: E402

NAME = "fusion train step b64"
RESNET, RESNET_BATCH = "resnet18 train step 224x224 b16", 16
BATCH, LENGTH, VOCABULARY, WIDTH = 64, 32, 30522, 128


class TextEncoder(nn.Module):
    """BERT-style: summed embeddings, LayerNorm, dropout, two post-norm layers; [CLS] features."""

    def __init__(self):
        super().__init__()
        self.word = nn.Embedding(VOCABULARY, WIDTH)
        self.position = nn.Embedding(64, WIDTH)
        self.token_type = nn.Embedding(2, WIDTH)
        for table in (self.word, self.position, self.token_type):
            nn.init.normal_(table.weight, std=0.02)
        self.norm = nn.LayerNorm(WIDTH, eps=1e-12)
        self.dropout = nn.Dropout(0.1)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model=WIDTH, nhead=4, dim_feedforward=512, activation="gelu",
                                       batch_first=True, dropout=0.1, layer_norm_eps=1e-12)
            for _ in range(2))

    def forward(self, ids, mask):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.dropout(self.norm(self.word(ids) + self.position(positions) + self.token_type(torch.zeros_like(ids))))
        padding = mask == 0
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=padding)
        return x[:, 0]


def image_encoder():
    layers = []
    for inputs, outputs, stride in ((1, 32, 1), (32, 64, 2), (64, 128, 2)):
        layers += [nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(outputs), nn.ReLU()]
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())


def pytorch_step_ms(warmup=5, repeats=30):
    """Median ms of one training step of the fusion classifier, after `warmup` steps."""
    torch.set_num_threads(2)
    torch.manual_seed(0)
    text, image = TextEncoder(), image_encoder()
    head = nn.Sequential(nn.Linear(2 * WIDTH, 512), nn.ReLU(), nn.Linear(512, 2))
    modules = nn.ModuleList([text, image, head]).train()
    optimizer = torch.optim.Adam(modules.parameters(), lr=1e-3)
    ids = torch.randint(0, VOCABULARY, (BATCH, LENGTH))
    mask = torch.ones(BATCH, LENGTH, dtype=torch.long)
    images = torch.randn(BATCH, 1, 32, 32)
    labels = torch.randint(0, 2, (BATCH,))

    def step():
        optimizer.zero_grad()
        # EarlyFusion concatenates in sorted modality order: image, then text.
        fused = torch.cat([image(images), text(ids, mask)], dim=1)
        loss = nn.functional.cross_entropy(head(fused), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    return median_ms(step, warmup=warmup, repeats=repeats)


def resnet_step_ms(warmup=2, repeats=7):
    """Median ms of one SGD step of resnet18 in training mode at batch 16, after `warmup` steps."""
    import importlib.util
    torch.set_num_threads(2)
    torch.manual_seed(0)
    spec = importlib.util.spec_from_file_location("fixtures", pathlib.Path(__file__).resolve().parent / "make-fixtures.py")
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    model = fixtures.ResNet18().train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    images = torch.randn(RESNET_BATCH, 3, 224, 224)
    labels = torch.randint(0, 1000, (RESNET_BATCH,))

    def step():
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    return median_ms(step, warmup=warmup, repeats=repeats)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-swift", action="store_true", help="time PyTorch only")
    args = parser.parse_args()
    braid = {} if args.skip_swift else wall_clock_p50_ms(run_benchmarks("TrainingBenchmarks"))
    reference = pytorch_step_ms()
    print_training_step("fusion train step (b64)", braid.get(NAME, float("nan")), reference, BATCH)
    print_training_step("resnet18 train step (224, b16)", braid.get(RESNET, float("nan")), resnet_step_ms(), RESNET_BATCH)


if __name__ == "__main__":
    sys.exit(main())
