#!/usr/bin/env python3
"""Checks every ```plan example in docs/language.md with `attain check`.

A block that has a `plan "…"` line is checked as a whole file. Any other block is a
fragment: it is checked after a standard header, plus a `bookings` measure with a
quota when the fragment uses `bookings` without defining it, plus a small spif when
the fragment has no component of its own. Exits 1 if any example fails.

Usage: python3 scripts/check-doc-examples.py [docs/language.md] [path/to/attain]
"""
import os
import re
import subprocess
import sys
import tempfile

doc = sys.argv[1] if len(sys.argv) > 1 else "docs/language.md"
attain = sys.argv[2] if len(sys.argv) > 2 else ".build/debug/attain"

HEADER = """plan "Doc example" version "1"
effective 2026-01-01 to 2026-12-31
currency USD
period quarter
rounding half-up to 0.01
"""

text = open(doc, encoding="utf-8").read()
blocks = re.findall(r"^```plan\n(.*?)^```", text, flags=re.S | re.M)
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for n, block in enumerate(blocks, 1):
        if re.search(r'^plan "', block, flags=re.M):
            source = block
        else:
            source = HEADER
            if re.search(r"\bbookings\b", block) and not re.search(r"^measure bookings\b", block, flags=re.M):
                source += "measure bookings = sum of deal.amount\n  quota from assignment\n"
            source += block
            if not re.search(r"^(commission|bonus|spif) ", block, flags=re.M):
                source += '\nspif "Doc check"\n  pay 1.00 USD per deal\n'
        path = os.path.join(tmp, f"example-{n:02d}.plan")
        with open(path, "w", encoding="utf-8") as f:
            f.write(source)
        r = subprocess.run([attain, "check", path], capture_output=True, text=True)
        first = block.strip().splitlines()[0]
        if r.returncode == 0:
            print(f"ok    example {n:2d}: {first}")
        else:
            failures += 1
            print(f"FAIL  example {n:2d}: {first}\n{source}\n{r.stdout}{r.stderr}")
print(f"{len(blocks)} examples, {failures} failed")
sys.exit(1 if failures else 0)
