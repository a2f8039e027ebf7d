#!/bin/bash
# Clang source-based coverage of protocol/ from the fuzz corpora, the way
# OSS-Fuzz measures it: fuzz/oss-fuzz/build.sh with coverage flags, each
# fuzzer run over its corpus with -runs=0, profiles merged, llvm-cov report.
#
#   fuzz/coverage_report.sh [EXTRA_CORPUS_ROOT]
#
# EXTRA_CORPUS_ROOT/<fuzzer>/ (e.g. a local campaign's corpora) is replayed
# too. Prints the per-file table (lines, branches) for protocol/ and leaves
# the HTML report in $COVERAGE_DIR (default /tmp/otr-coverage/html).
#
# OTR_FUZZERS=REGEX restricts the build (and so the report) to the fuzzers
# whose name matches (fuzz/oss-fuzz/build.sh); the *_realcrypto variants,
# never replayed here, are not built. For protocol/v4 and protocol/prekey:
#   OTR_FUZZERS='^(v4_|prekey_|libotr_ng_|reassembler_v4_)' fuzz/coverage_report.sh
set -eu

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EXTRA="${1:-}"
DIR="${COVERAGE_DIR:-/tmp/otr-coverage}"
rm -rf "$DIR"
mkdir -p "$DIR/src" "$DIR/work" "$DIR/out" "$DIR/profiles"
ln -s "$ROOT" "$DIR/src/otr"

export SRC="$DIR/src" WORK="$DIR/work" OUT="$DIR/out"
export CC=clang CXX=clang++
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -fprofile-instr-generate -fcoverage-mapping -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export OTR_NO_REALCRYPTO=1
bash "$ROOT/fuzz/oss-fuzz/build.sh" >"$DIR/build.log" 2>&1

objects=()
for bin in "$OUT"/*_fuzzer; do
  name="$(basename "$bin")"
  dirs=("$ROOT/fuzz/corpus/$name")
  [ -n "$EXTRA" ] && [ -d "$EXTRA/$name" ] && dirs+=("$EXTRA/$name")
  LLVM_PROFILE_FILE="$DIR/profiles/$name.profraw" "$bin" -runs=0 "${dirs[@]}" \
    >"$DIR/$name.log" 2>&1
  objects+=(-object "$bin")
done

llvm-profdata-14 merge -sparse "$DIR"/profiles/*.profraw -o "$DIR/merged.profdata"
# The first -object is positional for llvm-cov.
first="${objects[1]}"
rest=("${objects[@]:2}")
# Keep protocol/ only (llvm-cov prints paths below the common prefix).
# (Every fuzzer defines LLVMFuzzerTestOneInput, so llvm-cov warns about
# "mismatched data" for fuzz/ functions; they are not in the report.)
ignore='/(fuzz|crypto|base|tests)/|^/usr/'
llvm-cov-14 report "$first" "${rest[@]}" -instr-profile="$DIR/merged.profdata" \
  -ignore-filename-regex="$ignore" 2>/dev/null | tee "$DIR/report.txt"
llvm-cov-14 show "$first" "${rest[@]}" -instr-profile="$DIR/merged.profdata" \
  -ignore-filename-regex="$ignore" -format=html -output-dir="$DIR/html" 2>/dev/null
echo "HTML: $DIR/html/index.html"
