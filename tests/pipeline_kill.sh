#!/usr/bin/env bash
# Three prover workers, one killed mid-proof (ctest: sh_pipeline_kill).
#
# Why: a worker that dies (kill -9: no cleanup, no release) must lose its
# claim when its lease runs out, and another worker must finish its batch
# with no manual step; nothing may be proven into the store twice. Three real
# `zkpos prove` processes share the store with a 4-second lease; as soon as
# the store shows worker k1 holding a claim, k1 gets SIGKILL. Checks, from the
# store's own rows (sqlite3 / psql, not zkpos): one proof row per batch, the
# killed batch was claimed again and proven by a surviving worker, the
# survivors exit 0; then `zkpos db status` passes its row-count check and
# `zkpos verify` accepts the published directory. Runs on SQLite, then on a
# throwaway PostgreSQL (tests/pg_server.sh) where one can be started.
# Env: ZKPOS, ZKPOS_SOURCE_DIR, CI (under CI=true a missing PostgreSQL fails).
set -uo pipefail
ZKPOS=${ZKPOS:?}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d /tmp/zkpos_kill_XXXXXX)
cleanup() {
    [ -n "${ZK_PG_DIR:-}" ] && zk_pg_stop
    rm -rf "$T"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

B=2 A=2
"$ZKPOS" sample --users 9 --assets $A --out "$T/in" >/dev/null 2>&1 || bad "sample"
"$ZKPOS" keygen --users $B --assets $A --out "$T/key" --threads 1 >/dev/null 2>&1 || bad "keygen"

# scenario NAME DB SQL-COMMAND...: SQL-COMMAND runs one query given as its last argument
scenario() {
    local name=$1 db=$2
    shift 2
    local sql=("$@")
    q() { "${sql[@]}" "$1" 2>/dev/null; }
    "$ZKPOS" witness --input "$T/in" --db "$db" --users $B --assets $A --threads 1 >"$T/w.out" 2>&1 ||
        { bad "$name: witness"; cat "$T/w.out" >&2; return; }
    local nb
    nb=$(sed -n 's/^batches //p' "$T/w.out")
    local pids=() k
    for k in 1 2 3; do
        "$ZKPOS" prove --db "$db" --pk "$T/key.pk" --threads 1 --lease 4 --worker-id "k$k" >"$T/k$k.out" 2>"$T/k$k.err" &
        pids+=($!)
    done
    # wait (at most ~30 s) until k1 holds a claim, then kill it
    local held="" i
    for i in $(seq 1 600); do
        held=$(q "SELECT batch_number FROM batch WHERE state = 1 AND worker = 'k1'")
        [ -n "$held" ] && break
        kill -0 "${pids[0]}" 2>/dev/null || break
        sleep 0.05
    done
    if [ -z "$held" ]; then
        bad "$name: worker k1 never held a claim"
        kill -9 "${pids[@]}" 2>/dev/null
        wait
        return
    fi
    kill -9 "${pids[0]}"
    wait "${pids[0]}" 2>/dev/null
    for k in 1 2; do
        wait "${pids[$k]}" || { bad "$name: worker k$((k + 1)) failed"; cat "$T/k$((k + 1)).err" >&2; }
    done
    echo "$name: killed k1 holding batch $held; $nb batches"
    [ "$(q "SELECT count(*), count(DISTINCT batch_number) FROM proof")" = "$nb|$nb" ] ||
        bad "$name: proof rows: $(q "SELECT count(*), count(DISTINCT batch_number) FROM proof"), want $nb distinct"
    [ "$(q "SELECT count(*) FROM batch WHERE state = 2")" = "$nb" ] || bad "$name: not every batch is proven"
    local who att
    who=$(q "SELECT worker FROM proof WHERE batch_number = $held")
    att=$(q "SELECT attempts FROM batch WHERE batch_number = $held")
    [ "$who" = k2 ] || [ "$who" = k3 ] || bad "$name: batch $held proven by '$who', not by a surviving worker"
    [ "${att:-0}" -ge 2 ] || bad "$name: batch $held was claimed $att time(s); want a second claim after the kill"
    # each batch proven into the store exactly once: the proofs the survivors
    # stored (their counts less any proof dropped because another was stored
    # first, which a slow machine can cause when proving outlasts the lease)
    # plus those k1 stored before it died add up to the batch count
    local n2 n3 n1 dup
    n2=$(sed -n 's/^proven //p' "$T/k2.out")
    n3=$(sed -n 's/^proven //p' "$T/k3.out")
    n1=$(q "SELECT count(*) FROM proof WHERE worker = 'k1'")
    dup=$(cat "$T/k2.err" "$T/k3.err" | grep -c "already proven")
    [ $((n1 + n2 + n3 - dup)) -eq "$nb" ] || bad "$name: k1 $n1 + k2 $n2 + k3 $n3 - dropped $dup proofs, want $nb"
    [ "$(q "SELECT count(*) FROM proof WHERE worker = 'k2'")" = $((n2 - $(grep -c "already proven" "$T/k2.err"))) ] ||
        bad "$name: k2's stored proofs differ from its report"
    [ "$dup" -eq 0 ] || echo "$name: note: $dup proof(s) computed twice and dropped (a lease ran out while proving)"
    "$ZKPOS" userproof --input "$T/in" --db "$db" --threads 1 >/dev/null 2>&1 || bad "$name: userproof"
    "$ZKPOS" db status --db "$db" >"$T/st" 2>&1 && grep -q "^status OK" "$T/st" ||
        { bad "$name: db status"; cat "$T/st" >&2; }
    "$ZKPOS" publish --db "$db" --vk "$T/key.vk" --out "$T/pub-$name" >/dev/null 2>&1 || bad "$name: publish"
    "$ZKPOS" verify "$T/pub-$name" >"$T/v" 2>&1 || { bad "$name: verify"; cat "$T/v" >&2; }
}

if command -v sqlite3 >/dev/null; then
    scenario sqlite "$T/store.db" sqlite3 "$T/store.db"
else
    bad "sqlite3 is required by this test (reading the store's rows)"
fi

# shellcheck source=tests/pg_server.sh
. "$here/pg_server.sh"
trap cleanup EXIT
if zk_pg_start; then
    trap cleanup EXIT
    scenario postgres "$ZKPOS_TEST_PG_URL" zk_pg_as "$ZK_PG_BIN/psql" "$ZKPOS_TEST_PG_URL" -Atc
elif [ "${CI:-}" = true ]; then
    bad "cannot start PostgreSQL (CI=true)"
else
    echo "pipeline_kill: PostgreSQL part skipped (cannot start a server here)"
fi
[ $fail -eq 0 ] && echo "pipeline_kill: passed"
exit $fail
