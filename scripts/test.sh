#!/usr/bin/env bash
# THE test command: bash scripts/test.sh
#
# Installs dependencies, then builds and tests three configurations:
#   build/           Release, -DZKPOS_WERROR=ON, native (ADX/BMI2 fast paths): every test
#   build-asan/      RelWithDebInfo with ASan+UBSan: every test except those
#                    labelled "slow" (ctest -LE slow; see CMakeLists.txt for how a
#                    test gets that label: name contains slow/perf, or a
#                    "ctest-labels: slow" line in its source)
#   build-portable/  Release with the portable C field arithmetic (-DZKPOS_PORTABLE=ON
#                    -DZKPOS_NATIVE=OFF): field, curve, pairing and generated-constant
#                    tests, so the fallback path is tested as well as the fast one
#   web/zkpos.wasm   scripts/build-wasm.sh (clang --target=wasm32-wasi): the
#                    browser verifier; its build counts as one test
# Builds are incremental, so a second run with nothing changed is quick.
# Exits non-zero if any build or test fails. The last line is
# "N passed, N failed", counting ctest tests over the three runs (a failed
# configure or build counts as one failure).
#
# Environment: JOBS (default: all cores), ZKPOS_TEST_SEED (passed on to tests).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc)}
PORTABLE_TESTS='test_ff|test_fp|test_ec|test_pairing|gen_check'

if ! bash scripts/install-deps.sh; then
    echo "test.sh: installing dependencies failed" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

total_passed=0
total_failed=0
report=()

# run_suite NAME BUILD_DIR "CMAKE ARGS" CTEST ARGS...
run_suite() {
    local name=$1 dir=$2 cmake_args=$3
    shift 3
    echo "=== $name: configure + build in $dir"
    # shellcheck disable=SC2086  # cmake_args is a word list on purpose
    mkdir -p "$dir"
    if ! cmake -S "$ROOT" -B "$dir" $cmake_args >"$dir/configure.log" 2>&1; then
        cat "$dir/configure.log" >&2
        echo "test.sh: $name: cmake configure failed" >&2
        total_failed=$((total_failed + 1))
        report+=("$name: configure FAILED")
        return
    fi
    if ! cmake --build "$dir" --parallel "$JOBS"; then
        echo "test.sh: $name: build failed" >&2
        total_failed=$((total_failed + 1))
        report+=("$name: build FAILED")
        return
    fi
    echo "=== $name: ctest $*"
    local log="$dir/ctest-summary.log" rc
    (cd "$dir" && ctest --output-on-failure --no-tests=error --parallel "$JOBS" "$@") 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    local line n_failed n_total
    line=$(grep -Eo '[0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
    if [ -n "$line" ]; then
        n_failed=$(awk '{print $1}' <<<"$line")
        n_total=$(awk '{print $NF}' <<<"$line")
    else
        n_failed=1 n_total=1 # ctest did not get to a summary (e.g. no tests found)
    fi
    if [ "$rc" -ne 0 ] && [ "$n_failed" -eq 0 ]; then
        n_failed=1 n_total=$((n_total + 1)) # ctest failed for another reason
    fi
    total_passed=$((total_passed + n_total - n_failed))
    total_failed=$((total_failed + n_failed))
    report+=("$name: $((n_total - n_failed)) passed, $n_failed failed")
}

# The browser verifier web/zkpos.wasm, built from the same C sources (counts
# as one test; tests/web_verify.sh drives the page with its own fresh build).
echo "=== wasm: scripts/build-wasm.sh"
if bash scripts/build-wasm.sh; then
    total_passed=$((total_passed + 1))
    report+=("wasm: web/zkpos.wasm built")
else
    total_failed=$((total_failed + 1))
    report+=("wasm: build FAILED")
fi

run_suite release build \
    "-DCMAKE_BUILD_TYPE=Release -DZKPOS_WERROR=ON -DZKPOS_NATIVE=ON -DZKPOS_PORTABLE=OFF -DZKPOS_SANITIZE=OFF"
run_suite asan build-asan \
    "-DCMAKE_BUILD_TYPE=RelWithDebInfo -DZKPOS_WERROR=ON -DZKPOS_SANITIZE=ON -DZKPOS_NATIVE=ON -DZKPOS_PORTABLE=OFF" \
    -LE slow
run_suite portable build-portable \
    "-DCMAKE_BUILD_TYPE=Release -DZKPOS_WERROR=ON -DZKPOS_PORTABLE=ON -DZKPOS_NATIVE=OFF -DZKPOS_SANITIZE=OFF" \
    -R "$PORTABLE_TESTS"

echo "=== summary"
for r in "${report[@]}"; do echo "  $r"; done
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
