#!/usr/bin/env python3
"""Writes a deterministic sample data set for the plans in plans/:

    sample/roster.csv       36 people: 18 AEs, 8 SDRs, 6 renewal reps, 4 managers
    sample/assignments.csv  who is on which plan (AE-2026, SDR-2026, Renewals-2026, Managers-2026)
    sample/deals.csv        ~400 deals closed in 2026-Q1, a few in 2025-Q4, ~120 in 2026-Q2

Python 3 standard library only; a fixed random seed makes the output identical on
every run. Usage:  python3 scripts/make-sample.py [output-folder]   (default: sample)

What the data shows when run with
    attain run plans --data sample --period 2026-Q1
- attainment spread from about 20% to 180% of quota in every plan;
- AE decelerator (below 50%), accelerators (above 100% and 150%) and the 200% cap;
- a renewal rep below the 60% gate, and retention bonus steps at 100% and 120%;
- SDR new-logo counts, the Widget SPIF (1 Feb to 31 Mar) and the total-attainment bonus;
- split deals (same deal_id on two rows, shares totalling 100);
- one cancelled deal (excluded), deals from 2025-Q4 (outside the period);
- proration: an AE hired 2026-02-15 (45 of 90 days) and an SDR who left 2026-03-13.
"""

import csv
import os
import random
import sys
from datetime import date, timedelta

SEED = 20260101
Q1_START = date(2026, 1, 1)
Q1_END = date(2026, 3, 31)

MANAGERS = [
    ("MGR01", "Margaret Okafor", "", "2019-04-01"),
    ("MGR02", "Björn Lindqvist", "MGR01", "2020-09-14"),
    ("MGR03", "Amélie Fournier", "MGR01", "2021-02-01"),
    ("MGR04", "Rahul Iyer", "MGR01", "2022-06-20"),
]

AE_NAMES = [
    "José Núñez", "Emily Carter", "Zoë Müller", "Daniel Kim", "Łukasz Wiśniewski",
    "Priya Natarajan", "Siobhán O'Connor", "Marcus Johnson", "Chloé Dubois", "Kenji Watanabe",
    "Ana Lúcia Ferreira", "David Goldberg", "Nguyễn Thị Lan", "Olivia Bennett", "Søren Kjær",
    "Fatima Al-Sayed", "Tomás Ó Briain", "Grace Liu",
]
SDR_NAMES = [
    "Mateo Rodríguez", "Hannah Schmidt", "Aarav Mehta", "Léa Martin",
    "Connor Walsh", "Yuki Tanaka", "Gabriela Sánchez", "Noah Fischer",
]
RENEWAL_NAMES = [
    "Ingrid Solberg", "Kwame Mensah", "Renée Lefèvre",
    "Samuel Cohen", "María José Peña", "Elif Yılmaz",
]

PRODUCTS = ["Widget", "Gadget", "Platform"]


def spread(n, low=0.2, high=1.8):
    """n attainment targets evenly spaced from low to high."""
    return [low + (high - low) * i / (n - 1) for i in range(n)]


def cents(x):
    return f"{x:.2f}"


def random_date(rng, start, end):
    return start + timedelta(days=rng.randint(0, (end - start).days))


