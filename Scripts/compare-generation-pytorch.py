#!/usr/bin/env python3
"""Compare Braid's GPT-2 decoding with transformers' generate on this machine.

Runs Braid's GenerationBenchmarks (GPT-2 small, 124M parameters, random weights: greedy decoding of
32 new tokens after 8-token prompts, with the key/value cache, at batch 1 and 8; and a streaming
read of a 1 GB buffer by every core), then right after the same decoding with transformers'
GPT2LMHeadModel.generate in PyTorch eager (use_cache=True, 2 threads). Prints tokens/s for both,
the ratio Braid / transformers (above 1 = Braid faster), and the memory-bandwidth bound: each
decoding step reads every weight once, so tokens/s <= batch x bandwidth / bytes of weights, and
Braid's share of that bound.

PyTorch and transformers are measuring tools only, never dependencies of Braid:
    python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0
    /opt/braid-venv/bin/pip install transformers
    /opt/braid-venv/bin/python Scripts/compare-generation-pytorch.py [--skip-swift]
"""
import argparse
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from benchmark_output import median_ms, run_benchmarks, wall_clock_p50_ms  # noqa: E402

NEW_TOKENS = 32
BANDWIDTH = "streaming read 1 GB"
BANDWIDTH_BYTES = 1024 * 1_000_000


def decode_name(batch):
    return f"GPT-2 124M greedy decode b{batch}"


def prompts(batch):
    """The prompts of GenerationBenchmarks.swift: prompt b is tokens 100 b + 1 ... 100 b + 8."""
    return torch.tensor([[100 * b + i for i in range(1, 9)] for b in range(batch)])


def weight_bytes(config):
    """Bytes of weights read per decoding step, as GenerationBenchmarks counts them: every
    parameter once (the token table as the tied output projection) but the position table."""
    e, v, f, layers = config.n_embd, config.vocab_size, 4 * config.n_embd, config.n_layer
    block = 4 * e + (e * 3 * e + 3 * e) + (e * e + e) + (e * f + f) + (f * e + e)
    return 4 * (v * e + layers * block + 2 * e)


def transformers_rates():
    from transformers import GPT2Config, GPT2LMHeadModel
    torch.set_num_threads(2)
    torch.manual_seed(0)
    config = GPT2Config()
    model = GPT2LMHeadModel(config).eval()
    rates = {}
    with torch.no_grad():
        for batch in (1, 8):
            ids = prompts(batch)
            run = lambda: model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=NEW_TOKENS,
                                         min_new_tokens=NEW_TOKENS, do_sample=False, use_cache=True,
                                         pad_token_id=config.eos_token_id)
            rates[batch] = batch * NEW_TOKENS / (median_ms(run, repeats=5) / 1000)
    return rates, weight_bytes(config)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-swift", action="store_true", help="time transformers only")
    args = parser.parse_args()
    braid = {} if args.skip_swift else wall_clock_p50_ms(run_benchmarks("GenerationBenchmarks"))
    reference, bytes_per_step = transformers_rates()
    bandwidth = BANDWIDTH_BYTES / (braid[BANDWIDTH] / 1000) if BANDWIDTH in braid else float("nan")
    print(f"streaming read: {bandwidth / 1e9:.1f} GB/s; weights read per decoding step: {bytes_per_step / 1e6:.0f} MB")
    print(f"{'workload':28} {'Braid':>9} {'transformers':>13} {'Braid/HF':>9} {'bound':>9} {'Braid/bound':>12}")
    for batch in (1, 8):
        name = decode_name(batch)
        ours = batch * NEW_TOKENS / (braid[name] / 1000) if name in braid else float("nan")
        bound = batch * bandwidth / bytes_per_step
        print(f"{'GPT-2 124M tokens/s b' + str(batch):28} {ours:9.1f} {reference[batch]:13.1f} "
              f"{ours / reference[batch]:9.3f} {bound:9.1f} {ours / bound:12.3f}")


if __name__ == "__main__":
    sys.exit(main())
