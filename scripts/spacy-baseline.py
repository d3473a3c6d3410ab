#!/usr/bin/env python3
"""Runs spaCy's small English pipeline over a benchmark file, for the comparison table in
the README (`make baseline-spacy` installs spaCy and the model, then calls this):

  scripts/spacy-baseline.py MODEL IN.jsonl OUT.jsonl

Writes one prediction line per document in the shared scorer's format (offsets in code
points, which is what Python's str indices are) and prints throughput to stderr: the
benchmark's own token count over the time `nlp.pipe` took, with every component but the
entity recognizer switched off (in the small pipeline it has its own token-to-vector layer,
so the entities are the same as with the whole pipeline).
"""
import json
import sys
import time

import spacy


def main() -> None:
    model, source, out = sys.argv[1:4]
    # Only the recognizer runs: tagger, parser, lemmatizer and the rest do not change its
    # output, and running them would make the speed figure unfair to spaCy.
    nlp = spacy.load(model)
    nlp.select_pipes(enable="ner")
    docs = [json.loads(line) for line in open(source, encoding="utf-8")]
    texts = [doc["text"] for doc in docs]
    nlp(texts[0])  # warm-up, so that start-up costs stay out of the timing

    started = time.perf_counter()
    parsed = list(nlp.pipe(texts, batch_size=16))
    seconds = time.perf_counter() - started

    with open(out, "w", encoding="utf-8") as f:
        for doc, result in zip(docs, parsed):
            entities = [{"start": e.start_char, "end": e.end_char, "label": e.label_}
                        for e in result.ents]
            f.write(json.dumps({"id": doc["id"], "entities": entities}) + "\n")

    gold_tokens = sum(len(doc.get("tokens", [])) for doc in docs)
    spacy_tokens = sum(len(result) for result in parsed)
    print(f"spaCy {spacy.__version__}, {model}, pipes {nlp.pipe_names}", file=sys.stderr)
    print(f"{len(docs)} documents, {seconds:.2f} s", file=sys.stderr)
    if gold_tokens:
        print(f"benchmark tokens {gold_tokens}: {gold_tokens / seconds:.0f} tokens/s",
              file=sys.stderr)
    print(f"spaCy tokens {spacy_tokens}: {spacy_tokens / seconds:.0f} tokens/s", file=sys.stderr)


if __name__ == "__main__":
    main()