def split_amount(rng, total, n, minimum):
    """n positive amounts (whole cents) that add up to about total, none below minimum."""
    weights = [rng.uniform(0.4, 1.6) for _ in range(n)]
    s = sum(weights)
    return [max(minimum, round(total * w / s, 2)) for w in weights]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "sample"
    rng = random.Random(SEED)

    roster = []        # rep_id, name, manager_id, hire_date, end_date
    assignments = []   # rep_id, plan, start_date, end_date, quota, target_incentive
    deals = []         # dicts

    for m in MANAGERS:
        roster.append([m[0], m[1], m[2], m[3], ""])

    # Active windows in Q1 for the two proration cases.
    hired_mid_quarter = "AE18"
    left_mid_quarter = "SDR08"
    window = {}

    # --- Account executives -------------------------------------------------
    ae_targets = spread(len(AE_NAMES))
    rng.shuffle(ae_targets)
    ae_quotas = {}
    for i, name in enumerate(AE_NAMES, 1):
        rep = f"AE{i:02d}"
        hire = date(2020 + rng.randint(0, 5), rng.randint(1, 12), rng.randint(1, 28))
        start = Q1_START
        if rep == hired_mid_quarter:
            hire = date(2026, 2, 15)
            start = hire
        roster.append([rep, name, "MGR02", hire.isoformat(), ""])
        quota = rng.choice([200000, 225000, 250000, 300000, 350000])
        ti = quota * 4 // 100
        assignments.append([rep, "AE-2026", start.isoformat(), "2026-12-31", cents(quota), cents(ti)])
        window[rep] = (start, Q1_END)
        # Bookings target, against the quota prorated to the active days.
        days = (Q1_END - start).days + 1
        target = ae_targets[i - 1] * quota * days / 90
        n = max(3, round(target / 21000))
        for amount in split_amount(rng, target, n, 2500.00):
            r = rng.random()
            deal_type = "new" if r < 0.6 else "expansion"
            product = rng.choices(PRODUCTS, weights=[4, 3, 2])[0]
            deals.append(dict(rep=rep, date=random_date(rng, start, Q1_END), amount=amount,
                              product=product, type=deal_type))
        # A couple of renewals an AE happened to close: not part of AE bookings.
        for _ in range(rng.randint(0, 2)):
            deals.append(dict(rep=rep, date=random_date(rng, start, Q1_END),
                              amount=round(rng.uniform(5000, 30000), 2),
                              product=rng.choice(PRODUCTS), type="renewal"))
        ae_quotas[rep] = quota

    # --- SDRs ----------------------------------------------------------------
    sdr_targets = spread(len(SDR_NAMES))
    rng.shuffle(sdr_targets)
    for i, name in enumerate(SDR_NAMES, 1):
        rep = f"SDR{i:02d}"
        hire = date(2022 + rng.randint(0, 3), rng.randint(1, 12), rng.randint(1, 28))
        end = Q1_END
        end_text = ""
        if rep == left_mid_quarter:
            end = date(2026, 3, 13)
            end_text = end.isoformat()
        roster.append([rep, name, "MGR03", hire.isoformat(), end_text])
        quota = rng.choice([60000, 75000, 90000])
        ti = rng.choice([4000, 4500, 5000])
        assignments.append([rep, "SDR-2026", "2026-01-01", "2026-12-31", cents(quota), cents(ti)])
        window[rep] = (Q1_START, end)
        days = (end - Q1_START).days + 1
        t = sdr_targets[i - 1]
        new_logos = max(1, round(t * 6 * days / 90))
        expansions = rng.randint(1, 3)
        pipeline = t * quota * days / 90
        amounts = split_amount(rng, pipeline, new_logos + expansions, 1500.00)
        for k, amount in enumerate(amounts):
            deals.append(dict(rep=rep, date=random_date(rng, Q1_START, end), amount=amount,
                              product=rng.choices(PRODUCTS, weights=[5, 3, 1])[0],
                              type="new" if k < new_logos else "expansion"))

    # --- Renewal reps ----------------------------------------------------------
    rn_targets = spread(len(RENEWAL_NAMES))
    rng.shuffle(rn_targets)
    for i, name in enumerate(RENEWAL_NAMES, 1):
        rep = f"RN{i:02d}"
        hire = date(2019 + rng.randint(0, 6), rng.randint(1, 12), rng.randint(1, 28))
        roster.append([rep, name, "MGR04", hire.isoformat(), ""])
        quota = rng.choice([300000, 400000, 500000])
        ti = quota * 25 // 1000
        assignments.append([rep, "Renewals-2026", "2026-01-01", "2026-12-31", cents(quota), cents(ti)])
        window[rep] = (Q1_START, Q1_END)
        target = rn_targets[i - 1] * quota
        n = max(4, round(target / 30000))
        for amount in split_amount(rng, target, n, 3000.00):
            deals.append(dict(rep=rep, date=random_date(rng, Q1_START, Q1_END), amount=amount,
                              product=rng.choices(PRODUCTS, weights=[3, 3, 4])[0], type="renewal"))
        for _ in range(rng.randint(1, 4)):
            deals.append(dict(rep=rep, date=random_date(rng, Q1_START, Q1_END),
                              amount=round(rng.uniform(8000, 70000), 2),
                              product=rng.choice(PRODUCTS), type="expansion"))

    # --- Deal ids, in close-date order ----------------------------------------
    deals.sort(key=lambda d: (d["date"], d["rep"], d["amount"]))
    for n, d in enumerate(deals, 1):
        d["id"] = f"D26-{n:04d}"
        d["split"] = ""
        d["status"] = "won"
        d["cancel_date"] = ""

    # --- Splits: about 5% of deals get a second payee ---------------------------
    ae_ids = sorted(r for r in window if r.startswith("AE"))
    sdr_ids = sorted(r for r in window if r.startswith("SDR"))
    rows = []
    candidates = [d for d in deals if d["rep"].startswith("AE") and d["type"] in ("new", "expansion")]
    split_deals = rng.sample(candidates, 20)
    for d in deals:
        if d in split_deals:
            primary, secondary = rng.choice([(60, 40), (70, 30), (50, 50), (80, 20)])
            if d["type"] == "new" and rng.random() < 0.5:
                pool = sdr_ids               # an SDR sourced it
            else:
                pool = [r for r in ae_ids if r != d["rep"]]   # two AEs shared it
            pool = [r for r in pool if window[r][0] <= d["date"] <= window[r][1]]
            other = rng.choice(pool)
            rows.append(dict(d, split=str(primary)))
            rows.append(dict(d, rep=other, split=str(secondary)))
        else:
            rows.append(d)

    # --- One cancelled deal: closed in January, cancelled in February ----------
    cancelled = next(r for r in rows if r["rep"].startswith("AE") and r["split"] == ""
                     and r["type"] == "new" and r["date"].month == 1)
    cancelled["status"] = "cancelled"
    cancelled["cancel_date"] = (cancelled["date"] + timedelta(days=23)).isoformat()

    # --- A handful of deals from 2025-Q4: outside the period, never paid in Q1 --
    for n, rep in enumerate(["AE01", "AE05", "AE09", "SDR02", "RN03", "RN05"], 1):
        rows.append(dict(id=f"D25-{900 + n:04d}", rep=rep,
                         date=random_date(rng, date(2025, 10, 1), date(2025, 12, 31)),
                         amount=round(rng.uniform(5000, 60000), 2),
                         product=rng.choice(PRODUCTS), type="renewal" if rep.startswith("RN") else "new",
                         split="", status="won", cancel_date=""))

    # --- 2026-Q2 deals, for a second close (README walkthrough) -----------------
    # Their own random stream, so the Q1 data above is the same as without them.
    q2 = random.Random(SEED + 2)
    q2_count = 0
    for rep, _name, _manager, _hire, end in roster:
        if end or rep.startswith("MGR"):
            continue
        for _ in range(q2.randint(2, 6)):
            q2_count += 1
            kind = "renewal" if rep.startswith("RN") else ("new" if rep.startswith("SDR") else q2.choice(["new", "new", "expansion"]))
            rows.append(dict(id=f"D26-{2000 + q2_count:04d}", rep=rep, date=random_date(q2, date(2026, 4, 1), date(2026, 6, 30)),
                             amount=round(q2.uniform(4000, 55000), 2), product=q2.choice(PRODUCTS), type=kind,
                             split="", status="won", cancel_date=""))

    rows.sort(key=lambda r: r["id"])  # stable: a split deal keeps its primary row first

    os.makedirs(out, exist_ok=True)

    def write(name, header, data):
        with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(data)

    # Managers earn an override on everything booked below them (plans/managers.plan).
    for manager in ["MGR01", "MGR02", "MGR03", "MGR04"]:
        assignments.append([manager, "Managers-2026", "2026-01-01", "2026-12-31", "0", "30000.00"])

    write("roster.csv", ["rep_id", "name", "manager_id", "hire_date", "end_date"], roster)
    write("assignments.csv", ["rep_id", "plan", "start_date", "end_date", "quota", "target_incentive"], assignments)
    write("deals.csv",
          ["deal_id", "rep_id", "close_date", "amount", "currency", "product", "type", "split", "status", "cancel_date"],
          [[r["id"], r["rep"], r["date"].isoformat(), cents(r["amount"]), "USD", r["product"], r["type"],
            r["split"], r["status"], r["cancel_date"]] for r in rows])

    ids = {r["id"] for r in rows}
    print(f"{out}: {len(roster)} people, {len(assignments)} assignments, "
          f"{len(ids)} deals in {len(rows)} rows ({len(split_deals)} split, 1 cancelled, 6 in 2025-Q4, {q2_count} in 2026-Q2)")


if __name__ == "__main__":
    main()
