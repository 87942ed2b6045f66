"""Generate the CLIP reference fixtures used by Braid's CLIP tests.

Writes, under Tests/Fixtures/clip/:
  tiny/          a randomly initialised transformers CLIPModel with unusual shapes (text: vocab 97,
                 13 positions, width 40, 2 layers of 5 heads, MLP 72, end-of-text id 96; vision:
                 30×30 images in 6×6 patches, width 36, 2 layers of 4 heads, MLP 60; projections
                 to 24), saved by save_pretrained (config.json, model.safetensors)
  tiny-legacy/   the same family with end-of-text id 2, the value of the original OpenAI uploads,
                 for which transformers pools each text at its largest id (1 layer each side)
  outputs.safetensors
                 tiny.*: pixel values [4, 3, 30, 30], ids [4, 13] of ragged texts (end-of-text
                 then padding) and their attention mask (padding_mask = 1 - attention_mask); each
                 tower's last hidden state, the projected features (get_image_features,
                 get_text_features), the normalised image and text embeddings, logits_per_image, the contrastive loss
                 (return_loss=True) and the gradients of a few parameters; legacy.*: ids [3, 9]
                 whose largest id ends each text, with the text embeddings and logits_per_image
  tokenizer/     OpenAI CLIP's real byte-level BPE (49,408 tokens), rebuilt from the
                 bpe_simple_vocab_16e6.txt.gz that the open_clip_torch wheel ships (MIT licence,
                 copied beside it) in Hugging Face's layout: vocab.json and merges.txt (ids as
                 open_clip and openai/clip-vit-base-patch32 number them); and expected.json, what
                 transformers' CLIPTokenizer makes of tricky texts: tokens, ids with
                 <|startoftext|>/<|endoftext|>, the decoded text, and a batch padded and
                 truncated to 77

Run from the repository root:
  python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0 transformers safetensors
  /opt/braid-venv/bin/pip download open_clip_torch==3.3.0 --no-deps -d /tmp/open_clip
  /opt/braid-venv/bin/python Scripts/make-clip-fixtures.py
transformers and PyTorch are only tools for this script; Braid's tests read the committed files.
"""

import glob
import gzip
import json
import zipfile
from pathlib import Path

import torch
from safetensors.torch import save_file
from transformers import CLIPConfig, CLIPModel, CLIPTokenizer

OUT = Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "clip"
GRADIENTS = ["logit_scale", "text_projection.weight", "visual_projection.weight",
             "vision_model.embeddings.class_embedding", "vision_model.embeddings.patch_embedding.weight",
             "text_model.embeddings.token_embedding.weight", "text_model.encoder.layers.1.self_attn.q_proj.weight",
             "vision_model.encoder.layers.0.mlp.fc1.weight"]


def tiny_config(layers=2, eos=96, bos=95):
    text = dict(vocab_size=97, hidden_size=40, intermediate_size=72, num_hidden_layers=layers, num_attention_heads=5,
                max_position_embeddings=13, hidden_act="quick_gelu", eos_token_id=eos, bos_token_id=bos, pad_token_id=1,
                projection_dim=24)
    vision = dict(image_size=30, patch_size=6, num_channels=3, hidden_size=36, intermediate_size=60,
                  num_hidden_layers=layers, num_attention_heads=4, hidden_act="quick_gelu", projection_dim=24)
    config = CLIPConfig(text_config=text, vision_config=vision, projection_dim=24, logit_scale_init_value=2.6592)
    config._attn_implementation = "eager"
    config.text_config._attn_implementation = "eager"
    config.vision_config._attn_implementation = "eager"
    return config


def build(config, seed):
    torch.manual_seed(seed)
    model = CLIPModel(config).eval()
    with torch.no_grad():  # LayerNorms start at 1 and 0 and biases at 0; perturb them so that bugs show
        for name, p in model.named_parameters():
            if "norm" in name or name.endswith(".bias") or "class_embedding" in name:
                p.add_(torch.randn_like(p) * 0.1)
        model.logit_scale.fill_(2.1)
    return model


def ragged_ids(lengths, width, eos, pad, generator, low=3, high=95, bos=95):
    """Texts <bos> words <eos> of the given lengths (counting both), padded to width."""
    rows, mask = [], []
    for length in lengths:
        words = torch.randint(low, high, (length - 2,), generator=generator).tolist()
        rows.append([bos] + words + [eos] + [pad] * (width - length))
        mask.append([1] * length + [0] * (width - length))
    return torch.tensor(rows), torch.tensor(mask)


