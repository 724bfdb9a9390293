#!/usr/bin/env bash
# Time a progress report for a country of N services (default 2,000), every format, PDF
# included: `egovwatch synth` fills a database, then `egovwatch report` runs RUNS times.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${1:-2000}; RUNS=${RUNS:-5}
WORK=${WORK:-$(mktemp -d)}; mkdir -p "$WORK"
cargo build --release -q -p egovwatch
BIN=${CARGO_TARGET_DIR:-target}/release/egovwatch
$BIN synth --countries 1 --services "$SERVICES" --rounds 2 --db "$WORK/synth.db" >/dev/null
for round in "C001-STAGES" "C001-R02 --against C001-R01"; do
  times=()
  for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    $BIN report --round $round --format all --out "$WORK/out" --db "$WORK/synth.db" >/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  pages=$(pdfinfo "$(ls "$WORK"/out/*"${round%% *}"*.pdf | head -1)" 2>/dev/null | awk '/^Pages:/{print $2}')
  echo "report --round $round: $SERVICES services, median ${median}s over $RUNS runs (HTML, PDF of ${pages:-?} pages, Markdown, CSV)"
done
