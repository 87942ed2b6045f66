#!/usr/bin/env python3
"""Converts scikit-learn's copy of the UCI hand-written digits into Braid's compact binary form.

Reads `sklearn/datasets/data/digits.csv.gz` (1,797 rows of 64 pixel values 0...16 and then the
label) from the installed scikit-learn and writes `Examples/Support/digits/digits.bin`, a resource
of the examples' support target: the 1797 x 64 pixel bytes row by row, then the 1,797 label bytes.

Usage: /opt/braid-venv/bin/python Scripts/make-digits.py
"""
import gzip
import os

import numpy as np
import sklearn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data", "digits.csv.gz")


def main():
    with gzip.open(SOURCE, "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    assert table.shape == (1797, 65), table.shape
    pixels = table[:, :64].astype(np.uint8)
    labels = table[:, 64].astype(np.uint8)
    assert (table[:, :64] == pixels).all() and pixels.max() <= 16
    assert (table[:, 64] == labels).all() and labels.max() <= 9
    data = pixels.tobytes() + labels.tobytes()
    out = os.path.join(ROOT, "Examples", "Support", "digits", "digits.bin")
    with open(out, "wb") as f:
        f.write(data)
    print(f"wrote {out} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
