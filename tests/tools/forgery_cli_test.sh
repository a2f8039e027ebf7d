#!/usr/bin/env bash
# The `otr` toolkit end to end (issue 7): parse, sesskeys, mackey, readforge,
# modify and remac on transcripts made by our engine and by libotr 4.1.1, v3
# and v2, judged by a libotr receiver (libotr_forgery_peer): what is forged
# with the receiver's keys is displayed with the forged text, what is forged
# without them is refused, and the MAC keys revealed later in the transcript
# re-MAC the originals to themselves.
#   forgery_cli_test.sh <otr> <libotr_forgery_peer>
set -euo pipefail
OTR="$1"
PEER="$2"
failures=0
fail() {
  echo "FAIL ($case_name): $*"
  failures=$((failures + 1))
}

# The peer's lines up to its next "ok" (not included), in $answer.
collect() {
  answer=""
  local line
  while IFS= read -r line <&"${P[0]}"; do
    [[ "$line" == ok ]] && return 0
    answer+="$line"$'\n'
  done
  echo "peer ended"
  exit 1
}
# Sends a command to the peer and collects its answer.
ask() {
  echo "$*" >&"${P[1]}"
  collect
}
field() { awk -v k="$1" 'index($0, k) == 1 { print substr($0, length(k) + 1); exit }'; }
deliver() {
  ask deliver "$1"
  grep -E '^(displayed|refused)' <<<"$answer" | head -1
}

