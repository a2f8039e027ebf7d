#!/usr/bin/env bash
# Large runs of the OTRv4 security properties (issue 17: "The note gives
# 10,000-case runs per property on both backends"; docs/security-properties.md,
# "Large runs").
#
# Builds the v4 property tests with --config=opt (statically linked, copied
# to a snapshot directory so a rebuild during the run changes nothing), then
# runs every property of every test for each backend pair, one process at a
# time under `nice -n 19`, with the same rapidcheck seed and case count, and
# prints one line per property and pair: cases, seed, wall time, result.
#
#   tests/properties/run_large.sh [-n CASES] [-s SEED] [-p "PAIRS"] [-t "TESTS"]
#                                 [-o DIR] [--no-build]
#
#   -n CASES  cases per property (default 10000)
#   -s SEED   rapidcheck seed (default: drawn from /dev/urandom, printed)
#   -p PAIRS  backend pairs alice_bob (default "openssl_openssl gcrypt_gcrypt
#             openssl_gcrypt": both backends, and one side on each)
#   -t TESTS  test binaries (default: every v4_*_test of tests/properties)
#   -f REGEX  only the properties (gtest names) matching REGEX
#   -o DIR    where the snapshot and the per-property logs go
#             (default .large-runs/<date>-<commit> in the worktree)
#   --no-build  reuse the snapshot given by -o (binaries already there)
#   --build-only  make the snapshot and stop (queue runs on it later)
#   -c CHUNK  run each property as CASES/CHUNK chunks of CHUNK cases, chunk k
#             with seed SEED+k (default: one chunk of CASES cases, seed SEED)
#   -j JOBS   processes at once (default 1; 2 on an idle 2-core machine)
#   --resume  skip the chunks the summary of -o DIR already records as
#             passed (a queue stopped by the end of a session goes on)
#
# Chunks make a long run resumable: 10 chunks of 1,000 cases with seeds
# SEED..SEED+9 are 10,000 cases, each chunk reproducible from its own seed
# (rapidcheck sweeps its size parameter within each chunk, so the chunks
# cover the same sizes as one run would, ten times over). The summary gets
# one line per chunk and, when all of a property's chunks have passed, a
# `TOTAL` line with the cases and the summed wall time.
#
# While a property runs, its log gets a `PROGRESS <property>: <n> runs, <s> s`
# line every 100 cases (-g N to change): `tail` it to see how far it got.
# A case count and seed reproduce a run exactly (a run is deterministic given
# both); a failing property prints rapidcheck's `reproduce=` string in its log.
set -euo pipefail
cd "$(dirname "$0")/../.."

cases=10000
seed=""
pairs="openssl_openssl gcrypt_gcrypt openssl_gcrypt"
tests="v4_deniability_test v4_forward_secrecy_test v4_key_erasure_test v4_replay_test v4_offline_test"
filter=""
out=""
build=1
build_only=0
progress=100
chunk=0
jobs=1
resume=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) cases="$2"; shift 2 ;;
    -s) seed="$2"; shift 2 ;;
    -p) pairs="$2"; shift 2 ;;
    -t) tests="$2"; shift 2 ;;
    -f) filter="$2"; shift 2 ;;
    -g) progress="$2"; shift 2 ;;
    -o) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --build-only) build_only=1; shift ;;
    -c) chunk="$2"; shift 2 ;;
    -j) jobs="$2"; shift 2 ;;
    --resume) resume=1; shift ;;
    *) echo "run_large.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$seed" ]]; then
  seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
fi
commit=$(git rev-parse --short HEAD)
dirty=""
if ! git diff --quiet HEAD -- tests/properties protocol crypto; then dirty="+dirty"; fi
if [[ -z "$out" ]]; then
  out=".large-runs/$(date -u +%Y%m%d-%H%M%S)-${commit}${dirty}"
fi
mkdir -p "$out"

if [[ "$build" == 1 ]]; then
  targets=()
  for t in $tests; do targets+=("//tests/properties:$t"); done
  bazel build --config=opt --dynamic_mode=off "${targets[@]}"
  bin=$(bazel info --config=opt --dynamic_mode=off bazel-bin 2>/dev/null)
  for t in $tests; do
    install -m 0755 "$bin/tests/properties/$t" "$out/$t"
  done
  echo "${commit}${dirty}" >"$out/COMMIT"
