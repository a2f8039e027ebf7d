#!/bin/bash
# Local fuzzing campaign: runs every fuzz target (or the ones named) for
# SECONDS each, JOBS at a time, from a copy of its seed corpus with its
# dictionary and options, and writes a markdown table of the results
# (executions, rate, coverage, corpus size, crashes) to $WORK_DIR/table.md:
# "corpus in" counts the seed files, "out" the units libFuzzer kept.
#
#   fuzz/run_campaign.sh [SECONDS] [JOBS] [TARGET...]
#
# SECONDS defaults to 600, JOBS to 1. TARGETs may name the stateful targets'
# <name>_realcrypto variants (real crypto; the plain names run over the
# stand-in backend of a fuzzing build). Binaries come from the --config=fuzz
# build (README.md "Running locally"); set BIN to another directory of
# libFuzzer binaries (e.g. an emulated OSS-Fuzz $OUT) to use those instead.
# Environment: BIN, WORK_DIR (default /tmp/otr-campaign.<date>), NICE
# (niceness of the fuzzers, default 19: the machine is shared).
# fuzz/corpus/ is only read: new inputs, logs and artefacts stay in WORK_DIR;
# merge the finds back by hand (`-merge=1`, README.md).
set -u

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_PER_TARGET="${1:-600}"
JOBS="${2:-1}"
shift 2 2>/dev/null || shift $#
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  for src in "$ROOT"/fuzz/*_fuzzer.cc; do
    TARGETS+=("$(basename "${src%.cc}")")
  done
fi
NICE="${NICE:-19}"
WORK_DIR="${WORK_DIR:-/tmp/otr-campaign.$(date +%Y%m%d-%H%M%S)}"
if [ -z "${BIN:-}" ]; then
  BIN="$(cd "$ROOT" && bazel --output_base="$HOME/.cache/bazel-fuzz" info \
    --config=fuzz bazel-bin 2>/dev/null)/fuzz"
fi
mkdir -p "$WORK_DIR"

# Same dictionaries per target as oss-fuzz/build.sh.
dicts_for() {
  case "$1" in
    v3_message_fuzzer | pubkey_fuzzer) echo messages ;;
    tlv_fuzzer | smp_tlv_fuzzer | smp_records_fuzzer) echo tlv ;;
    privkey_file_fuzzer | fingerprint_file_fuzzer | instag_file_fuzzer) echo store ;;
    session_* | smp_fuzzer) echo otr messages tlv ;;
    v4_session_*) echo otr v4 tlv ;;
    *) echo otr ;;
  esac
}

# The "key = value" lines of section [$2] of oss-fuzz/<name>.options, as
# "key=value" lines (OSS-Fuzz passes [libfuzzer] as flags and appends
# [asan] to ASAN_OPTIONS).
options_section() {
  local file="$ROOT/fuzz/oss-fuzz/$1.options"
  [ -f "$file" ] || return 0
  awk -v want="[$2]" '
    /^[[:space:]]*\[/ { in_section = ($1 == want); next }
    in_section' "$file" |
    sed -n 's/^[[:space:]]*\([a-z_]*\)[[:space:]]*=[[:space:]]*\([^#[:space:]]*\).*/\1=\2/p'
}
options_for() { options_section "$1" libfuzzer | sed 's/^/-/'; }
asan_options_for() { options_section "$1" asan | paste -sd: -; }

# ASan as ClusterFuzz runs OSS-Fuzz's libFuzzer targets (its fuzzing-time
# ASAN_OPTIONS: a 64 MB quarantine, memory given back to the OS every
# 500 ms, stack-use-after-return on), symbolized here; a caller's
# ASAN_OPTIONS replaces them. Each target's [asan] options are added last.
OSS_FUZZ_ASAN_OPTIONS="alloc_dealloc_mismatch=0:allocator_may_return_null=1:\
allocator_release_to_os_interval_ms=500:allow_user_segv_handler=0:check_malloc_usable_size=0:\
detect_leaks=1:detect_odr_violation=0:detect_stack_use_after_return=1:fast_unwind_on_fatal=0:\
handle_abort=1:handle_segv=1:handle_sigbus=1:handle_sigfpe=1:handle_sigill=1:\
max_uar_stack_size_log=16:print_scariness=1:print_summary=1:print_suppressions=0:\
quarantine_size_mb=64:strict_memcmp=1:symbolize=1:use_sigaltstack=1"
ASAN_OPTIONS="${ASAN_OPTIONS:-$OSS_FUZZ_ASAN_OPTIONS}"

