#!/usr/bin/env bash
# `zkpos run` end to end (ctest: sh_pipeline_run).
#
# Why: `zkpos run` is the README's first command; this checks that it
# chains sample, keygen, witness, prove (two forked workers), userproof,
# publish and verify on a tiny configuration (12 users, A = 2, B = 4), that its summary
# names every step and the final root, that the published root equals the
# one `zkpos verify` recomputes, that the stored user proofs pass the db
# tool's row-count check and verify against that root, and that a rerun in the same work directory
# reuses the key and proves nothing again.
# Env: ZKPOS (binary).
set -uo pipefail
ZKPOS=${ZKPOS:?}
T=$(mktemp -d /tmp/zkpos_run_XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
if ! "$ZKPOS" run --workdir "$T/w" --users 12 --assets 2 --batch 4 --workers 2 >"$T/out" 2>"$T/err"; then
    bad "zkpos run failed"
    cat "$T/err" >&2
fi
for s in sample keygen witness prove userproof publish verify total; do
    grep -qE "^  $s +[0-9.]+ s$" "$T/out" || bad "summary lacks step $s"
done
root=$(sed -n 's/^final root //p' "$T/out")
[ ${#root} -eq 64 ] || bad "no final root in the summary"
"$ZKPOS" verify "$T/w/published" >"$T/v" 2>&1 || bad "verify of the published directory failed"
grep -q "account tree root $root" "$T/v" || bad "verify recomputed another root"
grep -q "\"root\": \"$root\"" "$T/w/published/root.json" || bad "root.json differs"
# the user proofs are in the store (row-count check passes) and verify against the root
"$ZKPOS" db status --db "$T/w/store.db" >"$T/st" 2>&1 && grep -q "^status OK" "$T/st" || { bad "db status after run"; cat "$T/st" >&2; }
"$ZKPOS" db account 0 --db "$T/w/store.db" | sed -n 's/^userproof //p' >"$T/up0.json"
"$ZKPOS" verify-user "$T/up0.json" --assets 2 >"$T/vu" 2>&1 && grep -q "^root $root" "$T/vu" ||
    { bad "the stored user proof of account 0 does not verify against the root"; cat "$T/vu" >&2; }
"$ZKPOS" run --workdir "$T/w" --users 12 --assets 2 --batch 4 --workers 2 >"$T/out2" 2>"$T/err2" || bad "rerun failed"
grep -q "keygen skipped" "$T/err2" || bad "rerun did not reuse the key"
grep -q "batch .* proven in" "$T/err2" && bad "rerun proved batches again"
grep -q "final root $root" "$T/out2" || bad "rerun changed the root"
"$ZKPOS" run --workdir "$T/w" --users 12 --assets 2 --batch 3 >"$T/out3" 2>"$T/err3" && bad "rerun with another B accepted"
grep -q "refused: .*other settings" "$T/err3" || bad "no clear refusal for another B"
"$ZKPOS" run --users 3 >/dev/null 2>"$T/err4"; [ $? -eq 2 ] && grep -q -e "--workdir" "$T/err4" || bad "missing --workdir not named"
[ $fail -eq 0 ] && echo "pipeline_run: passed"
exit $fail
