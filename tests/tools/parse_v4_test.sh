#!/usr/bin/env bash
# `otr parse` on OTRv4 (issue 16): every v4 message type decodes and prints
# its fields (points in hex), malformed ones exit 1, and the --client-profile,
# --prekey-profile and --tlvs forms read hex. Peer text (Versions, an SMP
# question, the message) reaches the terminal escaped.
#   parse_v4_test.sh <otr>
set -euo pipefail
OTR="$1"
failures=0
fail() {
  echo "FAIL ($case_name): $*"
  failures=$((failures + 1))
}
# N bytes of value V, in hex.
fill() { printf "%0.s$2" $(seq 1 "$1"); }
armour() { echo "?OTR:$(xxd -r -p <<<"$1" | base64 -w0)."; }
# parse HEX-MESSAGE: armours it and runs otr parse; sets $out and $rc.
parse() {
  rc=0
  out=$("$OTR" parse <<<"$(armour "$1")") || rc=$?
}
expect_line() { grep -qF -- "$1" <<<"$out" || fail "missing '$1' in: $out"; }
# expect_field NAME VALUE: a field line, whatever the column widths.
expect_field() {
  sed -E 's/ +/ /g' <<<"$out" | grep -qxF -- " $1 $2" || fail "missing field '$1' = '$2' in: $out"
}

HDR="00000100""00000000" # sender 0x100, receiver 0
# A v4-only Client Profile; Versions holds an escape character.
PROFILE="00000005"\
"0001""00000101"\
"0002""1000""$(fill 57 a1)"\
"0003""1200""$(fill 57 a2)"\
"0004""00000003""1b""3334"\
"0005""0000000065000000"\
"$(fill 114 5a)"
MPI="0000000201ff"

case_name="Identity"
parse "0004""35""$HDR""$PROFILE""$(fill 57 01)""$MPI""$(fill 57 03)""$MPI"
[[ $rc == 0 ]] || fail "status $rc: $out"
expect_line "OTRv4 Identity Message:"
expect_field "Sender instance" "0x00000100"
expect_field "Owner instance tag" "0x00000101"
expect_field "Ed448 public key H" "$(fill 57 a1)"
expect_field 'Versions' '\x1b34'
expect_field "our_dh_first" "01ff"
[[ "$out" != *$'\033'* ]] || fail "an escape character reached the terminal"

case_name="Auth-R, Auth-I, Non-Interactive-Auth"
parse "0004""36""$HDR""$PROFILE""$(fill 57 01)""$MPI""$(fill 342 07)""$(fill 57 03)""$MPI"
[[ $rc == 0 ]] && expect_line "OTRv4 Auth-R Message:" || fail "Auth-R: status $rc: $out"
expect_field "sigma r3" "$(fill 57 07)"
parse "0004""37""$HDR""$(fill 342 44)"
[[ $rc == 0 ]] && expect_line "OTRv4 Auth-I Message:" || fail "Auth-I: status $rc: $out"
parse "0004""0d""$HDR""$PROFILE""$(fill 57 01)""$MPI""$(fill 342 07)""abcdef01""$(fill 64 08)""$(fill 57 03)""$MPI"
[[ $rc == 0 ]] && expect_line "OTRv4 Non-Interactive-Auth Message:" || fail "NIA: status $rc: $out"
expect_field "Prekey identifier" "0xabcdef01"
expect_field "Auth MAC" "$(fill 64 08)"

case_name="Prekey Message"
parse "0004""0f""cafe0001""00000100""$(fill 57 33)""$MPI"
[[ $rc == 0 ]] && expect_line "OTRv4 Prekey Message:" || fail "status $rc: $out"
expect_field "Y" "$(fill 57 33)"

case_name="Data Message"
parse "0004""03""$HDR""01""00000003""00000004""00000005""$(fill 57 ec)""00000000""00000003616263""$(fill 64 6d)""00000040""$(fill 64 02)"
[[ $rc == 0 ]] && expect_line "OTRv4 Data Message:" || fail "status $rc: $out"
expect_field "Flags" "0x01 IGNORE_UNREADABLE"
expect_field "Ratchet id i" "4"
expect_field "Public DH key" "(empty)"
expect_field "Revealed MAC key" "$(fill 64 02)"

case_name="malformed v4"
parse "000403"
[[ $rc == 1 ]] && expect_line "Malformed OTRv4 message" || fail "truncated: status $rc: $out"
parse "0004""37""00000001""00000000""$(fill 342 44)"
[[ $rc == 1 ]] || fail "sender tag 1: status $rc: $out"
parse "0004""99""$HDR"
[[ $rc == 1 ]] || fail "unknown type: status $rc: $out"

case_name="--client-profile, --prekey-profile"
rc=0; out=$("$OTR" parse --client-profile <<<"$PROFILE") || rc=$?
[[ $rc == 0 ]] && expect_line "OTRv4 Client Profile:" || fail "status $rc: $out"
expect_field "Expiration" "1694498816"
rc=0; out=$("$OTR" parse --client-profile <<<"${PROFILE:0:40}") || rc=$?
[[ $rc == 1 ]] && expect_line "Malformed Client Profile" || fail "truncated: status $rc: $out"
rc=0; out=$("$OTR" parse --prekey-profile <<<"00000100""0000000065000000""1100""$(fill 57 d0)""$(fill 114 09)") || rc=$?
[[ $rc == 0 ]] && expect_field "Shared prekey D" "$(fill 57 d0)" || fail "status $rc: $out"
rc=0; out=$("$OTR" parse --prekey-profile <<<"zz") || rc=$?
[[ $rc == 1 ]] || fail "not hex: status $rc"

case_name="--tlvs"
question=$(printf 'why\033' | xxd -p)
smp1="00000004""$question""$(fill 57 01)""$(fill 57 02)""$(fill 57 03)""$(fill 57 04)""$(fill 57 05)""$(fill 57 06)"
smp1_len=$(printf '%04x' $(( ${#smp1} / 2 )))
rc=0; out=$("$OTR" parse --tlvs <<<"6869""00""0002""$smp1_len""$smp1""0006""0000") || rc=$?
[[ $rc == 0 ]] || fail "status $rc: $out"
expect_line "TLV type 2 (SMP Message 1)"
expect_field 'Question' 'why\x1b'
expect_field "G3a" "$(fill 57 04)"
expect_line "TLV type 6 (SMP Abort Message), 0 bytes"
[[ "$out" != *$'\033'* ]] || fail "an escape character reached the terminal"
# The corrupted-TLV rule: a broken record is reported, the others still shown.
rc=0; out=$("$OTR" parse --tlvs <<<"6869""00""0006""0001""00""0000""0000""0001""0009""01") || rc=$?
[[ $rc == 1 ]] || fail "corrupted TLVs: status $rc: $out"
expect_line "Malformed, ignored"
expect_line "TLV type 0 (Padding), 0 bytes"
expect_line "Incomplete TLV, ignored:"

if ((failures > 0)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "parse_v4_test: all passed"
