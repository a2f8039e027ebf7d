"""tools/README.md's deniability walkthrough runs as written (issue 7).

Every ```sh block of the README runs, in order, in one bash process (so the
variables one block sets reach the next), with the `otr` binary under test
in place of the block that builds it and $TEST_TMPDIR in place of /tmp.
The output of each block must match the output block printed after it in
the README once keys, messages and instance tags (different on every run)
are masked. The `otr mackey` example of "Other commands" must print what the
README says.

usage: readme_demo_test.py <README.md> <otr>
"""
import os
import re
import subprocess
import sys

MARK = "@@readme-block-end"


def blocks(text):
    """(language, body) for every fenced block, in order."""
    return [(m.group(1), m.group(2))
            for m in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.S | re.M)]


def mask(text):
    """Masks what differs per run: base64 and hex runs, 0x tags (and the
    README's "..." after a value it shortens)."""
    text = re.sub(r"0x[0-9a-f]{8}", "0x<tag>", text)
    text = re.sub(r"[A-Za-z0-9+/=]{8,}(\.\.\.)?", "<data>", text)
    return [line.rstrip() for line in text.strip("\n").split("\n")]


def main():
    readme_path, otr = sys.argv[1], os.path.abspath(sys.argv[2])
    tmp = os.environ.get("TEST_TMPDIR", "/tmp")
    readme = open(readme_path).read()
    fenced = blocks(readme)
    script, expected = [], []
    for i, (lang, body) in enumerate(fenced):
        if lang != "sh":
            continue
        if "bazel build" in body:
            body = "OTR=%s\n" % otr
        script.append(body.replace("/tmp/", tmp + "/") + "echo %s\n" % MARK)
        following = fenced[i + 1] if i + 1 < len(fenced) else None
        expected.append(following[1] if following and following[0] == "" else None)
    if len(script) < 4:
        sys.exit("README has %d sh blocks; expected the walkthrough" % len(script))

    run = subprocess.run(["bash", "-c", "".join(script)], capture_output=True, text=True,
                         timeout=120)
    outputs = run.stdout.split(MARK + "\n")
    failures = []
    if run.returncode != 0:
        failures.append("the script exited with %d: %s" % (run.returncode, run.stderr))
    if run.stderr:
        failures.append("stderr: " + run.stderr)
    if len(outputs) != len(script) + 1:
        failures.append("%d of %d blocks ran" % (len(outputs) - 1, len(script)))
    for n, (want, got) in enumerate(zip(expected, outputs)):
        if want is None:
            continue
        if mask(want) != mask(got):
            failures.append("block %d printed\n%s\nthe README shows\n%s" % (n + 1, got, want))
        else:
            print("block %d: %d lines as in the README" % (n + 1, len(mask(want))))

    # "`otr mackey 0011...` prints `MAC key: 739e...`".
    m = re.search(r"`otr mackey ([0-9a-f]+)` prints\s+`([^`]+)`", readme)
    if not m:
        failures.append("the mackey example is gone")
    else:
        out = subprocess.run([otr, "mackey", m.group(1)], capture_output=True, text=True)
        if m.group(2) not in out.stdout.splitlines():
            failures.append("otr mackey printed %r, README says %r" % (out.stdout, m.group(2)))

    for f in failures:
        print("FAIL:", f)
    if failures:
        sys.exit(1)
    print("all passed")


if __name__ == "__main__":
    main()
