#!/usr/bin/env bash
# Throughput and peak memory of `onoma bench` on generated inputs of 1 KB, 100 KB and 5 MB
# per input family: cost must grow linearly (tokens/s within 2x across sizes; for inputs
# that are one huge token, MB/s is the figure to compare).
set -euo pipefail
bin=${1:-./target/release/onoma}
printf '%-8s %10s %10s %12s %8s %10s\n' family bytes tokens tokens/s MB/s peak_MB
for family in prose nospace random punct us planes marks rtl; do
  for size in 1000 100000 5000000; do
    out=$("$bin" bench --family "$family" --size "$size")
    field() { awk -v k="$1" '$1 == k { print $2 }' <<<"$out"; }
    printf '%-8s %10s %10s %12s %8s %10s\n' "$family" "$(field bytes)" "$(field tokens)" \
      "$(field tokens/s)" "$(field MB/s)" "$(awk '$1 == "peak" { print $3 }' <<<"$out")"
  done
done
