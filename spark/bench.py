#!/usr/bin/env python3
"""Times the Spark job beside `attain run` on the same data: wall time, peak memory, the job's stages.

    python3 spark/bench.py --data bench/data/100000-10000000-s1 [--attain .build/release/attain] [--plans bench/bench.plan]
        [--period 2026-Q1] [--format payroll] [--master local[2]] [--driver-memory 6g] [--runs 1] [--pipe jvm]
        [--partitions N] [--skip-run] [--keep]
    python3 spark/bench.py --close NEXT-DATA --data DATA [--format json,payroll] …

Each run of `attain run` is timed with /usr/bin/time (max RSS). The Spark job runs under spark-submit; its memory is

Each run of `attain run` is timed with /usr/bin/time (max RSS). The Spark job runs under spark-submit; its memory is
sampled every 0.2 s as the sum of the resident sets of spark-submit's process tree (the JVM, which in local mode is
driver and executor at once, the Python driver, every attain process the pipes start): the peak of that sum is the
figure. The job's per-stage times come from its `attain-spark:` lines. After each Spark run the payroll file (and any
other file written) is compared byte for byte with attain run's; a difference fails the benchmark. Prints a Markdown
table of medians.

With --close NEXT-DATA, each run closes --period (default 2026-Q1) on DATA and then the next quarter on NEXT-DATA
(`scripts/generate.py --next-quarter`: the first quarter recomputed), with --commit, twice: `attain close` into one
fresh SQLite ledger and the Spark job with --ledger into another. After each quarter the output folders must be
byte-identical, and the ledgers' statements (payee, paid, SHA-256 of the document posted) and line counts the same.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STAGES = ["read", "credit", "shuffle", "evaluate", "finish", "total"]


def tree_rss_kb(root_pid):
    """The summed VmRSS (kB) of root_pid and all its descendants, and the count of attain processes among them."""
    children, rss, names = {}, {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/status") as f:
                status = f.read()
        except OSError:
            continue
        pid = int(entry)
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(pid)
        m = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
        rss[pid] = int(m.group(1)) if m else 0
        names[pid] = stat[stat.index("(") + 1:stat.rindex(")")]
    total, attains, todo = 0, 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        attains += names.get(pid) == "attain"
        todo.extend(children.get(pid, []))
    return total, attains


def run_spark(args, out, stderr_path, data=None, period=None, ledger=None):
    data, period = data or args.data, period or args.period
    cmd = ["spark-submit", "--master", args.master, "--driver-memory", args.driver_memory,
           "--conf", "spark.ui.enabled=false", "--conf", "spark.ui.showConsoleProgress=false",
           os.path.join(ROOT, "spark", "attain_spark.py"), "--attain", args.attain, "--plans", args.plans,
           "--data", data, "--period", period, "--deals", os.path.join(data, "deals.csv"),
           "--out", out, "--format", args.format, "--pipe", args.pipe]
    if ledger:
        cmd += ["--ledger", ledger, "--commit"]
    if args.partitions:
        cmd += ["--partitions", str(args.partitions)]
    peak, peak_attains, stop = [0], [0], threading.Event()
    with open(stderr_path, "w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)

        def sample():
            while not stop.is_set():
                kb, attains = tree_rss_kb(proc.pid)
                peak[0] = max(peak[0], kb)
                peak_attains[0] = max(peak_attains[0], attains)
                stop.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        status = proc.wait()
        wall = time.perf_counter() - start
        stop.set()
        sampler.join()
    if status != 0:
        with open(stderr_path) as f:
            sys.exit(f"the Spark job failed (exit {status}):\n{f.read()[-4000:]}")
    stages = {}
    with open(stderr_path) as f:
        for line in f:
            m = re.match(r"attain-spark: (\w+)\s+([\d.]+) s", line)
            if m:
                stages[m.group(1)] = float(m.group(2))
    return wall, peak[0] / 1024, peak_attains[0], stages


def run_attain(args, out):
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name, args.attain, "run", args.plans, "--data", args.data,
                        "--period", args.period, "--out", out, "--format", args.format],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        return wall, int(t.read().strip().splitlines()[-1]) / 1024


def run_close(args, out, data, period, ledger):
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name, args.attain, "close", args.plans, "--data", data,
                        "--period", period, "--out", out, "--format", args.format, "--ledger", ledger, "--commit"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        return wall, int(t.read().strip().splitlines()[-1]) / 1024


def ledger_rows(path):
    """Each posted statement (run, payee, paid, document SHA-256) and the number of posted lines."""
    import sqlite3
    db = sqlite3.connect(path)
    rows = db.execute("SELECT run_id, payee_id, paid, hex(document_sha256) FROM statements ORDER BY run_id, payee_id").fetchall()
    lines = db.execute("SELECT COUNT(*) FROM lines").fetchone()[0]
    db.close()
    return rows, lines


def next_period(period):
    year, q = period.split("-Q")
    return f"{year}-Q{int(q) + 1}" if q != "4" else f"{int(year) + 1}-Q1"


def close_bench(args, work):
    """Two quarters closed by `attain close` and by the Spark job, --runs times; a Markdown table of medians."""
    steps = [(args.data, args.period), (args.close, next_period(args.period))]
    closes, sparks = [[] for _ in steps], [[] for _ in steps]
    for i in range(args.runs):
        a, b = os.path.join(work, f"a{i}.db"), os.path.join(work, f"b{i}.db")
        for k, (data, period) in enumerate(steps):
            ref, out = os.path.join(work, f"close{i}-{k}"), os.path.join(work, f"spark{i}-{k}")
            closes[k].append(run_close(args, ref, data, period, a))
            print(f"attain close {period} #{i + 1}: {closes[k][-1][0]:.2f} s, {closes[k][-1][1]:.0f} MB", file=sys.stderr, flush=True)
            sparks[k].append(run_spark(args, out, os.path.join(work, f"spark{i}-{k}.stderr"), data=data, period=period, ledger=b))
            wall, mb, attains, stages = sparks[k][-1]
            print(f"spark close {period} #{i + 1}: {wall:.2f} s, {mb:.0f} MB (up to {attains} attain processes); "
                  + ", ".join(f"{s} {v:.2f} s" for s, v in stages.items()), file=sys.stderr, flush=True)
            same, diff = same_files(ref, out)
            if not same:
                sys.exit(f"the Spark close's output differs from attain close's:\n{diff}")
            rows = ledger_rows(a)
            if rows != ledger_rows(b):
                sys.exit(f"the ledgers differ after {period}")
            print(f"  same files, same {len(rows[0])} statements and {rows[1]} lines in both ledgers", file=sys.stderr, flush=True)
            shutil.rmtree(ref)
            shutil.rmtree(out)
    med = statistics.median
    print("| measurement | median wall s | peak RSS MB | runs |")
    print("|---|---:|---:|---|")
    for k, (_, period) in enumerate(steps):
        print(f"| attain close --commit {period} | {med(r[0] for r in closes[k]):.2f} | {med(r[1] for r in closes[k]):.0f} | "
              + ", ".join(f"{r[0]:.2f}" for r in closes[k]) + " |")
        print(f"| Spark job --ledger --commit {period}, {args.master} | {med(s[0] for s in sparks[k]):.2f} | {med(s[1] for s in sparks[k]):.0f} | "
              + ", ".join(f"{s[0]:.2f}" for s in sparks[k]) + " |")
        for stage in STAGES:
            values = [s[3][stage] for s in sparks[k] if stage in s[3]]
            if values:
                print(f"| &nbsp;&nbsp;stage {stage} | {med(values):.2f} | | " + ", ".join(f"{v:.2f}" for v in values) + " |")


def same_files(a, b):
    done = subprocess.run(["diff", "-r", "-q", a, b], stdout=subprocess.PIPE, text=True)
    return done.returncode == 0, done.stdout[:2000]


def main():
    ap = argparse.ArgumentParser(description="Time the Spark job beside attain run")
    ap.add_argument("--data", required=True)
    ap.add_argument("--attain", default=os.path.join(ROOT, ".build", "release", "attain"))
    ap.add_argument("--plans", default=os.path.join(ROOT, "bench", "bench.plan"))
    ap.add_argument("--period", default="2026-Q1")
    ap.add_argument("--format", default="payroll")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--driver-memory", default="6g")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--pipe", default="jvm")
    ap.add_argument("--partitions", type=int)
    ap.add_argument("--skip-run", action="store_true", help="no attain run timing (and no comparison)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--close", metavar="NEXT-DATA", help="close two quarters (DATA, then NEXT-DATA) both ways instead of a run")
    args = ap.parse_args()
    args.attain, args.data, args.plans = map(os.path.abspath, (args.attain, args.data, args.plans))
    work = tempfile.mkdtemp(prefix="attain-spark-bench-")
    if args.close:
        args.close = os.path.abspath(args.close)
        try:
            close_bench(args, work)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        return
    runs, sparks = [], []
    try:
        for i in range(args.runs):
            reference = os.path.join(work, f"run{i}")
            if not args.skip_run:
                runs.append(run_attain(args, reference))
                print(f"attain run #{i + 1}: {runs[-1][0]:.2f} s, {runs[-1][1]:.0f} MB", file=sys.stderr, flush=True)
            out = os.path.join(work, f"spark{i}")
            sparks.append(run_spark(args, out, os.path.join(work, f"spark{i}.stderr")))
            wall, mb, attains, stages = sparks[-1]
            print(f"spark job #{i + 1}: {wall:.2f} s, {mb:.0f} MB (peak of the tree, up to {attains} attain "
                  f"processes at once); " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()),
                  file=sys.stderr, flush=True)
            if not args.skip_run:
                same, diff = same_files(reference, out)
                if not same:
                    sys.exit(f"the Spark job's output differs from attain run's:\n{diff}")
                shutil.rmtree(reference)
            shutil.rmtree(out, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    med = statistics.median
    print(f"| measurement | median wall s | peak RSS MB | runs |")
    print(f"|---|---:|---:|---|")
    if runs:
        print(f"| attain run --format {args.format} | {med(r[0] for r in runs):.2f} | {med(r[1] for r in runs):.0f} | "
              + ", ".join(f"{r[0]:.2f}" for r in runs) + " |")
    print(f"| Spark job, {args.master}, --pipe {args.pipe} | {med(s[0] for s in sparks):.2f} | "
          f"{med(s[1] for s in sparks):.0f} | " + ", ".join(f"{s[0]:.2f}" for s in sparks) + " |")
    for stage in STAGES:
        values = [s[3][stage] for s in sparks if stage in s[3]]
        if values:
            print(f"| &nbsp;&nbsp;stage {stage} | {med(values):.2f} | | " + ", ".join(f"{v:.2f}" for v in values) + " |")
    if runs:
        print(f"\nSame bytes: the Spark job's {args.format} output equals attain run's in every run.")


if __name__ == "__main__":
    main()
