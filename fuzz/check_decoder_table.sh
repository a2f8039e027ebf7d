#!/bin/bash
# Keeps the decoder table of fuzz/README.md ("Decoders") honest: every
# Decode*/Parse*/Read* function declared at namespace level in a header under
# protocol/ or in tools/keystore*.h has a row naming it and its header; the
# row's fuzz target has a source fuzz/<target>.cc and a non-empty seed corpus
# fuzz/corpus/<target>/; its round-trip property Suite.Name is a rapidcheck
# property (RC_GTEST_PROP(Suite, Name, ...)) under tests/; and every row
# names a function that still exists. A row may say n/a only with a reason
# (a function that reads bytes without decoding them). Run by .ci/run.
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

# header name, one per line: declarations that start a line (namespace level).
declared="$(grep -rnoE '^[A-Za-z][^(]*\b(Decode|Parse|Read)[A-Za-z0-9]*\(' \
  --include='*.h' protocol tools/keystore.h tools/keystore_v4.h |
  sed -E 's/^([^:]*):[0-9]+:.*\b((Decode|Parse|Read)[A-Za-z0-9]*)\($/\1 \2/' | sort -u)"

# The table's rows: | `name` | `header` | target | corpus | property | note |
rows="$(grep -E '^\| `(Decode|Parse|Read)[A-Za-z0-9]*` \| `[^`]+` \|' "$README" || true)"

while read -r header name; do
  row="$(printf '%s\n' "$rows" | grep -F "| \`$name\` | \`$header\` |" || true)"
  if [ -z "$row" ]; then
    fail "$header: $name has no row in $README (Decoders)"
    continue
  fi
  target="$(printf '%s\n' "$row" | awk -F'|' '{print $4}' | tr -d ' `')"
  property="$(printf '%s\n' "$row" | awk -F'|' '{print $6}' | tr -d ' `')"
  note="$(printf '%s\n' "$row" | awk -F'|' '{print $7}' | sed 's/^ *//; s/ *$//')"
  if [ "$target" = "n/a" ] || [ "$property" = "n/a" ]; then
    [ -n "$note" ] || fail "$name: n/a without a reason"
    continue
  fi
  [ -f "fuzz/$target.cc" ] || fail "$name: fuzz target $target has no fuzz/$target.cc"
  if [ -z "$(ls -A "fuzz/corpus/$target" 2>/dev/null)" ]; then
    fail "$name: fuzz target $target has no seed corpus fuzz/corpus/$target/"
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
  printf '%s\n' "$declared" | grep -qxF "$header $name" ||
    fail "$README names $name in $header, which declares no such function"
done <<<"$rows"

count="$(printf '%s\n' "$declared" | wc -l)"
if [ "$failures" -ne 0 ]; then
  echo "check_decoder_table: $failures problem(s) among $count decoders" >&2
  exit 1
fi
echo "check_decoder_table: $count decoders, each with a fuzz target, seed corpus and round-trip property"