fi
if [[ "$build_only" == 1 ]]; then
  echo "snapshot of ${commit}${dirty} in $out"
  exit 0
fi

summary="$out/summary.txt"
[[ "$chunk" -gt 0 ]] || chunk="$cases"
if ((cases % chunk != 0)); then
  echo "run_large.sh: -c $chunk does not divide -n $cases" >&2
  exit 2
fi
chunks=$((cases / chunk))
{
  echo "# v4 property runs: commit $(cat "$out/COMMIT"), $cases cases as $chunks chunk(s) of $chunk, seed $seed (chunk k: seed+k), $(nproc) cores, $jobs at once, started $(date -u +%FT%TZ)"
  echo "# property | pair (alice_bob) | cases | seed | wall s | result | chunk"
} | tee -a "$summary"

# One chunk of one property: its log, then one summary line.
run_chunk() {
  local t="$1" name="$2" pair="$3" k="$4"
  local s=$((seed + k))
  local log="$out/$(echo "$name" | tr '/.' '__').c$k.log"
  local start end wall rc=0 property result
  start=$(date +%s.%N)
  nice -n 19 env RC_PARAMS="max_success=$chunk seed=$s" OTR_PROPERTY_CASES="$chunk" \
    OTR_PROPERTY_PROGRESS="$progress" \
    "$out/$t" --gtest_filter="$name" >"$log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  wall=$(echo "$end - $start" | bc)
  property=$(grep -m1 '^PROPERTY ' "$log" | sed -e 's/^PROPERTY //' -e 's/ \[.*//' || true)
  [[ -n "$property" ]] || property="$name"
  if [[ "$rc" == 0 ]]; then result=passed; else result="FAILED (see $log)"; fi
  # One write per chunk, so lines of parallel chunks do not interleave.
  {
    printf '%s | %s | %s | %s | %.1f | %s | %s %d/%d\n' "$property" "$pair" "$chunk" "$s" \
      "$wall" "$result" "$name" "$((k + 1))" "$chunks"
    grep -E '^v4 ' "$log" | sed 's/^/#   /' || true
  } >"$log.line"
  cat "$log.line" >>"$summary"
  cat "$log.line"
  [[ "$rc" == 0 ]]
}

already_passed() {  # name, chunk index: recorded as passed in the summary?
  grep -qE "\| passed \| $1 $(($2 + 1))/$chunks\$" "$summary"
}

failed=0
running=0
declare -a queued=()
for pair in $pairs; do
  for t in $tests; do
    # Every property of the test for this pair (one gtest per TEST_P).
    mapfile -t names < <("$out/$t" --gtest_list_tests | awk -v pair="$pair" '
      /^[^ ]/ { suite = $1; next }
      { name = $1; if (name ~ ("/" pair "$")) print suite name }')
    for name in "${names[@]}"; do
      if [[ -n "$filter" && ! "$name" =~ $filter ]]; then continue; fi
      queued+=("$t|$name|$pair")
      for ((k = 0; k < chunks; k++)); do
        if [[ "$resume" == 1 ]] && already_passed "$name" "$k"; then continue; fi
        if ((running >= jobs)); then
          wait -n || failed=1
          running=$((running - 1))
        fi
        run_chunk "$t" "$name" "$pair" "$k" &
        running=$((running + 1))
      done
    done
  done
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done

# A property whose every chunk has passed: its total.
for q in "${queued[@]}"; do
  IFS='|' read -r t name pair <<<"$q"
  n=0
  total=0
  for ((k = 0; k < chunks; k++)); do
    line=$(grep -E "\| passed \| $name $((k + 1))/$chunks\$" "$summary" | tail -1 || true)
    [[ -n "$line" ]] || continue
    n=$((n + 1))
    total=$(echo "$total + $(echo "$line" | awk -F' [|] ' '{print $5}')" | bc)
  done
  if ((n == chunks)); then
    printf 'TOTAL %s | %s | %d cases (%d chunks from seed %s) | wall %.1f s | passed\n' "$name" \
      "$pair" "$cases" "$chunks" "$seed" "$total" | tee -a "$summary"
  fi
done
echo "# finished $(date -u +%FT%TZ)" | tee -a "$summary"
exit "$failed"
