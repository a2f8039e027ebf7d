#!/usr/bin/env bash
# Runs a few protocol cases of //bench:otr_bench for every implementation
# (our Session on each backend, libotr; for v4 libotr-ng) for a few iterations: fails if a case
# reports an error (e.g. an AKE or SMP that does not complete) or an
# implementation is missing.
set -euo pipefail
BIN="$1"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
"$BIN" --benchmark_filter='^BM_(AkeFull|SmpFull|ForgedData|Burst/[a-z]+/16$|PingPongFragmented/[a-z]+/1024/|V4(DakeFull|SmpFull|Burst/[a-z-]+/16$|RatchetTurn/[a-z-]+/dh|OutOfOrder|OfflineStart/[a-z-]+/full$))' \
  --benchmark_min_time=0.001 >"$OUT" 2>&1 || { cat "$OUT"; exit 1; }
cat "$OUT"
if grep -q "ERROR OCCURRED" "$OUT"; then
  echo "otr_bench_smoke_test: a case reported an error" >&2
  exit 1
fi
for impl in openssl gcrypt libotr; do
  for op in AkeFull SmpFull ForgedData Burst PingPongFragmented; do
    grep -q "^BM_$op/$impl" "$OUT" || { echo "missing BM_$op/$impl" >&2; exit 1; }
  done
done
for impl in openssl gcrypt libotr-ng; do
  for op in DakeFull SmpFull Burst RatchetTurn OutOfOrder OfflineStart; do
    grep -q "^BM_V4$op/$impl" "$OUT" || { echo "missing BM_V4$op/$impl" >&2; exit 1; }
  done
done
