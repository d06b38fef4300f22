#!/usr/bin/env bash
# Benchmark of the web pages in headless chromium: verifying a published
# snapshot of >= 100 batch proofs on the snapshot page, and one user proof on
# the "verify my proof" page (targets: <= 5 s and <= 50 ms).
#
# usage: bench/bench_web.sh [ZKPOS_BINARY] [WORKDIR]
#   ZKPOS_BINARY  default: build/zkpos
#   WORKDIR       default: /tmp/zkpos-bench-web; `zkpos run --users 400
#                 --assets 2 --batch 4` (100 batches, about two minutes on two
#                 cores) publishes there once and is reused afterwards.
# Env: RUNS (page loads / clicks per measurement, default 5), CHROMIUM,
# VECTORS (default ../shared/vectors). Builds zkpos.wasm from the current
# sources (scripts/build-wasm.sh, objects in WORKDIR/obj).
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ZKPOS=$(realpath "${1:-$SRC/build/zkpos}")
WORK=${2:-/tmp/zkpos-bench-web}
VEC=${VECTORS:-$SRC/../shared/vectors}
mkdir -p "$WORK"
if [ ! -f "$WORK/run/published/proofs.json" ]; then
    echo "bench_web: publishing a 100-batch snapshot in $WORK/run (zkpos run)..." >&2
    (cd "$WORK" && "$ZKPOS" run --workdir "$WORK/run" --users 400 --assets 2 --batch 4 >"$WORK/run.out" 2>"$WORK/run.err") ||
        { cat "$WORK/run.err" >&2; exit 1; }
fi
SITE=$WORK/site
rm -rf "$SITE"
cp -R "$WORK/run/published" "$SITE"
(cd "$SRC/web" && tar --exclude=./wasm --exclude=./zkpos.wasm --exclude=./published -cf - .) | (cd "$SITE" && tar -xf -)
bash "$SRC/scripts/build-wasm.sh" --out "$SITE/zkpos.wasm" --objdir "$WORK/obj" >&2
exec node "$SRC/bench/bench_web.mjs" "$SITE" "$VEC" "${RUNS:-5}"
