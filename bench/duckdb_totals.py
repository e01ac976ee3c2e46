#!/usr/bin/env python3
"""Runs bench/duckdb_totals.sql over a data folder and writes `rep_id,paid` rows to a CSV file.

Usage: python3 bench/duckdb_totals.py DATA_FOLDER OUT.csv   (needs `pip install duckdb`)
"""
import os
import sys

import duckdb

data, out = sys.argv[1], sys.argv[2]
sql = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "duckdb_totals.sql")).read().replace("{data}", data)
rows = duckdb.sql(sql).fetchall()
with open(out, "w") as f:
    f.write("rep_id,paid\n")
    for rep, paid in rows:
        f.write(f"{rep},{paid:.2f}\n")
