#!/usr/bin/env python3
"""Generates a synthetic company for benchmarks: reproducible from a seed.

    python3 scripts/generate.py --payees 100000 --deals 10000000 --out /tmp/big [--seed 1] [--currencies]
                                [--next-quarter FRACTION]

Writes OUT/deals.csv, roster.csv, assignments.csv (and fx.csv with --currencies) for 2026-Q1:
- payees in a manager tree (about one manager per eight reps, several levels);
- deals with log-normal amounts, a few products and deal types, about 5% split between two reps;
- assignments on plan "Bench" with quotas sized so attainment spreads from about 0% to 200%.

With --next-quarter FRACTION it writes the data of the next close instead, for a second period's close over a closed
2026-Q1: the same roster, assignments (quotas are per quarter, on rows that run all year) and fx.csv rates, and a
deals.csv holding the same 2026-Q1 rows with about 0.1% of the deals' amounts changed (so a 2026-Q2 close recomputes
2026-Q1 with adjustments), followed by FRACTION x --deals rows of new deals closing in 2026-Q2. The 2026-Q1 rows and
quotas are those the same flags write without --next-quarter; the changes and the new deals come from a random
stream of their own, seeded from --seed.

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
# Each quarter's first month and its months' lengths (2026 is not a leap year).
Q1 = (1, [31, 28, 31])
Q2 = (4, [30, 31, 30])
# The share of 2026-Q1's deals whose amount the next quarter's data changes.
CHANGED_SHARE = 0.001


def dates_of(quarter):
    first, lengths = quarter
    return [f"2026-{first + m:02d}-{d:02d}" for m, n in enumerate(lengths) for d in range(1, n + 1)]


def write_deals(f, rng, reps, count, k, dates, currencies, bookings=None, change=None):
    """Writes `count` deal rows with ids after D{k:08d}, their days drawn from `dates`; returns the last id number.

    `bookings` (when given) adds up each rep's counted amounts; `change` (when given) takes a deal's amount and returns
    the amount to write, so the draws from `rng` and `bookings` are the same with or without it."""
    n = len(reps)
    written = 0
    while written < count:
        k += 1
        rep = rng.randrange(n)
        amount = round(math.exp(rng.gauss(9.4, 0.9)), 2)
        date = dates[rng.randrange(len(dates))]
        product = rng.choices(PRODUCTS, PRODUCT_WEIGHTS)[0]
        kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        currency = "USD"
        if currencies and rng.random() < 0.1:
            currency = rng.choice(CURRENCIES)
        counts = kind != "renewal" and currency == "USD"
        shown = change(amount) if change else amount
        if written + 2 <= count and rng.random() < 0.05:
            other = rng.randrange(n)
            if other == rep:
                other = (rep + 1) % n
            share = rng.choice([50, 60, 70, 80])
            f.write(f"D{k:08d},{reps[rep]},{date},{shown:.2f},{currency},{product},{kind},{share}\n")
            f.write(f"D{k:08d},{reps[other]},{date},{shown:.2f},{currency},{product},{kind},{100 - share}\n")
            written += 2
            if counts and bookings is not None:
                bookings[rep] += amount * share / 100
                bookings[other] += amount * (100 - share) / 100
        else:
            f.write(f"D{k:08d},{reps[rep]},{date},{shown:.2f},{currency},{product},{kind},\n")
            written += 1
            if counts and bookings is not None:
                bookings[rep] += amount
    return k


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--payees", type=int, default=1000)
    ap.add_argument("--deals", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--currencies", action="store_true", help="about 10%% of deals in EUR or GBP, with fx.csv")
    ap.add_argument("--next-quarter", type=float, metavar="FRACTION",
                    help="the next close's data: 2026-Q1's deals with about 0.1%% of amounts changed, then FRACTION x "
                         "--deals rows of 2026-Q2 deals")
    args = ap.parse_args()
    if args.next_quarter is not None and args.next_quarter < 0:
        ap.error("--next-quarter must be 0 or more")
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

    # Deals: log-normal amounts (median about 12,000), days spread over the quarter. The next quarter's changes and
    # deals draw from their own stream, so `rng` (and with it every quota below) is the same with or without them.
    bookings = [0.0] * n
    change = None
    if args.next_quarter is not None:
        other_rng = random.Random(f"next-quarter-{args.seed}")

        def change(amount):
            if other_rng.random() >= CHANGED_SHARE:
                return amount
            return max(0.01, round(amount * other_rng.choice([0.5, 0.8, 0.9, 1.1, 1.25, 2.0]), 2))
    with open(os.path.join(args.out, "deals.csv"), "w", newline="", encoding="utf-8") as f:
        f.write("deal_id,rep_id,close_date,amount,currency,product,type,split\n")
        k = write_deals(f, rng, reps, args.deals, 0, dates_of(Q1), args.currencies, bookings, change)
        if args.next_quarter is not None:
            write_deals(f, other_rng, reps, round(args.deals * args.next_quarter), k, dates_of(Q2), args.currencies)

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
            days = dates_of(Q1) + (dates_of(Q2) if args.next_quarter is not None else [])
            for day, date in enumerate(days):
                f.write(f"{date},EUR,USD,{1.08 + 0.0001 * day:.4f}\n")
                f.write(f"{date},GBP,USD,{1.27 - 0.0001 * day:.4f}\n")
    rows = args.deals + (round(args.deals * args.next_quarter) if args.next_quarter is not None else 0)
    print(f"{args.out}: {n} payees, {rows} deal rows")


if __name__ == "__main__":
    main()
