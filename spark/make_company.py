#!/usr/bin/env python3
"""Writes a generated company for the Spark job's check: plans and a data folder, the same bytes for the same seed.

    python3 spark/make_company.py --out DIR [--seed 7] [--reps 320] [--deals 3000] [--parquet]
        [--quarters 1] [--clawback DAYS] [--draw AMOUNT]

DIR/plans/  ae.plan (marginal tiers with a cap per period, a SPIF, FX at close date),
            flm.plan (first-line managers: an override for direct reports, a team measure for all reports with a
            team quota bonus), slm.plan (second-line managers and the VP: an override for all reports on new deals)
DIR/data/   roster.csv (a VP, second-line managers, first-line managers, reps: three levels above the reps),
            assignments.csv, fx.csv (EUR and GBP to USD for every day of 2026-Q1, or of --quarters), deals.csv (USD,
            EUR and GBP deals; some deals split 60/40 between two reps: two rows with the same deal_id)
With --parquet it also writes DIR/deals.parquet (the same rows, every column a string; needs pyarrow or pyspark).
With --quarters N the deals close over the first N quarters of 2026, and fx.csv has every day of them. With --clawback
DAYS every plan has `clawback within DAYS days`, and deals.csv has `status` (every row `won`) and `cancel_date` (empty)
columns, for a close that cancels some of them later. With --draw AMOUNT ae.plan has a recoverable draw of AMOUNT USD
per period (a close keeps its balances in the ledger).
Prints what the company holds (reps, managers, split deals, deals per currency, SPIF deals, reps over the cap) so a
run over it can be seen to exercise each feature. Python 3 standard library only without --parquet.
"""
import argparse
import datetime
import os
import random

DEALS_HEADER = ["deal_id", "rep_id", "close_date", "amount", "currency", "product", "type", "split"]
PRODUCTS = ["Widget", "Gadget", "Platform", "Support"]
TYPES = ["new", "expansion", "renewal"]
# Base rates to USD; each day's rate moves a little around them.
FX_BASE = {"EUR": 1.0850, "GBP": 1.2650}
# The per-period cap of ae.plan, in USD; the generator makes some reps earn past it.
AE_CAP = "12000.00"

AE_PLAN = f"""# Account executives: marginal tiers over attainment, capped per quarter, and a Widget SPIF.
plan "AE" version "1"
effective 2026-01-01 to 2026-12-31
currency USD
period quarter
rounding half-up to 0.01
fx at close date

param accelerator = 9%

measure bookings = sum of deal.amount
  quota from assignment

commission "Commission" on bookings
  tiers marginal over attainment
  tier from 0% to 50% rate 2%
  tier from 50% to 100% rate 5%
  tier from 100% rate accelerator
  cap {AE_CAP} USD per period

spif "Widget push"
  from 2026-02-01 to 2026-03-15
  where deal.product = "Widget"
  pay 150.00 USD per deal
"""

FLM_PLAN = """# First-line managers: 2% on what their direct reports book, and a bonus on the team's attainment.
plan "FLM" version "1"
effective 2026-01-01 to 2026-12-31
currency USD
period quarter
rounding half-up to 0.01
fx at close date

measure bookings = sum of deal.amount

measure team_bookings = sum of deal.amount for all reports
  quota from assignment

override "Team override" on bookings
  for direct reports
  rate 2%

bonus "Team quota bonus" on team_bookings
  at 80% pay 2000.00 USD
  at 100% pay 5000.00 USD
  at 120% pay 8000.00 USD
"""

SLM_PLAN = """# Second-line managers and the VP: 0.5% on every new-logo deal booked below them.
plan "SLM" version "1"
effective 2026-01-01 to 2026-12-31
currency USD
period quarter
rounding half-up to 0.01
fx at close date

measure new_bookings = sum of deal.amount where deal.type = "new"

override "Org override" on new_bookings
  for all reports
  rate 0.5%
"""


