#!/usr/bin/env bash
# Builds every fuzz target and runs each for SECONDS (default 30), one after another; fails
# when any target finds a crash, a panic, a timeout or excessive memory use (the input is kept
# in fuzz/artifacts/TARGET/). Needs a nightly toolchain and cargo-fuzz.
#
#   fuzz/run.sh            # 30 s per target (CI)
#   fuzz/run.sh 600        # 10 minutes per target
#   FUZZ_TARGETS="search_query gaps_assume" fuzz/run.sh 60
#
# Each target starts from its seed corpus (fuzz/seeds/TARGET) and keeps what it learns in
# fuzz/corpus/TARGET (not committed), so a later run continues from there.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-30}"
targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}"
# The workspace forbids unsafe code, so AddressSanitizer finds little in it and halves the
# speed; debug assertions (overflow checks) stay on. FUZZ_SANITIZER=address brings it back.
sanitizer="${FUZZ_SANITIZER:-none}"
# FUZZ_TARGET_DIR keeps the build outside the clone (CI reuses it between runs).
dir=()
[ -n "${FUZZ_TARGET_DIR:-}" ] && dir=(--target-dir "$FUZZ_TARGET_DIR")

echo "fuzz: building (sanitizer: $sanitizer)"
cargo +nightly fuzz build "${dir[@]}" --sanitizer "$sanitizer"

failed=()
for t in $targets; do
  mkdir -p "corpus/$t"
  seeds=()
  [ -d "seeds/$t" ] && seeds=("seeds/$t")
  echo "fuzz: $t for ${seconds}s"
  # -timeout: one input taking over 10 s is a finding too; -rss_limit_mb: so is 2 GB.
  if ! cargo +nightly fuzz run "${dir[@]}" --sanitizer "$sanitizer" "$t" "corpus/$t" "${seeds[@]}" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1; then
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in fuzz/artifacts/; reproduce with cargo +nightly fuzz run TARGET ARTIFACT)"
  exit 1
fi
echo "fuzz: every target ran ${seconds}s without a finding"
