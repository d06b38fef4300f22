#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests.
#
# Sourced by tests that need PostgreSQL (tests/store_pg.sh):
#     . tests/pg_server.sh
#     zk_pg_start || handle the failure
#     ... use $ZKPOS_TEST_PG_URL (postgresql://postgres@127.0.0.1:PORT/zkpos_test)
# zk_pg_start creates a cluster in a fresh temporary folder (initdb; as the
# `postgres` user when running as root, since the server refuses to run as
# root), starts it listening on 127.0.0.1 only, on a free port, with its
# socket in that folder (so it never touches a system server), creates the
# database zkpos_test and exports ZKPOS_TEST_PG_URL. It installs an EXIT trap
# that stops the server and deletes the folder; a caller with its own EXIT
# trap calls zk_pg_stop from it instead. Durability settings are off
# (fsync, synchronous_commit): the data is thrown away, and tests that kill
# clients exercise the client side, not the server's disk.
#
# Executed directly (ctest: sh_pg_server) it tests itself: start, query,
# stop, and check that nothing is left. Without PostgreSQL it skips (exit 77),
# except under CI=true, where it fails.
#
# Env: ZK_PG_BIN (folder with initdb/pg_ctl; default: newest
# /usr/lib/postgresql/*/bin, else from PATH), TMPDIR (not used as root).

zk_pg_find_bin() {
    local d best=
    # Highest major version first (sort -V puts 9 before 10).
    while read -r d; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && best=$d
    done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V)
    if [ -z "$best" ] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        best=$(dirname "$(command -v initdb)")
    fi
    echo "$best"
}

# A TCP port on 127.0.0.1 that nothing answers on (the start retries if the
# port is taken between this check and the server's bind).
zk_pg_free_port() {
    local p i
    for i in $(seq 1 50); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# Runs a command as the server's owner, from inside the cluster folder.
zk_pg_as() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$ZK_PG_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$ZK_PG_DIR" && "$@")
    fi
}

zk_pg_start() {
    local bin port try
    bin=${ZK_PG_BIN:-$(zk_pg_find_bin)}
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "pg_server: PostgreSQL server programs not found (install the postgresql package)" >&2
        return 1
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "pg_server: running as root and there is no 'postgres' user to run the server" >&2
        return 1
    fi
    ZK_PG_BIN=$bin
    # As root the folder must be reachable by `postgres`: /tmp, not $TMPDIR.
    local tmp=${TMPDIR:-/tmp}
    [ "$(id -u)" -eq 0 ] && tmp=/tmp
    ZK_PG_DIR=$(mktemp -d "$tmp/zkpos-pg-XXXXXX") || return 1
    ZK_PG_PORT=
    trap zk_pg_stop EXIT
    trap 'exit 130' INT # so that the EXIT trap also runs when interrupted
    trap 'exit 143' TERM
    [ "$(id -u)" -eq 0 ] && chown postgres: "$ZK_PG_DIR"
    if ! zk_pg_as "$bin/initdb" -D "$ZK_PG_DIR/data" -A trust -U postgres -E UTF8 --no-sync \
        >"$ZK_PG_DIR/initdb.log" 2>&1; then
        echo "pg_server: initdb failed:" >&2
        tail -n 20 "$ZK_PG_DIR/initdb.log" >&2
        return 1
    fi
    for try in 1 2 3 4 5; do
        port=$(zk_pg_free_port) || break
        if zk_pg_as "$bin/pg_ctl" -D "$ZK_PG_DIR/data" -l "$ZK_PG_DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $ZK_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
            ZK_PG_PORT=$port
            break
        fi
    done
    if [ -z "$ZK_PG_PORT" ]; then
        echo "pg_server: the server did not start:" >&2
        tail -n 20 "$ZK_PG_DIR/server.log" >&2 2>/dev/null
        return 1
    fi
    if ! zk_pg_as "$bin/createdb" -h 127.0.0.1 -p "$ZK_PG_PORT" -U postgres zkpos_test; then
        echo "pg_server: createdb failed" >&2
        return 1
    fi
    export ZKPOS_TEST_PG_URL="postgresql://postgres@127.0.0.1:$ZK_PG_PORT/zkpos_test"
    echo "pg_server: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$ZK_PG_PORT (data in $ZK_PG_DIR)"
}

zk_pg_stop() {
    if [ -n "${ZK_PG_DIR:-}" ] && [ -d "$ZK_PG_DIR" ]; then
        if [ -f "$ZK_PG_DIR/data/postmaster.pid" ]; then
            zk_pg_as "$ZK_PG_BIN/pg_ctl" -D "$ZK_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
        fi
        rm -rf "$ZK_PG_DIR"
    fi
    ZK_PG_DIR=
    unset ZKPOS_TEST_PG_URL
}

# ---- self-test when executed ----
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -uo pipefail
    if ! zk_pg_start; then
        if [ "${CI:-}" = true ]; then
            echo "pg_server: FAILED: cannot start PostgreSQL (CI=true)" >&2
            exit 1
        fi
        echo "pg_server: SKIPPED: cannot start PostgreSQL here (under CI=true this fails)"
        exit 77
    fi
    failed=0
    dir=$ZK_PG_DIR port=$ZK_PG_PORT
    got=$(zk_pg_as "$ZK_PG_BIN/psql" "$ZKPOS_TEST_PG_URL" -Atc "SELECT 6 * 7" 2>&1)
    [ "$got" = 42 ] || { echo "pg_server: query gave '$got'" >&2; failed=1; }
    [[ $ZKPOS_TEST_PG_URL == postgresql://postgres@127.0.0.1:$port/zkpos_test ]] ||
        { echo "pg_server: unexpected URL $ZKPOS_TEST_PG_URL" >&2; failed=1; }
    zk_pg_stop
    [ ! -e "$dir" ] || { echo "pg_server: $dir was not removed" >&2; failed=1; }
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "pg_server: something still listens on port $port" >&2
        failed=1
    fi
    [ -z "${ZKPOS_TEST_PG_URL:-}" ] || { echo "pg_server: URL still exported" >&2; failed=1; }
    echo "$((failed ? 0 : 4)) passed, $failed failed"
    exit "$failed"
fi
