"""Generate the caption-metric reference fixtures used by Braid's BLEU and CIDEr tests.

Writes Tests/Fixtures/captions/metrics.json:
  tokenizer   the rule the captions were split by (Braid's CaptionTokenizer.words)
  versions    pycocoevalcap and sacrebleu versions
  images      30 hand-written images, each with
                references        3-5 raw reference captions
                candidate         one raw candidate caption
                note              what the candidate tests (exact copy, shorter than every
                                  reference, empty, repeated words, ...)
                reference_words   the references split by tokenize() below
                candidate_words   the candidate split likewise
  corpora     sub-corpora evaluated on their own (CIDEr's document frequencies and log I
              depend on the whole corpus): "all" (every image), "first-five", "single"
              (one image: CIDEr 0) and "short-candidates" (images whose candidates are
              shorter than every reference); each with
                images            indices into `images`
                bleu              pycocoevalcap Bleu(4).compute_score(gts, res)[0], BLEU-1..4
                bleu_images       Bleu(4) per-image scores, [image][n-1]
                cider             pycocoevalcap Cider().compute_score(gts, res)[0]
                cider_images      Cider per-image scores
                sacrebleu         sacrebleu corpus BLEU-1..4 / 100 (BLEU(max_ngram_order=n,
                                  tokenize="none", smooth_method="none")), the cross-check;
                                  null where some order has no match (sacrebleu gives 0,
                                  coco-caption a tiny positive number)

gts and res are built as pycocoevalcap's COCOEvalCap builds them after its PTBTokenizer:
{image_id: [" ".join(words), ...]}. PTBTokenizer needs Java, so the captions are split by
tokenize() instead, the same rule as Braid's CaptionTokenizer: lower-case, every ASCII
punctuation character (string.punctuation) replaced by a space, split on whitespace.

Run from the repository root (tools only, installed into the existing venv):
  /opt/braid-venv/bin/pip install pycocoevalcap sacrebleu
  /opt/braid-venv/bin/python Scripts/make-caption-metric-fixtures.py [OUTPUT_DIR]
OUTPUT_DIR defaults to Tests/Fixtures/captions in the repository root.

pycocoevalcap and sacrebleu are only tools for this script: they are never dependencies of
the Braid library or of its tests, which read the committed fixture file. The script is
deterministic.
"""

import json
import string
import sys
from importlib.metadata import version
from pathlib import Path

import sacrebleu
from pycocoevalcap.bleu.bleu import Bleu
from pycocoevalcap.cider.cider import Cider

REPO_ROOT = Path(__file__).resolve().parent.parent

PUNCTUATION = set(string.punctuation)


def tokenize(text):
    """Braid's CaptionTokenizer.words: lower-case, ASCII punctuation -> space, split."""
    return "".join(" " if c in PUNCTUATION else c for c in text.lower()).split()


