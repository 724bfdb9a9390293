#!/usr/bin/env bash
# Side by side on this machine: the egovwatch scoring engine and DuckDB, the same aggregation
# on the same synthetic answers. Scale: COUNTRIES SERVICES ROUNDS (default 50 2000 10, about
# 9.6 million answers). DuckDB comes from PyPI into a virtualenv under bench/.venv.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNTRIES=${1:-50}; SERVICES=${2:-2000}; ROUNDS=${3:-10}; RUNS=${RUNS:-7}
WORK=${WORK:-$(mktemp -d)}
# The venv is shared with bench/peers.sh (Datasette): DuckDB is installed when it is missing.
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c "import duckdb" 2>/dev/null || bench/.venv/bin/pip install -q duckdb
cargo build --release -q -p egovwatch -p egovwatch-synth --examples
./target/release/egovwatch synth --countries "$COUNTRIES" --services "$SERVICES" --rounds "$ROUNDS" --export-csv "$WORK" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
./target/release/examples/recompute "$COUNTRIES" "$SERVICES" "$ROUNDS" "$RUNS" "$WORK/rust-overall.csv"
bench/.venv/bin/python bench/duckdb_recompute.py "$WORK/answers.csv" "$RUNS" "$WORK/rust-overall.csv"
