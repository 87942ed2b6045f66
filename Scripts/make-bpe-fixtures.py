"""Generate the reference fixtures and the Unicode table of Braid's byte-level BPE tokenizer.

Trains a small byte-level BPE (GPT-2's scheme) with the Rust `tokenizers` library on a
deterministic corpus that this script generates (English, accented words composed and
decomposed, CJK and Hangul, emoji with ZWJ sequences and flags, digits, contractions,
punctuation, runs of spaces, tabs and newlines), and writes into Tests/Fixtures/bpe/:
  vocab.json               token -> id, 1000 tokens: 2 special tokens, the 256 byte
                           characters and the merges
  merges.txt               "#version: 0.2" and one merge "a b" a line
  special_tokens_map.json  GPT-2's: bos, eos and unk are <|endoftext|>; plus <|pad|>
  tokenizer_config.json    add_prefix_space false, as GPT-2's
  random/                  vocab.json and merges.txt of `random_merges` below
  expected.json            what `tokenizers` produces from those files:
    texts        per tricky text: tokens, ids and decode(ids, skip_special_tokens=False),
                 with add_prefix_space false, and tokens and ids with it true (RoBERTa's
                 setting); the special tokens are added with add_special_tokens
    pre_tokenized  the ByteLevel pre-tokenizer's pieces (before the byte mapping) of those
                 texts and of 300 random strings drawn from characters where the pattern
                 matters (apostrophes, the letters of contractions, U+0020 against other
                 white space, marks, digits of other scripts, letters that Unicode 17 added
                 but the tokenizers library's Unicode tables do not have)
    partial_utf8 ids of single-byte tokens whose bytes are not valid UTF-8 (a character
                 cut short, a stray continuation byte, an overlong form, an encoded
                 surrogate) and decode(ids), where each ill-formed part becomes U+FFFD
    random_merges  a vocabulary and merges over "abcd" drawn at random, not learned, so that
                 ranks contradict the order tokens were built in, one token can be merged
                 from several pairs and a pair is listed twice; the tokens of random words,
                 some longer than 48 bytes (where Braid merges with a heap instead of a scan)
    gpt2_regex   how many of the pre_tokenized strings the `regex` module, running OpenAI's
                 original GPT-2 pattern (encoder.py), splits as `tokenizers` does, and how many
                 differently; the script checks that every difference comes from a character
                 whose class the two libraries' Unicode versions disagree on. Informative:
                 Braid follows `tokenizers`

It also writes Sources/BraidData/GPT2PreTokenizer+UnicodeTables.swift: the classes (letter,
number, white space, other) that the tokenizers library's regex engine (Oniguruma) gives
\\p{L}, \\p{N} and \\s, as ranges of code points, found by running its regex over every code
point. Braid uses them rather than Swift's own Unicode properties so that its splits match
`tokenizers` exactly, whatever Unicode version the Swift toolchain carries.

Run from the repository root:
  /opt/braid-venv/bin/pip install tokenizers regex
  /opt/braid-venv/bin/python Scripts/make-bpe-fixtures.py
The output is deterministic. `tokenizers` is only a tool for this script: it is never a
dependency of the Braid library or of its tests, which read the committed files.
"""

import bisect
import json
import random
import unicodedata
from pathlib import Path

import regex
import tokenizers
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

from fixture_json import write_json

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "Tests" / "Fixtures" / "bpe"
TABLE_FILE = REPO_ROOT / "Sources" / "BraidData" / "GPT2PreTokenizer+UnicodeTables.swift"

SPECIAL_TOKENS = ["<|endoftext|>", "<|pad|>"]
VOCAB_SIZE = 1000
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

