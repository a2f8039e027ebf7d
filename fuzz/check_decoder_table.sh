#!/bin/bash
# Keeps the decoder table of fuzz/README.md ("Decoders") honest. Entry points
# are the functions named Decode*, Parse*, Read* or Validate* in the scanned
# files (protocol/, and the programs' readers: tools/keystore*,
# tools/prekey_server/, tools/xmpp/):
#   - declared at namespace level (a declaration starting a line) in a
#     header; the row names the header;
#   - defined at namespace level in a .cc file (test and main files aside),
#     declared in no scanned header, and taking bytes (a ByteView,
#     std::string_view or Reader& parameter): the row names the .cc file.
# Every entry point has a row; the row's fuzz target has a source
# fuzz/<target>.cc and a non-empty seed corpus fuzz/corpus/<target>/; its
# round-trip property Suite.Name is a rapidcheck property
# (RC_GTEST_PROP(Suite, Name, ...)) under tests/; and every row names a
# function that still exists. A row may say n/a for the target only with a
# reason (a function that reads bytes without decoding them), and n/a for
# the property only with a reason (a check of decoded values, Validate*,
# has no round trip; its target is still checked). Also runs
# fuzz/check_fuzz_backend.sh. Run by .ci/run.
#
#   bash fuzz/check_decoder_table.sh
set -euo pipefail
cd "$(dirname "$0")/.."

README=fuzz/README.md
failures=0
fail() {
  echo "check_decoder_table: $*" >&2
  failures=$((failures + 1))
}

PREFIXES='Decode|Parse|Read|Validate'
# The readers of the otr program: key store, prekey server, XMPP, and the
# readers of text from peers, servers and the user (IRC lines, chat input,
# `otr parse`, the forgery toolkit's armour and hex, terminal text).
TOOLS_READERS=(tools/keystore.h tools/keystore.cc tools/keystore_v4.h tools/keystore_v4.cc
  tools/prekey_server tools/xmpp tools/irc.h tools/irc.cc tools/chat.h tools/chat_options.cc
  tools/parse_prekey.h tools/parse_prekey.cc tools/forgery.h tools/forgery.cc
  tools/terminal_text.h tools/terminal_text.cc tools/cmd_parse.h tools/cmd_parse.cc
  tools/cmd_parse_v4.h tools/cmd_parse_v4.cc)
SCANNED=(protocol "${TOOLS_READERS[@]}")
# Headers whose declarations count: those of SCANNED and of crypto/ (key and
# point decodings; crypto/testing aside).
HEADERS=("${SCANNED[@]}" crypto)

