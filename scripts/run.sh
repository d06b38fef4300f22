#!/usr/bin/env bash
# The first command for a new user: bash scripts/run.sh [ARGS]
#
# Installs dependencies, builds the Release configuration in build/ (the same
# settings as scripts/test.sh, so the two share one incremental build), then
# runs the main job: `zkpos selfcheck`, then the whole proof-of-solvency
# pipeline on a small synthetic sheet (`zkpos run`: 40 users x 4 assets, 8
# users per batch unless ARGS say otherwise; about 20 s on 2 cores) in
# $WORKDIR, ending with the auditor's check of $WORKDIR/published. Other
# settings need a fresh work directory (ZKPOS_WORKDIR=...): a store refuses
# to mix runs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD="$ROOT/build"
WORKDIR=${ZKPOS_WORKDIR:-$ROOT/work}
JOBS=${JOBS:-$(nproc)}

bash scripts/install-deps.sh
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DZKPOS_WERROR=ON \
    -DZKPOS_NATIVE=ON -DZKPOS_PORTABLE=OFF -DZKPOS_SANITIZE=OFF >/dev/null
cmake --build "$BUILD" --parallel "$JOBS"

main_job() {
    "$BUILD/zkpos" selfcheck
    "$BUILD/zkpos" run --workdir "$WORKDIR" "$@"
}

echo "=== zkpos main job"
main_job "$@"
