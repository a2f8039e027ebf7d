#!/usr/bin/env bash
# `otr demo` runs to the end on both backends and both versions, and its
# transcript shows every step the demo promises.
set -euo pipefail
OTR="$1"
for backend in openssl gcrypt; do
  for version in 3 2; do
    out=$("$OTR" demo --no-color --backend "$backend" --version "$version" --messages 4)
    for step in "Query Message offering" "D-H Commit" "D-H Key" "fragments" \
                "conversation is now private" "secure session id" "reads (private): Fine" \
                "reveals 1 old MAC key" "SMP: the secrets match" "Alice reads (private): Here is the long story" \
                "the other side ended" "message not sent" "final states: Alice PLAINTEXT, Bob PLAINTEXT"; do
      if ! grep -qF "$step" <<<"$out"; then
        echo "demo ($backend, v$version) lacks: $step"
        echo "$out"
        exit 1
      fi
    done
    if [[ "$version" == 2 ]] && grep -q "v3 D-H" <<<"$out"; then
      echo "demo --version 2 spoke v3"; exit 1
    fi
  done
done
wire=$("$OTR" demo --no-color --wire --messages 2)
grep -qF '?OTR:AAM' <<<"$wire" || { echo "--wire shows no raw messages"; exit 1; }
if "$OTR" demo --version 1 2>/dev/null; then echo "--version 1 accepted"; exit 1; fi
echo "1 passed, 0 failed"