WORDS = (
    "the quick brown fox jumps over lazy dog and a of to in is it that was for on with as he "
    "she they we you at by from this have not are but had his her one all there can would "
    "tokenizer model byte merge pair vocabulary text image audio fusion encoder decoder "
    "stream train learn value number space tab line word letter digit emoji character"
).split()
ACCENTED = [
    "café", "naïve", "résumé", "Zürich", "São", "Paulo", "piñata", "Ångström", "crème",
    "brûlée", "façade", "déjà", "vu", "über", "Øresund", "Łódź", "señor", "coöperate",
]
CJK = ["日本語", "中文", "机器学习", "東京", "漢字", "한국어", "안녕하세요", "テキスト", "ひらがな"]
EMOJI = ["😀", "🚀", "🍕", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "🇯🇵", "❤️", "✨"]
CONTRACTIONS = ["I'm", "we'll", "they've", "don't", "I'D", "you're", "it's", "she'd", "can't", "O'Neil"]
PUNCTUATION = [".", ",", "!", "?", "...", ";", ":", "--", "(", ")", "\"", "'", "#", "@", "&", "%", "$"]
SPACES = [" ", " ", " ", " ", "  ", "   ", "\t", "\n", "\n\n", " \n", "\t\t", "\u00a0", "\u3000"]

# The texts of `expected.json`'s `texts`.
TEXTS = [
    "",
    " ",
    "hello world",
    "Hello, World! The quick brown fox jumps over the lazy dog.",
    "café naïve résumé",                                       # composed accents
    unicodedata.normalize("NFD", "café naïve résumé"),          # decomposed: e + U+0301
    "Ångström Zürich Łódź",
    "日本語のテキスト 中文 机器学习",
    "한국어 안녕하세요",
    "I love 🍕 and 🚀!!",
    "family 👨‍👩‍👧‍👦 rainbow 🏳️‍🌈 flags 🇫🇷🇯🇵 skin 👍🏽",
    "   leading and trailing   ",
    "tabs\tand\t\ttabs",
    "\n\n\n",
    "a  \n b",
    "line one\nline two\r\nline three\n",
    "12345 3.14 1,000,000 ٣٤٥",
    "I'm we'll they've don't I'D",
    "'s 're 'S 'sa ''s x's",
    "Wait... what?! (yes) [no] {maybe} -- ok; fine: good/bad",
    "hello<|endoftext|>world",
    "<|endoftext|><|pad|> <|endoftext|>x <|endoftext",
    "\u00a0non-breaking\u00a0space and\u3000ideographic",
    "x\u200bzero\u200dwidth",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "the the the the the tokenizer tokenizers tokenized",
]

# Characters for the random pre-tokenizer strings: each class the pattern tells apart.
POOL = list(" \t\n\r\u00a0\u3000\u2028abcsdtrevmlSD'’1234٣¼Ⅳ!.,-_\u0301\u200d\u0000é日한😀🇫") + [
    "\u088f", "\U00010940", "\U0001e6c0",  # letters in Unicode 17 that Oniguruma does not know
]

# Bytes that are not valid UTF-8 by themselves, as `partial_utf8` cases.
PARTIAL_UTF8 = [
    [0xE6, 0x97],              # 日 (E6 97 A5) cut short
    [0x61, 0xF0, 0x9F, 0x98],  # "a" and 😀 (F0 9F 98 80) cut short
    [0xE6, 0x97, 0x41],        # a cut character before "A"
    [0xA5, 0x61],              # a stray continuation byte
    [0xC0, 0xAF],              # an overlong "/"
    [0xED, 0xA0, 0x80],        # an encoded surrogate
    [0xF0, 0x80, 0x80],        # F0 must be followed by 90...BF
    [0xF4, 0x90, 0x80, 0x80],  # above U+10FFFF
    [0xFF, 0xFE],
    [0xC3],
]