def dates_of(quarters):
    """Every day of the first `quarters` quarters of 2026, as ISO dates."""
    start, end = datetime.date(2026, 1, 1), datetime.date(2026 + quarters // 4, quarters % 4 * 3 + 1, 1)
    return [(start + datetime.timedelta(days=i)).isoformat() for i in range((end - start).days)]


def with_clawback(plan, days):
    """The plan text with `clawback within DAYS days` after its rounding line."""
    return plan.replace("rounding half-up to 0.01\n", f"rounding half-up to 0.01\nclawback within {days} days\n", 1)


def write_csv(path, header, rows):
    # Plain CSV: no field the generator writes holds a comma, a quote or a line break.
    with open(path, "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


def main():
    ap = argparse.ArgumentParser(description="Write the Spark check's generated company")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reps", type=int, default=320)
    ap.add_argument("--deals", type=int, default=3000, help="deal ids (a split deal has two rows)")
    ap.add_argument("--parquet", action="store_true", help="also write DIR/deals.parquet")
    ap.add_argument("--quarters", type=int, default=1, choices=[1, 2, 3, 4],
                    help="deals close over the first N quarters of 2026 (default 1)")
    ap.add_argument("--clawback", type=int, metavar="DAYS",
                    help="every plan claws back deals cancelled within DAYS days; deals get status and cancel_date")
    ap.add_argument("--draw", metavar="AMOUNT", help="ae.plan has a recoverable draw of AMOUNT USD per period")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    plans = os.path.join(args.out, "plans")
    data = os.path.join(args.out, "data")
    os.makedirs(plans, exist_ok=True)
    os.makedirs(data, exist_ok=True)
    ae = AE_PLAN + (f'\ndraw "Ramp draw"\n  amount {args.draw} USD per period\n  recoverable\n' if args.draw else "")
    for name, text in [("ae.plan", ae), ("flm.plan", FLM_PLAN), ("slm.plan", SLM_PLAN)]:
        with open(os.path.join(plans, name), "w") as f:
            f.write(with_clawback(text, args.clawback) if args.clawback is not None else text)

    # The tree: one VP, second-line managers, first-line managers, then reps spread over the first-line managers.
    n_flm = max(2, args.reps // 10)
    n_slm = max(2, n_flm // 4)
    roster, assignments = [], []
    roster.append(["VP1", "Vera Park", "", "2023-01-01", ""])
    assignments.append(["VP1", "SLM", "2026-01-01", "2026-12-31", "0", "20000.00"])
    slms = [f"S{i:02d}" for i in range(1, n_slm + 1)]
    for s in slms:
        roster.append([s, f"Second-line {s}", "VP1", "2024-01-01", ""])
        assignments.append([s, "SLM", "2026-01-01", "2026-12-31", "0", "15000.00"])
    flms = [f"F{i:03d}" for i in range(1, n_flm + 1)]
    reps_of = {f: [] for f in flms}
    reps = [f"R{i:04d}" for i in range(1, args.reps + 1)]
    for i, r in enumerate(reps):
        reps_of[flms[i % n_flm]].append(r)
    quota = {}
    for i, f in enumerate(flms):
        roster.append([f, f"First-line {f}", slms[i % n_slm], "2024-06-01", ""])
    for r in reps:
        # Quotas from 60,000 to 300,000: with about 9-10 deals of ~25,000 each, attainment spreads from ~50% to ~400%.
        quota[r] = rnd.randrange(60, 301) * 1000
    deals_per_rep_share = {r: rnd.uniform(0.4, 1.6) for r in reps}
    for f in flms:
        # A team quota a little under or over what the team is likely to book.
        expected = sum(deals_per_rep_share[r] for r in reps_of[f]) * (args.deals / args.reps) * 27000
        team_quota = int(expected * rnd.uniform(0.7, 1.4)) // 1000 * 1000
        assignments.append([f, "FLM", "2026-01-01", "2026-12-31", f"{team_quota}.00", "10000.00"])
    rep_manager = {r: f for f, rs in reps_of.items() for r in rs}
    for r in reps:
        roster.append([r, f"Rep {r}", rep_manager[r], "2025-01-01", ""])
        assignments.append([r, "AE", "2026-01-01", "2026-12-31", f"{quota[r]}.00", "20000.00"])
    write_csv(os.path.join(data, "roster.csv"), ["rep_id", "name", "manager_id", "hire_date", "end_date"], roster)
    write_csv(os.path.join(data, "assignments.csv"),
              ["rep_id", "plan", "start_date", "end_date", "quota", "target_incentive"], assignments)

    dates = dates_of(args.quarters)
    fx = []
    for cur in sorted(FX_BASE):
        for d in dates:
            rate = FX_BASE[cur] * (1 + rnd.uniform(-0.02, 0.02))
            fx.append([d, cur, "USD", f"{rate:.5f}"])
    write_csv(os.path.join(data, "fx.csv"), ["date", "from", "to", "rate"], fx)

    weights = [deals_per_rep_share[r] for r in reps]
    header = DEALS_HEADER + (["status", "cancel_date"] if args.clawback is not None else [])
    status = ["won", ""] if args.clawback is not None else []
    rows = []
    counts = {"split": 0, "USD": 0, "EUR": 0, "GBP": 0, "spif": 0}
    for n in range(1, args.deals + 1):
        deal_id = f"D{n:06d}"
        rep = rnd.choices(reps, weights)[0]
        date = rnd.choice(dates)
        amount = f"{rnd.lognormvariate(9.9, 0.6):.2f}"
        currency = rnd.choices(["USD", "EUR", "GBP"], [6, 3, 1])[0]
        product = rnd.choices(PRODUCTS, [4, 3, 2, 1])[0]
        kind = rnd.choices(TYPES, [5, 3, 2])[0]
        counts[currency] += 1
        if product == "Widget" and "2026-02-01" <= date <= "2026-03-15":
            counts["spif"] += 1
        if rnd.random() < 0.06:
            other = rnd.choice([r for r in reps_of[rep_manager[rep]] if r != rep] or [r for r in reps if r != rep])
            counts["split"] += 1
            rows.append([deal_id, rep, date, amount, currency, product, kind, "60"] + status)
            rows.append([deal_id, other, date, amount, currency, product, kind, "40"] + status)
        else:
            rows.append([deal_id, rep, date, amount, currency, product, kind, ""] + status)
    # Rows in no particular order, as a CRM export comes: the engine sorts by close date and deal id itself.
    rnd.shuffle(rows)
    write_csv(os.path.join(data, "deals.csv"), header, rows)
    if args.parquet:
        write_parquet(os.path.join(args.out, "deals.parquet"), header, rows)
    print(f"company: {len(reps)} reps, {n_flm} first-line managers, {n_slm} second-line managers, 1 VP; "
          f"{args.deals} deals in {len(rows)} rows ({counts['split']} split 60/40); "
          f"USD {counts['USD']}, EUR {counts['EUR']}, GBP {counts['GBP']}; "
          f"{counts['spif']} deals in the SPIF's window and product")


def write_parquet(path, header, rows):
    """The deal rows as a Parquet file of string columns (pyarrow if there, else a local Spark session)."""
    columns = list(zip(*rows))
    try:
        import pyarrow
        import pyarrow.parquet
        table = pyarrow.table({name: list(col) for name, col in zip(header, columns)})
        pyarrow.parquet.write_table(table, path)
    except ImportError:
        from pyspark.sql import SparkSession
        spark = SparkSession.builder.master("local[1]").appName("make_company").getOrCreate()
        spark.createDataFrame(rows, header).coalesce(1).write.mode("overwrite").parquet(path)
        spark.stop()


if __name__ == "__main__":
    main()
