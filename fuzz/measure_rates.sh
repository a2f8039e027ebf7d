#!/bin/bash
# Executions per CPU second of the stateful fuzz targets, measured as issue
# 21's target is (fuzz/README.md, "Measuring the rate"): OSS-Fuzz's ASan
# build, each target alone for SECONDS from its seeds with its dictionary and
# options under ClusterFuzz's fuzzing-time ASAN_OPTIONS (fuzz/run_campaign.sh,
# not niced), executions divided by the CPU seconds the run took.
#
#   fuzz/measure_rates.sh [SECONDS] [TARGET...]
#
# SECONDS defaults to 60; TARGETs to the nine stateful targets. BIN names a
# directory of OSS-Fuzz ASan binaries (an $OUT); without it they are built
# first, as OSS-Fuzz's address configuration would (oss-fuzz/build.sh under
# oss_fuzz_env.sh; about 8 minutes on 2 cores). WORK_DIR (default
# /tmp/otr-rates.<date>) keeps each minute's campaign and table.md.
#
# The machine's speed is part of every figure: the same binary has run at
# half its rate on a slower day (fuzz/README.md, sessions 26 and 27). So the
# table ends with a reference taken just before, which does not depend on
# this project's code: OpenSSL's SHA-256 over 1 KiB blocks (`openssl speed`),
# and the executions per CPU second of replaying the committed seed corpus of
# v4_session_offline_fuzzer once.
set -u

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(v4_session_offline_fuzzer v4_session_dake_fuzzer
  v4_session_prekey_fuzzer v4_session_smp_fuzzer v4_session_established_fuzzer
  session_established_fuzzer session_ake_fuzzer smp_fuzzer prekey_server_fuzzer)
WORK_DIR="${WORK_DIR:-/tmp/otr-rates.$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$WORK_DIR"

if [ -z "${BIN:-}" ]; then
  # shellcheck source=fuzz/oss_fuzz_env.sh
  source "$ROOT/fuzz/oss_fuzz_env.sh"
  oss_fuzz_env asan "$WORK_DIR/build"
  echo "building the OSS-Fuzz ASan binaries in $WORK_DIR/build"
  if ! bash "$ROOT/fuzz/oss-fuzz/build.sh" >"$WORK_DIR/build/build.log" 2>&1; then
    tail -30 "$WORK_DIR/build/build.log" >&2
    echo "measure_rates: build.sh failed" >&2
    exit 1
  fi
  BIN="$OUT"
fi
for name in "${TARGETS[@]}"; do
  [ -x "$BIN/$name" ] || {
    echo "measure_rates: no binary $BIN/$name" >&2
    exit 1
  }
done

# Prints the CPU seconds (user + system) the command took; its output goes
# to the file $1.
cpu_seconds() {
  local log="$1"
  shift
  local TIMEFORMAT='%U %S'
  { time "$@" >"$log" 2>&1; } 2>&1 | awk '{ printf "%.2f", $1 + $2 }'
}
per_second() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }'; }

# The reference: code-independent (OpenSSL) and this build's own (a replay).
sha256="$(openssl speed -seconds 3 -bytes 1024 sha256 2>/dev/null |
  awk '/^sha256/ { sub(/k$/, "", $2); printf "%d", $2 / 1024 }')"
# The fastest of three replays (each pays the process's start too).
seeds="$ROOT/fuzz/corpus/v4_session_offline_fuzzer"
replay_cpu="$(for _ in 1 2 3; do
  cpu_seconds "$WORK_DIR/replay.log" "$BIN/v4_session_offline_fuzzer" -runs=0 "$seeds"
  echo
done | sort -n | head -1)"
replay_rate="$(per_second "$(find "$seeds" -type f | wc -l)" "$replay_cpu")"

rows=()
failed=0
for name in "${TARGETS[@]}"; do
  start="$(date -u +%H:%M)"
  log="$WORK_DIR/$name.log"
  campaign="$WORK_DIR/$name"
  cpu="$(NICE=0 BIN="$BIN" WORK_DIR="$campaign" cpu_seconds "$log" \
    bash "$ROOT/fuzz/run_campaign.sh" "$SECONDS_PER_TARGET" 1 "$name")"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$campaign/$name/log" | tail -1)"
  result="$(sed -n 's/^[0-9:]* [a-z0-9_]*: rc=[0-9]*, [^,]*, //p' "$log" | head -1)"
  grep -q 'FAILED\|INVARIANT' "$log" && failed=1
  rate="$(per_second "${execs:-0}" "$cpu")"
  rows+=("| \`$name\` | $start | ${execs:-?} | $cpu | $rate | ${result:-see $log} |")
  echo "${rows[-1]}"
done

{
  echo "| target | start (UTC) | executions | CPU s | per CPU s | result |"
  echo "| --- | --- | ---: | ---: | ---: | --- |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Reference ($(date -u +%Y-%m-%d), before the first minute): OpenSSL SHA-256 over 1 KiB" \
    "blocks ${sha256:-?} MiB/s; the replay of v4_session_offline_fuzzer's seeds" \
    "$replay_rate inputs per CPU s. Load at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} >"$WORK_DIR/table.md"
cat "$WORK_DIR/table.md"
exit "$failed"