def byte_decoder():
    """GPT-2's bytes_to_unicode, inverted: byte-level character -> byte."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    assert sorted(chr(c) for c in cs) == sorted(pre_tokenizers.ByteLevel.alphabet())
    return {chr(c): b for b, c in zip(bs, cs)}


def make_corpus():
    """About 4000 deterministic lines mixing every kind of text the fixtures test."""
    rng = random.Random(20240611)
    lines = []
    for _ in range(4000):
        pieces = []
        for _ in range(rng.randint(3, 14)):
            kind = rng.random()
            if kind < 0.55:
                word = rng.choice(WORDS)
                word = word.capitalize() if rng.random() < 0.15 else word
            elif kind < 0.67:
                word = rng.choice(ACCENTED)
                word = unicodedata.normalize("NFD", word) if rng.random() < 0.3 else word
            elif kind < 0.75:
                word = rng.choice(CJK)
            elif kind < 0.80:
                word = rng.choice(EMOJI)
            elif kind < 0.86:
                word = rng.choice(CONTRACTIONS)
            elif kind < 0.93:
                word = str(rng.choice([rng.randint(0, 99), rng.randint(0, 99999), round(rng.random() * 100, 2)]))
            else:
                word = rng.choice(PUNCTUATION)
            pieces.append(word)
            pieces.append(rng.choice(SPACES))
        lines.append("".join(pieces))
    return lines


def train(corpus):
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE, min_frequency=2, special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(corpus, trainer=trainer)
    return tokenizer


def load(add_prefix_space):
    """The tokenizer of the written files, as Braid reads them: vocab.json, merges.txt and the
    special tokens, added as added tokens."""
    model = models.BPE.from_file(str(OUT_DIR / "vocab.json"), str(OUT_DIR / "merges.txt"))
    tokenizer = Tokenizer(model)
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=add_prefix_space)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens(SPECIAL_TOKENS)
    return tokenizer


def random_merges(rng):
    """A vocabulary and a shuffled merge list over "abcd" that no trainer would write, and
    what `tokenizers` makes of random words with them."""
    tokens = list("abcd")
    merges = []
    while len(tokens) < 60:
        left, right = rng.choice(tokens), rng.choice(tokens)
        if len(left + right) <= 6:
            merges.append((left, right))
            if left + right not in tokens:
                tokens.append(left + right)
    merges += rng.sample(merges, 10)  # pairs listed twice: the last rank counts
    rng.shuffle(merges)
    vocab = {c: i for i, c in enumerate(sorted(pre_tokenizers.ByteLevel.alphabet()))}
    for token in tokens[4:]:
        vocab[token] = len(vocab)
    merges_text = "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges)
    directory = OUT_DIR / "random"
    directory.mkdir(exist_ok=True)
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (directory / "merges.txt").write_text(merges_text, encoding="utf-8")
    tokenizer = Tokenizer(models.BPE.from_file(str(directory / "vocab.json"), str(directory / "merges.txt")))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    words = ["".join(rng.choice("abcd") for _ in range(rng.choice([rng.randint(1, 12), rng.randint(40, 120)])))
             for _ in range(60)]
    return [{"text": word, "tokens": tokenizer.encode(word).tokens} for word in words]


def pre_tokenized(text, decoder):
    pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    return [bytes(decoder[c] for c in piece).decode("utf-8") for piece, _ in pre_tokenizer.pre_tokenize_str(text)]


def unicode_classes():
    """Oniguruma's class of every code point, as (first code point, class) runs: 0 other,
    1 letter (\\p{L}), 2 number (\\p{N}), 3 white space (\\s)."""
    points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    text = "".join(chr(c) for c in points)
    classes = bytearray(len(points))
    for value, pattern in [(1, r"\p{L}"), (2, r"\p{N}"), (3, r"\s")]:
        # Removing every match leaves the gaps, with character offsets: the rest matched.
        matched = bytearray([1]) * len(points)
        for _, (start, end) in pre_tokenizers.Split(Regex(pattern), behavior="removed").pre_tokenize_str(text):
            matched[start:end] = bytes(end - start)
        for i, m in enumerate(matched):
            if m:
                assert classes[i] == 0, f"U+{points[i]:04X} is in two classes"
                classes[i] = value
    runs = []
    for point, value in zip(points, classes):
        if not runs or runs[-1][1] != value:
            runs.append((point, value))
    return runs


def write_table(runs):
    def rows(values, per_line):
        return "\n".join(
            "        " + ", ".join(values[i:i + per_line]) + "," for i in range(0, len(values), per_line))
    starts = [f"0x{point:05X}" for point, _ in runs]
    values = [str(value) for _, value in runs]
    TABLE_FILE.write_text(f"""// Generated by Scripts/make-bpe-fixtures.py from tokenizers {tokenizers.__version__}; do not edit.

