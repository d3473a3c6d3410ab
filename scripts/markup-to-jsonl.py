#!/usr/bin/env python3
"""Turns sentences with marked entities into the raw-text JSONL of the shared scorer.

  scripts/markup-to-jsonl.py IN.txt OUT.jsonl

IN has one text a line with each entity written [LABEL text]; lines starting with "#"
and blank lines are skipped. OUT has one {"id", "text", "entities"} record a line, with
code-point offsets.
"""
import json
import re
import sys

ENTITY = re.compile(r"\[([A-Z_]+) ([^\]]+)\]")


def parse(line):
    text, entities, at = [], [], 0
    for m in ENTITY.finditer(line):
        text.append(line[at : m.start()])
        start = sum(len(t) for t in text)
        text.append(m.group(2))
        entities.append({"start": start, "end": start + len(m.group(2)), "label": m.group(1)})
        at = m.end()
    text.append(line[at:])
    return "".join(text), entities


def main():
    source, target = sys.argv[1:]
    with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as out:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
        for n, line in enumerate(lines, 1):
            text, entities = parse(line)
            record = {"id": f"line-{n}", "text": text, "entities": entities}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