TEXTS = [
    "A photo of a cat.", "a  photo   of\ta\n\ndog", "  leading and trailing  ", "", "   ", "HELLO World, HeLLo!",
    "café, cafe\u0301, naïve, CAFÉ", "q\u0303 and e\u0300\u0301", "ΟΔΟΣ ΣΟΦΙΑΣ σοφός", "İstanbul STRASSE straße",
    "日本語のテキストと中文", "한국어 텍스트", "emoji 👍🏽 👨‍👩‍👧 🇫🇷!", "digits 12345 and 3.14159, 1,000,000",
    "I'M here, don't we'll they've she'd you're it's", "''quoted'' 'single' \"double\"", "!!!...???---***",
    "a <|endoftext|> b <|startoftext|>c", "<|ENDOFTEXT|> stays text", "the </w> marker", "non\u00a0breaking\u2028line\u200bzero",
    "tabs\t\tand\r\nwindows", "control\x00\x07chars", "hyphen-ated well-known e-mail@example.com https://x.org/a?b=c",
    "a photo of a " + "very " * 90 + "long text",
]


def clip_vocabulary(folder):
    """CLIP's vocabulary and merges in Hugging Face's layout, from open_clip's gzipped merges."""
    wheel = zipfile.ZipFile(glob.glob("/tmp/open_clip/open_clip_torch-*.whl")[0])
    lines = gzip.decompress(wheel.read("open_clip/bpe_simple_vocab_16e6.txt.gz")).decode("utf-8").split("\n")
    merges = lines[1:49152 - 256 - 2 + 1]
    # GPT-2's byte-to-character table, in open_clip's order (printable bytes first).
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    characters, extra = printable[:], 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            characters.append(256 + extra)
            extra += 1
    alphabet = [chr(c) for c in characters]
    tokens = alphabet + [c + "</w>" for c in alphabet] + ["".join(m.split()) for m in merges]
    tokens += ["<|startoftext|>", "<|endoftext|>"]
    assert len(tokens) == 49408 and len(set(tokens)) == 49408
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}, ensure_ascii=False), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")
    (folder / "LICENSE").write_bytes(wheel.read("open_clip_torch-3.3.0.dist-info/licenses/LICENSE"))


def tokenizer_expectations(folder):
    tokenizer = CLIPTokenizer(vocab=str(folder / "vocab.json"), merges=str(folder / "merges.txt"))
    cases = []
    for text in TEXTS:
        ids = tokenizer(text)["input_ids"]
        cases.append(dict(text=text, tokens=tokenizer.convert_ids_to_tokens(ids), ids=ids,
                          decoded=tokenizer.decode(ids, skip_special_tokens=True),
                          decoded_with_special=tokenizer.decode(ids)))
    batch = tokenizer(TEXTS[:4] + TEXTS[-1:], padding="max_length", max_length=77, truncation=True)
    expected = dict(cases=cases, batch=dict(texts=TEXTS[:4] + TEXTS[-1:], ids=batch["input_ids"],
                                            attention_mask=batch["attention_mask"]),
                    special=dict(bos=tokenizer.bos_token_id, eos=tokenizer.eos_token_id, pad=tokenizer.pad_token_id))
    (folder / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    clip_vocabulary(OUT / "tokenizer")
    tokenizer_expectations(OUT / "tokenizer")
    g = torch.Generator().manual_seed(3)
    tensors = {}

    model = build(tiny_config(), seed=0)
    model.save_pretrained(OUT / "tiny", safe_serialization=True)
    pixels = torch.randn(4, 3, 30, 30, generator=g)
    ids, mask = ragged_ids([13, 5, 9, 2], 13, eos=96, pad=1, generator=g)
    out = model(input_ids=ids, attention_mask=mask, pixel_values=pixels, return_loss=True)
    out.loss.backward()
    parameters = dict(model.named_parameters())
    tensors.update({
        "tiny.pixel_values": pixels, "tiny.ids": ids, "tiny.padding_mask": (1 - mask).float(),
        "tiny.vision_last_hidden_state": out.vision_model_output.last_hidden_state,
        # transformers 5's get_image_features/get_text_features put the projection in pooler_output
        "tiny.image_features": out.vision_model_output.pooler_output,
        "tiny.text_last_hidden_state": out.text_model_output.last_hidden_state,
        "tiny.text_features": out.text_model_output.pooler_output,
        "tiny.image_embeds": out.image_embeds, "tiny.text_embeds": out.text_embeds,
        "tiny.logits_per_image": out.logits_per_image, "tiny.loss": out.loss.reshape(1),
    })
    for name in GRADIENTS:
        tensors["tiny.grad." + name] = parameters[name].grad.reshape(parameters[name].shape)

    legacy = build(tiny_config(layers=1, eos=2, bos=0), seed=1)
    legacy.save_pretrained(OUT / "tiny-legacy", safe_serialization=True)
    legacy_ids, legacy_mask = ragged_ids([9, 4, 6], 9, eos=96, pad=1, generator=g, low=3, high=90, bos=0)
    with torch.no_grad():
        out = legacy(input_ids=legacy_ids, attention_mask=legacy_mask, pixel_values=pixels)
    tensors.update({
        "legacy.ids": legacy_ids, "legacy.padding_mask": (1 - legacy_mask).float(),
        "legacy.text_embeds": out.text_embeds, "legacy.logits_per_image": out.logits_per_image,
    })
    save_file({k: v.detach().float().contiguous() for k, v in tensors.items()}, str(OUT / "outputs.safetensors"))


if __name__ == "__main__":
    main()
