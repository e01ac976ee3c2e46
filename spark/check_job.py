#!/usr/bin/env python3
"""The Spark side of spark/check, in one local[2] session (one JVM start for all): writes the deals as Parquet, then
runs the job on the CSV, on the Parquet and on a CSV with a bad row, each run's stdout, messages and exit status in
files of its own (TMP/spark-csv.stdout, .stderr, .status, and so on).

    python3 spark/check_job.py ATTAIN PLANS DATA BAD-DATA PERIOD FORMATS TMP
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attain_spark  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402


def main():
    attain, plans, data, bad, period, formats, tmp = sys.argv[1:8]
    spark = (SparkSession.builder.master("local[2]").appName("attain spark/check")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        # Every column a string, empty fields null (to_csv writes them back empty), rows in file order.
        parquet = os.path.join(tmp, "deals.parquet")
        spark.read.option("header", True).csv(os.path.join(data, "deals.csv")).coalesce(1).write.parquet(parquet)
        runs = [("spark-csv", data, os.path.join(data, "deals.csv")), ("spark-parquet", data, parquet),
                ("spark-bad", bad, os.path.join(bad, "deals.csv"))]
        for name, folder, deals in runs:
            base = os.path.join(tmp, name)
            with open(base + ".stdout", "wb") as out, open(base + ".stderr", "w") as err:
                attain_spark.messages = err
                status = attain_spark.job(spark, ["--attain", attain, "--plans", plans, "--data", folder,
                                                  "--period", period, "--deals", deals, "--out", base,
                                                  "--format", formats, "--partitions", "4"], stdout=out)
                attain_spark.messages = None
            with open(base + ".status", "w") as f:
                f.write(f"{status}\n")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
