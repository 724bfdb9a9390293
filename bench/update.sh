#!/usr/bin/env bash
# What a running site pays for an editor's change of the registry, on a large SQLite database
# (at the UN survey's scale: `egovwatch synth --countries 193 --services 2000 --rounds 2`):
# per build, a `serve` on DB, and once it holds its whole snapshot, three kinds of one-service
# change imported as an editor's one-row services.csv:
#   rename     a new English name (a change of words only);
#   audience   a new name and another audience (a change of substance: the index of codes and
#              the gap analysis are made again);
#   new        a service added (every position after it moves).
# Each is timed from the import's start until the service's answer shows it, then until a
# search for the new words finds it, with the peak
# resident memory of the process during the change (VmHWM, reset before it) and the resident
# memory 3 s later.
#
#   bench/update.sh DB [BIN...]
#
# BIN defaults to target/release/egovwatch; several builds alternate, REPEAT times (default 2).
# The changes stay in DB (each a new revision of one service, or one service more).
set -euo pipefail
# shellcheck source=bench/db_builds.sh
source "$(dirname "$0")/db_builds.sh"

# The middle service of the registry (at the UN scale, of the middle country), as one row of
# the registry's services.csv.
"${BINS[0]}" export registry --format csv --out "$WORK/all" --db "$DB" >/dev/null 2>&1
python3 - "$WORK/all/services.csv" "$WORK/row.csv" <<'PY'
import csv, sys
head, *rows = csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))
# Not a service an earlier run of this script added.
rows = [r for r in rows if "-NEW" not in r[head.index("code")]]
w = csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"))
w.writerow(head)
w.writerow(rows[len(rows) // 2])
PY
rm -rf "$WORK/all"

mb() { awk -v k="$2:" '$1 == k { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

for round in $(seq "$REPEAT"); do
  for bin in "${BINS[@]}"; do
    port=$((20000 + RANDOM % 20000))
    "$bin" serve --db "$DB" --listen "127.0.0.1:$port" >"$WORK/serve.log" 2>&1 &
    pid=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; do
      kill -0 "$pid" 2>/dev/null || { echo "failed: $(tail -1 "$WORK/serve.log")"; exit 1; }
      sleep 0.05
    done
    # What a snapshot makes in the background once it answers (the search index).
    sleep 10
    echo "$bin (run $round): $(mb "$pid" VmRSS) MB resident before the changes"
    for kind in rename audience new; do
      echo 5 >"/proc/$pid/clear_refs"
      mkdir -p "$WORK/change"
      python3 - "$bin" "$WORK/row.csv" "$WORK/change" "$DB" "$port" "$kind" <<'PY'
import csv, subprocess, sys, time, urllib.error, urllib.request
bin, row_csv, change, db, port, kind = sys.argv[1:7]
head, row = list(csv.reader(open(row_csv, newline="", encoding="utf-8")))
stamp = str(time.time_ns())
if kind == "rename":
    row[head.index("name_en")] = seen = f"Renamed {stamp}"
elif kind == "audience":
    row[head.index("name_en")] = seen = f"Renamed {stamp}"
    a = head.index("audience")
    row[a] = "business" if row[a] != "business" else "citizen"
else:
    row[head.index("code")] = seen = f"{row[head.index('code')]}-NEW{stamp}"
code = row[head.index("code")]
# The row as stored after this change is where the next change starts (so that the audience
# changes each time); a new service is one more, not a change of this one.
for out in [f"{change}/services.csv"] + ([row_csv] if kind != "new" else []):
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(head)
        w.writerow(row)
t0 = time.time()
subprocess.run([bin, "import", "registry", change, "--db", db, "--reason", "bench"],
               check=True, capture_output=True)
t1 = time.time()
url = f"http://127.0.0.1:{port}/api/v1/services/{code}"
while True:
    try:
        if seen in urllib.request.urlopen(url, timeout=60).read().decode():
            break
    except urllib.error.HTTPError:
        pass
    time.sleep(0.01)
t2 = time.time()
# Then until a search for the new words finds the service (its index follows the change).
term = stamp if kind != "new" else f"new{stamp}"
search = f"http://127.0.0.1:{port}/api/v1/search?q={term}"
while code not in urllib.request.urlopen(search, timeout=60).read().decode():
    time.sleep(0.01)
print(f"  {kind}: import {t1 - t0:.2f} s, seen {t2 - t0:.2f} s and found by search "
      f"{time.time() - t0:.2f} s after it started", end="")
PY
      sleep 3
      echo ", peak $(mb "$pid" VmHWM) MB, $(mb "$pid" VmRSS) MB 3 s later"
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
done
