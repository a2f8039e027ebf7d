#!/bin/sh
# tests/vectors/otrv4: C++ output checked by the Python reference (issue 16).
# For each backend, emit_cpp_vectors recomputes every published vector with
# our code; check_cpp_output.py --partial recomputes each output again with
# the reference and must find no difference; the outputs left out must be
# exactly cpp_omissions.txt; both backends must write identical files; and
# one altered byte in the C++ output must be caught. Wycheproof's Ed448 keys
# and signature R values go through our point decoder the same way
# (wycheproof_ed448_points.json, checked against the reference's verdicts).
# Args: emit_cpp_vectors check_cpp_output.py cpp_omissions.txt
#       wycheproof/ed448_test.json vector files...
set -u
PY=/usr/bin/python3
EMIT=$1 CHECK=$2 OMISSIONS=$3 WYCHEPROOF=$4
shift 4
[ -x "$PY" ] || { echo "FAIL: $PY is missing"; exit 1; }
OUT=${TEST_TMPDIR:-$(mktemp -d)}/cpp-vectors
mkdir -p "$OUT"
status=0

for backend in openssl gcrypt; do
  echo "== $backend: emit_cpp_vectors, then check_cpp_output.py --partial"
  "$EMIT" --backend "$backend" --out "$OUT/$backend" --wycheproof "$WYCHEPROOF" "$@" \
    > "$OUT/$backend.log" ||
    { cat "$OUT/$backend.log"; echo "FAIL: emit_cpp_vectors ($backend)"; status=1; continue; }
  tail -2 "$OUT/$backend.log"
  "$PY" "$CHECK" --partial "$OUT/$backend" ||
    { echo "FAIL: the reference disagrees with the C++ output ($backend)"; status=1; }

  echo "== $backend: the outputs left out are exactly cpp_omissions.txt"
  "$PY" - "$OUT/$backend" "$@" > "$OUT/$backend.missing" <<'PYEOF'
import json, os, sys
out_dir = sys.argv[1]
for path in sys.argv[2:]:
    name = os.path.basename(path)
    published = json.load(open(path))["vectors"]
    emitted = json.load(open(os.path.join(out_dir, name)))["vectors"]
    assert len(published) == len(emitted), name
    for n, (p, e) in enumerate(zip(published, emitted)):
        for key in sorted(set(p["output"]) - set(e["output"])):
            print("%s #%d %s: %s" % (name, n, p["name"], key))
PYEOF
  grep -v "^#" "$OMISSIONS" > "$OUT/omissions.expected"
  if ! diff -u "$OUT/omissions.expected" "$OUT/$backend.missing"; then
    echo "FAIL: outputs left out differ from cpp_omissions.txt ($backend)"
    status=1
  fi
done

echo "== differential: both backends wrote the same outputs"
for f in "$@" wycheproof_ed448_points.json; do
  name=$(basename "$f")
  # The generator line names the backend; everything else must be equal.
  for backend in openssl gcrypt; do
    grep -v '"generator"' "$OUT/$backend/$name" > "$OUT/$backend.$name.cmp"
  done
  cmp -s "$OUT/openssl.$name.cmp" "$OUT/gcrypt.$name.cmp" ||
    { echo "FAIL: openssl and gcrypt differ in $name"; status=1; }
done

echo "== check_cpp_output.py must reject a C++ output with one altered byte"
mkdir -p "$OUT/bad"
"$PY" - "$OUT/openssl/ring_signature.json" "$OUT/bad/ring_signature.json" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
s = doc["vectors"][0]["output"]["sigma"]
doc["vectors"][0]["output"]["sigma"] = s[:100] + ("0" if s[100] != "0" else "1") + s[101:]
json.dump(doc, open(sys.argv[2], "w"))
PYEOF
if "$PY" "$CHECK" --partial "$OUT/bad" > "$OUT/bad.log"; then
  echo "FAIL: check_cpp_output.py accepted an altered sigma"
  status=1
elif ! grep -q "MISMATCH ring_signature.json #0 .*output.sigma" "$OUT/bad.log"; then
  echo "FAIL: check_cpp_output.py did not name the altered output:"
  cat "$OUT/bad.log"
  status=1
fi

[ $status -eq 0 ] && echo "PASS"
exit $status