extension GPT2PreTokenizer {{
    /// The first code point of each run of code points of one class, ascending: the class of a
    /// code point is that of the last run starting at or before it. Surrogates, which no
    /// `Unicode.Scalar` holds, fall into the run before them.
    package static let classRunStarts: [UInt32] = [
{rows(starts, 10)}
    ]

    /// The class of each run of `classRunStarts`, the raw value of `CharacterClass`: 0 other,
    /// 1 letter (`\\p{{L}}`), 2 number (`\\p{{N}}`), 3 white space (`\\s`), as the Oniguruma regex
    /// engine of the `tokenizers` library classifies them.
    package static let classRunValues: [UInt8] = [
{rows(values, 30)}
    ]
}}
""", encoding="utf-8")
    return len(runs)


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    trained = train(make_corpus())
    trained.model.save(str(OUT_DIR))
    assert trained.get_vocab_size() == VOCAB_SIZE, trained.get_vocab_size()
    (OUT_DIR / "special_tokens_map.json").write_text(json.dumps({
        "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
        "pad_token": {"content": "<|pad|>", "lstrip": False, "normalized": False, "rstrip": False, "single_word": False},
    }, indent=2) + "\n", encoding="utf-8")
    (OUT_DIR / "tokenizer_config.json").write_text(json.dumps({
        "add_prefix_space": False, "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
        "model_max_length": 1024, "tokenizer_class": "GPT2Tokenizer", "unk_token": "<|endoftext|>",
    }, indent=2) + "\n", encoding="utf-8")

    decoder = byte_decoder()
    plain, prefixed = load(False), load(True)
    texts = []
    for text in TEXTS:
        encoding = plain.encode(text)
        with_prefix = prefixed.encode(text)
        texts.append({
            "text": text, "tokens": encoding.tokens, "ids": encoding.ids,
            "decoded": plain.decode(encoding.ids, skip_special_tokens=False),
            "prefix_space_tokens": with_prefix.tokens, "prefix_space_ids": with_prefix.ids,
        })
        assert texts[-1]["decoded"] == text, text

    rng = random.Random(7)
    strings = TEXTS + ["".join(rng.choice(POOL) for _ in range(rng.randint(1, 12))) for _ in range(300)]
    pieces = [{"text": s, "pieces": pre_tokenized(s, decoder)} for s in strings]

    vocab = plain.get_vocab()
    byte_ids = {decoder[c]: vocab[c] for c in decoder}
    partial = []
    for bytes_ in PARTIAL_UTF8:
        ids = [byte_ids[b] for b in bytes_]
        partial.append({"bytes": bytes_, "ids": ids, "decoded": plain.decode(ids)})
        assert partial[-1]["decoded"] == bytes(bytes_).decode("utf-8", errors="replace")

    random_words = random_merges(random.Random(11))

    original = regex.compile(GPT2_PATTERN)
    differing = [s for s, p in zip(strings, pieces) if original.findall(s) != p["pieces"]]
    runs = unicode_classes()
    starts = [point for point, _ in runs]
    tokenizers_class = lambda c: runs[bisect.bisect_right(starts, ord(c)) - 1][1]
    regex_class = lambda c: next((v for v, p in [(1, r"\p{L}"), (2, r"\p{N}"), (3, r"\s")] if regex.match(p, c)), 0)
    for s in differing:
        assert any(tokenizers_class(c) != regex_class(c) for c in s), repr(s)

    write_json({
        "tokenizers": tokenizers.__version__, "vocab_size": VOCAB_SIZE, "special_tokens": SPECIAL_TOKENS,
        "texts": texts, "pre_tokenized": pieces, "partial_utf8": partial,
        "random_merges": random_words,
        "gpt2_regex": {"same": len(strings) - len(differing), "different": len(differing)},
    }, OUT_DIR / "expected.json")
    write_table(runs)
    print(f"wrote {OUT_DIR} ({len(texts)} texts, {len(pieces)} pre-tokenized strings, "
          f"{len(differing)} where the original GPT-2 regex differs) and {TABLE_FILE.name} ({len(runs)} runs)")


if __name__ == "__main__":
    main()
