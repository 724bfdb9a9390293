#!/usr/bin/env bash
# Registry imports, from a national registry's first import to one record's edit in a large
# registry: a synthetic country of N services (default 80,000; one round) exported as a CSV
# folder by `synth`, imported into a new SQLite database, imported again (nothing changes),
# then one service renamed three times (a one-row services.csv, as an editor's import), each
# timed with its peak memory.
#
#   bench/import.sh [SERVICES]
#     OTHER=path/to/egovwatch   the same steps with another build too, alternating with this
#                               one, for a before/after in one run
#     LARGE=path/to/db          also, in that (SQLite) database per build, three renames, three
#                               imports of one answer into an open round, three rounds
#                               created on that round's scope, three corrections of one answer
#                               of a published round and three scores of that round, e.g. at
#                               the UN survey's scale (`synth --countries 193 --services
#                               2000`); then, per build, a `serve` on it: how long until a
#                               service's answer, another service's page and the whole
#                               snapshot, and three renames timed until its answer shows them
#     OTHER_LARGE=path/to/db    the other build's copy of LARGE, when this build's migrations
#                               are newer than it takes
#     PG=postgres://...         also the steps on PostgreSQL (a database of its own per build)
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-80000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TARGET=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p egovwatch
BINS=("$TARGET/release/egovwatch")
[ -n "${OTHER:-}" ] && BINS+=("$OTHER")

"${BINS[0]}" synth --countries 1 --services "$SERVICES" --rounds 1 --db "$WORK/synth.db" \
  --export-csv "$WORK/csv" >/dev/null
CSV="$WORK/csv/registry-csv"
echo "$SERVICES services: $(($(wc -l <"$CSV/services.csv") - 1)) rows in services.csv"

# Times one import: "label: seconds s, peak MB".
timed() {
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null
  read -r secs kb <"$WORK/time"
  echo "  $label: $secs s, $((kb / 1024)) MB peak"
}

# A one-row services.csv renaming the folder's first service.
rename_file() {
  mkdir -p "$WORK/change"
  python3 bench/rename_service.py "$CSV/services.csv" "$WORK/change/services.csv" "Renamed $1 at $(date +%s%N)"
}

steps() {
  local bin=$1 db=$2
  timed "first import" "$bin" import registry "$CSV" --db "$db" --reason bench
  timed "same folder again" "$bin" import registry "$CSV" --db "$db" --reason bench
  for i in 1 2 3; do
    rename_file "$i"
    timed "one service renamed ($i)" "$bin" import registry "$WORK/change" --db "$db" --reason bench
  done
}

for k in "${!BINS[@]}"; do
  echo "${BINS[$k]} on SQLite:"
  steps "${BINS[$k]}" "$WORK/sqlite-$k.db"
  rm -f "$WORK/sqlite-$k.db"*
  if [ -n "${PG:-}" ]; then
    name=egovwatch_bench_import_$k
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
    echo "${BINS[$k]} on PostgreSQL:"
    steps "${BINS[$k]}" "$PG/$name"
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $name" >/dev/null
  fi
done

