#!/usr/bin/env bash
# CLI test of `zkpos sample` (ctest: sh_cli_sample).
#
# Why: generated balance sheets feed the tree, batch and benchmark tests, so
# they must be in the exact Binance v1 layout, accepted by the reader, and
# contain exactly the rejections they claim. Independent check: a Python
# reading of the files with the decimal module (header 3 + 4N columns,
# v1 number rules, truncation to 10^-8 units, TE >= TD per row) counts the
# rows a v1 reader must reject and the values it must skip; both the
# generator's claims and `zkpos tree` must agree with it. Also: the shape of
# the distribution (few assets for most users, some whales, ~10 % debtors),
# determinism per seed, and usage errors (exit 2, bad flag named).
# Env: ZKPOS (binary).
set -uo pipefail

ZKPOS=${ZKPOS:?}
if ! command -v python3 >/dev/null; then
    echo "python3 is required by this test (independent reading of the CSV files)" >&2
    exit 1
fi
T=$(mktemp -d /tmp/zkpos_sample_XXXXXX)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
check() { if eval "$1"; then ok; else bad "$1"; fi; }
val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

"$ZKPOS" sample --users 2000 --assets 12 --files 4 --seed 11 --out "$T/s" >"$T/gen" 2>"$T/gen_err"
check '[ $? -eq 0 ]'
check '[ "$(ls "$T/s" | wc -l)" -eq 4 ]'
"$ZKPOS" tree --input "$T/s" >"$T/tree" 2>"$T/tree_err"
check '[ $? -eq 0 ]'

python3 - "$T/s" "$T/py" <<'EOF'
import csv, os, re, sys
from decimal import Decimal
d, out = sys.argv[1], sys.argv[2]
num = re.compile(r'^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$')
def units(s):
    if s == '0.0':
        return 0
    if not num.match(s):
        return None
    v = int(Decimal(s) * 100000000)  # int() truncates toward zero
    return v if 0 <= v < 2**64 else None
rows = rejected = skipped = debtors = whales = few = 0
layout_ok = True
for name in sorted(os.listdir(d)):
    with open(os.path.join(d, name), newline='') as f:
        r = list(csv.reader(f))
    head = r[0]
    n = (len(head) - 3) // 4
    syms = [head[4 + 3 * j] for j in range(n)]
    layout_ok &= len(head) == 3 + 4 * n and head[:2] == ['rn', 'id'] and head[-1] == 'total_net_balance_usdt'
    layout_ok &= all(head[2 + 3 * j] == 'e_' + s and head[3 + 3 * j] == 'd_' + s for j, s in enumerate(syms))
    layout_ok &= all(head[2 + 3 * n + j] == s + '_udst_price' for j, s in enumerate(syms))
    prices = [units(x) or 0 for x in r[1][2 + 3 * n: 2 + 4 * n]]
    for row in r[1:]:
        rows += 1
        layout_ok &= len(row) == len(head) and re.fullmatch(r'[0-9a-f]{64}', row[1]) is not None
        te = td = held = 0
        has_debt = False
        for j in range(n):
            e, dd = units(row[2 + 3 * j]), units(row[3 + 3 * j])
            if e is None or dd is None:
                skipped += 1
                continue
            if e or dd:
                held += 1
                # the net column is equity - debt
                layout_ok &= Decimal(row[4 + 3 * j]) == (Decimal(e) - Decimal(dd)) / 100000000
            te += e * prices[j]
            td += dd * prices[j]
            has_debt |= dd > 0
        if td > te:
            rejected += 1
        elif has_debt:
            debtors += 1
        few += held <= 3
        whales += held >= n // 2
with open(out, 'w') as f:
    f.write(f"rows {rows}\nrejected {rejected}\nskipped {skipped}\ndebtors {debtors}\n"
            f"few {few}\nwhales {whales}\nlayout {int(layout_ok)}\n")
