#!/usr/bin/env python3
"""Makes big bad inputs that once took quadratic time: each case a folder with plans/ and data/ (and `args`, more
arguments for `attain run`, for some).

    python3 bench/badinput.py OUT_DIR [--depth 50000] [--dup 4000,20000]

Then time `attain run OUT_DIR/CASE/plans --data OUT_DIR/CASE/data --period 2026-Q1 --out /tmp/o` for each CASE
(bench/badinput.sh does it and prints seconds and stderr bytes).
"""
import argparse
import os

HEADER = """plan "{name}" version "1"
effective 2026-01-01 to 2026-12-31
currency USD
period quarter
rounding half-up to 0.01

measure bookings = sum of deal.amount
"""

COMMISSION = """
commission "Commission" on bookings
  rate 10%
"""

REP_PLAN = HEADER.format(name="Rep") + COMMISSION

MANAGER_PLAN = HEADER.format(name="Managers") + COMMISSION + """
override "Team override" on bookings
  for direct reports
  rate 2%
"""

TEAM_PLAN = HEADER.format(name="Managers") + """measure team = sum of deal.amount for direct reports
""" + COMMISSION + """
commission "Team commission" on team
  rate 1%
"""

DEALS_HEADER = "deal_id,rep_id,close_date,amount,currency,product,type"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def roster(ids, managers=None):
    lines = ["rep_id,name,manager_id,hire_date,end_date"]
    for i, rep in enumerate(ids):
        m = managers[i] if managers else ""
        lines.append(f"{rep},Rep {rep},{m},2024-01-01,")
    return "\n".join(lines) + "\n"


def assignments(ids, plan="Rep"):
    lines = ["rep_id,plan,start_date,end_date,quota,target_incentive"]
    lines += [f"{rep},{plan},2026-01-01,2026-12-31,100000.00,1000.00" for rep in ids]
    return "\n".join(lines) + "\n"


def case(out, name, plans, roster_text, assignments_text, deals_text, extra=None):
    base = os.path.join(out, name)
    for file, text in plans.items():
        write(os.path.join(base, "plans", file), text)
    write(os.path.join(base, "data", "roster.csv"), roster_text)
    write(os.path.join(base, "data", "assignments.csv"), assignments_text)
    write(os.path.join(base, "data", "deals.csv"), deals_text)
    for file, text in (extra or {}).items():
        # `args`: more arguments for `attain run`, beside the data.
        write(os.path.join(base if file == "args" else os.path.join(base, "data"), file), text)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--depth", type=int, default=50000)
    p.add_argument("--dup", default="4000,20000")
    a = p.parse_args()

    # (a) 8,000 deal rows, each naming a rep id the roster (8,000 reps) does not have, one letter off.
    ids = [f"AE{i:05d}" for i in range(8000)]
    deals = [DEALS_HEADER] + [f"D{i},AX{i:05d},2026-02-01,100.00,USD,Widget,new" for i in range(8000)]
    case(a.out, "a-unknown-reps", {"rep.plan": REP_PLAN}, roster(ids), assignments(ids), "\n".join(deals) + "\n")

    # (a) the same ids where each bad row is an error: in assignments.csv, in hierarchy.csv, and as managers in
    # roster.csv.
    bad = [f"AX{i:05d}" for i in range(8000)]
    case(a.out, "a-unknown-reps-assignments", {"rep.plan": REP_PLAN}, roster(ids), assignments(bad), DEALS_HEADER + "\n")
    hierarchy = ["rep_id,manager_id,start_date,end_date"] + [f"{b},,2024-01-01," for b in bad]
    case(a.out, "a-unknown-reps-hierarchy", {"rep.plan": REP_PLAN}, roster(ids), assignments(ids), DEALS_HEADER + "\n",
         {"hierarchy.csv": "\n".join(hierarchy) + "\n"})
    case(a.out, "a-unknown-managers", {"rep.plan": REP_PLAN}, roster(ids, bad), assignments(ids), DEALS_HEADER + "\n")

    # (b) 3,000 reps and 150,000 deals whose rep ids are the roster's lower-cased.
    ids = [f"AE{i:04d}" for i in range(3000)]
    deals = [DEALS_HEADER] + [f"D{i},{ids[i % 3000].lower()},2026-02-01,100.00,USD,Widget,new" for i in range(150000)]
    case(a.out, "b-lowercase-reps", {"rep.plan": REP_PLAN}, roster(ids), assignments(ids), "\n".join(deals) + "\n")
    # ... with --strict, so that the rows are errors; and with the assignments lower-cased too.
    case(a.out, "b-lowercase-reps-strict", {"rep.plan": REP_PLAN}, roster(ids), assignments(ids), "\n".join(deals) + "\n",
         {"args": "--strict"})
    case(a.out, "b-lowercase-reps-assignments", {"rep.plan": REP_PLAN}, roster(ids), assignments([i.lower() for i in ids]),
         "\n".join(deals) + "\n")

    # (c) a deals.csv header with N duplicated columns (`amount` repeated), and one good row.
    ids = ["AE0001"]
    for n in [int(x) for x in a.dup.split(",")]:
        header = DEALS_HEADER + ",amount" * n
        row = "D1,AE0001,2026-02-01,100.00,USD,Widget,new" + ",1" * n
        case(a.out, f"c-duplicate-columns-{n}", {"rep.plan": REP_PLAN}, roster(ids), assignments(ids), header + "\n" + row + "\n")

    # (d) a manager chain N deep (each rep the manager of the next), one deal each, an override on direct reports;
    # in the roster only, with hierarchy.csv, and with a team measure instead of the override.
    n = a.depth
    ids = [f"M{i:06d}" for i in range(n)]
    managers = [""] + ids[:-1]
    deals = [DEALS_HEADER] + [f"D{i},{ids[i]},2026-02-01,100.00,USD,Widget,new" for i in range(n)]
    hierarchy = ["rep_id,manager_id,start_date,end_date"] + [f"{ids[i]},{managers[i]},2024-01-01," for i in range(n)]
    for name, plan, extra in [("d-deep-chain", MANAGER_PLAN, None),
                              ("d-deep-chain-hierarchy", MANAGER_PLAN, {"hierarchy.csv": "\n".join(hierarchy) + "\n"}),
                              ("d-deep-chain-team", TEAM_PLAN, None)]:
        case(a.out, name, {"managers.plan": plan}, roster(ids, managers), assignments(ids, "Managers"), "\n".join(deals) + "\n", extra)

    # ... and one manager over the chain, paid an override on everyone below, with hierarchy.csv.
    top_plan = MANAGER_PLAN.replace("for direct reports", "for all reports")
    case(a.out, "d-one-manager-over-chain", {"managers.plan": top_plan}, roster(ids, managers), assignments(ids[:1], "Managers"),
         "\n".join(deals) + "\n", {"hierarchy.csv": "\n".join(hierarchy) + "\n"})

    # (e) a 1 MB deals.csv of one line (no line break): a header of 1 MB; and a good header with one 1 MB row.
    ids = ["AE0001"]
    fields = []
    size = 0
    i = 0
    while size < 1 << 20:
        f = f"column{i}"
        fields.append(f)
        size += len(f) + 1
        i += 1
    case(a.out, "e-one-line-header", {"rep.plan": REP_PLAN}, roster(ids), assignments(ids), ",".join(fields))
    row = "D1,AE0001,2026-02-01," + "9" * (1 << 20) + ",USD,Widget,new"
    case(a.out, "e-one-line-row", {"rep.plan": REP_PLAN}, roster(ids), assignments(ids), DEALS_HEADER + "\n" + row)


if __name__ == "__main__":
    main()
