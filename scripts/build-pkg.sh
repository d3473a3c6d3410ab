#!/usr/bin/env bash
# Builds the npm package into pkg/: the Rust library compiled to WebAssembly twice (with
# WebAssembly SIMD, and without it for older engines; js/core.js picks one at load time),
# their wasm-bindgen glue, the built-in model as a file of its own, and the hand-written
# js/ files.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-wasm-tools.sh

# No wasm-opt: Debian's binaryen (108) made the engine 15-20 % slower in Node at -Oz and -O3
# alike, for 1 KB less gzip (docs/benchmarks.md, "WebAssembly builds").
out=target/wasm-pkg
mkdir -p "$out"
# build NAME TARGET_DIR RUSTFLAGS: one build of the bindings, bound as $out/NAME/engine*.
build() {
  local name=$1 dir=$2
  CARGO_TARGET_DIR=$dir RUSTFLAGS=$3 cargo build -p onoma-ner-wasm --target wasm32-unknown-unknown --profile wasm
  local raw=$dir/wasm32-unknown-unknown/wasm/onoma_wasm.wasm
  if [ ! -f "$out/$name/engine_bg.wasm" ] || [ "$raw" -nt "$out/$name/engine_bg.wasm" ]; then
    # --experimental-reset-state-function: js/core.js re-instantiates after a trap.
    wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
      --experimental-reset-state-function --out-name engine --out-dir "$out/$name" "$raw"
  fi
}
# Each in a target folder of its own, so that neither rebuilds the other from scratch.
build simd target/wasm-simd "-C target-feature=+simd128"
build compat target ""
# The two glues are the same code: the package ships one.
cmp "$out/simd/engine.js" "$out/compat/engine.js"

rm -rf pkg
mkdir pkg
cp js/*.js js/index.d.ts js/README.md LICENSE-MIT LICENSE-APACHE models/onoma-en.onm pkg/
cp "$out/simd/engine.js" "$out/simd/engine_bg.wasm" pkg/
cp "$out/compat/engine_bg.wasm" pkg/engine_compat_bg.wasm
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed "s/\"version\": \"[^\"]*\"/\"version\": \"$version\"/" js/package.json > pkg/package.json
echo "pkg/ is ready: onoma-ner $version, $(du -sh pkg | cut -f1)"
