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
{
  echo "# v4 property runs: commit $(cat "$out/COMMIT"), $cases cases, seed $seed, $(nproc) cores, started $(date -u +%FT%TZ)"
  echo "# property | pair (alice_bob) | cases | seed | wall s | result"
} | tee -a "$summary"

failed=0
for pair in $pairs; do
  for t in $tests; do
    # Every property of the test for this pair (one gtest per TEST_P).
    mapfile -t names < <("$out/$t" --gtest_list_tests | awk -v pair="$pair" '
      /^[^ ]/ { suite = $1; next }
      { name = $1; if (name ~ ("/" pair "$")) print suite name }')
    for name in "${names[@]}"; do
      if [[ -n "$filter" && ! "$name" =~ $filter ]]; then continue; fi
      log="$out/$(echo "$name" | tr '/.' '__').log"
      start=$(date +%s.%N)
      rc=0
      nice -n 19 env RC_PARAMS="max_success=$cases seed=$seed" OTR_PROPERTY_CASES="$cases" \
        OTR_PROPERTY_PROGRESS="$progress" \
        "$out/$t" --gtest_filter="$name" >"$log" 2>&1 || rc=$?
      end=$(date +%s.%N)
      wall=$(echo "$end - $start" | bc)
      property=$(grep -m1 '^PROPERTY ' "$log" | sed -e 's/^PROPERTY //' -e 's/ \[.*//' || true)
      [[ -n "$property" ]] || property="$name"
      if [[ "$rc" == 0 ]]; then result=passed; else result="FAILED (see $log)"; failed=1; fi
      printf '%s | %s | %s | %s | %.1f | %s\n' "$property" "$pair" "$cases" "$seed" "$wall" \
        "$result" | tee -a "$summary"
      # What the property counted (its own summary line), for the notes.
      grep -E '^v4 ' "$log" | sed 's/^/#   /' | tee -a "$summary" || true
    done
  done
done
echo "# finished $(date -u +%FT%TZ)" | tee -a "$summary"
exit "$failed"
