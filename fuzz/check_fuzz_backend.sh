#!/bin/bash
# The fuzz targets that use fuzz/support's fixed parties (harness.h,
# v4_harness.h, v4_offline.h, fixed_keys.h: identities, keys and profiles
# made with FuzzBackend()) must do their own crypto with FuzzBackend() too,
# never crypto::DefaultBackend(): in a fuzzing build FuzzBackend() is the
# stand-in of decision 0027, whose keys real crypto refuses, so a target
# mixing the two traps on its own seeds in an OSS-Fuzz build (the bug fixed
# in 8bcd29b, libotr_ng_variant_fuzzer's ValidateIdentity) while the plain
# corpus tests, with real crypto on both sides, pass.
#
# Fails if a fuzz/*.cc that includes one of those headers (or fuzz_backend.h),
# or a fuzz/support/*.cc other than fuzz_backend.cc (which wraps real crypto
# into the stand-in), calls DefaultBackend(). Targets without fixed parties
# of fuzz/support (decoder targets such as prekey_key_file_fuzzer) may use
# it; prekey_server_fuzzer includes fuzz_backend.h and is checked (its own
# fixed keys are made with FuzzBackend() since branch fuzz-rate). Run by
# fuzz/check_decoder_table.sh.
#
#   bash fuzz/check_fuzz_backend.sh
set -euo pipefail
cd "$(dirname "$0")/.."

FIXED_PARTIES='#include "fuzz/support/(harness|v4_harness|v4_offline|fixed_keys|fuzz_backend)\.h"'
failures=0
checked=0
for src in fuzz/*.cc fuzz/support/*.cc; do
  case "$src" in
    fuzz/support/fuzz_backend.cc) continue ;;
    fuzz/support/*) ;;
    *) grep -qE "$FIXED_PARTIES" "$src" || continue ;;
  esac
  checked=$((checked + 1))
  # Calls, not comments: lines whose code (before any //) names it.
  if hits="$(sed 's|//.*||' "$src" | grep -n 'DefaultBackend *(')"; then
    while read -r hit; do
      echo "check_fuzz_backend: $src:${hit%%:*}: DefaultBackend() beside fuzz/support's fixed parties; use otr::fuzzing::FuzzBackend() (fuzz/support/fuzz_backend.h, decision 0027)" >&2
      failures=$((failures + 1))
    done <<<"$hits"
  fi
done

if [ "$failures" -ne 0 ]; then
  echo "check_fuzz_backend: $failures call(s) of DefaultBackend() in $checked sources with fixed parties" >&2
  exit 1
fi
echo "check_fuzz_backend: $checked sources with fuzz/support's fixed parties, none calls DefaultBackend()"
