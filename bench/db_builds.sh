# Sourced by the benchmarks run as `SCRIPT DB [BIN...]`: sets DB, the builds to alternate (BINS,
# by default target/release/egovwatch), REPEAT (default 2) and WORK, a directory removed on
# exit with the servers the script started.
DB=${1:?usage: $0 DB [BIN...]}
shift
BINS=("$@")
[ ${#BINS[@]} -gt 0 ] || BINS=(target/release/egovwatch)
REPEAT=${REPEAT:-2}
WORK=$(mktemp -d)
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$WORK"' EXIT
