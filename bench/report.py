#!/usr/bin/python3
"""Turns //bench:otr_bench's Google Benchmark JSON into the issue 9 report.

Usage: report.py BENCH_JSON OUT_DIR [--machine FILE] [--metric cpu_time]

Writes OUT_DIR/report.md (operation x implementation medians, speed-up
against libotr, ratio to the primitive floor, the targets) and
OUT_DIR/ratios.png (the same ratios as a chart). Every figure comes from the
one JSON file: the floors are priced with the primitive cases
(BM_ModExp, BM_DsaSign, BM_HmacSha1, ...) measured in the same run.
Exit status 1 if a case reported an error or a protocol row is incomplete.
"""

import argparse
import json
import os
import re
import sys

BACKENDS = ["openssl", "gcrypt"]
IMPLS = BACKENDS + ["libotr"]
SIZES = [16, 1024, 16384]
# Bytes a v3 Data Message MACs besides the ciphertext: header, flags,
# keyids, next D-H key (MPI of 192 bytes), counter, length.
DATA_MAC_OVERHEAD = 230


def load(path, metric):
    """Returns ({name: median seconds}, {name: counters}, [errors])."""
    with open(path) as f:
        doc = json.load(f)
    medians, runs, counters, errors = {}, {}, {}, []
    for b in doc.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        if b.get("error_occurred"):
            errors.append(f"{name}: {b.get('error_message', '')}")
            continue
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[name] = b[metric] * scale
            continue
        runs.setdefault(name, []).append(b[metric] * scale)
        extra = {k: v for k, v in b.items() if k.endswith("_per_session")}
        if extra:
            counters[name] = extra
    for name, values in runs.items():
        if name not in medians:
            values = sorted(values)
            medians[name] = values[len(values) // 2]
    return medians, counters, errors, doc.get("context", {})


class Prices:
    """Primitive costs of one backend, in seconds, from the same run."""

    def __init__(self, medians, backend):
        self.m, self.b = medians, backend

    def get(self, op, params):
        return self.m.get(f"{op}/{self.b}/{params}")

    def sized(self, op, n):
        # Linear interpolation between the measured sizes (16, 1024, 16384).
        pts = [(s, self.get(op, str(s))) for s in SIZES]
        if any(v is None for _, v in pts):
            return None
        if n <= pts[0][0]:
            return pts[0][1]
        for (s0, v0), (s1, v1) in zip(pts, pts[1:]):
            if n <= s1:
                return v0 + (v1 - v0) * (n - s0) / (s1 - s0)
        s0, v0 = pts[-2]
        s1, v1 = pts[-1]
        return v1 + (v1 - v0) * (n - s1) / (s1 - s0)


def floors(medians, backend):
    """{operation: (seconds, formula)} for one backend."""
    p = Prices(medians, backend)
    E = p.get("BM_ModExp", "1536/exp320")  # g^x, a fresh D-H key
    S = p.get("BM_DhSharedSecret", "1536")  # check g^y, (g^y)^x
    X = p.get("BM_ModExp", "1536/exp1536")  # secret full-size exponent (SMP)
    XP = p.get("BM_ModExpPublic", "1536/exp1536")  # public exponent (SMP checks)
    SIGN = p.get("BM_DsaSign", "1024")
    VERIFY = p.get("BM_DsaVerify", "1024")
    need = [E, S, X, XP, SIGN, VERIFY]
    if any(v is None for v in need):
        return {}

    def aes(n):
        return p.sized("BM_Aes128Ctr", n)

    def hmac1(n):
        return p.sized("BM_HmacSha1", n)

    def hmac256(n):
        return p.sized("BM_HmacSha256", n)

    def sha(n):  # SHA-1 is priced as SHA-256 (no SHA-1 case; SHA-1 is cheaper)
        return p.sized("BM_Sha256", n)

    short = XP * 256 / 1536  # a 256-bit public exponent (the SMP hash c)
    derive = 4 * sha(200)  # v3 data keys of one (ours, theirs) pair
    out = {}
    out["BM_RekeySender"] = (E + S + derive, "E + S + 4 H")
    out["BM_RekeyReceiver"] = (S + derive, "S + 4 H")
    # AKE: each side one key pair, one shared secret, one signature, one
    # verification; AES of g^x and of X_A, X_B; HMAC-SHA256 of M_A, M_B,
    # X_A, X_B (made and checked); seven h2 derivations per side.
    ake_sym = 4 * aes(250) + 8 * hmac256(450) + 2 * sha(192) + 14 * sha(200)
    out["BM_AkeFull"] = (2 * E + 2 * S + 2 * SIGN + 2 * VERIFY + ake_sym,
                         "2E + 2S + 2 Sign + 2 Verify + symmetric")
    out["BM_AkeStep/query"] = (E + aes(192) + sha(192), "E + AES + H")
    out["BM_AkeStep/dh_commit"] = (E, "E")
    out["BM_AkeStep/dh_key"] = (S + SIGN + 7 * sha(200) + 2 * hmac256(450) + aes(250),
                                "S + Sign + symmetric")
    out["BM_AkeStep/reveal_signature"] = (
        aes(192) + sha(192) + S + VERIFY + SIGN + 7 * sha(200) + 4 * hmac256(450) + 2 * aes(250),
        "S + Verify + Sign + symmetric")
    out["BM_AkeStep/signature"] = (VERIFY + 2 * hmac256(450) + aes(250), "Verify + symmetric")
    for n in SIZES:
        one_way = 2 * aes(n) + 2 * hmac1(n + DATA_MAC_OVERHEAD)
        rotating = E + 2 * S + 2 * derive + one_way
        out[f"BM_Burst/{n}"] = (one_way, "2 AES + 2 HMAC-SHA1")
        out[f"BM_BurstFragmented/{n}/max400"] = (one_way, "2 AES + 2 HMAC-SHA1")
        out[f"BM_PingPong/{n}"] = (rotating, "E + 2S + 8 H + 2 AES + 2 HMAC-SHA1")
        out[f"BM_PingPongFragmented/{n}/max400"] = (rotating, "E + 2S + 8 H + 2 AES + 2 HMAC")
    # SMP (otr v3 spec): 31 secret exponentiations to build messages 1-4
    # and Rab; checks of 14 terms with a full public exponent and 12 with
    # the 256-bit hash c; five rotating data messages carry the TLVs.
    msg = E + 2 * S + 2 * derive + 2 * aes(1000) + 2 * hmac1(1200)
    out["BM_SmpFull"] = (31 * X + 14 * XP + 12 * short + 5 * msg,
                         "31 X + 14 XP + 12 XP/6 + 5 data messages")
    out["BM_SmpStep/start"] = (4 * X + S + aes(500) + hmac1(700), "4 X + S + send")
    out["BM_SmpStep/smp1"] = (11 * X + 2 * XP + 2 * short + msg, "11 X + 2 XP + 2 c + msg")
    out["BM_SmpStep/smp2"] = (11 * X + 5 * XP + 4 * short + msg, "11 X + 5 XP + 4 c + msg")
    out["BM_SmpStep/smp3"] = (4 * X + 5 * XP + 4 * short + msg, "4 X + 5 XP + 4 c + msg")
    out["BM_SmpStep/smp4"] = (X + 2 * XP + 2 * short + E + S, "X + 2 XP + 2 c + receive")
    return out


def protocol_ops(medians):
    """Operation keys (name without the implementation) in first-seen order."""
    ops = []
    for name in medians:
        m = re.match(r"^(BM_\w+)/(openssl|gcrypt|libotr)(/.*)?$", name)
        if not m or m.group(1) in PRIMITIVES:
            continue
        key = m.group(1) + (m.group(3) or "")
        if key not in ops:
            ops.append(key)
    return ops


PRIMITIVES = {"BM_ModExp", "BM_ModExpPublic", "BM_ModExpGenerator", "BM_DhSharedSecret",
              "BM_DsaSign", "BM_DsaVerify", "BM_Aes128Ctr", "BM_Aes128CtrKeyed", "BM_ChaCha20",
              "BM_HmacSha256", "BM_HmacSha1", "BM_HmacSha1Keyed", "BM_Sha256",
              "BM_Shake256", "BM_Ed448MulBase", "BM_Ed448Mul", "BM_Ed448Add", "BM_Ed448Decode",
              "BM_Ed448Sign", "BM_Ed448Verify"}


def split(key):
    parts = key.split("/", 1)
    return parts[0], (parts[1] if len(parts) > 1 else "")


def fmt_time(s):
    if s is None:
        return "—"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s / 1e-9:.3g} ns"


