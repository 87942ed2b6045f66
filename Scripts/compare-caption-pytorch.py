#!/usr/bin/env python3
"""Compare one training step of caption-train's default captioner with PyTorch on this machine.

Runs Braid's TrainingBenchmarks "caption model train step b32" (Benchmarks/Benchmarks/
TrainingBenchmarks/CaptionTrainingStep.swift), then right after the same architecture in plain
torch.nn, eager, with 2 threads, and prints both median step times, samples/s and the ratio
Braid / PyTorch (below 1 = Braid faster). The weights are not Braid's (loading them is not
needed to time a step); the shapes and the order of the layers are:

- encoder, torchvision's ResNet layout: Conv2d(3, 32, 7, stride 2, padding 3, no bias),
  BatchNorm2d, ReLU, MaxPool2d(3, 2, 1), then two stages of one BasicBlock each, 32 and 64
  channels (the second with stride 2 and a 1x1 convolution + BatchNorm2d shortcut), on 3x64x64
  images: a [B, 64, 8, 8] feature map;
- memory: the 64 positions [B, 64, 64] -> LayerNorm(Linear(64, 128) + a learned [64, 128]
  position table), each scene's memory repeated for its 4 captions;
- decoder: token Embedding(42, 128) + position Embedding(24, 128), three
  nn.TransformerDecoderLayer(128, 4, 512, dropout=0, activation="gelu", batch_first=True,
  norm_first=True) with a causal target mask, LayerNorm(128), and the output projection tied to
  the token embeddings; the grounding head Linear(128, 4) on the first layer's output;
- the step: zero grad, forward of 23 input positions, F.cross_entropy(ignore_index=0,
  label_smoothing=0.1) + 3 x the grounding loss (F.mse_loss of head columns 0-1 at each
  caption's positions 2, 3, 6, 7 against its objects' centres, plus that of columns 2-3 at
  position 3 against the second object's), backward, clip_grad_norm_(1), AdamW(lr 2e-3, weight
  decay 0.01); 32 scenes, 128 captions, each <bos>, 12 words, <eos> and 10 paddings (caption k's
  word t is 4 + (13k + 7t) mod 38; its centres ((5k mod 11)/5 - 1, (3k mod 7)/3 - 1) and
  ((7k mod 13)/6 - 1, (2k mod 5)/2 - 1)).

PyTorch is a measuring tool only, never a dependency of Braid:
    python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0
    /opt/braid-venv/bin/python Scripts/compare-caption-pytorch.py [--skip-swift]
"""
import argparse
import pathlib
import sys

import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchmark_output import median_ms, print_training_step, swift_median_ms  # noqa: E402

BATCH, CAPTIONS_PER_SCENE = 32, 4
NAME = f"caption model train step b{BATCH}"
VOCABULARY, CONTEXT, WIDTH = 42, 24, 128


class BasicBlock(nn.Module):
    """torchvision's BasicBlock: two 3x3 convolutions with BatchNorm, a projection shortcut when
    the shape changes."""

    def __init__(self, inputs, width, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, width, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.downsample = None
        if stride != 1 or inputs != width:
            self.downsample = nn.Sequential(nn.Conv2d(inputs, width, 1, stride=stride, bias=False), nn.BatchNorm2d(width))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


class Captioner(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(3, 32, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d(3, stride=2, padding=1),
            BasicBlock(32, 32, 1), BasicBlock(32, 64, 2))
        self.memory_projection = nn.Linear(64, WIDTH)
        self.memory_positions = nn.Parameter(torch.randn(64, WIDTH) * 0.02)
        self.memory_norm = nn.LayerNorm(WIDTH)
        self.token_embedding = nn.Embedding(VOCABULARY, WIDTH)
        self.position_embedding = nn.Embedding(CONTEXT, WIDTH)
        for table in (self.token_embedding, self.position_embedding):
            nn.init.normal_(table.weight, std=0.02)
        layer = nn.TransformerDecoderLayer(WIDTH, 4, 512, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
        self.decoder = nn.TransformerDecoder(layer, 3, norm=nn.LayerNorm(WIDTH))
        self.grounding_head = nn.Linear(WIDTH, 4)

    def forward(self, images, ids):
        feature_map = self.encoder(images)  # [B, 64, 8, 8]
        sequence = feature_map.flatten(2).transpose(1, 2)  # [B, 64, 64]
        memory = self.memory_norm(self.memory_projection(sequence) + self.memory_positions)
        memory = memory.repeat_interleave(CAPTIONS_PER_SCENE, dim=0)  # [4B, 64, 128]
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.token_embedding(ids) + self.position_embedding(positions)
        mask = nn.Transformer.generate_square_subsequent_mask(ids.shape[1])
        grounded = None
        for layer in self.decoder.layers:  # nn.TransformerDecoder's loop, keeping layer 0's output
            x = layer(x, memory, tgt_mask=mask, tgt_is_causal=True)
            grounded = x if grounded is None else grounded
        hidden = self.decoder.norm(x)
        return hidden @ self.token_embedding.weight.T, grounded  # tied output projection


def captions():
    rows = [[1] + [4 + (13 * k + 7 * t) % 38 for t in range(12)] + [2] + [0] * (CONTEXT - 14)
            for k in range(BATCH * CAPTIONS_PER_SCENE)]
    return torch.tensor(rows)


def grounding_targets():
    """The rows of the flattened [128 x 23] first-layer states that are grounded, and their
    targets: (named rows, named centres, next rows, next centres)."""
    named_rows, named, next_rows, following = [], [], [], []
    steps = CONTEXT - 1
    for k in range(BATCH * CAPTIONS_PER_SCENE):
        first = ((5 * k) % 11 / 5 - 1, (3 * k) % 7 / 3 - 1)
        second = ((7 * k) % 13 / 6 - 1, (2 * k) % 5 / 2 - 1)
        for position, centre in ((2, first), (3, first), (6, second), (7, second)):
            named_rows.append(k * steps + position)
            named.append(centre)
        next_rows.append(k * steps + 3)
        following.append(second)
    return torch.tensor(named_rows), torch.tensor(named), torch.tensor(next_rows), torch.tensor(following)


def pytorch_step_ms(warmup=5, repeats=30):
    """Median ms of one training step of the captioner, after `warmup` steps."""
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = Captioner().train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    images = torch.rand(BATCH, 3, 64, 64)
    ids = captions()
    inputs, targets = ids[:, :-1], ids[:, 1:]
    named_rows, named, next_rows, following = grounding_targets()

    def step():
        optimizer.zero_grad()
        logits, grounded = model(images, inputs)
        loss = F.cross_entropy(logits.reshape(-1, VOCABULARY), targets.reshape(-1), ignore_index=0, label_smoothing=0.1)
        grounded = grounded.reshape(-1, WIDTH)
        grounding = (F.mse_loss(model.grounding_head(grounded[named_rows])[:, 0:2], named)
                     + F.mse_loss(model.grounding_head(grounded[next_rows])[:, 2:4], following))
        loss = loss + 3 * grounding
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    return median_ms(step, warmup=warmup, repeats=repeats)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-swift", action="store_true", help="time PyTorch only")
    args = parser.parse_args()
    ours = float("nan") if args.skip_swift else swift_median_ms("TrainingBenchmarks", NAME)
    reference = pytorch_step_ms()
    print_training_step(f"caption model train step (b{BATCH})", ours, reference, BATCH)


if __name__ == "__main__":
    sys.exit(main())
