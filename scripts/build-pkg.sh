#!/usr/bin/env bash
# Builds the npm package into pkg/: the Rust library compiled to WebAssembly (model
# included), shrunk by wasm-opt, its wasm-bindgen glue, and the hand-written js/ files.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-wasm-tools.sh

# No +simd128: on the OntoNotes test texts in Node it gained 0-4% (the time goes into hash
# lookups and scattered adds, which do not vectorise), not worth a module that fails to
# compile at all in browsers without wasm SIMD (Safari before 16.4).
cargo build -p onoma-ner-wasm --target wasm32-unknown-unknown --profile wasm
raw=target/wasm32-unknown-unknown/wasm/onoma_wasm.wasm
out=target/wasm-pkg

# wasm-opt runs before wasm-bindgen, not after: Debian's binaryen (108) cannot parse the
# table.fill that wasm-bindgen's externref support emits. The features are those rustc
# enables by default for wasm32-unknown-unknown.
if [ ! -f "$out/engine_bg.wasm" ] || [ "$raw" -nt "$out/engine_bg.wasm" ]; then
  mkdir -p "$out"
  wasm-opt -Oz --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-multivalue --enable-mutable-globals "$raw" -o "$out/opt.wasm"
  # --experimental-reset-state-function: js/core.js re-instantiates after a trap.
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --experimental-reset-state-function --out-name engine --out-dir "$out" "$out/opt.wasm"
fi

rm -rf pkg
mkdir pkg
cp js/*.js js/index.d.ts js/README.md LICENSE-MIT LICENSE-APACHE "$out/engine.js" "$out/engine_bg.wasm" pkg/
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed "s/\"version\": \"[^\"]*\"/\"version\": \"$version\"/" js/package.json > pkg/package.json
echo "pkg/ is ready: onoma-ner $version, $(du -sh pkg | cut -f1)"