def fmt_ratio(r):
    return "—" if r is None else f"{r:.2f}"


def lookup(medians, op, impl):
    base, params = split(op)
    return medians.get(f"{base}/{impl}" + (f"/{params}" if params else ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("json")
    ap.add_argument("out_dir")
    ap.add_argument("--machine", default=None)
    ap.add_argument("--metric", default="cpu_time", choices=["cpu_time", "real_time"])
    args = ap.parse_args()

    medians, counters, errors, context = load(args.json, args.metric)
    fl = {b: floors(medians, b) for b in BACKENDS}
    ops = [op for op in protocol_ops(medians) if not op.startswith("BM_SessionMemory")]

    rows, chart = [], []
    incomplete = []
    for op in ops:
        t = {i: lookup(medians, op, i) for i in IMPLS}
        if any(t[i] is None for i in IMPLS if not op.startswith("BM_Rekey") or True):
            incomplete.append(op)
        speed = {b: (t["libotr"] / t[b] if t[b] and t["libotr"] else None) for b in BACKENDS}
        to_floor = {b: (t[b] / fl[b][op][0] if t[b] and op in fl[b] else None) for b in BACKENDS}
        lib_floor = (t["libotr"] / fl["gcrypt"][op][0]
                     if t["libotr"] and op in fl["gcrypt"] else None)
        rows.append((op, t, speed, to_floor, lib_floor))
        chart.append((op, speed, to_floor))

    lines = ["# Protocol benchmarks: our Session (openssl, gcrypt backends) against libotr 4.1.1", ""]
    if args.machine and os.path.exists(args.machine):
        lines += ["## Machine and run", "", "```", open(args.machine).read().rstrip(), "```", ""]
    lines += [
        f"Metric: {args.metric.replace('_', ' ')}, the median of the repetitions. "
        "**speed-up** = libotr time / our time (> 1: we are faster). "
        "**÷ floor** = our time / the primitive floor priced with the same backend's primitive "
        "cases of this run (1.0 = only the primitives the spec requires; below 1 means the "
        "implementation beats a plain count, e.g. by reusing contexts). "
        "libotr ÷ floor uses the gcrypt floor (libotr runs on libgcrypt).", "",
        "| operation | openssl | gcrypt | libotr | speed-up openssl | speed-up gcrypt "
        "| floor openssl | ÷ floor openssl | floor gcrypt | ÷ floor gcrypt | libotr ÷ floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for op, t, speed, to_floor, lib_floor in rows:
        lines.append(
            f"| `{op}` | {fmt_time(t['openssl'])} | {fmt_time(t['gcrypt'])} | "
            f"{fmt_time(t['libotr'])} | {fmt_ratio(speed['openssl'])} | "
            f"{fmt_ratio(speed['gcrypt'])} | "
            f"{fmt_time(fl['openssl'].get(op, (None,))[0])} | {fmt_ratio(to_floor['openssl'])} | "
            f"{fmt_time(fl['gcrypt'].get(op, (None,))[0])} | {fmt_ratio(to_floor['gcrypt'])} | "
            f"{fmt_ratio(lib_floor)} |")

    # Memory.
    lines += ["", "## Heap held per established session", "",
              "Net heap growth (malloc family, usable sizes) while establishing the sessions, "
              "divided by the number of sessions; both ends of each conversation live in the "
              "process, so `sessions:2` is one conversation.", "",
              "| sessions | openssl | gcrypt | libotr | allocations per session (openssl / gcrypt / libotr) |",
              "|---|---:|---:|---:|---:|"]
    for n in ("2", "10000"):
        cells, allocs = [], []
        for i in IMPLS:
            c = next((v for k, v in counters.items()
                      if k.startswith(f"BM_SessionMemory/{i}/sessions:{n}")), None)
            if c is None:
                cells.append("—")
                allocs.append("—")
                incomplete.append(f"BM_SessionMemory/{i}/sessions:{n}")
            else:
                cells.append(f"{c['bytes_per_session']:,.0f} B")
                allocs.append(f"{c['allocations_per_session']:,.0f}")
        lines.append(f"| {n} | {' | '.join(cells)} | {' / '.join(allocs)} |")

    # Targets (issue 9), openssl backend.
    def speed_of(op):
        r = next((r for r in rows if r[0] == op), None)
        return r[2]["openssl"] if r else None

    def floor_of(op):
        r = next((r for r in rows if r[0] == op), None)
        return r[3]["openssl"] if r else None

    targets = [("full v3 AKE ≥ 4× faster than libotr", speed_of("BM_AkeFull"), 4, True)]
    for n in SIZES:
        targets.append((f"ping-pong {n} B ≥ 4× faster than libotr", speed_of(f"BM_PingPong/{n}"), 4, True))
    for n in SIZES:
        targets.append((f"one-way burst {n} B ≤ 1.5× its floor", floor_of(f"BM_Burst/{n}"), 1.5, False))
    targets.append(("full SMP ≥ 3× faster than libotr", speed_of("BM_SmpFull"), 3, True))
    lines += ["", "## Targets (openssl backend, ratios from this run)", "",
              "| target | measured | met |", "|---|---:|:---:|"]
    for label, value, bound, at_least in targets:
        met = value is not None and (value >= bound if at_least else value <= bound)
        lines.append(f"| {label} | {fmt_ratio(value)} | {'yes' if met else '**no**'} |")

    # Informational: bursts against a stricter floor, priced with the keyed
    # contexts (key set up once per key pair) instead of one-shot calls.
    lines += ["", "## Bursts against a keyed-context floor (informational)", "",
              "The floors above price each AES-CTR and HMAC-SHA1 call with the one-shot "
              "primitives (`BM_Aes128Ctr`, `BM_HmacSha1`: key set up per call), as in the "
              "targets. A session that keeps its per-key-pair contexts pays less per call "
              "(`BM_Aes128CtrKeyed`, `BM_HmacSha1Keyed`); against that stricter floor the "
              "remainder is encoding (base64, message layout) and the session layers.", "",
              "| operation | keyed floor openssl | ÷ keyed floor openssl | keyed floor gcrypt "
              "| ÷ keyed floor gcrypt |", "|---|---:|---:|---:|---:|"]
    for n in SIZES:
        op = f"BM_Burst/{n}"
        r = next((r for r in rows if r[0] == op), None)
        cells = []
        for b in BACKENDS:
            p = Prices(medians, b)
            aes, mac = p.sized("BM_Aes128CtrKeyed", n), p.sized("BM_HmacSha1Keyed", n + DATA_MAC_OVERHEAD)
            keyed = 2 * aes + 2 * mac if aes is not None and mac is not None else None
            t = r[1][b] if r else None
            cells += [fmt_time(keyed), fmt_ratio(t / keyed if t and keyed else None)]
        lines.append(f"| `{op}` | {' | '.join(cells)} |")

    lines += ["", "## Floors", "",
              "E = `BM_ModExp/1536/exp320` (a fresh D-H key, priced as the generic "
              "constant-time exponentiation of a random group element; the openssl backend's "
              "fixed-base g^x, `BM_ModExpGenerator`, is faster and lets operations beat the "
              "floor), S = `BM_DhSharedSecret/1536`, "
              "X = `BM_ModExp/1536/exp1536`, XP = `BM_ModExpPublic/1536/exp1536`, "
              "Sign/Verify = `BM_DsaSign`/`BM_DsaVerify`, H = one hash of ~200 bytes "
              "(SHA-1 priced as `BM_Sha256`), AES/HMAC priced at the message size by "
              "interpolating the 16 B / 1 KiB / 16 KiB cases.", "",
              "| operation | formula | openssl | gcrypt |", "|---|---|---:|---:|"]
    for op in ops:
        if op in fl["openssl"]:
            lines.append(f"| `{op}` | {fl['openssl'][op][1]} | {fmt_time(fl['openssl'][op][0])} | "
                         f"{fmt_time(fl['gcrypt'].get(op, (None,))[0])} |")
    if errors:
        lines += ["", "## Errors", ""] + [f"- {e}" for e in errors]
    if context:
        lines += ["", f"Google Benchmark context: {context.get('host_name', '')}, "
                  f"{context.get('num_cpus', '')} CPUs at {context.get('mhz_per_cpu', '')} MHz, "
                  f"load average {context.get('load_avg', '')}, library build type "
                  f"{context.get('library_build_type', '')}."]

    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    draw(chart, os.path.join(args.out_dir, "ratios.png"))
    print("\n".join(lines))
    if errors or incomplete:
        for op in incomplete:
            print(f"report: incomplete row {op}", file=sys.stderr)
        return 1
    return 0


def draw(chart, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [op.replace("BM_", "") for op, _, _ in chart]
    fig, axes = plt.subplots(2, 1, figsize=(14, 9), sharex=True)
    width = 0.38
    xs = range(len(labels))
    for ax, idx, title, line in ((axes[0], 1, "speed-up against libotr (libotr time / ours)", 1.0),
                                 (axes[1], 2, "our time / primitive floor", 1.0)):
        for k, b in enumerate(BACKENDS):
            vals = [(c[idx][b] or 0) for c in chart]
            ax.bar([x + (k - 0.5) * width for x in xs], vals, width, label=b)
        ax.axhline(line, color="black", linewidth=0.8)
        ax.set_yscale("log")
        ax.set_title(title)
        ax.legend()
        ax.grid(axis="y", which="both", alpha=0.3)
    axes[1].set_xticks(list(xs))
    axes[1].set_xticklabels(labels, rotation=60, ha="right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    sys.exit(main())
