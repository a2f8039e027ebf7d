#!/usr/bin/env bash
# `otr demo` runs to the end on both backends and every version, and its
# transcript shows every step the demo promises: v4 (the default when both
# sides allow it) and today's v3/v2 demo.
set -euo pipefail
OTR="$1"
v3_steps=("Query Message offering" "D-H Commit" "D-H Key" "fragments"
          "conversation is now private" "secure session id" "reads (private): Fine"
          "reveals 1 old MAC key" "SMP: the secrets match" "Alice reads (private): Here is the long story"
          "the other side ended" "message not sent" "final states: Alice PLAINTEXT, Bob PLAINTEXT")
v4_steps=("Query Message offering v2,v3,v4" "of v4 Identity (Client Profile" "of v4 Auth-R (" "of v4 Auth-I ("
          "conversation is now private" "secure session id (both sides)" "Alice's v4 fingerprint"
          "reads (private): Fine" "ratchet i=1 j=0" "ratchet i=2 j=0" "new DH key (brace key ratchet)"
          "reveals 1 old MAC key" "network delivers message 3 now" "Alice reads (private): part 1 of 3"
          "the replay is refused, not read again" "SMP: the secrets match - identity verified"
          "the two keys are equal" "Alice reads (private): Here is the long story"
          "the session expires" "the other side ended" "message not sent")
check() {  # version backend output steps...
  local version="$1" backend="$2" out="$3"; shift 3
  for step in "$@"; do
    if ! grep -qF "$step" <<<"$out"; then
      echo "demo ($backend, v$version) lacks: $step"
      echo "$out"
      exit 1
    fi
  done
}
for backend in openssl gcrypt; do
  out=$("$OTR" demo --no-color --backend "$backend" --messages 4)
  check 4 "$backend" "$out" "${v4_steps[@]}"
  if grep -q "WARNING: fell back" <<<"$out"; then echo "the v4 demo fell back"; exit 1; fi
  for version in 3 2; do
    out=$("$OTR" demo --no-color --backend "$backend" --version "$version" --messages 4)
    check "$version" "$backend" "$out" "${v3_steps[@]}"
    if [[ "$version" == 2 ]] && grep -q "v3 D-H" <<<"$out"; then
      echo "demo --version 2 spoke v3"; exit 1
    fi
  done
done
wire=$("$OTR" demo --no-color --wire --messages 2)
grep -qF '?OTR:AAQD' <<<"$wire" || { echo "--wire shows no raw v4 Data Messages"; exit 1; }
wire=$("$OTR" demo --no-color --wire --version 3 --messages 2)
grep -qF '?OTR:AAM' <<<"$wire" || { echo "--wire shows no raw v3 messages"; exit 1; }
if "$OTR" demo --version 1 2>/dev/null; then echo "--version 1 accepted"; exit 1; fi
echo "1 passed, 0 failed"
