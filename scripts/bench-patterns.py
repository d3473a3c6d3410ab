#!/usr/bin/env python3
"""Writes a pattern file of N phrase patterns for the pattern benchmark (make bench-patterns).

    python3 scripts/bench-patterns.py TRAIN.tsv N OUT.jsonl

The phrases are the distinct entity strings of an IOB corpus (names as a user's term list
holds them, each with its corpus label), then made-up names of two or three capitalised
words of the corpus, labelled TERM, until there are N. Deterministic: the same corpus gives
the same file. The file is written under target/, never committed (it is made of the
corpus).
"""
import json
import random
import sys


def entity_strings(path):
    """Distinct (label, phrase) pairs of the corpus, in the order they first appear."""
    seen, words, current = {}, set(), None
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or line.startswith("#"):
                current = flush(current, seen)
                continue
            word, tag = parts[0], parts[-1]
            if word[:1].isupper() and word.isalpha():
                words.add(word)
            if tag.startswith("B-") or (tag.startswith("I-") and current is None):
                current = flush(current, seen)
                current = (tag[2:], [word])
            elif tag.startswith("I-"):
                current[1].append(word)
            else:
                current = flush(current, seen)
    flush(current, seen)
    return list(seen), sorted(words)


def flush(current, seen):
    if current is not None:
        seen.setdefault((current[0], " ".join(current[1])), None)
    return None


def main():
    train, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    pairs, words = entity_strings(train)
    pairs = pairs[:n]
    phrases = {p for _, p in pairs}
    rng = random.Random(2026)
    while len(pairs) < n:
        phrase = " ".join(rng.choice(words) for _ in range(rng.choice((2, 3))))
        if phrase not in phrases:
            phrases.add(phrase)
            pairs.append(("TERM", phrase))
    with open(out, "w", encoding="utf-8") as f:
        for label, phrase in pairs:
            f.write(json.dumps({"label": label, "pattern": phrase}, ensure_ascii=False) + "\n")
    corpus = sum(1 for label, _ in pairs if label != "TERM")
    print(f"{out}: {len(pairs)} phrase patterns, {corpus} from the corpus, {len(pairs) - corpus} made up")


if __name__ == "__main__":
    main()
