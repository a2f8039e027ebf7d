#!/bin/bash
# Emulates OSS-Fuzz on this machine (no Docker): runs fuzz/oss-fuzz/build.sh
# with the variables and flags OSS-Fuzz sets, once per configuration, then
# runs every produced fuzzer on its unpacked seed corpus and then fuzzes it
# for a short time, one fuzzer per core at a time. Exits non-zero on any
# build failure, missing artefact or crash.
#
#   fuzz/check_oss_fuzz_build.sh [SECONDS_PER_TARGET] [CONFIG...]
#
# SECONDS_PER_TARGET defaults to 10 (0: replay the seeds only). CONFIGs:
# asan (ASan + libFuzzer), ubsan (UBSan + libFuzzer), afl (AFL++ driver with
# ASan; built and run on its seeds, needs Debian's afl++); default: asan ubsan.
set -u

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_PER_TARGET="${1:-10}"
shift || true
CONFIGS=("$@")
[ ${#CONFIGS[@]} -eq 0 ] && CONFIGS=(asan ubsan)

# OSS-Fuzz's variables and flags (oss_fuzz_env).
# shellcheck source=fuzz/oss_fuzz_env.sh
source "$ROOT/fuzz/oss_fuzz_env.sh"
export UBSAN_OPTIONS="print_stacktrace=1:print_summary=1:silence_unsigned_overflow=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# check_target CONFIG TMP NAME: checks one built target's artefacts, runs it
# on its seeds, then fuzzes it for SECONDS_PER_TARGET. Prints one line per
# problem ("FAIL: ...", with the log's tail) or its "ok" line; returns 1 on
# any problem. Runs in the background, beside others (run_config).
check_target() {
  local config="$1" tmp="$2" name="$3" bad=0
  local bin="$OUT/$name"
  [ -x "$bin" ] || { echo "FAIL: $config: $name not built"; return 1; }
  [ -f "$OUT/${name}_seed_corpus.zip" ] || { echo "FAIL: $config: no ${name}_seed_corpus.zip"; bad=1; }
  [ -s "$OUT/$name.dict" ] || { echo "FAIL: $config: no $name.dict"; bad=1; }
  local seeds="$tmp/seeds/$name"
  mkdir -p "$seeds"
  unzip -q -o "$OUT/${name}_seed_corpus.zip" -d "$seeds"
  if [ "$config" = afl ]; then
    # The AFL++ driver runs each file given on its command line once.
    if ! "$bin" "$seeds"/* >"$tmp/$name.log" 2>&1; then
      tail -20 "$tmp/$name.log"
      echo "FAIL: $config: $name on its seeds"
      return 1
    fi
    return "$bad"
  fi
  # Replay the seeds (unmodified corpus dir: -runs=0 only loads it).
  if ! "$bin" -runs=0 "$seeds" >"$tmp/$name.seeds.log" 2>&1; then
    tail -30 "$tmp/$name.seeds.log"
    echo "FAIL: $config: $name on its seeds"
    return 1
  fi
  if [ "$SECONDS_PER_TARGET" -gt 0 ]; then
    local opts=(-max_total_time="$SECONDS_PER_TARGET" -dict="$OUT/$name.dict"
      -artifact_prefix="$tmp/$name-" -print_final_stats=1)
    mkdir -p "$tmp/corpus/$name"
    if ! "$bin" "${opts[@]}" "$tmp/corpus/$name" "$seeds" >"$tmp/$name.fuzz.log" 2>&1; then
      tail -40 "$tmp/$name.fuzz.log"
      echo "FAIL: $config: $name crashed (artefact under $tmp)"
      return 1
    fi
    local runs
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$tmp/$name.fuzz.log" |
      grep -o '[0-9]*$')"
    echo "  $name: ok, ${runs:-?} executions in ${SECONDS_PER_TARGET} s"
  else
    echo "  $name: ok on its seeds"
  fi
  return "$bad"
}

run_config() {
  local config="$1"
  local tmp
  tmp="$(mktemp -d "/tmp/otr-oss-fuzz-$config.XXXXXX")"
  if ! oss_fuzz_env "$config" "$tmp"; then
    fail "unknown config $config"
    return
  fi
  echo "=== $config: building in $tmp"
  local start=$SECONDS
  if ! bash "$ROOT/fuzz/oss-fuzz/build.sh" >"$tmp/build.log" 2>&1; then
    tail -30 "$tmp/build.log" >&2
    fail "$config: build.sh"
    return
  fi
  echo "=== $config: built in $((SECONDS - start)) s"

  # Every fuzzer, and the stateful ones' *_realcrypto variants (build.sh).
  local names=()
  for src in "$ROOT"/fuzz/*_fuzzer.cc; do
    names+=("$(basename "${src%.cc}")")
    case "${names[-1]}" in
      session_ake_fuzzer | session_established_fuzzer | smp_fuzzer | v4_session_* | prekey_server_fuzzer)
        names+=("${names[-1]}_realcrypto")
        ;;
    esac
  done
  [ ${#names[@]} -gt 0 ] || fail "no fuzz targets found"
  # One target per core at a time (each fuzzes on one core), results in order.
  local name running=0 cores
  cores="$(nproc)"
  for name in "${names[@]}"; do
    if [ "$running" -ge "$cores" ]; then
      wait -n
      running=$((running - 1))
    fi
    { check_target "$config" "$tmp" "$name" || touch "$tmp/$name.failed"; } >"$tmp/$name.result" 2>&1 &
    running=$((running + 1))
  done
  wait
  for name in "${names[@]}"; do
    if [ -e "$tmp/$name.failed" ]; then
      cat "$tmp/$name.result" >&2
      failures=$((failures + 1))
    else
      cat "$tmp/$name.result"
    fi
  done
  echo "=== $config: done (${#names[@]} targets) in $((SECONDS - start)) s"
  # Keep the tree only when something failed (artefacts, logs).
  [ "$failures" -eq 0 ] && rm -rf "$tmp"
}

# The checks OSS-Fuzz's presubmit (infra/presubmit.py, ProjectYamlChecker)
# makes on project.yaml, plus no placeholder left: main_repo present,
# language supported, contacts look like addresses, sanitizers and engines
# from OSS-Fuzz's lists (infra/constants.py).
check_project_yaml() {
  local yaml="$ROOT/fuzz/oss-fuzz/project.yaml"
  value() { sed -n "s/^$1: *\"\{0,1\}\([^\"]*\)\"\{0,1\} *$/\1/p" "$yaml"; }
  [ -n "$(value main_repo)" ] || fail "project.yaml: no main_repo"
  [ -n "$(value homepage)" ] || fail "project.yaml: no homepage"
  case "$(value language)" in
    c | c++) ;;
    *) fail "project.yaml: language must be c or c++" ;;
  esac
  case "$(value primary_contact)" in
    *@*.*) ;;
    *) fail "project.yaml: primary_contact is not an e-mail address" ;;
  esac
  grep -qi 'REPLACE' "$yaml" "$ROOT/fuzz/oss-fuzz/Dockerfile" &&
    fail "project.yaml or Dockerfile: placeholder left"
  # List items under sanitizers: and fuzzing_engines:.
  local section item
  section=""
  while IFS= read -r line; do
    case "$line" in
      sanitizers:*) section=sanitizers ;;
      fuzzing_engines:*) section=engines ;;
      [a-z]*) section="" ;;
      *"- "*)
        item="$(echo "$line" | sed 's/^ *- *//; s/ *#.*//; s/:.*//')"
        case "$section:$item" in
          sanitizers:address | sanitizers:undefined | sanitizers:memory) ;;
          engines:libfuzzer | engines:afl | engines:honggfuzz | engines:centipede) ;;
          :*) ;;
          *) fail "project.yaml: $section entry '$item' unknown to OSS-Fuzz" ;;
        esac
        ;;
    esac
  done <"$yaml"
  # An engine declared there must be one this script can build.
  if grep -q '^ *- *afl' "$yaml"; then
    command -v afl-clang-fast >/dev/null ||
      echo "note: project.yaml declares afl; afl-clang-fast is not installed here, so run 'afl' elsewhere" >&2
  fi
}

check_project_yaml
for config in "${CONFIGS[@]}"; do
  run_config "$config"
done
if [ "$failures" -ne 0 ]; then
  echo "check_oss_fuzz_build: $failures failure(s)" >&2
  exit 1
fi
echo "check_oss_fuzz_build: all configurations built and ran"
