#!/usr/bin/env bash
# Compares the crypto backends in one benchmark run (the project's main job
# until the demo exists; see bench/README.md):
#   1. builds //bench:crypto_bench with --config=opt,
#   2. runs every case on every backend, REPETITIONS times, keeping the
#      aggregates (median, mean, stddev, cv) in bench/results/crypto_bench.json,
#   3. prints the comparison table (medians and gcrypt/openssl ratios) on
#      stdout and writes it to bench/results/crypto_bench.md; the build and
#      the benchmark's own progress go to stderr.
# Works from any directory. Extra arguments go to the benchmark binary, e.g.
#   bash bench/run_crypto_bench.sh --benchmark_filter=Ed448
# Environment: REPETITIONS (default 5), MIN_TIME (seconds per repetition,
# default 0.1), METRIC (cpu_time, the default, or real_time).
# Exit status: non-zero when the build fails, the run fails, or a case
# reports an error (the table is still written, showing the error).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

REPETITIONS="${REPETITIONS:-5}"
MIN_TIME="${MIN_TIME:-0.1}"
METRIC="${METRIC:-cpu_time}"
PYTHON=/usr/bin/python3
OUT_DIR=bench/results
JSON="$OUT_DIR/crypto_bench.json"
TABLE="$OUT_DIR/crypto_bench.md"
mkdir -p "$OUT_DIR"

echo "== Building //bench:crypto_bench (--config=opt)" >&2
bazel build --config=opt //bench:crypto_bench
# The bazel-bin symlink follows whichever configuration was built last (the
# workspace is shared), so use the opt output tree under bazel-out (Bazel
# names it <cpu>-opt, k8 being x86-64); ask Bazel only if it is not there, as
# `bazel info` waits for any other command running in the workspace.
case "$(uname -m)" in
  x86_64) bazel_cpu=k8 ;;
  *) bazel_cpu="$(uname -m)" ;;
esac
BIN="bazel-out/$bazel_cpu-opt/bin/bench/crypto_bench"
if [[ ! -x "$BIN" ]]; then
  BIN="$(bazel info --config=opt bazel-bin)/bench/crypto_bench"
fi
if [[ ! -x "$BIN" ]]; then
  echo "run_crypto_bench: no binary at $BIN" >&2
  exit 1
fi

# Write to a temporary file first so a failed run keeps the last good results.
TMP_JSON="$(mktemp "$OUT_DIR/.crypto_bench.XXXXXX")"
trap 'rm -f "$TMP_JSON"' EXIT
echo "== Running $REPETITIONS repetitions of at least ${MIN_TIME}s per case" >&2
START=$(date +%s)
# Progress goes to stderr; stdout carries only the final table.
"$BIN" \
  --benchmark_repetitions="$REPETITIONS" \
  --benchmark_report_aggregates_only=true \
  --benchmark_min_time="$MIN_TIME" \
  --benchmark_out_format=json \
  --benchmark_out="$TMP_JSON" \
  "$@" >&2
echo "== Benchmark run took $(($(date +%s) - START)) s" >&2
mv "$TMP_JSON" "$JSON"
chmod a+r "$JSON"  # mktemp made it private

cpu_model="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
libraries="$(dpkg-query -W -f='${Package} ${Version}, ' libssl3 libdecaf0 libgcrypt20 2>/dev/null |
  sed 's/, $//')"
status=0
{
  echo "# Crypto backends compared (//bench:crypto_bench)"
  echo
  echo "- Machine: ${cpu_model:-unknown CPU}, nproc $(nproc), $(uname -sr)."
  echo "- Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo "- Libraries: ${libraries:-unknown (not a Debian system)}."
  echo "- Command: \`bash bench/run_crypto_bench.sh${*:+ $*}\`" \
    "(REPETITIONS=$REPETITIONS MIN_TIME=$MIN_TIME METRIC=$METRIC)."
  echo
  "$PYTHON" bench/compare_backends.py --metric="$METRIC" "$JSON" || status=$?
} >"$TABLE.tmp"
mv "$TABLE.tmp" "$TABLE"

cat "$TABLE"
echo "Wrote $JSON and $TABLE" >&2
if [[ $status -ne 0 ]]; then
  echo "run_crypto_bench: some cases failed (see ERROR cells above)" >&2
fi
exit "$status"
