#!/usr/bin/env bash
# Prints the download size of the npm package in pkg/ (run `make pkg` first): each file
# raw and gzipped (gzip -9, as a web server would send it), the total, the built-in
# model's share, and the size of the `npm pack` tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/package.json ] || { echo "pkg/ is missing: run make pkg" >&2; exit 1; }

gz() { gzip -9 -c "$1" | wc -c; }
printf '%-20s %12s %12s\n' file bytes gzip
raw_total=0
gz_total=0
for f in pkg/*; do
  raw=$(wc -c < "$f")
  zipped=$(gz "$f")
  raw_total=$((raw_total + raw))
  gz_total=$((gz_total + zipped))
  printf '%-20s %12d %12d\n' "${f#pkg/}" "$raw" "$zipped"
done
printf '%-20s %12d %12d   (%s MB gzip; target <= 3 MB)\n' total "$raw_total" "$gz_total" \
  "$(awk "BEGIN { printf \"%.2f\", $gz_total / 1e6 }")"
printf '%-20s %12d %12d   (inside engine_bg.wasm)\n' "model" \
  "$(wc -c < models/onoma-en.onm)" "$(gz models/onoma-en.onm)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tarball=$(cd pkg && npm pack --silent --pack-destination "$tmp")
printf '%-20s %12s %12d   (npm pack)\n' "$tarball" "" "$(wc -c < "$tmp/$tarball")"