# (note, candidate, references)
IMAGES = [
    ("exact copy of the first reference",
     "A man riding a wave on top of a surfboard.",
     ["A man riding a wave on top of a surfboard.",
      "A surfer rides a large wave in the ocean.",
      "Person on a surfboard catching a big wave.",
      "A man on a surf board riding a wave."]),
    ("close paraphrase",
     "A cat is sleeping on a red couch.",
     ["A cat sleeping on a red sofa.",
      "An orange cat curled up asleep on the couch.",
      "A cat lies on a red couch, sleeping.",
      "The cat naps on a couch cushion."]),
    ("shorter than every reference",
     "A dog.",
     ["A brown dog running across a grassy field.",
      "A dog runs through the green grass.",
      "The brown dog is running in a park."]),
    ("empty candidate",
     "",
     ["Two people playing frisbee on a beach.",
      "A couple throws a frisbee by the sea.",
      "Friends play with a frisbee on the sand."]),
    ("unrelated candidate",
     "A plate of pasta with tomato sauce.",
     ["A red double decker bus on a city street.",
      "A bus drives down a busy road.",
      "A big red bus stopped at a bus stop.",
      "The double-decker bus is parked by the curb."]),
    ("repeated words: clipping",
     "a a a a a dog dog dog dog",
     ["A dog and a cat on a bed.",
      "A dog lying next to a cat.",
      "A small dog with a cat."]),
    ("one word",
     "Giraffe",
     ["A giraffe standing next to a tall tree.",
      "A tall giraffe eats leaves from a tree.",
      "Giraffe reaching up into the branches.",
      "A giraffe in a zoo enclosure.",
      "One giraffe near some trees."]),
    ("longer than every reference",
     "a young boy in a blue shirt is holding a baseball bat and swinging it at a ball "
     "on a sunny day in the park",
     ["A boy swinging a baseball bat.",
      "A child playing baseball.",
      "Young boy at bat in a game."]),
    ("tie for the closest reference length (8 and 10 words; the shorter counts)",
     "a bowl of fruit on a wooden kitchen table",
     ["a bowl of apples on a kitchen table",
      "a wooden bowl full of fruit sits on the table",
      "fruit in a bowl",
      "several apples and bananas in a bowl on a table"]),
    ("upper case and punctuation",
     "TWO ELEPHANTS, walking; through tall-grass!",
     ["Two elephants walking through tall grass.",
      "A pair of elephants in the grass.",
      "Elephants walk across a grassy plain."]),
    ("words in no reference",
     "zebra quokka platypus",
     ["A kitchen with white cabinets and a stove.",
      "A clean kitchen with a window.",
      "White cabinets in a small kitchen."]),
    ("references with repeated n-grams",
     "a red car and a red truck and a red bus",
     ["a red car and a red truck",
      "red car red truck red bus",
      "a car a truck and a bus on the road",
      "three red vehicles parked in a row"]),
    ("partial overlap",
     "A woman holding an umbrella in the street.",
     ["A woman walks in the rain with an umbrella.",
      "A lady holding a black umbrella on a street.",
      "Woman with an umbrella crossing the road.",
      "A person holds an umbrella in the rain."]),
    ("word order scrambled",
     "pizza a on table sitting a",
     ["A pizza sitting on a table.",
      "A large pizza on a wooden table.",
      "A cheese pizza on the table."]),
    ("good caption",
     "A train traveling down the tracks next to a station.",
     ["A train pulls into the station.",
      "A passenger train on the tracks near a platform.",
      "A train traveling down tracks next to a station.",
      "The train is stopped at the train station."]),
    ("five references, exact copy of the last",
     "A laptop on a desk.",
     ["A laptop computer sitting on top of a desk.",
      "A desk with a laptop and a mouse.",
      "An open laptop on a wooden desk.",
      "A computer on a desk next to a lamp.",
      "A laptop on a desk."]),
    ("synonyms only",
     "Kids consume ice-cream cones.",
     ["Children eating ice cream cones.",
      "Two children enjoy ice cream.",
      "Kids with ice cream on a sunny day."]),
    ("near copy, one word changed",
     "A man riding a horse on a dirt road.",
     ["A man riding a horse on a beach.",
      "A person on horseback near the ocean.",
      "A rider and a horse on the sand."]),
    ("long references, short good candidate",
     "A bedroom with a large bed.",
     ["A bedroom with a large bed, two nightstands and a lamp on each side of it.",
      "A neatly made bed in a hotel room with white sheets and pillows.",
      "A large bed with white sheets sits in the middle of the bedroom.",
      "A bedroom with a bed and a window with curtains."]),
    ("numbers and digits",
     "3 dogs playing in the snow",
     ["Three dogs playing in the snow.",
      "Dogs running in the snow.",
      "3 dogs play in a snowy yard."]),
    ("same length as the closest reference",
     "A bird sitting on a branch.",
     ["A bird perched on a branch.",
      "A small bird sits on a tree branch.",
      "A blue bird on a twig."]),
    ("candidate repeats a reference twice",
     "A clock tower. A clock tower.",
     ["A clock tower.",
      "A tall clock tower against a blue sky.",
      "The clock on a tower in the city."]),
    ("only stop words",
     "a the on of a",
     ["A sandwich on a plate.",
      "A plate with a sandwich and chips.",
      "Half of a sandwich on a white plate."]),
    ("shorter than every reference, partly right",
     "A boat on water",
     ["A small boat floating on a calm lake.",
      "A wooden boat on the water near the shore.",
      "A boat sits on a lake surrounded by mountains."]),
    ("good caption with different article",
     "The skateboarder does a trick on a ramp.",
     ["A skateboarder doing a trick on a ramp.",
      "A man on a skateboard jumps off a ramp.",
      "A skater performing a trick at a skate park."]),
    ("shapes-grammar style",
     "a small red circle left of a blue square",
     ["a small red circle left of a blue square",
      "a blue square to the right of a small red circle",
      "there is a red circle and a blue square",
      "a red circle is left of a large blue square"]),
    ("shapes-grammar style, relation reversed",
     "a green star above a yellow triangle",
     ["a yellow triangle above a green star",
      "a green star below a yellow triangle",
      "there is a yellow triangle and a green star",
      "a big yellow triangle over a small green star"]),
    ("shapes-grammar style, one object",
     "a large white diamond",
     ["a large white diamond",
      "there is a big white diamond",
      "a white diamond"]),
    ("bad shapes caption",
     "a red circle",
     ["a purple square right of an orange star",
      "an orange star to the left of a purple square",
      "there is an orange star and a purple square"]),
    ("candidate of only punctuation (empty after tokenizing)",
     "... !!",
     ["A vase of flowers on a table.",
      "Pink flowers in a glass vase.",
      "A bouquet of roses in a vase."]),
]

