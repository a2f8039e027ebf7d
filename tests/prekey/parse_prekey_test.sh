#!/usr/bin/env bash
# `otr parse` decodes every prekey-server message (bare base64 and "."),
# prints its fields (the DAKE-3 attachment too), exits 1 on a malformed one,
# and leaves text that is not one of them to the OTR parser.
set -euo pipefail
OTR=$1
EXAMPLES=$2
fail() { echo "FAIL: $*" >&2; exit 1; }

mapfile -t messages < <("$EXAMPLES" --encoded)
[[ ${#messages[@]} -ge 11 ]] || fail "only ${#messages[@]} examples"
seen=""
for m in "${messages[@]}"; do
  out=$("$OTR" parse <<<"$m") || fail "parse refused $m: $out"
  head=$(head -1 <<<"$out")
  [[ $head == "Prekey-server "*" Message (version 4, type 0x"* ]] || fail "header: $head"
  seen+="$head"$'\n'
done
for name in DAKE-1 DAKE-2 DAKE-3 "Prekey Publication" "Storage Status" Success Failure \
  "Prekey Ensemble Query Retrieval" "Prekey Ensemble Retrieval" \
  "No Prekey Ensembles in Storage"; do
  grep -qF "Prekey-server $name Message" <<<"$seen" || fail "no $name in: $seen"
done

# A DAKE-3 shows its attachment.
for m in "${messages[@]}"; do
  [[ $m == AAQ3* ]] || continue
  out=$("$OTR" parse <<<"$m")
  grep -qE '^Attached Prekey-server (Prekey Publication|Storage Information Request) Message' \
    <<<"$out" || fail "DAKE-3 attachment not shown: $out"
done

# Fields: the Storage Status example stores 42 prekey messages.
for m in "${messages[@]}"; do
  [[ $m == AAQL* ]] || continue
  "$OTR" parse <<<"$m" | grep -qE '^  Stored prekey messages +42$' || fail "Storage Status fields"
done

# Malformed: a Success message cut short is exit status 1.
rc=0; out=$("$OTR" parse <<<"AAQGAAABAA==.") || rc=$?
[[ $rc == 1 && $out == "Malformed prekey-server Success Message"* ]] || fail "short Success: $rc $out"

# Not a prekey-server message: base64 of an unknown type, and plain text.
rc=0; out=$("$OTR" parse <<<"AAQH.") || rc=$?
[[ $rc == 0 && $out == Plaintext* ]] || fail "unknown type taken for prekey: $rc $out"
rc=0; out=$("$OTR" parse <<<"hello.") || rc=$?
[[ $rc == 0 && $out == Plaintext* ]] || fail "plain text: $rc $out"

# The identity is a peer's text: control characters are escaped. Query
# Retrieval (0x10), sender 0x100, identity "a<ESC>]0;x<BEL>", versions "4".
msg=$(printf '\x00\x04\x10\x00\x00\x01\x00\x00\x00\x00\x07a\x1b]0;x\x07\x00\x00\x00\x014' | base64 -w0).
out=$("$OTR" parse <<<"$msg") || fail "query retrieval: $out"
grep -qF 'Participant identity   a\x1b]0;x\x07' <<<"$out" || fail "not escaped: $out"
if grep -q $'\x1b' <<<"$out"; then fail "raw ESC printed"; fi
echo PASS
