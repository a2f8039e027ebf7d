#!/usr/bin/python3
"""Compares crypto backends from one Google Benchmark JSON run.

Reads the output of //bench:crypto_bench (--benchmark_format=json or
--benchmark_out=FILE), whose cases are named `<op>/<backend>/<params>`, and
prints a markdown table: one row per operation, one time column per backend
(the MEDIAN over repetitions), and the ratio of each backend to the baseline
(openssl). Throughput is shown for cases that report bytes processed.

Works with `--benchmark_report_aggregates_only=true` (uses the `median`
aggregate) and without it (takes the median of the repetitions itself).

Exit status: 0 when every case ran; 2 when a case reported an error (or, with
--require-complete, when a row lacks a backend); 1 when the input is unusable.
Standard library only; run with /usr/bin/python3.
"""

import argparse
import json
import statistics
import sys

NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class Case:
    """The measurements of one `<op>/<backend>/<params>` case."""

    def __init__(self):
        self.median = {}  # metric -> value from the `median` aggregate
        self.cv = None  # coefficient of variation of the metric, if reported
        self.samples = {}  # metric -> list of values from single repetitions
        self.error = None


def split_name(run_name):
    """`BM_X/openssl/1536/exp320` -> (`BM_X/1536/exp320`, `openssl`)."""
    parts = run_name.split("/")
    if len(parts) < 2:
        return run_name, None
    op = "/".join([parts[0]] + parts[2:])
    return op, parts[1]


def load_cases(data, metric):
    """Returns {(op, backend): Case} in order of appearance."""
    cases = {}
    for entry in data.get("benchmarks", []):
        run_name = entry.get("run_name") or entry.get("name", "")
        op, backend = split_name(run_name)
        if backend is None:
            continue
        case = cases.setdefault((op, backend), Case())
        if entry.get("error_occurred"):
            case.error = entry.get("error_message") or "error"
            continue
        scale = NS_PER_UNIT.get(entry.get("time_unit", "ns"), 1.0)
        if entry.get("run_type") == "aggregate":
            name = entry.get("aggregate_name")
            if name == "median":
                case.median[metric] = entry[metric] * scale
                if "bytes_per_second" in entry:
                    case.median["bytes_per_second"] = entry["bytes_per_second"]
            elif name == "cv":
                case.cv = entry[metric]  # a fraction, not scaled by time unit
        else:
            case.samples.setdefault(metric, []).append(entry[metric] * scale)
            if "bytes_per_second" in entry:
                case.samples.setdefault("bytes_per_second", []).append(entry["bytes_per_second"])
    return cases


def value(case, key):
    if key in case.median:
        return case.median[key]
    samples = case.samples.get(key)
    return statistics.median(samples) if samples else None


def noise(case, metric):
    if case.cv is not None:
        return case.cv
    samples = case.samples.get(metric, [])
    if len(samples) < 2:
        return None
    mean = statistics.mean(samples)
    return statistics.stdev(samples) / mean if mean else None


def three_digits(x):
    """Three significant digits for x < 1000, keeping trailing zeros."""
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def format_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{three_digits(ns / scale)} {unit}"
    return f"{three_digits(ns)} ns"


def format_rate(bytes_per_second):
    mib = bytes_per_second / (1 << 20)
    if mib >= 1000:
        return f"{three_digits(mib / 1024)} GiB/s"
    return f"{three_digits(mib)} MiB/s"


def format_cell(case, metric):
    if case is None:
        return "—"
    if case.error is not None:
        return f"ERROR: {case.error}"
    t = value(case, metric)
    if t is None:
        return "—"
    text = format_time(t)
    rate = value(case, "bytes_per_second")
    if rate:
        text += f" ({format_rate(rate)})"
    return text


def context_lines(data, metric, repetitions):
    ctx = data.get("context", {})
    lines = []
    if ctx:
        load = ", ".join(f"{x:.2f}" for x in ctx.get("load_avg", []))
        lines.append(
            f"Run {ctx.get('date', '?')} on {ctx.get('num_cpus', '?')} CPUs at "
            f"{ctx.get('mhz_per_cpu', '?')} MHz, load average {load or '?'}."
        )
    lines.append(
        f"Each cell: median {metric.replace('_', ' ')} of {repetitions} repetition(s); "
        "throughput in brackets. Ratio > 1: that backend is slower than the baseline. "
        "Noise: coefficient of variation over the repetitions."
    )
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json_file", help="Google Benchmark JSON output ('-' for stdin)")
    parser.add_argument("--metric", choices=("cpu_time", "real_time"), default="cpu_time")
    parser.add_argument("--baseline", default="openssl", help="backend the ratios divide by")
    parser.add_argument(
        "--require-complete",
        action="store_true",
        help="fail (exit 2) when an operation lacks a result for some backend",
    )
    args = parser.parse_args()

    try:
        if args.json_file == "-":
            data = json.load(sys.stdin)
        else:
            with open(args.json_file, encoding="utf-8") as f:
                data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"compare_backends: cannot read {args.json_file}: {e}", file=sys.stderr)
        return 1

    cases = load_cases(data, args.metric)
    if not cases:
        print("compare_backends: no `<op>/<backend>/...` benchmarks in input", file=sys.stderr)
        return 1

    ops, backends = [], []
    for op, backend in cases:
        if op not in ops:
            ops.append(op)
        if backend not in backends:
            backends.append(backend)
    baseline = args.baseline if args.baseline in backends else backends[0]
    others = [b for b in backends if b != baseline]
    columns = [baseline] + others

    repetitions = max(
        (e.get("repetitions", 1) for e in data.get("benchmarks", [])), default=1
    )
    for line in context_lines(data, args.metric, repetitions):
        print(line)
        print()
    header = ["operation"] + columns + [f"{b}/{baseline}" for b in others] + ["noise (cv) " + " / ".join(columns)]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")

    failed = False
    for op in ops:
        row = [f"`{op}`"]
        for b in columns:
            case = cases.get((op, b))
            row.append(format_cell(case, args.metric))
            if args.require_complete and (case is None or value(case, args.metric) is None):
                failed = True
        base_case = cases.get((op, baseline))
        base = value(base_case, args.metric) if base_case and not base_case.error else None
        for b in others:
            case = cases.get((op, b))
            t = value(case, args.metric) if case and not case.error else None
            row.append(f"{t / base:.2f}" if t is not None and base else "—")
        cvs = []
        for b in columns:
            case = cases.get((op, b))
            cv = noise(case, args.metric) if case and not case.error else None
            cvs.append(f"{cv * 100:.0f}%" if cv is not None else "—")
        row.append(" / ".join(cvs))
        print("| " + " | ".join(row) + " |")

    errors = [(op, b, c.error) for (op, b), c in cases.items() if c.error]
    for op, b, message in errors:
        print(f"compare_backends: {op} on {b}: {message}", file=sys.stderr)
    return 2 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
