#!/usr/bin/env bash
# End-to-end pipeline test on SQLite (ctest: sh_pipeline_sqlite).
#
# Why: sample -> keygen -> witness -> prove (two workers in parallel) ->
# publish -> verify is what an exchange runs; each command is a thin layer
# over tested library code, so this checks that they fit together, that the
# auditor's check passes on honest output and fails, naming the batch and
# the check, on every tampering an attacker might try (a changed proof,
# swapped batches, a missing batch, a changed total, a changed price), and
# that the witness step resumes after kill -9 without losing or duplicating
# a batch. Independent checks: the final root equals the one `zkpos tree`
# computes with the full-tree builder (a different code path from the
# batcher's append-only frontier) for A = 350; sqlite3 counts the rows.
# Tiny configuration (B = 2, A = 3) so it runs in well under a minute.
# Env: ZKPOS (binary), ZKPOS_SOURCE_DIR, PIPELINE_DB (store URL; default a
# SQLite file; tests/pipeline_pg.sh passes a PostgreSQL URL).
set -uo pipefail

ZKPOS=${ZKPOS:?}
SRC=${ZKPOS_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
if ! command -v python3 >/dev/null; then
    echo "python3 is required by this test (editing published files)" >&2
    exit 1
fi
T=$(mktemp -d /tmp/zkpos_pipe_XXXXXX)
trap 'rm -rf "$T"' EXIT
DB=${PIPELINE_DB:-$T/store.db}
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
# expect RC DESCRIPTION CMD...: runs CMD (output in $T/out, $T/err), wants status RC
expect() {
    local want=$1 what=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else
        bad "$what: exit $rc, wanted $want"
        sed 's/^/  | /' "$T/err" >&2
    fi
}
# grep_err PATTERN DESCRIPTION: the last command's stderr matches PATTERN
grep_err() { if grep -qE -e "$1" "$T/err"; then ok; else bad "$2: stderr lacks /$1/"; sed 's/^/  | /' "$T/err" >&2; fi; }

B=2 A=3
expect 0 "sample" "$ZKPOS" sample --users 9 --assets $A --out "$T/in"
expect 0 "keygen" "$ZKPOS" keygen --users $B --assets $A --out "$T/key" --threads 1

# --help and flag validation
for c in witness prove publish verify; do
    expect 0 "$c --help" "$ZKPOS" $c --help
    grep -q "usage: zkpos $c" "$T/out" && ok || bad "$c --help prints no usage"
done
expect 2 "witness --users 0" "$ZKPOS" witness --input "$T/in" --db "$DB" --users 0 --assets $A
grep_err "--users" "bad --users named"
expect 2 "witness without --db" "$ZKPOS" witness --input "$T/in" --users $B --assets $A
grep_err "--db" "missing --db named"
expect 2 "prove --lease x" "$ZKPOS" prove --db "$DB" --pk "$T/key.pk" --lease x
grep_err "--lease" "bad --lease named"
expect 2 "prove --bogus" "$ZKPOS" prove --db "$DB" --pk "$T/key.pk" --bogus 1
grep_err "--bogus" "unknown flag named"

# publish before anything is there is refused
expect 0 "witness" "$ZKPOS" witness --input "$T/in" --db "$DB" --users $B --assets $A --threads 1
root=$(sed -n 's/^root //p' "$T/out")
nb=$(sed -n 's/^batches //p' "$T/out")
[ ${#root} -eq 64 ] && [ "$nb" -ge 3 ] && ok || bad "witness printed root '$root', batches '$nb'"
expect 1 "publish before proving" "$ZKPOS" publish --db "$DB" --vk "$T/key.vk" --out "$T/pub0"
grep_err "batches are proven" "publish names the missing proofs"
# a restart with other settings is refused; the same settings resume
expect 1 "witness with another B" "$ZKPOS" witness --input "$T/in" --db "$DB" --users 3 --assets $A
grep_err "refused: .*other settings" "config change refused"
expect 0 "witness again" "$ZKPOS" witness --input "$T/in" --db "$DB" --users $B --assets $A
grep -q "^root $root" "$T/out" && grep -q "^stored 0" "$T/out" && ok || bad "witness rerun changed something"

# two workers in parallel
"$ZKPOS" prove --db "$DB" --pk "$T/key.pk" --threads 1 --worker-id w1 >"$T/w1" 2>"$T/w1e" &
p1=$!
expect 0 "prove w2" "$ZKPOS" prove --db "$DB" --pk "$T/key.pk" --threads 1 --worker-id w2 --lease 120
wait $p1 && ok || { bad "prove w1 failed"; cat "$T/w1e" >&2; }
n1=$(sed -n 's/^proven //p' "$T/w1")
n2=$(sed -n 's/^proven //p' "$T/out")
[ $((n1 + n2)) -eq "$nb" ] && ok || bad "workers proved $n1 + $n2 batches, wanted $nb"

expect 0 "publish" "$ZKPOS" publish --db "$DB" --vk "$T/key.vk" --out "$T/pub" --web "$SRC/web"
for f in cex_assets_info.json verification_key.json proofs.csv proofs.json root.json config.json index.html published/root.json; do
    [ -s "$T/pub/$f" ] && ok || bad "publish did not write $f"
done
python3 - "$T/pub" "$root" "$nb" <<'EOF' && ok || bad "published files malformed"
import json, sys, csv
d, root, nb = sys.argv[1], sys.argv[2], int(sys.argv[3])
assert json.load(open(d + "/root.json")) == {"root": root}
site = json.load(open(d + "/published/root.json"))
assert site["root"] == root and site["assets"] == json.load(open(d + "/cex_assets_info.json"))
rows = list(csv.DictReader(open(d + "/proofs.csv")))
assert [int(r["batch_number"]) for r in rows] == list(range(nb))
for r in rows:
    assert len(json.loads(r["account_tree_roots"])) == 2
    assert len(json.loads(r["cex_asset_list_commitments"])) == 2
cex = json.load(open(d + "/cex_assets_info.json"))
assert [c["Index"] for c in cex] == list(range(len(cex)))
assert all(set(c) == {"TotalEquity", "TotalDebt", "BasePrice", "Symbol", "Index"} for c in cex)
EOF
# nothing private: no account ids or witnesses
grep -rqi "AccountIdHash\|siblings" "$T/pub"/*.json "$T/pub"/*.csv && bad "publish leaked private data" || ok

expect 0 "verify honest" "$ZKPOS" verify "$T/pub"
grep -q "all checks passed" "$T/out" && ok || bad "verify printed no verdict"

# independent root: the full-tree builder over the same sheet at A = 350
expect 0 "witness A=350" "$ZKPOS" witness --input "$T/in" --db "$T/full.db" --users $B --assets 350
r350=$(sed -n 's/^root //p' "$T/out")
expect 0 "tree" "$ZKPOS" tree --input "$T/in"
[ "$(sed -n 's/^root //p' "$T/out")" = "$r350" ] && ok || bad "batcher root differs from zkpos tree's root"

# tampering: each copy must fail with a message naming batch and check
tamper() { # NAME PYTHON-EDIT PATTERN
    rm -rf "$T/t"
    cp -R "$T/pub" "$T/t"
    python3 - "$T/t" <<EOF
import json, sys
d = sys.argv[1]
p = json.load(open(d + "/proofs.json"))
c = json.load(open(d + "/cex_assets_info.json"))
$2
json.dump(p, open(d + "/proofs.json", "w"))
json.dump(c, open(d + "/cex_assets_info.json", "w"))
EOF
    expect 1 "verify rejects $1" "$ZKPOS" verify "$T/t"
    grep_err "$3" "verify message for $1"
}
tamper "a changed proof" '
pr = json.loads(p[1]["proof"]); pr["pi_a"], pr["pi_c"] = pr["pi_c"], pr["pi_a"]; p[1]["proof"] = json.dumps(pr)' \
    "batch 1: Groth16"
tamper "two swapped batches" 'p[0], p[1] = p[1], p[0]' "batch 0: .*(order|missing)"
tamper "two swapped batches renumbered" '
p[0], p[1] = p[1], p[0]; p[0]["batch_number"], p[1]["batch_number"] = 0, 1' "batch 0: chain check"
tamper "a missing batch" 'del p[1]' "missing"
tamper "a missing last batch" 'del p[-1]' "missing"
tamper "a changed total" 'c[0]["TotalEquity"] += 1' "final check"
tamper "a changed price" 'c[0]["BasePrice"] += 1' "batch 0: chain check"
tamper "a changed root" 'p[1]["after_root"] = p[2]["after_root"]' "batch 1: chain check"
rm -rf "$T/t" && cp -R "$T/pub" "$T/t" && echo '{"root": "'"$(printf '%064d' 1)"'"}' >"$T/t/root.json"
expect 1 "verify rejects a changed root.json" "$ZKPOS" verify "$T/t"
grep_err "root.json" "verify message for root.json"

# kill -9 during witness, restart: same root, every batch once
if [ -z "${PIPELINE_DB:-}" ]; then
    expect 0 "big sample" "$ZKPOS" sample --users 3000 --assets $A --out "$T/big" --seed 7
    expect 0 "clean witness" "$ZKPOS" witness --input "$T/big" --db "$T/clean.db" --users $B --assets $A
    want=$(sed -n 's/^root //p' "$T/out")
    wantn=$(sed -n 's/^batches //p' "$T/out")
    killed=0
    for delay in 0.3 0.6 1.0; do
        "$ZKPOS" witness --input "$T/big" --db "$T/kill.db" --users $B --assets $A >/dev/null 2>&1 &
        pid=$!
        sleep $delay
        kill -9 $pid 2>/dev/null && killed=$((killed + 1))
        wait $pid 2>/dev/null
    done
    expect 0 "witness after kill -9" "$ZKPOS" witness --input "$T/big" --db "$T/kill.db" --users $B --assets $A
    [ "$(sed -n 's/^root //p' "$T/out")" = "$want" ] && ok || bad "root after kill -9 differs"
    grep -q "^already-stored 1$" "$T/out" && ok || bad "the restarted witness did not resume"
    echo "killed $killed witness run(s)"
    if command -v sqlite3 >/dev/null; then
        got=$(sqlite3 "$T/kill.db" "select count(*), count(distinct batch_number), min(batch_number), max(batch_number) from batch" 2>/dev/null)
        exp=$(sqlite3 "$T/clean.db" "select count(*), count(distinct batch_number), min(batch_number), max(batch_number) from batch" 2>/dev/null)
        [ -n "$got" ] && [ "$got" = "$exp" ] && [ "${got%%|*}" = "$wantn" ] && ok ||
            bad "batch rows after kill -9: '$got', clean run: '$exp', batches $wantn"
        d1=$(sqlite3 "$T/kill.db" "select hex(witness) from batch order by batch_number" 2>/dev/null | md5sum)
        d2=$(sqlite3 "$T/clean.db" "select hex(witness) from batch order by batch_number" 2>/dev/null | md5sum)
        [ "$d1" = "$d2" ] && ok || bad "stored witnesses after kill -9 differ from a clean run"
    fi
fi

echo "pipeline: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
