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
    wrong=$("$OTR" readforge "$wrong_aes" "retreat" <<<"$msg" | sed -n '/^forged:/{n;p}')
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

if [[ $failures -ne 0 ]]; then
  echo "$failures failed"
  exit 1
fi
echo "all passed"
