-- Every payee's paid total under bench/bench.plan for one quarter, in SQL, over the same CSV files. bench/duckdb_totals.py
-- fills in the quarter's days (2026-Q1 unless told) and the rate above quota (the plan's `accelerator`, 8% unless told).
-- Marginal tiers per deal in close-date order (ties by deal id), each line rounded half-up to the cent;
-- the commission capped at 200% of target incentive; 100.00 per Widget deal times the payee's share.
WITH deals AS (
    SELECT deal_id, rep_id, close_date, amount, product, type,
           CAST(COALESCE(split, 100) AS DECIMAL(9, 4)) AS share
    FROM read_csv('{data}/deals.csv', header = true,
                  columns = {'deal_id': 'VARCHAR', 'rep_id': 'VARCHAR', 'close_date': 'DATE', 'amount': 'DECIMAL(18,2)',
                             'currency': 'VARCHAR', 'product': 'VARCHAR', 'type': 'VARCHAR', 'split': 'DECIMAL(9,4)'})
    WHERE close_date BETWEEN DATE '{start}' AND DATE '{end}'
),
a AS (
    SELECT rep_id, quota, target_incentive
    FROM read_csv('{data}/assignments.csv', header = true,
                  columns = {'rep_id': 'VARCHAR', 'plan': 'VARCHAR', 'start_date': 'DATE', 'end_date': 'DATE',
                             'quota': 'DECIMAL(18,2)', 'target_incentive': 'DECIMAL(18,2)'})
),
counted AS (
    SELECT d.rep_id, d.deal_id, a.quota,
           CAST(d.amount * d.share / 100 AS DECIMAL(18, 4)) AS credited,
           SUM(CAST(d.amount * d.share / 100 AS DECIMAL(18, 4)))
               OVER (PARTITION BY d.rep_id ORDER BY d.close_date, d.deal_id ROWS UNBOUNDED PRECEDING) AS cum
    FROM deals d JOIN a USING (rep_id)
    WHERE d.type IN ('new', 'expansion')
),
commission_lines AS (
    SELECT rep_id,
           ROUND(  GREATEST(0, LEAST(cum, quota * 0.5) - (cum - credited)) * 0.02
                 + GREATEST(0, LEAST(cum, quota) - GREATEST(cum - credited, quota * 0.5)) * 0.05
                 + GREATEST(0, cum - GREATEST(cum - credited, quota)) * {accelerator}, 2) AS amount
    FROM counted
),
commission AS (
    SELECT c.rep_id, LEAST(SUM(c.amount), ROUND(a.target_incentive * 2, 2)) AS paid
    FROM commission_lines c JOIN a USING (rep_id) GROUP BY c.rep_id, a.target_incentive
),
spif AS (
    SELECT rep_id, SUM(ROUND(100 * share / 100, 2)) AS paid
    FROM deals WHERE product = 'Widget' GROUP BY rep_id
)
SELECT a.rep_id, CAST(COALESCE(c.paid, 0) + COALESCE(s.paid, 0) AS DECIMAL(18, 2)) AS paid
FROM a LEFT JOIN commission c USING (rep_id) LEFT JOIN spif s USING (rep_id)
ORDER BY a.rep_id
