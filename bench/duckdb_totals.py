#!/usr/bin/env python3
"""Runs bench/duckdb_totals.sql over a data folder and writes `rep_id,paid` rows to a CSV file.

Usage: python3 bench/duckdb_totals.py DATA_FOLDER OUT.csv [FIRST_DAY LAST_DAY]   (needs `pip install duckdb`)
The quarter is 2026-Q1 (2026-01-01 to 2026-03-31) unless its first and last days are given.
"""
import os
import sys

import duckdb

data, out = sys.argv[1], sys.argv[2]
start, end = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("2026-01-01", "2026-03-31")
sql = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "duckdb_totals.sql")).read()
sql = sql.replace("{data}", data).replace("{start}", start).replace("{end}", end)
rows = duckdb.sql(sql).fetchall()
with open(out, "w") as f:
    f.write("rep_id,paid\n")
    for rep, paid in rows:
        f.write(f"{rep},{paid:.2f}\n")
