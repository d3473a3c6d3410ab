#!/usr/bin/env bash
# Builds the npm package into pkg/: the Rust library compiled to WebAssembly (model
# included), its wasm-bindgen glue, and the hand-written js/ files.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-wasm-tools.sh

# No +simd128: it needs a second build for engines without wasm SIMD (Safari before 16.4),
# and with the model built into the module that would double the package (see
# docs/benchmarks.md, "WebAssembly builds"). No wasm-opt either: Debian's binaryen (108)
# made the engine 15-20 % slower in Node at -Oz and -O3 alike, for 1 KB less gzip.
cargo build -p onoma-ner-wasm --target wasm32-unknown-unknown --profile wasm
raw=target/wasm32-unknown-unknown/wasm/onoma_wasm.wasm
out=target/wasm-pkg

if [ ! -f "$out/engine_bg.wasm" ] || [ "$raw" -nt "$out/engine_bg.wasm" ]; then
  mkdir -p "$out"
  # --experimental-reset-state-function: js/core.js re-instantiates after a trap.
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --experimental-reset-state-function --out-name engine --out-dir "$out" "$raw"
fi

rm -rf pkg
mkdir pkg
cp js/*.js js/index.d.ts js/README.md LICENSE-MIT LICENSE-APACHE "$out/engine.js" "$out/engine_bg.wasm" pkg/
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed "s/\"version\": \"[^\"]*\"/\"version\": \"$version\"/" js/package.json > pkg/package.json
echo "pkg/ is ready: onoma-ner $version, $(du -sh pkg | cut -f1)"