# Runs one target; leaves $dir/row.md (one table row) behind. A
# <name>_realcrypto variant (the stateful targets with real crypto, decision
# 0027) uses <name>'s seeds, dictionary and options.
run_target() {
  local name="$1"
  local base="${name%_realcrypto}"
  local dir="$WORK_DIR/$name"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "$ROOT/fuzz/corpus/$base"/* "$dir/corpus/" 2>/dev/null
  local corpus_in
  corpus_in="$(find "$dir/corpus" -type f | wc -l)"
  : >"$dir/dict"
  for d in $(dicts_for "$base"); do
    grep -v '^#' "$ROOT/fuzz/dicts/$d.dict" >>"$dir/dict"
  done
  local opts asan
  mapfile -t opts < <(options_for "$base")
  asan="$(asan_options_for "$base")"
  # -timeout and -rss_limit_mb as OSS-Fuzz sets them.
  local start=$SECONDS
  ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+${asan:+:}}$asan" \
    nice -n "$NICE" "$BIN/$name" -max_total_time="$SECONDS_PER_TARGET" \
    -print_final_stats=1 -timeout=25 -rss_limit_mb=2560 \
    -dict="$dir/dict" -artifact_prefix="$dir/artifacts/" "${opts[@]}" \
    "$dir/corpus" >"$dir/log" 2>&1
  local rc=$?
  local wall=$((SECONDS - start))

  local execs rate cov ft corpus_out result
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)"
  # Coverage of the last status line (libFuzzer's "#N ... cov: C ft: F").
  cov="$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*')"
  ft="$(grep -o 'ft: [0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*')"
  # libFuzzer's final corpus (units kept; the directory also holds inputs
  # that later reductions replaced).
  corpus_out="$(grep -o 'corp: [0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*')"
  [ -n "$corpus_out" ] || corpus_out="$(find "$dir/corpus" -type f | wc -l)"
  local secs="$SECONDS_PER_TARGET"
  # "Done N runs in S second(s)" gives libFuzzer's own duration.
  local done_secs
  done_secs="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$dir/log" | tail -1)"
  [ -n "$done_secs" ] && secs="$done_secs"
  [ -n "$done_secs" ] || secs="$wall"
  rate="-"
  [ -n "$execs" ] && [ "$secs" -gt 0 ] && rate=$((execs / secs))
  local artifacts
  artifacts="$(find "$dir/artifacts" -type f -printf '%f ' | sed 's/ $//')"
  if [ "$rc" -eq 0 ] && [ -z "$artifacts" ]; then
    result="no crash, leak, timeout or invariant violation"
  elif grep -q 'invariant violated' "$dir/log"; then
    result="INVARIANT VIOLATION: $(grep -m1 -o 'invariant violated at [^ ]*' "$dir/log") ($artifacts)"
  else
    result="FAILED rc=$rc: $(grep -m1 -o 'ERROR: [A-Za-z]*: [a-z-]*' "$dir/log") ($artifacts)"
  fi
  # shellcheck disable=SC2016 # the backquotes are markdown
  printf '| `%s` | %s | %s | %s | %s | %s | %s → %s | %s |\n' \
    "$name" "$secs" "${execs:-?}" "$rate" "${cov:-?}" "${ft:-?}" \
    "$corpus_in" "$corpus_out" "$result" >"$dir/row.md"
  echo "$(date +%H:%M:%S) $name: rc=$rc, ${execs:-?} executions in $secs s, $result"
}

echo "campaign: ${#TARGETS[@]} targets, $SECONDS_PER_TARGET s each, $JOBS at a time, nice $NICE"
echo "binaries: $BIN; work: $WORK_DIR; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for name in "${TARGETS[@]}"; do
  [ -x "$BIN/$name" ] || {
    echo "missing binary $BIN/$name (build with --config=fuzz)" >&2
    exit 1
  }
done

running=0
for name in "${TARGETS[@]}"; do
  if [ "$running" -ge "$JOBS" ]; then
    wait -n
    running=$((running - 1))
  fi
  run_target "$name" &
  running=$((running + 1))
done
wait

{
  echo "| target | seconds | executions | exec/s | cov | ft | corpus in → out | result |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  for name in "${TARGETS[@]}"; do
    cat "$WORK_DIR/$name/row.md"
  done
} >"$WORK_DIR/table.md"
cat "$WORK_DIR/table.md"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -q 'FAILED\|INVARIANT' "$WORK_DIR/table.md"; then
  exit 1
fi
