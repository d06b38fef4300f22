#!/usr/bin/env bash
# The first command for a new user: bash scripts/run.sh [ARGS]
#
# Installs dependencies, builds the Release configuration in build/ (the same
# settings as scripts/test.sh, so the two share one incremental build), then
# runs the main job. Until the proof-of-solvency pipeline exists, the main job
# is `zkpos selfcheck` plus a short arithmetic benchmark; when it does, the
# body of main_job becomes one line: "$BUILD/zkpos" run --workdir "$WORKDIR" "$@"
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD="$ROOT/build"
WORKDIR=${ZKPOS_WORKDIR:-$ROOT/work} # used by the pipeline once it exists
JOBS=${JOBS:-$(nproc)}

bash scripts/install-deps.sh
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DZKPOS_WERROR=ON \
    -DZKPOS_NATIVE=ON -DZKPOS_PORTABLE=OFF -DZKPOS_SANITIZE=OFF >/dev/null
cmake --build "$BUILD" --parallel "$JOBS"

quick_bench() {
    if [ -x "$BUILD/bench_arith" ]; then
        "$BUILD/bench_arith" --quick
    else
        echo "note: bench_arith is not built yet (bench/bench_arith.c does not exist); no benchmark run"
    fi
}

main_job() {
    "$BUILD/zkpos" selfcheck && quick_bench
}

echo "=== zkpos main job"
main_job "$@"
