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
# User proofs go into the store over the run's asset table and every one
# verifies (verify-user --assets A) against the published root; the db tool's
# row-count check, account view, CEX assets and cleanup; --config files.
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

# db: before user proofs the row-count check fails (user proofs != accounts)
expect 1 "db status before userproof" "$ZKPOS" db status --db "$DB"
grep -q "^check batch witnesses == ceil(accounts / B) = $nb: OK" "$T/out" && grep -q "^status MISMATCH" "$T/out" &&
    grep -q "^check user proofs .*MISMATCH" "$T/out" && ok || { bad "db status before userproof"; cat "$T/out" >&2; }
# user proofs into the store over the run's A (read from the store), also as files
expect 0 "userproof into the store" "$ZKPOS" userproof --input "$T/in" --db "$DB" --out "$T/up" --threads 1
grep -q "^root $root$" "$T/out" && grep -q "^assets $A$" "$T/out" && ok || bad "userproof root/assets differ from the run's"
nacc=$(sed -n 's/^proofs //p' "$T/out")
expect 0 "db status after userproof" "$ZKPOS" db status --db "$DB"
grep -q "^status OK" "$T/out" && grep -q "^userproofs $nacc (complete)" "$T/out" && grep -q "^proofs $nb$" "$T/out" &&
    ok || { bad "db status after userproof"; cat "$T/out" >&2; }
