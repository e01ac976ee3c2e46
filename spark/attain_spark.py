#!/usr/bin/env python3
"""Attain on Apache Spark: one period's run, or its close, over deals too many for one machine, with the `attain shard`
commands.

    spark-submit spark/attain_spark.py --attain PATH/TO/attain --plans PLAN-FILE-OR-FOLDER [--plans …] --data DIR
        --period 2026-Q1 (--deals deals.csv | --deals deals.parquet | --table NAME) --out OUT
        [--format json,xml,payroll,jsonl] [--partitions N] [--set name=value]… [--earning-codes CSV] [--locale en]
        [--strict]
        [--ledger LEDGER [--commit] [--by NAME] [--all]]
        [--pipe jvm|python] [--no-stage-timings]

Without --ledger the job is `attain run`. With --ledger it is `attain close --ledger LEDGER`: every step gets the ledger
(payees, credit and evaluate read it, never write it), and finish is the close's posting step: without --commit a dry
run (the close table on stdout, OUT/PERIOD/close.csv, the preview saved in the ledger), with --commit every statement
posted and the period locked in one transaction, as `attain close --commit` does, with its exit codes (0 ok, 1 invalid
input, 4 refused: already closed with other inputs, not approved, …, 6 the ledger busy). In a close:
  payees    also lists the payees the ledger paid in closed periods who are no longer in the roster (their posted
            lines are settled by exactly one evaluate process)
  credit    also routes each deal row to the payees paid on that deal in closed periods (role `posted`), so that a
            clawback or a prior-period adjustment sees the deal wherever its payee's records go
  evaluate  settles its payees against the ledger's history
  finish    records --deals, as given, as the close's deals input (its SHA-256; a Parquet folder's parts); pass the path
            `attain close --data DIR` would record (DIR/deals.csv) for the same ledger as `attain close` makes. With
            --table nothing is passed: finish records DATA/deals.csv if there is one, else it refuses.
The formats default to json,xml,payroll,jsonl (a close's outputs but html). The ledger must be reachable from the
driver and every executor: a postgres:// URL (or a .conf file naming one), or an SQLite file on storage they all mount
at the same path. Not supported in a close, refused by the shard steps with the file named: accounts.csv and contract
terms (the journal), payments.csv, holds.csv, holds put on with `attain hold`, activities.csv.

The stages, each printed to stderr with its wall time:
  read      the deals, numbered by line as `attain run` numbers deals.csv (header = line 1, first row = line 2);
            CSV through `spark.read.text` (one file; a quoted field that spans lines is not supported), Parquet or a
            table through a DataFrame whose rows are written as RFC 4180 CSV (`to_csv`), row index + 2 as the line
  credit    the rows repartitioned by deal_id (a split's rows reach one process, which checks their shares), then
            `attain shard credit` over each partition (a pipe), unioned with `attain shard payees`
  shuffle   repartition by payee (hash, --partitions), sorted within partitions by (payee, close_date, deal_id)
  evaluate  `attain shard evaluate` over each partition
  finish    the evaluate lines sorted by payee id (the raw id's UTF-8 bytes; one payee's lines in evaluate's order),
            streamed to one `attain shard finish` on the driver, which writes OUT/PERIOD/… exactly as `attain run`
            does (or, with --ledger, closes the period as `attain close` does); its stdout, its stderr (on the job's
            stderr) and its exit code are the job's.
Any other shard command that exits non-zero fails the job (exit 1) and nothing is written.

The attain binary, the plans and DIR must be readable at the same paths on the driver and on every executor (shared
storage, or `--archives` unpacked to the same relative paths): statements name their plan files by the path given.
Paths are passed as given: a relative path resolves in each process's working directory (on a cluster, the
container's, where `--archives` unpacks). --pipe jvm (default) pipes in the JVM (`JavaRDD.pipe`); --pipe python pipes
from Python workers (a failing command's stderr comes back to the driver in the error; at 1M deals its credit stage
took 42 s against the JVM's 22 s, BENCHMARKS.md). Without --no-stage-timings each stage's result is persisted
and counted so that its time is its own; with it, the job runs as one pipeline and prints the read and finish times
and the time of the rest.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

CREDIT_KEYS = StructType([StructField("payee", StringType()), StructField("close_date", StringType()),
                          StructField("deal_id", StringType()), StructField("line", StringType())])
# to_csv's options for RFC 4180: quotes doubled, no whitespace trimmed, nothing quoted that need not be.
RFC4180 = {"quote": '"', "escape": '"', "ignoreLeadingWhiteSpace": "false", "ignoreTrailingWhiteSpace": "false",
           "nullValue": "", "emptyValue": ""}


# A close's outputs by default: what `attain close` writes but html, which the shard steps leave to it.
CLOSE_FORMATS = "json,xml,payroll,jsonl"


class JobFailed(Exception):
    pass


# spark-submit hands the driver's stdout and stderr to its own stdout alike; the job's messages and finish's stderr go
# to the JVM's stderr instead, so that the job's stdout is finish's stdout alone, as `attain run`'s is its own.
_jvm_err = None
# Where a caller running several jobs in one session wants one job's messages (a text file), else None.
messages = None


def say(text):
    if messages is not None:
        messages.write(text)
        messages.flush()
    elif _jvm_err is not None:
        _jvm_err.write(bytearray(text.encode("utf-8")))  # bytes as they are, whatever the JVM's default charset
        _jvm_err.flush()
    else:
        sys.stderr.write(text)
        sys.stderr.flush()


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Run one Attain period on Spark with the attain shard commands")
    ap.add_argument("--attain", required=True, help="the attain binary (same path on every executor)")
    ap.add_argument("--plans", action="append", required=True, help="plan file or folder; repeatable")
    ap.add_argument("--data", required=True, help="roster.csv, assignments.csv, fx.csv … (deals come from --deals)")
    ap.add_argument("--period", required=True)
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--deals", help="deals.csv (one CSV file) or a Parquet file or folder (*.parquet)")
    source.add_argument("--table", help="a table name in the session's catalog")
    ap.add_argument("--out", required=True)
    ap.add_argument("--format", help="json, xml, payroll, jsonl (comma-separated), as for attain run; no html")
    ap.add_argument("--partitions", type=int, help="evaluate partitions (default: 3 x the default parallelism)")
    ap.add_argument("--set", action="append", default=[], help="override a plan parameter; repeatable")
    ap.add_argument("--earning-codes", help="as for attain run")
    ap.add_argument("--locale", help="language of the terminal's table, as for attain run")
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--ledger", help="close the period against this ledger (an SQLite file every executor reads at the "
                                     "same path, a postgres:// URL or a .conf file), as attain close does")
    ap.add_argument("--commit", action="store_true", help="with --ledger: post the statements and lock the period")
    ap.add_argument("--by", help="with --ledger: who prepares this close (recorded with a dry run)")
    ap.add_argument("--all", action="store_true", help="with --ledger: list every payee's row on the terminal")
    ap.add_argument("--pipe", choices=["jvm", "python"], default="jvm")
    ap.add_argument("--no-stage-timings", action="store_true",
                    help="run as one pipeline: no per-stage persist and count")
    args = ap.parse_args(argv)
    if not args.ledger:
        given = [name for name, on in [("--commit", args.commit), ("--by", args.by is not None), ("--all", args.all)]
                 if on]
        if given:
            ap.error(f"{', '.join(given)} only with --ledger (a close)")
    elif not args.format:
        args.format = CLOSE_FORMATS
    return args


def shard_command(args, step, *extra):
    """A shard step's command: the plans, data folder, period and `--set` values, then `extra`, then the ledger in a
    close."""
    cmd = [args.attain, "shard", step] + args.plans + ["--data", args.data, "--period", args.period]
    for s in args.set:
        cmd += ["--set", s]
    return cmd + list(extra) + ledger_options(args)


def ledger_options(args):
    return ["--ledger", args.ledger] if args.ledger else []


def output_options(args, evaluate=False):
    """The options evaluate and finish take: the formats, and for evaluate (which writes the payroll rows) the
    earning codes."""
    opts = []
    if args.format:
        opts += ["--format", args.format]
    if evaluate and args.earning_codes:
        opts += ["--earning-codes", args.earning_codes]
    return opts


def close_options(args):
    """What finish takes in a close, besides the ledger: --commit, --by, --all, the earning codes (recorded among the
    close's inputs) and the deals' path as given (recorded as its deals input; none for a table)."""
    if not args.ledger:
        return []
    opts = ["--commit"] if args.commit else []
    if args.by is not None:
        opts += ["--by", args.by]
    if args.all:
        opts.append("--all")
    if args.earning_codes:
        opts += ["--earning-codes", args.earning_codes]
    if args.deals:
        opts += ["--deals", args.deals]
    return opts


class Stages:
    """Wall time of each stage, printed to stderr as it ends."""

    def __init__(self, each=True):
        self.figures = []
        self.start = time.perf_counter()
        self.each = each  # false: the stages between read and finish run as one pipeline; no time of their own

    def done(self, name, started, rows=None):
        if not self.each and name in ("credit", "shuffle", "evaluate"):
            return
        if not self.each and name == "finish":
            name, started = "credit…finish", self.after_read
        seconds = time.perf_counter() - started
        self.after_read = time.perf_counter()
        self.figures.append((name, seconds, rows))
        count = f"  {rows} rows" if rows is not None else ""
        say(f"attain-spark: {name:<9}{seconds:9.2f} s{count}\n")

    def total(self):
        say(f"attain-spark: {'total':<9}{time.perf_counter() - self.start:9.2f} s\n")


def numbered_csv(spark, path):
    """(header, DataFrame of `<line>\\t<row>` for every row after the header) of one CSV file, lines as in the file.

    A text file's rows come split into blocks; each row's line is the rows before its block (the blocks ordered by
    their start in the file) plus its place in the block (monotonically_increasing_id counts up within a partition,
    and one partition reads its blocks' rows in file order)."""
    text = spark.read.text(path).select(
        "value", F.input_file_name().alias("file"), F.input_file_block_start().alias("block"),
        F.monotonically_increasing_id().alias("id"))
    blocks = text.groupBy("file", "block").agg(F.count("*").alias("n"), F.min("id").alias("first")).collect()
    if len({b["file"] for b in blocks}) > 1:
        raise JobFailed(f"{path}: deals must be one CSV file (found {len({b['file'] for b in blocks})})")
    if not blocks:
        raise JobFailed(f"{path}: the deals file is empty (no header)")
    offsets, before = running_offsets(blocks, "block")
    starts = spark.createDataFrame(offsets, "block long, first long, before long")
    lines = text.join(F.broadcast(starts), "block").select(
        "value", (F.col("before") + F.col("id") - F.col("first") + 1).alias("line"))
    header = lines.where(F.col("line") == 1).first()["value"]
    if header.startswith("\ufeff"):
        header = header[1:]
    rows = lines.where(F.col("line") > 1).select(
        F.concat(F.col("line").cast("string"), F.lit("\t"), F.col("value")).alias("value"))
    return header, rows, before - 1


def running_offsets(groups, key):
    """Groups of rows (each with its `key`, its count `n` and its first id `first`) in `key` order: for each, (key,
    first, rows before it), and the rows in all."""
    offsets, before = [], 0
    for g in sorted(groups, key=lambda g: g[key]):
        offsets.append((g[key], g["first"], before))
        before += g["n"]
    return offsets, before


def numbered_frame(spark, df):
    """(header, DataFrame of `<row index + 2>\\t<row as CSV>`) of a Parquet file or table, in the frame's order."""
    columns = df.columns
    frame = df.select(F.to_csv(F.struct(*[F.col(f"`{c}`").cast("string").alias(c) for c in columns]), RFC4180)
                      .alias("csv"), F.spark_partition_id().alias("part"), F.monotonically_increasing_id().alias("id"))
    parts = frame.groupBy("part").agg(F.count("*").alias("n"), F.min("id").alias("first"),
                                      F.max(F.instr("csv", "\n") + F.instr("csv", "\r")).alias("breaks")).collect()
    if any(p["breaks"] > 0 for p in parts):
        raise JobFailed("a deals field holds a line break; the shard commands take one row a line")
    offsets, before = running_offsets(parts, "part")
    starts = spark.createDataFrame(offsets, "part int, first long, before long")
    rows = frame.join(F.broadcast(starts), "part").select(
        F.concat((F.col("before") + F.col("id") - F.col("first") + 2).cast("string"), F.lit("\t"), F.col("csv"))
        .alias("value"))
    header = ",".join(columns)
    return header, rows, before


def deal_id_of(header):
    """The deal_id field of a `<line>\\t<row>` value (the row parsed as RFC 4180 CSV with the header's columns)."""
    names = [n.strip().strip('"') for n in header.split(",")]
    if "deal_id" not in names:
        return F.lit("")  # the credit command names the missing column
    schema = ", ".join(f"c{i} string" for i in range(len(names)))
    row = F.expr("substr(value, instr(value, char(9)) + 1)")  # after the first tab: a field may hold a tab
    return F.from_csv(row, schema, RFC4180).getField(f"c{names.index('deal_id')}")


def pipe_jvm(spark, df, cmd):
    """The single string column of df through cmd, one process per partition, in the JVM; a DataFrame of its lines."""
    jvm = spark._jvm
    jcmd = jvm.java.util.ArrayList()
    for c in cmd:
        jcmd.add(c)
    strings = getattr(df._jdf, "as")(jvm.org.apache.spark.sql.Encoders.STRING())
    piped = strings.javaRDD().pipe(jcmd, jvm.java.util.HashMap(), False, 65536, "UTF-8")
    out = spark._jsparkSession.createDataset(piped.rdd(), jvm.org.apache.spark.sql.Encoders.STRING()).toDF()
    return DataFrame(out, spark)


def pipe_partition(cmd):
    """A mapPartitions function running cmd over a partition's strings; a failing cmd raises with its stderr."""

    def run(rows):
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)

            feeder = threading.Thread(target=feed, args=(proc, (row[0] for row in rows)), daemon=True)
            feeder.start()
            for line in proc.stdout:
                yield (line.decode("utf-8").rstrip("\n"),)
            feeder.join()
            status = proc.wait()
            if status != 0:
                err.seek(0)
                raise RuntimeError(f"{' '.join(cmd)} exited with status {status}:\n"
                                   f"{err.read().decode('utf-8', 'replace')}")

    return run


def pipe(spark, args, df, cmd):
    if args.pipe == "jvm":
        return pipe_jvm(spark, df, cmd)
    return spark.createDataFrame(df.rdd.mapPartitions(pipe_partition(cmd)), "value string")


def materialize(df, args, previous=None):
    """df persisted and counted (its time is its stage's), unless --no-stage-timings."""
    if args.no_stage_timings:
        return df, None
    df = df.persist(StorageLevel.MEMORY_AND_DISK)
    n = df.count()
    if previous is not None:
        previous.unpersist()
    return df, n


def payees(args):
    """The payee records: every roster payee, and in a close every payee the ledger paid who left the roster."""
    # A run's payees come from the roster alone; a close's need the plans, period and ledger too.
    cmd = shard_command(args, "payees") if args.ledger else [args.attain, "shard", "payees", "--data", args.data]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    say(done.stderr.decode("utf-8", "replace"))
    if done.returncode != 0:
        raise JobFailed(f"attain shard payees exited with status {done.returncode}")
    return [line for line in done.stdout.decode("utf-8").split("\n") if line]


def finish(args, header, lines, stdout=None):
    """Streams the sorted evaluate lines into `attain shard finish`; its exit code."""
    cmd = shard_command(args, "finish", "--columns", header, "--out", args.out, *output_options(args),
                        *close_options(args))
    if args.locale:
        cmd += ["--locale", args.locale]
    if args.strict:
        cmd.append("--strict")
    sys.stdout.flush()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=stdout, stderr=err)
        status = feed_and_wait(proc, lines)
        err.seek(0)
        say(err.read().decode("utf-8", "replace"))
    return status