if [ -n "${LARGE:-}" ]; then
  # Each build's copy of the large database (the same data; OTHER_LARGE for a build older
  # than a migration of this one, which refuses a database migrated by a newer egovwatch).
  LARGES=("$LARGE" "${OTHER_LARGE:-$LARGE}")
  # The large database's own first service, renamed.
  CSV="$WORK/large"
  mkdir -p "$CSV"
  "${BINS[0]}" export registry --format csv --out "$WORK/large-all" --db "$LARGE" >/dev/null 2>&1
  head -2 "$WORK/large-all/services.csv" >"$CSV/services.csv"
  rm -rf "$WORK/large-all"
  echo "renames in $LARGE, builds alternating:"
  for i in 1 2 3; do
    for k in "${!BINS[@]}"; do
      rename_file "$k-$i"
      timed "${BINS[$k]}" "${BINS[$k]}" import registry "$WORK/change" --db "${LARGES[$k]}" --reason bench
    done
  done
  # One answer of an open round given again, as an assessor's import.
  # One answer of a round in the given state given again: "ROUND" printed, the file written.
  answer_of() {
    python3 - "$LARGE" "$2" "$1" <<'PY'
import csv, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
# The first round in that state with an answer (rounds this script created have none).
for (round_code,) in c.execute("SELECT code FROM rounds WHERE state = ? ORDER BY code", (sys.argv[3],)).fetchall():
    row = c.execute(
        "SELECT service_code, channel_code, question, answer, evidence_url, assessor FROM assessments "
        "WHERE round_code = ? AND answer IN ('yes', 'no') LIMIT 1", (round_code,)).fetchone()
    if row:
        break
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["service", "channel", "question", "answer", "evidence_url", "evidence_note", "assessor"])
w.writerow([row[0], row[1] or "", row[2], row[3], row[4] or "", "checked again", row[5]])
print(round_code)
PY
  }
  ROUND=$(answer_of open "$WORK/answer.csv")
  echo "one answer imported into round $ROUND of $LARGE, builds alternating:"
  for i in 1 2 3; do
    for k in "${!BINS[@]}"; do
      timed "${BINS[$k]}" "${BINS[$k]}" import assessments --round "$ROUND" "$WORK/answer.csv" --db "${LARGES[$k]}"
    done
  done
  SCOPE=$(python3 - "$LARGE" "$ROUND" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(",".join(r[0] for r in c.execute(
    "SELECT service_code FROM round_scope WHERE round_code = ? ORDER BY service_code", (sys.argv[2],))))
PY
)
  echo "a round created on the scope of $ROUND ($(echo "$SCOPE" | tr ',' '\n' | wc -l) services), builds alternating:"
  for i in 1 2 3; do
    for k in "${!BINS[@]}"; do
      timed "${BINS[$k]}" "${BINS[$k]}" round create "BENCH-$k-$i-$(date +%s)" --from 2016-01-01 \
        --to 2016-06-30 --scope "$SCOPE" --db "${LARGES[$k]}"
    done
  done
  # A published round's answer corrected: the round scored again and its results stored as a
  # new revision (what publishing does), then the round scored as `score` shows it.
  PUBLISHED=$(answer_of published "$WORK/correction.csv")
  echo "one answer corrected in published round $PUBLISHED of $LARGE, builds alternating:"
  for i in 1 2 3; do
    for k in "${!BINS[@]}"; do
      timed "${BINS[$k]}" "${BINS[$k]}" import assessments --round "$PUBLISHED" "$WORK/correction.csv" \
        --correction "checked again" --db "${LARGES[$k]}"
    done
  done
  echo "round $PUBLISHED scored (score --format json), builds alternating:"
  for i in 1 2 3; do
    for k in "${!BINS[@]}"; do
      timed "${BINS[$k]}" "${BINS[$k]}" score --round "$PUBLISHED" --format json --db "${LARGES[$k]}"
    done
  done
  # An editor's rename seen on a running site: from the import's start until the service's
  # answer shows the new name, polled every 10 ms; the server is left 15 s after it is ready
  # for what it makes in the background.
  SERVICE=$(python3 -c "import csv, sys; print(list(csv.DictReader(open(sys.argv[1])))[0]['code'])" "$CSV/services.csv")
  # Two services of the large database far apart in code order (at the UN scale, of two
  # countries).
  python3 - "$LARGE" >"$WORK/codes" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = c.execute("SELECT count(*) FROM services").fetchone()[0]
for at in (n // 3, 2 * n // 3):
    print(c.execute("SELECT code FROM services ORDER BY code LIMIT 1 OFFSET ?", (at,)).fetchone()[0])
PY
  for k in "${!BINS[@]}"; do
    PORT=$((20000 + RANDOM % 20000))
    "${BINS[$k]}" serve --db "${LARGES[$k]}" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
    SPID=$!
    start=$(date +%s.%N)
    # Seconds from the start until PATH answers 200, polled every 20 ms.
    after_start() {
      until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$1")" = 200 ]; do
        sleep 0.02
      done
      python3 -c "import time; print(f'{time.time() - $start:.2f}')"
    }
    # Before the whole snapshot is held: a service's answer, then another service's page
    # (in a registry of many countries, of another country).
    answer=$(after_start "/api/v1/services/$(sed -n '$p' "$WORK/codes")")
    page=$(after_start "/en/services/$(sed -n '1p' "$WORK/codes")")
    ready=$(after_start /readyz)
    echo "${BINS[$k]} serving $LARGE: a service's answer after $answer s, another's page after $page s, the whole snapshot held (ready) after $ready s, $(($(ps -o rss= -p "$SPID") / 1024)) MB"
    sleep 15
    echo "  a rename seen on it:"
    for i in 1 2 3; do
      NAME="Seen $k-$i at $(date +%s%N)"
      python3 bench/rename_service.py "$CSV/services.csv" "$WORK/change/services.csv" "$NAME"
      python3 - "${BINS[$k]}" "$WORK/change" "${LARGES[$k]}" "$PORT" "$SERVICE" "$NAME" <<'PY'
import subprocess, sys, time, urllib.request
bin, change, db, port, service, name = sys.argv[1:7]
t0 = time.time()
subprocess.run([bin, "import", "registry", change, "--db", db, "--reason", "bench"],
               check=True, capture_output=True)
t1 = time.time()
url = f"http://127.0.0.1:{port}/api/v1/services/{service}"
while name not in urllib.request.urlopen(url, timeout=30).read().decode():
    time.sleep(0.01)
print(f"  import {t1 - t0:.2f} s, seen {time.time() - t0:.2f} s after it started")
PY
    done
    echo "  $(($(ps -o rss= -p "$SPID") / 1024)) MB resident right after"
    # The snapshot before the change is freed once no answer holds it any more.
    sleep 3
    echo "  $(($(ps -o rss= -p "$SPID") / 1024)) MB resident 3 s later"
    kill "$SPID"
    wait "$SPID" 2>/dev/null || true
  done
fi
