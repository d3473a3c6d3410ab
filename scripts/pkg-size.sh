#!/usr/bin/env bash
# Prints the download size of the npm package in pkg/ (run `make pkg` first): each file
# raw and gzipped (gzip -9, as a web server would send it), the total, what a browser loads
# (one of the two engine builds), and the size of the `npm pack` tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/package.json ] || { echo "pkg/ is missing: run make pkg" >&2; exit 1; }

gz() { gzip -9 -c "$1" | wc -c; }
printf '%-20s %12s %12s\n' file bytes gzip
raw_total=0
gz_total=0
# What a browser loads: not the README, the licences, the types, package.json, Node's files
# or the engine build for browsers without WebAssembly SIMD (a browser loads one build).
browser_total=0
for f in pkg/*; do
  raw=$(wc -c < "$f")
  zipped=$(gz "$f")
  raw_total=$((raw_total + raw))
  gz_total=$((gz_total + zipped))
  case "${f#pkg/}" in
    README.md | LICENSE-* | *.d.ts | package.json | node.js | node-worker.js | engine_compat_bg.wasm) ;;
    *) browser_total=$((browser_total + zipped)) ;;
  esac
  printf '%-20s %12d %12d\n' "${f#pkg/}" "$raw" "$zipped"
done
mb() { awk "BEGIN { printf \"%.2f\", $1 / 1e6 }"; }
printf '%-20s %12d %12d   (%s MB gzip)\n' total "$raw_total" "$gz_total" "$(mb "$gz_total")"
printf '%-20s %12s %12d   (%s MB gzip; target <= 3 MB)\n' "a browser loads" "" "$browser_total" \
  "$(mb "$browser_total")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tarball=$(cd pkg && npm pack --silent --pack-destination "$tmp")
printf '%-20s %12s %12d   (npm pack)\n' "$tarball" "" "$(wc -c < "$tmp/$tarball")"
