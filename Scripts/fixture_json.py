"""Writes the reference fixtures' expected.json files in one layout.

Shared by Scripts/make-tokenizer-fixtures.py and Scripts/make-bpe-fixtures.py: `write_json`
puts each top-level key on its own line and, for a list, each record on its own line, so that a
regenerated file diffs by case rather than as one line or thousands.
"""
import json


def write_json(expected, path):
    """Writes the dict `expected` to `path` (a pathlib.Path), one record a line, as UTF-8."""
    dump = lambda value: json.dumps(value, ensure_ascii=False)
    lines = ["{"]
    keys = list(expected)
    for i, key in enumerate(keys):
        value = expected[key]
        comma = "," if i < len(keys) - 1 else ""
        if isinstance(value, list):
            lines.append(f"  {dump(key)}: [")
            lines += [f"    {dump(item)}{',' if j < len(value) - 1 else ''}" for j, item in enumerate(value)]
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {dump(key)}: {dump(value)}{comma}")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    json.loads(path.read_text(encoding="utf-8"))  # check it round-trips