def feed(proc, lines):
    """Writes the lines to proc's stdin and closes it; a proc that stops reading (it failed) ends the feeding."""
    try:
        for line in lines:
            proc.stdin.write(line.encode("utf-8") + b"\n")
    except BrokenPipeError:
        pass
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass


def feed_and_wait(proc, lines):
    feed(proc, lines)
    return proc.wait()


def run(spark, args, stdout=None):
    stages = Stages(each=not args.no_stage_timings)
    partitions = args.partitions or 3 * spark.sparkContext.defaultParallelism
    # The small shuffles (line numbering, the final sort) need no more partitions than evaluate has.
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    started = time.perf_counter()
    if args.deals and not args.deals.endswith(".parquet") and not os.path.isdir(args.deals):
        header, rows, n = numbered_csv(spark, args.deals)
    else:
        frame = spark.table(args.table) if args.table else spark.read.parquet(args.deals)
        header, rows, n = numbered_frame(spark, frame)
    stages.done("read", started, n)

    started = time.perf_counter()
    # Every row of one deal_id must reach the same credit process (it checks that a split's shares add up).
    by_deal = rows.withColumn("deal", deal_id_of(header)).repartition(partitions, "deal").select("value")
    credits = pipe(spark, args, by_deal, shard_command(args, "credit", "--columns", header))
    people = spark.createDataFrame([(p,) for p in payees(args)], "value string")
    keyed = credits.unionByName(people).withColumn("k", F.from_json("value", CREDIT_KEYS))
    keyed = keyed.select("value", "k.payee", "k.close_date", "k.deal_id",
                         F.col("k.line").cast("long").alias("line"))
    keyed, n = materialize(keyed, args)
    stages.done("credit", started, n)

    started = time.perf_counter()
    # Ties on (payee, close_date, deal_id) — one deal credited twice to a payee — are broken by the deal row's line
    # and then the record itself, so every run feeds evaluate the same bytes.
    grouped = keyed.repartition(partitions, "payee").sortWithinPartitions(
        "payee", "close_date", "deal_id", "line", "value").select("value")
    grouped, n = materialize(grouped, args, keyed)
    stages.done("shuffle", started, n)

    started = time.perf_counter()
    evaluated = pipe(spark, args, grouped, shard_command(args, "evaluate", "--columns", header,
                                                         *output_options(args, evaluate=True)))
    evaluated, n = materialize(evaluated, args, grouped)
    stages.done("evaluate", started, n)

    started = time.perf_counter()
    # finish takes the lines in payee id order (UTF-8 bytes of the raw id, not of its JSON literal); one payee's lines
    # keep the order evaluate wrote them in (their id within the partition, which holds all of that payee's lines).
    ordered = evaluated.select(
        "value", F.monotonically_increasing_id().alias("seq"),
        F.from_json(F.concat(F.lit('{"p":'), F.substring_index("value", "\t", 1), F.lit("}")), "p string")
        .getField("p").alias("payee")).orderBy("payee", "seq")
    status = finish(args, header, (row["value"] for row in ordered.toLocalIterator()), stdout)
    stages.done("finish", started)
    stages.total()
    return status


def job(spark, argv, stdout=None):
    """One run of the job in an open session; its exit status. finish's stdout goes to stdout (default: ours)."""
    args = parse_args(argv)
    try:
        return run(spark, args, stdout)
    except JobFailed as e:
        say(f"error: {e}\n")
    except Exception as e:  # a shard command exited non-zero inside a task, or Spark failed
        text = str(e)
        reason = next((l.strip() for l in text.splitlines() if "exited with status" in l or "Subprocess exited" in l),
                      text.splitlines()[0] if text else type(e).__name__)
        say(f"error: the job failed, nothing written: {reason}\n"
            "(the failing command's stderr is above; on a cluster, in the executor's log)\n")
    return 1


def session(name):
    spark = SparkSession.builder.appName(name).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    global _jvm_err
    _jvm_err = spark._jvm.System.err
    return spark


def main():
    argv = sys.argv[1:]
    parse_args(argv)  # --help and bad options before Spark starts
    spark = session("attain")
    try:
        status = job(spark, argv)
    finally:
        spark.stop()
    sys.exit(status)


if __name__ == "__main__":
    main()
