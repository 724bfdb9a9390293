"""The same aggregation as the egovwatch engine's EU eGovernment Benchmark scoring, in DuckDB,
on the same answers (answers.csv from `egovwatch synth --export-csv`).

Service: online availability = (25 A1 + 50 A2 + 25 A3) / 100, mobile friendliness = MF,
service delivery (transactional) = mean of C1..C7 without NR. Life event: OA = 0.8 mean(T) +
0.2 mean(I) (transactional alone when there is no informational value, none without a
transactional one). A missing indicator is left out and the others' weights re-spread, as the
Commission computes: user support has no data, so UC = 2/3 OA + 1/3 MF; the portal indicators
have none, so TR = service delivery; key enablers and cross-border have no data at all, so the
life-event score = mean(UC, TR) of those present. Country-round: overall = mean of the
life-event scores, plus the dimension means.

Usage: python3 duckdb_recompute.py ANSWERS.csv RUNS RUST_OVERALL.csv
"""
import statistics
import sys
import time

import duckdb

answers, runs, rust = sys.argv[1], int(sys.argv[2]), sys.argv[3]
con = duckdb.connect()
threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
con.execute(f"CREATE TABLE answers AS SELECT * FROM read_csv('{answers}', header=true, "
            "columns={'country':'INTEGER','round':'INTEGER','service':'INTEGER','kind':'VARCHAR',"
            "'life_event':'VARCHAR','organisation':'INTEGER','question':'VARCHAR','value':'DOUBLE'})")
rows = con.execute("SELECT count(*) FROM answers").fetchone()[0]

QUERY = """
WITH svc AS (
  SELECT country, round, service, any_value(kind) AS kind, any_value(life_event) AS life_event,
    (25 * coalesce(max(value) FILTER (WHERE question = 'A1'), 0)
     + 50 * coalesce(max(value) FILTER (WHERE question = 'A2'), 0)
     + 25 * coalesce(max(value) FILTER (WHERE question = 'A3'), 0)) / 100.0 AS oa,
    max(value) FILTER (WHERE question = 'MF') AS mf,
    avg(value) FILTER (WHERE question LIKE 'C%') AS sd
  FROM answers GROUP BY country, round, service
), le AS (
  SELECT country, round, life_event,
    CASE WHEN count(oa) FILTER (WHERE kind = 'T') = 0 THEN NULL
         WHEN count(oa) FILTER (WHERE kind = 'I') > 0
         THEN 0.8 * avg(oa) FILTER (WHERE kind = 'T') + 0.2 * avg(oa) FILTER (WHERE kind = 'I')
         ELSE avg(oa) FILTER (WHERE kind = 'T') END AS le_oa,
    avg(mf) AS le_mf,
    avg(sd) FILTER (WHERE kind = 'T') AS le_sd
  FROM svc GROUP BY country, round, life_event
), dim AS (
  SELECT country, round, life_event,
    CASE WHEN le_oa IS NULL THEN le_mf WHEN le_mf IS NULL THEN le_oa
         ELSE 2.0 / 3 * le_oa + 1.0 / 3 * le_mf END AS uc,
    le_sd AS tr
  FROM le
)
SELECT country, round,
  avg(CASE WHEN uc IS NULL THEN tr WHEN tr IS NULL THEN uc ELSE (uc + tr) / 2 END) AS overall,
  avg(uc) AS uc, avg(tr) AS tr
FROM dim GROUP BY country, round ORDER BY country, round
"""

times = []
result = None
for _ in range(runs):
    t = time.perf_counter()
    result = con.execute(QUERY).fetchall()
    times.append((time.perf_counter() - t) * 1000)
median = statistics.median(times)
print(f"duckdb {duckdb.__version__} ({threads} threads): {rows} answers, same aggregation median "
      f"{median:.0f} ms over {runs} runs (min {min(times):.0f}, max {max(times):.0f})")

ours = {}
with open(rust) as f:
    next(f)
    for line in f:
        c, r, v = line.strip().split(",")
        ours[(int(c), int(r))] = float(v) if v else None
worst = max(abs(ours[(c, r)] - v) for c, r, v, _, _ in result)
print(f"national scores of both sides agree: {len(result)} country-rounds, largest difference {worst:.2e}")
if worst > 1e-9:
    sys.exit("the two computations disagree")
