#!/bin/bash
# Checks that every row of the decoder table (fuzz/README.md, "Decoders")
# is reached by ITS OWN fuzz target's seed corpus: after
# fuzz/coverage_report.sh (which leaves each fuzzer and its profile of the
# corpus replay in $COVERAGE_DIR), each row's target's profile alone is
# exported and the row's function must have run at least once in a file
# of the row's directory (the header's .cc, or a backend's file under
# crypto/ for crypto/backend.h's virtual functions). Prints one line per
# row (calls, or ZERO) and exits 1 if any row with a target has zero.
#
#   COVERAGE_DIR=/tmp/otr-coverage fuzz/coverage_report.sh
#   fuzz/decoder_reach.sh [COVERAGE_DIR]   # about 2 minutes on 2 cores
#
# Too slow for .ci/run (the coverage build of every fuzzer takes 10-20
# minutes there); run by hand after changing the table or a target, and
# keep the listing in fuzz/README.md ("Reach of the decoder table") current.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-${COVERAGE_DIR:-/tmp/otr-coverage}}"
if [ ! -d "$DIR/out" ] || [ ! -d "$DIR/profiles" ]; then
  echo "decoder_reach: no coverage build in $DIR (run fuzz/coverage_report.sh)" >&2
  exit 2
fi
mkdir -p "$DIR/reach"

# name|file|target for the rows with a target.
# shellcheck disable=SC2016 # backquotes of Markdown, not expansions
rows="$(grep -E '^\| `[A-Za-z_][A-Za-z0-9_]*` \| `[^`]+\.(h|cc)` \|' fuzz/README.md |
  awk -F'|' '{gsub(/[ `]/, "", $2); gsub(/[ `]/, "", $3); gsub(/[ `]/, "", $4);
              if ($4 != "n/a") print $2 "|" $3 "|" $4}')"

for target in $(printf '%s\n' "$rows" | cut -d'|' -f3 | sort -u); do
  json="$DIR/reach/$target.functions"
  [ -s "$json" ] && continue
  if [ ! -f "$DIR/profiles/$target.profraw" ]; then
    echo "decoder_reach: $target has no profile in $DIR/profiles" >&2
    : >"$json"
    continue
  fi
  llvm-profdata-14 merge -sparse "$DIR/profiles/$target.profraw" -o "$DIR/reach/$target.profdata"
  # "count<TAB>file<TAB>demangled name", one per function.
  llvm-cov-14 export -format=text -skip-expansions "$DIR/out/$target" \
    -instr-profile="$DIR/reach/$target.profdata" 2>/dev/null |
    python3 -c '
import json, re, sys
data = json.load(sys.stdin)
for f in data["data"][0]["functions"]:
    name = f["name"].split(":")[-1]
    path = f["filenames"][0]
    m = re.match(r".*?/((?:base|crypto|protocol|tools|fuzz|tests)/.*)", path)
    path = m.group(1) if m else path
    print("%d\t%s\t%s" % (f["count"], path, name))' |
    c++filt >"$json"
done

printf '%s\n' "$rows" | python3 -c '
import os, re, sys
d = sys.argv[1]
zero = 0
for line in sys.stdin:
    name, path, target = line.strip().split("|")
    stem = os.path.splitext(path)[0]
    folder = "crypto" if path == "crypto/backend.h" else os.path.dirname(path)
    best_stem, best_dir = None, None
    with open(os.path.join(d, "reach", target + ".functions")) as f:
        for entry in f:
            count, fpath, fname = entry.rstrip("\n").split("\t", 2)
            if not re.search(r"(^|::|\s)" + re.escape(name) + r"(<.*>)?\(", fname):
                continue
            if os.path.splitext(fpath)[0] == stem:
                best_stem = max(best_stem or 0, int(count))
            if fpath.startswith(folder + "/"):
                best_dir = max(best_dir or 0, int(count))
    calls = best_stem if best_stem is not None else best_dir
    status = "ZERO" if not calls else str(calls)
    if not calls:
        zero += 1
    print("%-28s %-44s %-30s %s" % (name, path, target, status))
print("decoder_reach: %d row(s) not reached by their target" % zero, file=sys.stderr)
sys.exit(1 if zero else 0)
' "$DIR"