CORPORA = {
    "all": list(range(len(IMAGES))),
    "first-five": [0, 1, 2, 3, 4],
    "single": [12],
    "short-candidates": [2, 6, 23, 27],
}


def evaluate(indices, images):
    gts = {i: [" ".join(words) for words in images[i]["reference_words"]] for i in indices}
    res = {i: [" ".join(images[i]["candidate_words"])] for i in indices}
    bleu, bleu_images = Bleu(4).compute_score(gts, res, verbose=0)
    cider, cider_images = Cider().compute_score(gts, res)
    hypotheses = [res[i][0] for i in indices]
    most = max(len(gts[i]) for i in indices)
    streams = [[gts[i][k] if k < len(gts[i]) else None for i in indices] for k in range(most)]
    cross = []
    for order in range(1, 5):
        metric = sacrebleu.BLEU(max_ngram_order=order, tokenize="none", smooth_method="none")
        result = metric.corpus_score(hypotheses, streams)
        cross.append(result.score / 100 if all(c > 0 for c in result.counts[:order]) else None)
    return {
        "images": indices,
        "bleu": [float(b) for b in bleu],
        "bleu_images": [[float(bleu_images[k][j]) for k in range(4)] for j in range(len(indices))],
        "cider": float(cider),
        "cider_images": [float(s) for s in cider_images],
        "sacrebleu": cross,
    }


def main():
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / "Tests" / "Fixtures" / "captions"
    out_dir.mkdir(parents=True, exist_ok=True)
    images = []
    for note, candidate, references in IMAGES:
        images.append({
            "note": note,
            "candidate": candidate,
            "references": references,
            "candidate_words": tokenize(candidate),
            "reference_words": [tokenize(r) for r in references],
        })
    fixture = {
        "tokenizer": "lower-case; every character of Python's string.punctuation -> space; str.split()",
        "versions": {"pycocoevalcap": version("pycocoevalcap"), "sacrebleu": version("sacrebleu")},
        "images": images,
        "corpora": {name: evaluate(indices, images) for name, indices in CORPORA.items()},
    }
    path = out_dir / "metrics.json"
    path.write_text(json.dumps(fixture, indent=1, ensure_ascii=False) + "\n")
    for name, corpus in fixture["corpora"].items():
        print(f"{name}: BLEU {[round(b, 4) for b in corpus['bleu']]} sacrebleu {corpus['sacrebleu']} "
              f"CIDEr-D {corpus['cider']:.4f}")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
