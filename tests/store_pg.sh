#!/usr/bin/env bash
# PostgreSQL store conformance (ctest: sh_store_pg).
#
# Starts a throwaway PostgreSQL server on 127.0.0.1 (tests/pg_server.sh) and
# runs the store conformance suite (test_store) against it; test_store
# itself covers SQLite. Where PostgreSQL cannot be started this test skips
# (exit 77), except with CI=true, where that is a failure: CI must test both
# backends.
# Env: ZKPOS_BINARY_DIR (build folder holding test_store), CI.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/pg_server.sh
. "$here/pg_server.sh"

bin=${ZKPOS_BINARY_DIR:-$here/../build}/test_store
if [ ! -x "$bin" ]; then
    echo "store_pg: $bin is not built" >&2
    exit 1
fi
if ! zk_pg_start; then
    if [ "${CI:-}" = true ]; then
        echo "store_pg: FAILED: cannot start PostgreSQL (CI=true)" >&2
        exit 1
    fi
    echo "store_pg: SKIPPED: cannot start PostgreSQL here (under CI=true this fails)"
    exit 77
fi
"$bin" "$ZKPOS_TEST_PG_URL"
