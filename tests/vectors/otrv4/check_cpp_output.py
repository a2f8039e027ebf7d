#!/usr/bin/python3
"""Recomputes every output of OTRv4 vector files and lists the differences.

  check_cpp_output.py [--partial] PATH...

PATH is a vector file or a directory of them, in the schema of the files in
tests/vectors/otrv4/ (README.md, "Schema"): another implementation (the C++
emitter) fills each vector's "output" from its "input"; this script computes
the outputs again with the Python reference (reference/compute.py, with the
readings the file records) and compares them key by key.

--partial: compare only the output keys the file has (an emitter that does
not produce, say, the ring signature's intermediate T values); without it a
missing key is a mismatch.

Exit status 0 when everything matches, 1 with a list of mismatches, 2 on a
malformed file. Run on the published files it checks their self-consistency.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "reference"))

import compute  # noqa: E402
import readings as readings_mod  # noqa: E402


def vector_files(paths):
    for p in paths:
        if os.path.isdir(p):
            for name in sorted(os.listdir(p)):
                if name.endswith(".json"):
                    yield os.path.join(p, name)
        else:
            yield p


def _diff(path, want, got, partial, out):
    """Appends (key path, expected, found) for every difference."""
    if isinstance(want, dict) and isinstance(got, dict):
        for k in want:
            if k not in got:
                if not partial:
                    out.append((path + "." + k, want[k], "<missing>"))
                continue
            _diff(path + "." + k, want[k], got[k], partial, out)
        for k in got:
            if k not in want:
                out.append((path + "." + k, "<no such output>", got[k]))
    elif isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            out.append((path, "%d items" % len(want), "%d items" % len(got)))
        for n, (w, g) in enumerate(zip(want, got)):
            _diff("%s[%d]" % (path, n), w, g, partial, out)
    else:
        if isinstance(want, str) and isinstance(got, str):
            same = want.lower() == got.lower()
        else:
            same = want == got and type(want) is type(got)
        if not same:
            out.append((path, want, got))


def check_doc(doc, partial=False):
    """Returns (number of vectors, list of mismatch strings)."""
    r = readings_mod.check(doc.get("readings", {}))
    problems = []
    vectors = doc["vectors"]
    for n, v in enumerate(vectors):
        label = "%s #%d %s (%s)" % (doc.get("file", "?"), n, v.get("name", ""), v.get("kind"))
        if v.get("kind") not in compute.COMPUTE:
            problems.append("%s: unknown kind %r" % (label, v.get("kind")))
            continue
        try:
            want = compute.compute(v["kind"], v["input"], r)
        except Exception as e:  # a bad input is a finding, not a crash
            problems.append("%s: the reference cannot compute it: %s: %s" % (label, type(e).__name__, e))
            continue
        diffs = []
        _diff("output", want, v.get("output", {}), partial, diffs)
        for path, w, g in diffs:
            problems.append("%s: %s: reference %s, file %s" % (label, path, _short(w), _short(g)))
    return len(vectors), problems


def _short(v):
    s = json.dumps(v)
    return s if len(s) <= 80 else s[:38] + "..." + s[-38:]


def main(argv):
    partial = "--partial" in argv
    paths = [a for a in argv if a != "--partial"]
    if not paths:
        print(__doc__)
        return 2
    total, problems = 0, []
    files = list(vector_files(paths))
    if not files:
        print("no vector files in %s" % " ".join(paths))
        return 2
    for path in files:
        try:
            doc = json.load(open(path))
        except (OSError, ValueError) as e:
            print("cannot read %s: %s" % (path, e))
            return 2
        if not isinstance(doc, dict) or "vectors" not in doc:
            print("%s: not a vector file (no \"vectors\")" % path)
            return 2
        n, p = check_doc(doc, partial)
        total += n
        problems += p
        print("%s: %d vectors, %d mismatches" % (os.path.basename(path), n, len(p)))
    for line in problems:
        print("MISMATCH", line)
    print("%d vectors in %d files, %d mismatches" % (total, len(files), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
