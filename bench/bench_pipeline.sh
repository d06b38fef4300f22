#!/usr/bin/env bash
# Pipeline benchmark (issue 5): `zkpos run` for 10,000 users x 20 assets with
# 64 users per batch (total wall time and the per-phase breakdown from run's
# summary), and witness generation in users per second at 350 assets.
#
# Why a script and not a bench_*.c program: what is measured is the whole
# command an operator runs (processes, store, files), not a library call.
# Big data goes under BENCH_DIR (default /work/bigdata), never the repo. The
# proving key is kept between runs (keygen for B = 64, A = 20 takes minutes;
# its time shows in the summary when it runs); the store and the published
# directory are removed first so every phase does its full work. BENCH_FRESH=1
# also removes the key.
#
# Env: ZKPOS (binary; default build/zkpos), BENCH_DIR, BENCH_USERS (10000),
# BENCH_ASSETS (20), BENCH_BATCH (64), BENCH_WITNESS_USERS (20000, the 350-asset
# witness measurement; 0 skips it), BENCH_THREADS (witness threads; default
# all CPUs), BENCH_SKIP_RUN=1 (only the witness measurement).
set -euo pipefail
ZKPOS=${ZKPOS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/zkpos}
DIR=${BENCH_DIR:-/work/bigdata}
USERS=${BENCH_USERS:-10000}
ASSETS=${BENCH_ASSETS:-20}
BATCH=${BENCH_BATCH:-64}
WUSERS=${BENCH_WITNESS_USERS:-20000}
THREADS=${BENCH_THREADS:-0}
WD=$DIR/run10k
[ "$USERS" = 10000 ] || WD=$DIR/run$USERS
mkdir -p "$WD"
[ "${BENCH_SKIP_RUN:-0}" = 1 ] || rm -rf "$WD/store.db" "$WD/store.db-wal" "$WD/store.db-shm" "$WD/published"
[ "${BENCH_FRESH:-0}" = 1 ] && [ "${BENCH_SKIP_RUN:-0}" != 1 ] && rm -f "$WD/key.pk" "$WD/key.vk" "$WD/key.vk.json" "$WD/key.cfg"

echo "bench_pipeline: $("$ZKPOS" --version), $(nproc) CPUs, $(date -u +%FT%TZ)"
"$ZKPOS" circuit-info --users "$BATCH" --assets "$ASSETS" | grep -E "^total|^Groth16 domain" | tail -2
if [ "${BENCH_SKIP_RUN:-0}" != 1 ]; then
start=$(date +%s.%N)
"$ZKPOS" run --workdir "$WD" --users "$USERS" --assets "$ASSETS" --batch "$BATCH" >"$WD/run.out" 2>"$WD/run.err"
end=$(date +%s.%N)
sed -n '/^summary/,$p' "$WD/run.out"
grep -E "batch [0-9]+ proven in" "$WD/run.err" | awk '{t += $(NF-1); n++} END {if (n) printf "prove per batch: %d batches, mean %.2f s (one thread per worker)\n", n, t / n}'
printf "run wall time %.2f s\n" "$(echo "$end - $start" | bc)"
fi

if [ "$WUSERS" -gt 0 ]; then
    W=$DIR/witness350
    rm -rf "$W"
    mkdir -p "$W"
    "$ZKPOS" sample --users "$WUSERS" --assets 350 --out "$W/in" >/dev/null
    s=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$W/cpu" "$ZKPOS" witness --input "$W/in" --db "$W/store.db" --users "$BATCH" \
        --assets 350 --threads "$THREADS" >"$W/out" 2>"$W/err"
    e=$(date +%s.%N)
    acc=$(sed -n 's/^accounts //p' "$W/out")
    cpu=$(awk '{print $1 + $2}' "$W/cpu")
    printf "witness 350 assets: %s accounts, B = %s, threads %s: %.2f s wall, %.0f users/s (CSV load, tree, witnesses, store); %.1f CPU-s, %.0f users per CPU-second\n" \
        "$acc" "$BATCH" "$([ "$THREADS" = 0 ] && nproc || echo "$THREADS")" "$(echo "$e - $s" | bc)" \
        "$(echo "$acc / ($e - $s)" | bc -l)" "$cpu" "$(echo "$acc / $cpu" | bc -l)"
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (CPU shared with other work lowers the wall-time figures)"
fi
