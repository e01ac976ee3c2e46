#!/usr/bin/env python3
"""Runs bench/duckdb_totals.sql over a data folder and writes `rep_id,paid` rows to a CSV file.

Usage: python3 bench/duckdb_totals.py DATA_FOLDER OUT.csv [--from 2026-01-01 --to 2026-03-31] [--accelerator 0.08]
(needs `pip install duckdb`). The quarter is 2026-Q1 and the rate above quota bench/bench.plan's 8% unless given.
"""
import argparse
import os

import duckdb

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("data")
ap.add_argument("out")
ap.add_argument("--from", dest="start", default="2026-01-01", help="the quarter's first day")
ap.add_argument("--to", dest="end", default="2026-03-31", help="the quarter's last day")
ap.add_argument("--accelerator", default="0.08", help="the rate above quota, as a decimal (a what-if's `accelerator`)")
args = ap.parse_args()
sql = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "duckdb_totals.sql")).read()
for name, value in [("data", args.data), ("start", args.start), ("end", args.end), ("accelerator", args.accelerator)]:
    sql = sql.replace("{" + name + "}", value)
rows = duckdb.sql(sql).fetchall()
with open(args.out, "w") as f:
    f.write("rep_id,paid\n")
    for rep, paid in rows:
        f.write(f"{rep},{paid:.2f}\n")