EOF
check '[ $? -eq 0 ]'
check '[ "$(val layout "$T/py")" = 1 ]'
check '[ "$(val rows "$T/py")" = 2000 ] && [ "$(val rows "$T/tree")" = 2000 ]'
R=$(val rejected "$T/py")
V=$(val skipped "$T/py")
check '[ "$R" -ge 2 ] && [ "$V" -ge 1 ]'
check '[ "$(val injected-rejected-rows "$T/gen")" = "$R" ]'
check '[ "$(val injected-skipped-values "$T/gen")" = "$V" ]'
check '[ "$(val rejected "$T/tree")" = "$R" ] && [ "$(val skipped-values "$T/tree")" = "$V" ]'
check '[ "$(val accepted "$T/tree")" = $((2000 - R)) ]'
check '[ "$(val bad-prices "$T/tree")" = 0 ] && [ "$(val file-issues "$T/tree")" = 0 ]'
check '[ "$(grep -c "row rejected" "$T/tree_err")" = "$R" ]'
# distribution: ~10 % debtors with non-negative net, most users hold <= 3 assets, a few whales
check '[ "$(val debtors "$T/py")" -ge 100 ] && [ "$(val debtors "$T/py")" -le 400 ]'
check '[ "$(val debtors "$T/py")" = "$(val users-with-debt "$T/gen")" ]'
check '[ "$(val few "$T/py")" -ge 1400 ]'
check '[ "$(val whales "$T/py")" -ge 3 ] && [ "$(val whales "$T/py")" -le 100 ]'

# determinism
"$ZKPOS" sample --users 2000 --assets 12 --files 4 --seed 11 --out "$T/s2" >/dev/null 2>&1
check 'diff -r "$T/s" "$T/s2" >/dev/null'
"$ZKPOS" sample --users 2000 --assets 12 --files 4 --seed 12 --out "$T/s3" >/dev/null 2>&1
check '! diff -r "$T/s" "$T/s3" >/dev/null'

# more files than users, one asset
"$ZKPOS" sample --users 2 --assets 1 --files 5 --out "$T/tiny" >/dev/null 2>&1
check '[ $? -eq 0 ] && [ "$(ls "$T/tiny" | wc -l)" -eq 2 ]'
"$ZKPOS" tree --input "$T/tiny" >"$T/tree2" 2>/dev/null
check '[ $? -eq 0 ] && [ "$(val accepted "$T/tree2")" = 2 ]'

# usage errors: exit 2 and the bad flag or value named
usage_err() { # usage_err EXPECTED-TEXT ARGS...
    local want=$1
    shift
    "$ZKPOS" sample "$@" >/dev/null 2>"$T/uerr"
    local rc=$?
    [ "$rc" -eq 2 ] && grep -q -- "$want" "$T/uerr"
}
u() { if usage_err "$@"; then ok; else bad "usage error: $*"; fi; }
u "'0' for --users" --users 0 --assets 2 --out "$T/u"
u "'351' for --assets" --users 5 --assets 351 --out "$T/u"
u "'x7' for --seed" --users 5 --assets 2 --out "$T/u" --seed x7
u "'0' for --files" --users 5 --assets 2 --out "$T/u" --files 0
u "--out is required" --users 5 --assets 2
u "'--bogus'" --users 5 --assets 2 --out "$T/u" --bogus
u "--users needs a value" --assets 2 --out "$T/u" --users
# --config: settings from a file, flags win, a misspelt setting names file:line
printf 'users = 5\nassets = 2  # comment\nseed = 3\n' >"$T/ok.cfg"
"$ZKPOS" sample --config "$T/ok.cfg" --out "$T/c1" >"$T/c1.out" &&
    "$ZKPOS" sample --users 5 --assets 2 --seed 3 --out "$T/c2" >/dev/null
check 'cmp -s "$T/c1/users_000.csv" "$T/c2/users_000.csv" && grep -qx "rows 5" "$T/c1.out"'
"$ZKPOS" sample --config "$T/ok.cfg" --users 7 --out "$T/c3" >"$T/c3.out"
check 'grep -qx "rows 7" "$T/c3.out"'
printf 'users = 5\nsead = 3\n' >"$T/typo.cfg"
u "typo.cfg:2: unknown setting 'sead'" --config "$T/typo.cfg" --assets 2 --out "$T/u"
"$ZKPOS" sample --help >"$T/help"
check '[ $? -eq 0 ] && grep -q "^usage: zkpos sample" "$T/help"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
