#!/usr/bin/env bash
# Smoke test of //bench:crypto_bench and compare_backends.py: every case runs
# briefly on every backend without reporting an error, and the comparison
# table has one complete row per operation.
set -euo pipefail

readonly kOperations=44  # 8 modexp/DH (with ModExp2) + 2 DSA + 9 Ed448 (with MulAdd, MulBaseAddPublic) + 8 symmetric x 3 sizes + SHAKE-256/64
json="${TEST_TMPDIR:-/tmp}/crypto_bench_smoke.json"

bench/crypto_bench --benchmark_min_time=0.001 --benchmark_repetitions=2 \
  --benchmark_report_aggregates_only=true \
  --benchmark_out_format=json --benchmark_out="$json" >/dev/null

if grep -q '"error_occurred": true' "$json"; then
  echo "FAIL: a case reported an error:" >&2
  grep -A1 '"error_occurred": true' "$json" >&2
  exit 1
fi

table="$(/usr/bin/python3 bench/compare_backends.py --require-complete "$json")"
echo "$table"
rows="$(grep -c '^| `BM_' <<<"$table")"
if [[ "$rows" -ne "$kOperations" ]]; then
  echo "FAIL: expected $kOperations operations in the table, got $rows" >&2
  exit 1
fi
if ! grep -q 'gcrypt/openssl' <<<"$table"; then
  echo "FAIL: the table does not compare gcrypt with openssl" >&2
  exit 1
fi
echo "PASS: $rows operations on every backend"