# every user proof verifies against the published root with the run's A; not with 350
pubroot=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["root"])' "$T/pub/root.json")
nver=0
for f in "$T"/up/*.json; do
    if "$ZKPOS" verify-user "$f" --assets $A >"$T/vu" 2>&1 && grep -q "^root $pubroot$" "$T/vu"; then
        nver=$((nver + 1))
    else bad "verify-user --assets $A $f"; cat "$T/vu" >&2; fi
done
[ "$nver" -eq "$nacc" ] && ok || bad "$nver of $nacc user proofs verified against the published root"
expect 1 "verify-user with the default 350 assets" "$ZKPOS" verify-user "$T/up/0.json"
grep_err "--assets" "verify-user hints at --assets"
expect 2 "verify-user --assets 0" "$ZKPOS" verify-user "$T/up/0.json" --assets 0
grep_err "--assets" "bad --assets named"
# rerun: resumes at the last stored proof, stores nothing new, same rows
expect 0 "userproof rerun" "$ZKPOS" userproof --input "$T/in" --db "$DB"
grep -q "^stored-from $((nacc - 1))$" "$T/out" && ok || bad "userproof rerun did not resume at the end"
expect 1 "userproof --assets 350 on an A=$A run" "$ZKPOS" userproof --input "$T/in" --db "$DB" --assets 350
grep_err "--assets" "conflicting --assets named"
expect 2 "userproof without --db, --out or --jsonl" "$ZKPOS" userproof --input "$T/in"
# the same root from the full-tree builder over an A-entry table (not the batcher)
expect 0 "tree --assets $A" "$ZKPOS" tree --input "$T/in" --assets $A
grep -q "^root $root$" "$T/out" && ok || bad "zkpos tree --assets $A root differs from the run's root"
# a saved A-entry tree records A: user proofs from it equal the stored ones
expect 0 "tree --assets $A --out" "$ZKPOS" tree --input "$T/in" --assets $A --out "$T/treeA.bin"
expect 0 "userproof --tree (A = $A)" "$ZKPOS" userproof --input "$T/in" --tree "$T/treeA.bin" --assets $A --out "$T/upt"
cmp -s "$T/upt/1.json" "$T/up/1.json" && ok || bad "user proof from the saved A-entry tree differs"
expect 1 "userproof --tree with another A" "$ZKPOS" userproof --input "$T/in" --tree "$T/treeA.bin" --assets 350 --out "$T/upt2"
grep_err "over $A assets" "asset count of the tree file named"
# db account: recomputed leaf, batch, proof and user proof of one account
expect 0 "db account 1" "$ZKPOS" db account 1 --db "$DB"
python3 - "$T/out" "$T/up/1.json" "$B" <<'EOF2' && ok || { bad "db account 1 output"; cat "$T/out" >&2; }
import json, sys
lines = open(sys.argv[1]).read().splitlines()
kv = {l.split(" ", 1)[0]: l.split(" ", 1)[1] for l in lines}
up = json.load(open(sys.argv[2]))
assert kv["account"] == "1" and kv["account-id"] == up["AccountIdHash"]
assert int(kv["total-equity"]) == up["TotalEquity"] and int(kv["total-debt"]) == up["TotalDebt"]
assets = [l.split() for l in lines if l.startswith("asset ")]
assert [(int(a[1]), int(a[4]), int(a[6])) for a in assets] == [(x["Index"], x["Equity"], x["Debt"]) for x in up["Assets"]]
assert kv["leaf-check"].startswith("OK") and kv["userproof-leaf"].startswith("OK")
assert kv["batch"].startswith("%d proven" % (1 // int(sys.argv[3]))) and kv["batch-proof"].startswith("stored by")
assert json.loads(kv["userproof"]) == up
EOF2
expect 1 "db account beyond the last" "$ZKPOS" db account "$nacc" --db "$DB"
grep_err "no account $nacc" "missing account named"
expect 2 "db account x" "$ZKPOS" db account x --db "$DB"
grep_err "bad account index 'x'" "bad index named"
expect 2 "db account without INDEX" "$ZKPOS" db account --db "$DB"
expect 2 "db bogus" "$ZKPOS" db bogus --db "$DB"
grep_err "unknown subcommand 'bogus'" "unknown db subcommand named"
expect 2 "db status --bogus" "$ZKPOS" db status --db "$DB" --bogus
grep_err "--bogus" "unknown db flag named"
expect 0 "db --help" "$ZKPOS" db --help
grep -q "usage: zkpos db status" "$T/out" && ok || bad "db --help prints no usage"
expect 0 "db cex-assets" "$ZKPOS" db cex-assets --db "$DB"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))' "$T/out" \
    "$T/pub/cex_assets_info.json" && ok || bad "db cex-assets differs from the published cex_assets_info.json"
# settings from a config file, flags winning; bad settings named with file and line
printf '# run settings\ndb = %s\nusers = 99\nassets = %s\n' "$DB" "$A" >"$T/run.conf"
expect 0 "db status --config" "$ZKPOS" db status --config "$T/run.conf"
expect 1 "witness --config with users = 99" "$ZKPOS" witness --config "$T/run.conf" --input "$T/in"
grep_err "refused: .*other settings" "config value used"
expect 0 "witness --config, --users wins" "$ZKPOS" witness --config "$T/run.conf" --input "$T/in" --users $B
printf 'db = %s\nlease = soon\n' "$DB" >"$T/bad.conf"
expect 2 "prove with a bad config value" "$ZKPOS" prove --config "$T/bad.conf" --pk "$T/key.pk"
grep_err "bad.conf:2: bad value 'soon' for --lease" "bad config value named"
printf 'colour = blue\n' >"$T/bad2.conf"
expect 2 "config with an unknown setting" "$ZKPOS" db status --config "$T/bad2.conf"
grep_err "bad2.conf:1: unknown setting 'colour'" "unknown config setting named"

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

# db delete: refused without --all; with it every table is emptied
expect 2 "db delete without --all" "$ZKPOS" db delete --db "$DB"
grep_err "refusing without --all" "db delete refusal"
expect 0 "db delete --all" "$ZKPOS" db delete --all --db "$DB"
grep -q "^deleted batches $nb, proofs $nb, userproofs $nacc" "$T/out" && ok || { bad "db delete report"; cat "$T/out" >&2; }
expect 1 "db status after delete" "$ZKPOS" db status --db "$DB"
grep -q "^batches 0 " "$T/out" && grep -q "^userproofs 0" "$T/out" && grep -q "^meta 0" "$T/out" &&
    grep -q "^status MISMATCH" "$T/out" && ok || { bad "db status after delete"; cat "$T/out" >&2; }
expect 1 "db cex-assets after delete" "$ZKPOS" db cex-assets --db "$DB"
grep_err "no CEX assets" "db cex-assets after delete"

echo "pipeline: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
