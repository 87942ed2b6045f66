"""Generate the GPT-2 reference fixtures used by Braid's language-model and generation tests.

Writes, under Tests/Fixtures/gpt2/:
  tiny/          a randomly initialised transformers GPT2LMHeadModel with unusual shapes
                 (vocab 331, 96 positions, width 48, 3 blocks of 6 heads, n_inner 80), saved by
                 save_pretrained (config.json, model.safetensors with the tied lm_head left out),
                 and a byte-level BPE of the same 331 ids trained by tokenizers (vocab.json,
                 merges.txt; <|endoftext|> is id 0), so that the folder is a whole GPT-2 checkpoint
  tiny-cross/    the same family with add_cross_attention=True (2 blocks, untied lm_head,
                 scale_attn_by_inverse_layer_idx)
  logits.safetensors
                 plain.ids [2, 11] and plain.logits; padded.*: a left-padded batch with its
                 attention mask (padding_mask = 1 - attention_mask), the position ids that
                 generate derives from it, and the logits; cross.*: tiny-cross on ids, encoder
                 states [2, 5, 48] and an encoder padding mask
  generation.json
                 transformers' generate outputs on tiny: greedy (32 new tokens, one prompt and a
                 left-padded batch of two) and beam search (4 beams, several length penalties
                 and early_stopping settings, with an end-of-text id that the model does emit)

Run from the repository root:
  python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0 transformers safetensors
  /opt/braid-venv/bin/python Scripts/make-gpt2-fixtures.py
transformers and PyTorch are only tools for this script; Braid's tests read the committed files.
"""

import json
from pathlib import Path

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import GPT2Config, GPT2LMHeadModel

OUT = Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "gpt2"


def tiny_config(**changes):
    options = dict(vocab_size=331, n_positions=96, n_embd=48, n_layer=3, n_head=6, n_inner=80,
                   activation_function="gelu_new", initializer_range=0.25, bos_token_id=0, eos_token_id=0, pad_token_id=None)
    options.update(changes)
    config = GPT2Config(**options)
    config._attn_implementation = "eager"
    return config


def build(config, seed):
    torch.manual_seed(seed)
    model = GPT2LMHeadModel(config).eval()
    with torch.no_grad():  # LayerNorms start at 1 and 0 and biases at 0; perturb them so that bugs show
        for name, p in model.named_parameters():
            if "ln" in name or name.endswith(".bias"):
                p.add_(torch.randn_like(p) * 0.1)
    return model


def save_tokenizer(folder, vocab_size):
    """A byte-level BPE of vocab_size ids (<|endoftext|> first) trained on a few sentences."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    text = ["Images and text, fused: a small red circle left of a blue square.",
            "The quick brown fox jumps over the lazy dog while the cat sleeps."] * 20
    tokenizer.train_from_iterator(text, trainer=trainer)
    assert tokenizer.get_vocab_size() == vocab_size and tokenizer.token_to_id("<|endoftext|>") == 0
    tokenizer.model.save(str(folder))


def left_padded(prompts, pad):
    length = max(len(p) for p in prompts)
    ids = torch.tensor([[pad] * (length - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (length - len(p)) + [1] * len(p) for p in prompts])
    return ids, mask


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    tensors = {}
    model = build(tiny_config(), seed=0)
    model.save_pretrained(OUT / "tiny", safe_serialization=True)
    save_tokenizer(OUT / "tiny", 331)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        ids = torch.randint(0, 331, (2, 11), generator=g)
        tensors["plain.ids"] = ids
        tensors["plain.logits"] = model(ids).logits

        padded_ids, mask = left_padded([[5, 17, 200, 3, 99, 42, 7], [250, 11, 8]], pad=0)
        positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
        tensors["padded.ids"] = padded_ids
        tensors["padded.padding_mask"] = (1 - mask).float()
        tensors["padded.positions"] = positions
        tensors["padded.logits"] = model(padded_ids, attention_mask=mask, position_ids=positions).logits

        cross = build(tiny_config(n_layer=2, add_cross_attention=True, tie_word_embeddings=False,
                                  scale_attn_by_inverse_layer_idx=True), seed=2)
        cross.save_pretrained(OUT / "tiny-cross", safe_serialization=True)
        cross_ids = torch.randint(0, 331, (2, 6), generator=g)
        states = torch.randn(2, 5, 48, generator=g)
        encoder_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
        tensors["cross.ids"] = cross_ids
        tensors["cross.encoder_states"] = states
        tensors["cross.encoder_padding_mask"] = (1 - encoder_mask).float()
        tensors["cross.logits"] = cross(cross_ids, encoder_hidden_states=states,
                                        encoder_attention_mask=encoder_mask).logits
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(OUT / "logits.safetensors"))

    generation = {}
    prompt = [5, 17, 200, 3]
    new = lambda out, prompt_length: out[:, prompt_length:].tolist()
    with torch.no_grad():
        plain = dict(do_sample=False, pad_token_id=0, eos_token_id=None)
        greedy = model.generate(torch.tensor([prompt]), max_new_tokens=32, **plain)
        generation["greedy"] = dict(prompt=prompt, max_new_tokens=32, tokens=new(greedy, len(prompt)))
        # An end-of-text id the model first emits a few steps in, so that stopping is exercised.
        generated = greedy[0, len(prompt):].tolist()
        eos = next(t for i, t in enumerate(generated) if i >= 4 and t not in generated[:i])
        generation["eos"] = eos
        batch_prompts = [[5, 17, 200, 3, 99, 42, 7], [250, 11, 8]]
        ids, mask = left_padded(batch_prompts, pad=0)
        batch = model.generate(ids, attention_mask=mask, max_new_tokens=20, **plain)
        generation["greedy_batch"] = dict(prompts=batch_prompts, max_new_tokens=20, tokens=new(batch, ids.shape[1]))
        stopping = dict(do_sample=False, pad_token_id=0, eos_token_id=eos)
        batch_eos = model.generate(ids, attention_mask=mask, max_new_tokens=20, **stopping)
        generation["greedy_batch_eos"] = dict(prompts=batch_prompts, max_new_tokens=20, tokens=new(batch_eos, ids.shape[1]))
        # End-of-text ids for beam search: the first and the last new token of the best beam when
        # nothing stops it, so that some beams finish at once and some late.
        free = model.generate(torch.tensor([prompt]), max_new_tokens=12, num_beams=4, **plain)[0, len(prompt):].tolist()
        beam_eos = sorted({free[0], [t for i, t in enumerate(free) if t not in free[:i]][-1]})
        beams = []
        for eos_id in beam_eos:
            for length_penalty in (1.0, 0.0, 2.0, -0.5):
                for early_stopping in (True, False, "never"):
                    out = model.generate(torch.tensor([prompt]), max_new_tokens=12, num_beams=4, num_return_sequences=4,
                                         length_penalty=length_penalty, early_stopping=early_stopping,
                                         output_scores=True, return_dict_in_generate=True, do_sample=False,
                                         pad_token_id=0, eos_token_id=eos_id)
                    beams.append(dict(prompt=prompt, max_new_tokens=12, beams=4, eos=eos_id,
                                      length_penalty=length_penalty, early_stopping=early_stopping,
                                      tokens=new(out.sequences, len(prompt)), scores=out.sequences_scores.tolist()))
        generation["beam"] = beams
    (OUT / "generation.json").write_text(json.dumps(generation, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
