#!/usr/bin/env python3
"""Generates a synthetic company for benchmarks: reproducible from a seed.

    python3 scripts/generate.py --payees 100000 --deals 10000000 --out /tmp/big [--seed 1] [--currencies]

Writes OUT/deals.csv, roster.csv, assignments.csv (and fx.csv with --currencies) for 2026-Q1:
- payees in a manager tree (about one manager per eight reps, several levels);
- deals with log-normal amounts, a few products and deal types, about 5% split between two reps;
- assignments on plan "Bench" with quotas sized so attainment spreads from about 0% to 200%.

Python 3 standard library only. The same seed and sizes give the same bytes.
"""
import argparse
import math
import os
import random

PRODUCTS = ["Widget", "Gadget", "Platform", "Support"]
PRODUCT_WEIGHTS = [4, 3, 2, 1]
TYPES = ["new", "expansion", "renewal"]
TYPE_WEIGHTS = [5, 3, 2]
CURRENCIES = ["EUR", "GBP"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--payees", type=int, default=1000)
    ap.add_argument("--deals", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--currencies", action="store_true", help="about 10%% of deals in EUR or GBP, with fx.csv")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    n = args.payees

    # The tree: payee 0 is the top; payee i reports to payee (i - 1) // 8, so managers have eight reports.
    reps = [f"P{i:06d}" for i in range(n)]
    manager_of = [""] + [reps[(i - 1) // 8] for i in range(1, n)]
    with open(os.path.join(args.out, "roster.csv"), "w", newline="", encoding="utf-8") as f:
        f.write("rep_id,name,manager_id,hire_date,end_date\n")
        for i, rep in enumerate(reps):
            f.write(f"{rep},Payee {i},{manager_of[i]},2024-01-01,\n")

    # Deals: log-normal amounts (median about 12,000), days spread over the quarter.
    bookings = [0.0] * n
    days = 90
    with open(os.path.join(args.out, "deals.csv"), "w", newline="", encoding="utf-8") as f:
        f.write("deal_id,rep_id,close_date,amount,currency,product,type,split\n")
        written = 0
        k = 0
        while written < args.deals:
            k += 1
            rep = rng.randrange(n)
            amount = round(math.exp(rng.gauss(9.4, 0.9)), 2)
            day = rng.randrange(days)
            month = 1 + (day >= 31) + (day >= 59)
            dom = day + 1 - (31 if month == 2 else 59 if month == 3 else 0)
            date = f"2026-{month:02d}-{dom:02d}"
            product = rng.choices(PRODUCTS, PRODUCT_WEIGHTS)[0]
            kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
            currency = "USD"
            if args.currencies and rng.random() < 0.1:
                currency = rng.choice(CURRENCIES)
            counts = kind != "renewal" and currency == "USD"
            if written + 2 <= args.deals and rng.random() < 0.05:
                other = rng.randrange(n)
                if other == rep:
                    other = (rep + 1) % n
                share = rng.choice([50, 60, 70, 80])
                f.write(f"D{k:08d},{reps[rep]},{date},{amount:.2f},{currency},{product},{kind},{share}\n")
                f.write(f"D{k:08d},{reps[other]},{date},{amount:.2f},{currency},{product},{kind},{100 - share}\n")
                written += 2
                if counts:
                    bookings[rep] += amount * share / 100
                    bookings[other] += amount * (100 - share) / 100
            else:
                f.write(f"D{k:08d},{reps[rep]},{date},{amount:.2f},{currency},{product},{kind},\n")
                written += 1
                if counts:
                    bookings[rep] += amount

    # Quotas: each payee's bookings divided by a target attainment between 5% and 200%.
    with open(os.path.join(args.out, "assignments.csv"), "w", newline="", encoding="utf-8") as f:
        f.write("rep_id,plan,start_date,end_date,quota,target_incentive\n")
        for i, rep in enumerate(reps):
            target = rng.uniform(0.05, 2.0)
            quota = max(1000.0, round(bookings[i] / target, -2))
            f.write(f"{rep},Bench,2026-01-01,2026-12-31,{quota:.2f},{quota * 0.05:.2f}\n")

    if args.currencies:
        with open(os.path.join(args.out, "fx.csv"), "w", newline="", encoding="utf-8") as f:
            f.write("date,from,to,rate\n")
            for day in range(days):
                month = 1 + (day >= 31) + (day >= 59)
                dom = day + 1 - (31 if month == 2 else 59 if month == 3 else 0)
                f.write(f"2026-{month:02d}-{dom:02d},EUR,USD,{1.08 + 0.0001 * day:.4f}\n")
                f.write(f"2026-{month:02d}-{dom:02d},GBP,USD,{1.27 - 0.0001 * day:.4f}\n")
    print(f"{args.out}: {n} payees, {args.deals} deal rows")


if __name__ == "__main__":
    main()