# header name, one per line: declarations that start a line, at namespace
# level or indented (member functions, static members), whose name
#   - starts with Decode, Parse, Read, Validate, Load, Unpack or Deserialize;
#   - or has Decode or Parse inside it (Ed448Decode, GcryptEd448ScalarDecode);
#   - or has From followed by a capital (FingerprintFromHex, BnFromBytes)
#     and takes bytes (a ByteView, std::string_view or Reader& parameter).
# A call is not a declaration: the text before the name may not hold
# "return", "=", "(", ")", "." or "->", nor start a comment.
# shellcheck disable=SC2016 # Perl's variables, not the shell's
in_headers="$(find "${HEADERS[@]}" -name '*.h' ! -path 'crypto/testing/*' | sort |
  xargs perl -ne '
    next if /^\s*(\/\/|\*|#)/;
    next unless /^(\s*)((?:[A-Za-z_][^(;]*?[\s*&~])?)([A-Za-z_][A-Za-z0-9_]*)\(([^)]*)\)?/;
    my ($before, $name, $params) = ($2, $3, $4);
    next if $before =~ /return|=|\(|\)|\.|->|^\s*$/ && $before ne "";
    next if $before eq "" && $1 eq "";
    my $bytes = $params =~ /ByteView|string_view|Reader\s*&/;
    if ($name =~ /^(?:'"$PREFIXES"'|Load|Unpack|Deserialize)/ ||
        $name =~ /^[A-Za-z0-9]+(?:Decode|Parse)/ ||
        ($name =~ /From[A-Z]/ && $bytes)) {
      print "$ARGV $name\n";
    }' | sort -u)"
# file name for the .cc-level ones: a definition starting a line whose
# parameters take bytes, of a name no scanned header declares.
in_sources="$(find "${SCANNED[@]}" -name '*.cc' ! -name '*_test.cc' ! -name '*_main.cc' |
  sort | xargs perl -0777 -ne '
    while (/^[A-Za-z][^(;\n]*\b((?:'"$PREFIXES"')[A-Za-z0-9]*)\(([^)]*)\)\s*(?:const\s*)?\{/mg) {
      my ($name, $params) = ($1, $2);
      print "$ARGV $name\n" if $params =~ /ByteView|string_view|Reader\s*&/;
    }' | sort -u |
  awk -v names="$(printf '%s\n' "$in_headers" | awk '{print $2}' | sort -u | tr '\n' ' ')" '
    BEGIN { n = split(names, list, " "); for (i = 1; i <= n; i++) known[list[i]] = 1 }
    !($2 in known)')"
declared="$(printf '%s\n%s\n' "$in_headers" "$in_sources" | sed '/^$/d' | sort -u)"

# The table's rows: | `name` | `file` | target | corpus | property | note |
rows="$(grep -E "^\\| \`[A-Za-z_][A-Za-z0-9_]*\` \\| \`[^\`]+\\.(h|cc)\` \\|" "$README" || true)"

while read -r header name; do
  row="$(printf '%s\n' "$rows" | grep -F "| \`$name\` | \`$header\` |" || true)"
  if [ -z "$row" ]; then
    fail "$header: $name has no row in $README (Decoders)"
    continue
  fi
  target="$(printf '%s\n' "$row" | awk -F'|' '{print $4}' | tr -d ' `')"
  property="$(printf '%s\n' "$row" | awk -F'|' '{print $6}' | tr -d ' `')"
  note="$(printf '%s\n' "$row" | awk -F'|' '{print $7}' | sed 's/^ *//; s/ *$//')"
  if [ "$target" = "n/a" ]; then
    [ -n "$note" ] || fail "$name: n/a without a reason"
    continue
  fi
  [ -f "fuzz/$target.cc" ] || fail "$name: fuzz target $target has no fuzz/$target.cc"
  if [ -z "$(ls -A "fuzz/corpus/$target" 2>/dev/null)" ]; then
    fail "$name: fuzz target $target has no seed corpus fuzz/corpus/$target/"
  fi
  if [ "$property" = "n/a" ]; then
    [ -n "$note" ] || fail "$name: property n/a without a reason"
    continue
  fi
  suite="${property%%.*}"
  prop="${property#*.}"
  if ! grep -rqE "RC_GTEST_PROP\($suite, *$prop," tests; then
    fail "$name: round-trip property $property is not a rapidcheck property under tests/"
  fi
done <<<"$declared"

# Rows for functions that are gone.
while read -r row; do
  [ -n "$row" ] || continue
  name="$(printf '%s\n' "$row" | awk -F'|' '{print $2}' | tr -d ' `')"
  header="$(printf '%s\n' "$row" | awk -F'|' '{print $3}' | tr -d ' `')"
  # (A here-string: with pipefail, `printf | grep -q` can fail on SIGPIPE.)
  grep -qxF "$header $name" <<<"$declared" ||
    fail "$README names $name in $header, which declares no such function"
done <<<"$rows"

# The fuzz targets with fuzz/support's fixed parties use FuzzBackend(), never
# DefaultBackend() (decision 0027; the bug fixed in 8bcd29b).
bash fuzz/check_fuzz_backend.sh || fail "fuzz/check_fuzz_backend.sh failed (above)"

count="$(printf '%s\n' "$declared" | wc -l)"
if [ "$failures" -ne 0 ]; then
  echo "check_decoder_table: $failures problem(s) among $count decoders" >&2
  exit 1
fi
echo "check_decoder_table: $count entry points ($(printf '%s\n' "$in_sources" | sed '/^$/d' | wc -l) of them in .cc files), each with a fuzz target and seed corpus, and a round-trip property or the reason for none"
