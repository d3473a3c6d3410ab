#!/usr/bin/env python3
"""Writes Title Case, ALL CAPS and all-lower-case versions of a benchmark file, to
measure how well the model copes with headline casing and with text typed without
capitals:

  scripts/case-variants.py IN.jsonl OUT_DIR

OUT_DIR/title.jsonl has every lower-case ASCII word capitalised except short function
words; OUT_DIR/upper.jsonl has every ASCII letter upper-cased; OUT_DIR/lower.jsonl every
ASCII letter lower-cased. Only ASCII letters change, so every character keeps its
position and the gold entities stay valid as they are.
"""
import json
import pathlib
import re
import sys

SMALL = set("a an the of in on at to for and or but by with from as".split())


def title(text: str) -> str:
    # A lower-case run not inside a word and not after an apostrophe: "didn't" -> "Didn't".
    return re.sub(r"(?<![\w'’])[a-z]+(?!\w)",
                  lambda m: m[0] if m[0] in SMALL else m[0].capitalize(), text)


def upper(text: str) -> str:
    return re.sub(r"[a-z]+", lambda m: m[0].upper(), text)


def lower(text: str) -> str:
    return re.sub(r"[A-Z]+", lambda m: m[0].lower(), text)


def main() -> None:
    source, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    docs = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    for name, change in (("title", title), ("upper", upper), ("lower", lower)):
        with open(out / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for doc in docs:
                f.write(json.dumps({**doc, "text": change(doc["text"])}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
