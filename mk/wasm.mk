# WebAssembly module and npm package: the wasm bindings (crates/wasm) built for wasm32 with the
# model inside, js/ around it, assembled into pkg/ by scripts/build-pkg.sh.
.PHONY: pkg pkg-size test-wasm test-js bench-js bench-patterns

WASM_TEST_ENV := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	WASM_BINDGEN_TEST_TIMEOUT=120

## Build the npm package into pkg/ (installs the wasm toolchain if missing).
pkg:
	bash scripts/build-pkg.sh

## Download size of the package: each file raw and gzipped, and the npm tarball.
pkg-size: pkg
	bash scripts/pkg-size.sh

## Clippy on the bindings (crates/wasm), and their wasm-bindgen tests
## (crates/wasm/tests/) in Node, headless Chromium and a Web Worker.
test-wasm:
	bash scripts/install-wasm-tools.sh
	bash scripts/install-chromium.sh
	cargo clippy -p onoma-ner-wasm --all-targets --target wasm32-unknown-unknown -- -D warnings
	$(WASM_TEST_ENV) cargo test -p onoma-ner-wasm --target wasm32-unknown-unknown --profile wasm
	$(WASM_TEST_ENV) CHROMEDRIVER=$$(command -v chromedriver) WASM_BINDGEN_USE_BROWSER=1 \
		WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(abspath tests/webdriver.json) \
		cargo test -p onoma-ner-wasm --target wasm32-unknown-unknown --profile wasm
	$(WASM_TEST_ENV) CHROMEDRIVER=$$(command -v chromedriver) WASM_BINDGEN_USE_DEDICATED_WORKER=1 \
		WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(abspath tests/webdriver.json) \
		cargo test -p onoma-ner-wasm --target wasm32-unknown-unknown --profile wasm

## The npm package through its public API: Node, the packed tarball in an empty project,
## browsers and bundlers (headless Chromium), and the same entities as the native CLI.
test-js: pkg
# Vite 8 and Playwright need Node.js >= 20.19 (the package itself runs on Node 18).
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); if (a < 20 || (a == 20 && b < 19)) { console.error("test-js needs Node.js >= 20.19, found " + process.version); process.exit(1); }'
	bash scripts/install-chromium.sh
	cargo build --release
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	cd tests/js && npx tsc --noEmit -p . && npx tsc --noEmit -p tsconfig.node.json
	cd tests/js && SHARED=$(abspath $(SHARED)) node --test --test-concurrency=1

## Throughput in Node against the native CLI (`onoma bench`, run alternately) on
## $(SHARED)/eval, and time to first result; the same in headless Chromium.
bench-js: pkg
	cargo build --release
	bash scripts/install-chromium.sh
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	node tests/js/bench.mjs $(SHARED)/eval/ontonotes_test.jsonl

## What 100,000 phrase patterns cost: load time and throughput with and without them,
## natively (`onoma bench --patterns`) and in the npm package (Node and headless Chromium).
## The pattern file is made from the OntoNotes training corpus under target/bench/.
bench-patterns: pkg
	cargo build --release
	mkdir -p target/bench
	python3 scripts/bench-patterns.py $(SHARED)/data/ontonotes/train.tsv 100000 target/bench/patterns-100k.jsonl
	./target/release/onoma bench $(SHARED)/eval/ontonotes_test.jsonl
	./target/release/onoma bench --patterns target/bench/patterns-100k.jsonl $(SHARED)/eval/ontonotes_test.jsonl
	bash scripts/install-chromium.sh
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	node tests/js/bench-patterns.mjs target/bench/patterns-100k.jsonl $(SHARED)/eval/ontonotes_test.jsonl
