#!/usr/bin/env bash
# The issue 9 and issue 20 report in one command (see README.md, "Protocol
# benchmarks"):
#   1. builds //bench:otr_bench with --config=opt,
#   2. runs the protocol cases (our Session on each backend against libotr
#      4.1.1 for v3 and libotr-ng for v4) and the primitive cases the floors
#      are priced with, REPETITIONS times (medians), into
#      bench/results/otr_bench.json,
#   3. writes bench/results/machine.txt, report.md and ratios.png with
#      bench/report.py (Debian's python3-matplotlib, run by /usr/bin/python3).
# Works from any directory; extra arguments go to the benchmark binary.
# Environment: REPETITIONS (default 5), MIN_TIME (default 0.2 s),
# METRIC (cpu_time, the default, or real_time). V4_MEMORY_JSON: a JSON of
# the 10,000-session v4 memory cases run apart (they take minutes each:
# 5,000 DAKEs per implementation); they are then left out of this run.
# libotr-ng's 10,000-session case needs about 420,000 memory mappings
# (libsodium's guarded allocations) above the default vm.max_map_count of
# 65530: `sysctl -w vm.max_map_count=600000` first, or the case is refused
# with the numbers (bench/conversation_cases.cc).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

REPETITIONS="${REPETITIONS:-5}"
MIN_TIME="${MIN_TIME:-0.2}"
METRIC="${METRIC:-cpu_time}"
PYTHON=/usr/bin/python3
OUT_DIR=bench/results
JSON="$OUT_DIR/otr_bench.json"
MACHINE="$OUT_DIR/machine.txt"
mkdir -p "$OUT_DIR"

echo "== Building //bench:otr_bench (--config=opt)" >&2
bazel build --config=opt //bench:otr_bench >&2
case "$(uname -m)" in
  x86_64) bazel_cpu=k8 ;;
  *) bazel_cpu="$(uname -m)" ;;
esac
BIN="bazel-out/$bazel_cpu-opt/bin/bench/otr_bench"
if [[ ! -x "$BIN" ]]; then
  BIN="$(bazel info --config=opt bazel-bin)/bench/otr_bench"
fi

# The primitives the floors need, and every protocol case.
FILTER='^BM_(ModExp/[a-z]+/1536/exp320|ModExp/[a-z]+/1536/exp1536|ModExpPublic|ModExpGenerator|DhSharedSecret|Dsa|Aes128Ctr|HmacSha1|HmacSha256|Sha256|Rekey|Ake|PingPong|Burst|Smp|SessionMemory|ChaCha20|Shake256|Ed448(MulBase|Mul|Decode)/|PrekeySqlite|V4)'
EXTRA=()
if [[ -n "${V4_MEMORY_JSON:-}" ]]; then
  # POSIX regex, no lookahead: every BM_V4 case but the 10,000-session ones.
  FILTER="${FILTER%|V4)}|V4([A-RT-Z]|S[^e]|SessionMemory/[a-z-]+/sessions:2/))"
  EXTRA=(--extra-json "$V4_MEMORY_JSON")
fi

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  # bench/results is excluded: this very block is rewriting machine.txt.
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet -- protocol crypto bench ':!bench/results' || echo ' (with uncommitted changes)')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "kernel: $(uname -r)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "packages: $(dpkg-query -W -f='${Package} ${Version}; ' libssl3 libdecaf0 libgcrypt20 libotr5 libsodium23 libbenchmark1debian 2>/dev/null)"
  echo "libotr-ng: $(sed -n 's/.*kLibotrNgStatus\[\] = "\(.*\)";/\1/p' "$(bazel info output_base 2>/dev/null)/external/libotr_ng/libotr_ng_status.h" 2>/dev/null)"
  echo "command: bash bench/run_report.sh (REPETITIONS=$REPETITIONS MIN_TIME=$MIN_TIME METRIC=$METRIC${V4_MEMORY_JSON:+ V4_MEMORY_JSON=$V4_MEMORY_JSON} $*)"
} >"$MACHINE"

TMP_JSON="$(mktemp "$OUT_DIR/.otr_bench.XXXXXX")"
trap 'rm -f "$TMP_JSON"' EXIT
echo "== Running $REPETITIONS repetitions of at least ${MIN_TIME}s per case" >&2
start=$(date +%s)
"$BIN" --benchmark_filter="$FILTER" --benchmark_repetitions="$REPETITIONS" \
  --benchmark_report_aggregates_only=true --benchmark_min_time="$MIN_TIME" \
  --benchmark_out="$TMP_JSON" --benchmark_out_format=json "$@" >&2
echo "run time: $(($(date +%s) - start)) s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$MACHINE"
if [[ ! -s "$TMP_JSON" ]]; then
  echo "run_report.sh: the benchmark wrote no JSON" >&2
  exit 1
fi
mv "$TMP_JSON" "$JSON"
chmod a+r "$JSON"
trap - EXIT

"$PYTHON" bench/report.py "$JSON" "$OUT_DIR" --machine "$MACHINE" --metric "$METRIC" "${EXTRA[@]}"