for sender in ours libotr; do
  for version in 3 2; do
    case_name="$sender sender, v$version"
    coproc P { "$PEER" --sender "$sender" --version "$version"; }
    collect # the AKE and two chat rounds
    transcript=$(grep '^wire ' <<<"$answer" || true)
    [[ -n "$transcript" ]] || fail "no transcript"

    # parse reads every message of the transcript.
    while read -r _ _ message; do
      "$OTR" parse <<<"$message" >/dev/null || fail "parse refused: ${message:0:40}"
    done <<<"$transcript"

    ask send attack at dawn
    msg=$(field 'pending ' <<<"$answer")
    transcript+=$'\n'"wire alice $msg" # sent, though kept from Bob
    parsed=$("$OTR" parse <<<"$msg")
    grep -q '^Data Message:' <<<"$parsed" || fail "parse: not a Data Message"
    [[ $(awk '/^  Version/ {print $2}' <<<"$parsed") == "$version" ]] || fail "parse: version"
    sk=$(awk '/Sender keyid/ {print $3}' <<<"$parsed")
    rk=$(awk '/Recipient keyid/ {print $3}' <<<"$parsed")
    priv=$(awk -v k="$rk" '$1 == "bob-dh" && $2 == k {print $3}' <<<"$answer")
    pub=$(awk -v k="$sk" '$1 == "alice-dh" && $2 == k {print $3}' <<<"$answer")
    [[ -n "$priv" && -n "$pub" ]] || fail "no D-H values for keyids $sk/$rk"

    # sesskeys: Bob's side of this key pair; mackey agrees with it.
    keys=$("$OTR" sesskeys "$priv" "$pub")
    for name in "our public" "we are" ssid "sending AES" "sending MAC" "receiving AES" \
                "receiving MAC" "c " "c'" "m1 " "m2 " "m1'" "m2'"; do
      grep -q "^$name" <<<"$keys" || fail "sesskeys lacks $name"
    done
    aes=$(awk '/^receiving AES/ {print $3}' <<<"$keys")
    mac=$(awk '/^receiving MAC/ {print $3}' <<<"$keys")
    wrong_aes=$(awk '/^sending AES/ {print $3}' <<<"$keys")
    wrong_mac=$(awk '/^sending MAC/ {print $3}' <<<"$keys")
    [[ ${#aes} == 32 && ${#mac} == 40 ]] || fail "sesskeys key sizes"
    [[ $("$OTR" mackey "$aes") == *"MAC key: $mac" ]] || fail "mackey disagrees with sesskeys"

    # readforge reads it with the receiving AES key.
    read_out=$("$OTR" readforge "$aes" <<<"$msg")
    grep -qx 'message:       attack at dawn' <<<"$read_out" || fail "readforge: $read_out"
    grep -qx 'MAC verifies:  yes' <<<"$read_out" || fail "readforge: MAC"

    # Without the right keys, Bob refuses.
    keyless=$("$OTR" modify 0 "attack at dawn" "retreat at six" <<<"$msg")
    [[ $(deliver "$keyless") == refused ]] || fail "keyless edit accepted"
    [[ $(deliver "$("$OTR" remac "$wrong_mac" <<<"$keyless")") == refused ]] ||
      fail "edit re-MACed with the wrong key accepted"
    # (readforge exits 3 when the MAC does not verify under the key given.)
    rc=0
    "$OTR" readforge "$wrong_aes" <<<"$msg" >/dev/null 2>&1 || rc=$?
    [[ $rc == 3 ]] || fail "readforge with the wrong key exited $rc, not 3"
    wrong=$("$OTR" readforge "$wrong_aes" "retreat" <<<"$msg" 2>/dev/null | sed -n '/^forged:/{n;p}' || true)
    [[ -n "$wrong" && $(deliver "$wrong") == refused ]] || fail "wrong AES key accepted"

    # readforge with Bob's key: Bob displays the forged text.
    chosen="retreat at six, and bring the whole army"
    forged=$("$OTR" readforge "$aes" "$chosen" <<<"$msg" | sed -n '/^forged:/{n;p}')
    [[ $(deliver "$forged") == "displayed $chosen" ]] || fail "readforge forgery not displayed"
    [[ $(deliver "$msg") == refused ]] || fail "original accepted after the forgery"

    # modify + the receiving MAC key: Bob displays the edited text.
    ask send attack at dawn
    msg2=$(field 'pending ' <<<"$answer")
    transcript+=$'\n'"wire alice $msg2"
    sk2=$("$OTR" parse <<<"$msg2" | awk '/Sender keyid/ {print $3}')
    rk2=$("$OTR" parse <<<"$msg2" | awk '/Recipient keyid/ {print $3}')
    [[ "$sk2/$rk2" == "$sk/$rk" ]] || fail "second message under other keys"
    edited=$("$OTR" modify 0 "attack at dawn" "retreat at six" "$mac" <<<"$msg2")
    [[ $("$OTR" remac "$mac" <<<"$edited") == "$edited" ]] || fail "modify did not re-MAC"
    [[ $(deliver "$edited") == "displayed retreat at six" ]] || fail "modify forgery not displayed"

    # Later messages reveal the MAC keys: Bob's (libotr) for Alice's message,
    # Alice's (our engine or libotr) for Bob's. remac with the revealed key
    # reproduces the original, so it authenticates the forgery as well.
    ask chat 3
    transcript+=$'\n'$(grep '^wire ' <<<"$answer")
    revealed() { # <from> -> every revealed key in that side's messages
      grep "^wire $1 ?OTR:" <<<"$transcript" | while read -r _ _ m; do
        "$OTR" parse <<<"$m" | awk '/Revealed MAC key/ {print $4}'
      done
    }
    found=""
    for key in $(revealed bob); do
      [[ $("$OTR" remac "$key" <<<"$msg2") == "$msg2" ]] && found=$key
    done
    [[ "$found" == "$mac" ]] || fail "Bob's revealed keys do not authenticate Alice's message"
    bob_first=$(grep -m1 '^wire bob ?OTR:AA[IM]D' <<<"$transcript" | cut -d' ' -f3)
    found=""
    for key in $(revealed alice); do
      [[ $("$OTR" remac "$key" <<<"$bob_first") == "$bob_first" ]] && found=$key
    done
    if [[ -z "$found" ]]; then
      fail "Alice's revealed keys do not authenticate Bob's message"
    else
      bob_forged=$("$OTR" modify 0 "bob says 0" "bob says 9" "$found" <<<"$bob_first")
      [[ "$bob_forged" != "$bob_first" &&
         $("$OTR" remac "$found" <<<"$bob_forged") == "$bob_forged" ]] || fail "remac of Bob's"
    fi

    eval "exec ${P[1]}>&-"
    wait "$P_PID" || true
    echo "ok: $case_name"
  done
done

# Refusals: bad keys and inputs give errors, not output.
case_name="usage"
"$OTR" mackey 0011 >/dev/null 2>&1 && fail "mackey took a short key"
"$OTR" remac 00 <<<"?OTR:AAMD." >/dev/null 2>&1 && fail "remac took garbage"
"$OTR" modify 99999 a b <<<"$msg" >/dev/null 2>&1 && fail "modify beyond the message"
# One prefix ("otr modify:"), and the argument that was wrong.
rc=0
err=$("$OTR" modify 99999 a b <<<"$msg" 2>&1 >/dev/null) || rc=$?
[[ $rc == 1 && "$err" == "otr modify: <offset> 99999 plus <old-text>'s 1 bytes goes beyond"* ]] ||
  fail "modify beyond the message: $rc $err"

# `otr CMD args...` with stdin that never ends: "$rc" and "$out"/"$err".
# The commands must read (and refuse) their arguments before stdin; the
# timeout only turns a hang into a failure.
mkfifo "$TEST_TMPDIR/never"
exec 8<>"$TEST_TMPDIR/never" # open for writing too: a reader never sees its end
run_open_stdin() {
  rc=0
  out=$(timeout 10 "$OTR" "$@" <&8 2>"$TEST_TMPDIR/err") || rc=$?
  err=$(cat "$TEST_TMPDIR/err")
}
# Everything the toolkit prints to stderr: no internal names (kInvalidEncoding).
no_enum_names() {
  if grep -qE '\bk[A-Z][a-z]+[A-Z]' <<<"$1"; then fail "internal name in: $1"; fi
}
case_name="arguments before stdin, --help everywhere"
for cmd in parse sesskeys mackey readforge modify remac transcript demo keygen fingerprint \
           trust untrust import chat; do
  run_open_stdin "$cmd" --help
  [[ $rc == 0 && "$out" == *"usage: otr $cmd"* ]] || fail "otr $cmd --help: status $rc, $out"
  help_out=$("$OTR" help "$cmd" </dev/null) || fail "otr help $cmd failed"
  [[ "$help_out" == "$out" ]] || fail "otr help $cmd differs from otr $cmd --help"
done
rc=0
"$OTR" help bogus >/dev/null 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "otr help bogus: status $rc"
run_open_stdin readforge zz
[[ $rc == 2 && "$err" == *"<aes-key-hex> 'zz' is not hex"* ]] || fail "readforge zz: $rc $err"
no_enum_names "$err"
run_open_stdin remac 0011
[[ $rc == 2 && "$err" == *"<mac-key-hex> must be 40 hex digits"* ]] || fail "remac 0011: $rc $err"
run_open_stdin modify x a b
[[ $rc == 2 && "$err" == *"<offset> 'x' is not a decimal"* ]] || fail "modify x: $rc $err"
run_open_stdin modify 0 abc ab
[[ $rc == 2 && "$err" == "otr modify: <old-text> and <new-text> differ in length"* ]] ||
  fail "modify lengths: $rc $err"
run_open_stdin sesskeys 01 02
[[ $rc == 2 && "$err" == *"must be above 1"* ]] || fail "sesskeys 1: $rc $err"
run_open_stdin sesskeys 0000 02
[[ $rc == 2 ]] || fail "sesskeys 0: $rc $err"
for cmd in "sesskeys 1" "mackey" "readforge" "remac" "modify 1 2"; do
  run_open_stdin $cmd
  [[ $rc == 2 && "$err" == *"usage: otr ${cmd%% *}"* ]] || fail "otr $cmd: status $rc"
done

case_name="errors name the input"
"$OTR" transcript >"$TEST_TMPDIR/transcript"
commit=$(grep -m1 '^bob: ?OTR:AAMC' "$TEST_TMPDIR/transcript" | cut -d' ' -f2)
data=$(grep -m1 '^alice: ?OTR:AAMD' "$TEST_TMPDIR/transcript" | cut -d' ' -f2)
mac40=0123456789012345678901234567890123456789
rc=0
err=$("$OTR" remac $mac40 <<<"$commit" 2>&1 >/dev/null) || rc=$?
[[ $rc == 1 && "$err" == "otr remac: not a Data Message (got a D-H Commit)" ]] ||
  fail "remac of a D-H Commit: $rc $err"
rc=0
err=$("$OTR" readforge 00112233445566778899aabbccddeeff <<<"?OTR:AAMD." 2>&1 >/dev/null) || rc=$?
[[ $rc == 1 && "$err" == "otr readforge: the "*"does not decode: "* ]] || fail "readforge: $rc $err"
no_enum_names "$err"
# A Data Message in two v3 fragments: parse reassembles them, the others
# send the user there.
half=$(( ${#data} / 2 ))
frags="?OTR|00000100|00000200,00001,00002,${data:0:$half},"$'\n'"?OTR|00000100|00000200,00002,00002,${data:$half},"
rc=0
err=$("$OTR" modify 0 a b <<<"${frags%%$'\n'*}" 2>&1 >/dev/null) || rc=$?
[[ $rc == 1 && "$err" == *"fragment (1 of 2): use \`otr parse\` to reassemble"* ]] ||
  fail "modify of a fragment: $rc $err"
parsed=$("$OTR" parse <<<"$frags") || fail "parse of two fragments failed"
grep -q '^Reassembled (2 fragments):' <<<"$parsed" || fail "not reassembled: $parsed"
grep -qF "  Message                $data" <<<"$parsed" || fail "reassembled message: $parsed"
grep -q '^Data Message:' <<<"$parsed" || fail "reassembled, not parsed: $parsed"
rc=0
"$OTR" parse <<<"${frags#*$'\n'}"$'\n'"${frags%%$'\n'*}" >/dev/null || rc=$?
[[ $rc == 1 ]] || fail "fragments out of order: status $rc"

case_name="parse: whitespace, exit codes, escaping"
# The v2 tag ends in a space, which stdin must keep.
base=$' \t  \t\t\t\t \t \t \t  '
v2=$'  \t\t  \t '
rc=0
parsed=$(printf 'hi%s%s\n' "$base" "$v2" | "$OTR" parse) || rc=$?
[[ $rc == 0 ]] && grep -q '^  Versions               2$' <<<"$parsed" ||
  fail "v2 whitespace tag: status $rc, $parsed"
rc=0; "$OTR" parse <<<"$data" >/dev/null || rc=$?
[[ $rc == 0 ]] || fail "a valid Data Message: status $rc"
rc=0; "$OTR" parse <<<"?OTR:AAMD." >/dev/null || rc=$?
[[ $rc == 1 ]] || fail "a malformed message: status $rc"
rc=0; "$OTR" parse <<<"?OTR:AAEKAA==." >/dev/null || rc=$?
[[ $rc == 3 ]] || fail "a v1 message: status $rc"
rc=0; "$OTR" parse <<<"?OTR:AAQD." >/dev/null || rc=$?
[[ $rc == 1 ]] || fail "a truncated v4 message (decoded since issue 16): status $rc"
rc=0; "$OTR" parse <<<"?OTR:AAUD." >/dev/null || rc=$?
[[ $rc == 3 ]] || fail "a v5 message: status $rc"
rc=0; "$OTR" parse extra </dev/null 2>/dev/null || rc=$?
[[ $rc == 2 ]] || fail "parse with an argument: status $rc"
parsed=$(printf 'a\033]0;title\007b\n' | "$OTR" parse)
[[ "$parsed" != *$'\033'* && "$parsed" != *$'\007'* && "$parsed" == *'a\x1b]0;title\x07b'* ]] ||
  fail "control characters reached the terminal: $parsed"
parsed=$(printf '?OTR Error: \033[2Jgone\n' | "$OTR" parse)
[[ "$parsed" != *$'\033'* ]] || fail "an error message's escape reached the terminal"

if [[ $failures -ne 0 ]]; then
  echo "$failures failed"
  exit 1
fi
echo "all passed"
