#!/usr/bin/env python3
"""Hard-wraps the texts of a JSONL file the way e-mail and terminals do, keeping offsets.

  scripts/wrap-text.py IN.jsonl OUT.jsonl [--width 72]

Greedy: a line takes words while they fit in WIDTH characters, and the space before the
first word that does not fit becomes a line break. Only spaces are replaced, one
character by one, so the gold entity offsets of IN stay right for OUT; a word longer
than WIDTH gets a line of its own.
"""
import json
import sys


def wrap(text, width):
    chars = list(text)
    line_start = 0
    last_space = None
    for i, c in enumerate(chars):
        if c == "\n":
            line_start, last_space = i + 1, None
        elif c == " ":
            last_space = i
        if i - line_start >= width and last_space is not None and last_space > line_start:
            chars[last_space] = "\n"
            line_start, last_space = last_space + 1, None
    return "".join(chars)


def main():
    args = sys.argv[1:]
    width = 72
    if "--width" in args:
        k = args.index("--width")
        width = int(args[k + 1])
        del args[k : k + 2]
    source, target = args
    with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as out:
        for line in f:
            if line.strip():
                doc = json.loads(line)
                doc["text"] = wrap(doc["text"], width)
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
