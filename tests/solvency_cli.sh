#!/usr/bin/env bash
# CLI test of the balance-sheet commands (ctest: sh_solvency_cli).
#
# Independent data: the v1 worked example of vectors.json (root, user-proof
# JSON bytes, leaf) and, for Binance's shipped sample files, a Python
# computation with the decimal module of every account's id mod r, totals
# and non-empty assets, compared with what `zkpos userproof --jsonl` writes.
# Also: rejected rows reported as FILE:LINE:COLUMN, strict mode, tree files,
# verify-user on good and tampered proofs.
# Env: ZKPOS (binary), ZKPOS_VECTORS.
set -uo pipefail

ZKPOS=${ZKPOS:?}
VEC=${ZKPOS_VECTORS:?}/binance
if ! command -v python3 >/dev/null; then
    echo "python3 is required by this test (independent computation of the sample totals)" >&2
    exit 1
fi
T=$(mktemp -d /tmp/zkpos_cli_XXXXXX)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
check() { if eval "$1"; then ok; else bad "$1"; fi; }

# --- worked example -------------------------------------------------------
mkdir -p "$T/ex"
python3 - "$VEC/vectors.json" "$T" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))['v1_worked_example']
d = sys.argv[2]
open(d + '/ex/example.csv', 'w', newline='').write(v['csv'])
open(d + '/expected2.json', 'w').write(v['userproof_config_json_index2'])
open(d + '/root', 'w').write(v['account_tree_root'])
open(d + '/leaf2', 'w').write(v['accounts'][2]['leaf'])
EOF
ROOT=$(cat "$T/root")

for c in tree userproof verify-user; do
    check "'$ZKPOS' $c --help | grep -q usage"
done

"$ZKPOS" tree --input "$T/ex" --out "$T/ex.tree" >"$T/tree.out" 2>"$T/tree.err"
check "[ \$? -eq 0 ]"
check "grep -qx 'root $ROOT' '$T/tree.out'"
check "grep -qx 'accepted 5' '$T/tree.out' && grep -qx 'rejected 0' '$T/tree.out' && grep -qx 'assets 4' '$T/tree.out'"
check "[ ! -s '$T/tree.err' ] && [ -s '$T/ex.tree' ]"

"$ZKPOS" userproof --input "$T/ex" --out "$T/proofs" >/dev/null
check "[ \$? -eq 0 ]"
check "cmp -s '$T/proofs/2.json' '$T/expected2.json'"
check "[ \$(ls -A '$T/proofs' | wc -l) -eq 5 ] && ! ls -A '$T/proofs' | grep -q tmp"
"$ZKPOS" userproof --input "$T/ex" --jsonl "$T/all.jsonl" --tree "$T/ex.tree" >/dev/null
check "[ \$? -eq 0 ]"
check "sed -n 3p '$T/all.jsonl' | cmp -s - <(cat '$T/expected2.json'; echo)"
check "[ \$(wc -l < '$T/all.jsonl') -eq 5 ]"

"$ZKPOS" verify-user "$T/proofs/2.json" >"$T/v.out" 2>"$T/v.err"
check "[ \$? -eq 0 ]"
check "grep -qx \"leaf \$(cat '$T/leaf2')\" '$T/v.out' && grep -qx 'root $ROOT' '$T/v.out'"
sed 's/"TotalEquity":3000012345678/"TotalEquity":3000012345679/' "$T/proofs/2.json" >"$T/tampered.json"
check "! cmp -s '$T/tampered.json' '$T/proofs/2.json'"
"$ZKPOS" verify-user "$T/tampered.json" >"$T/v.out" 2>"$T/v.err"
check "[ \$? -eq 1 ] && grep -q 'root mismatch' '$T/v.err'"
printf '{\n "AccountIndex": 2,\n "Root" 1}\n' >"$T/broken.json"
"$ZKPOS" verify-user "$T/broken.json" >/dev/null 2>"$T/v.err"
check "[ \$? -eq 1 ] && grep -q 'line 3 column' '$T/v.err'"
"$ZKPOS" verify-user "$T/missing.json" >/dev/null 2>&1
check "[ \$? -eq 1 ]"
"$ZKPOS" verify-user >/dev/null 2>&1
check "[ \$? -eq 2 ]"

# --- Binance's sample files: counts and totals against Python ---------------
S=$VEC/sample-v1
"$ZKPOS" tree --input "$S" --threads 2 >"$T/s.out" 2>"$T/s.err"
check "[ \$? -eq 0 ] && [ ! -s '$T/s.err' ]"
check "grep -qx 'assets 316' '$T/s.out' && grep -qx 'accepted 200' '$T/s.out' && grep -qx 'rejected 0' '$T/s.out'"
check "grep -qE '^root [0-9a-f]{64}$' '$T/s.out'"
"$ZKPOS" userproof --input "$S" --jsonl "$T/s.jsonl" >/dev/null
check "[ \$? -eq 0 ]"
python3 - "$S" "$T/s.jsonl" "$(grep '^root' "$T/s.out" | cut -d' ' -f2)" <<'EOF'
import csv, json, os, sys
from decimal import Decimal
P = 21888242871839275222246405745257275088548364400416034343698204186575808495617
def conv(s, scale):
    # v1: exact decimal, x 10^scale, truncated toward zero, must fit in [0, 2^64)
    v = int(Decimal(s).scaleb(scale))
    if not 0 <= v < 2**64: raise ValueError(s)
    return v
want = []
for name in sorted(f for f in os.listdir(sys.argv[1]) if '.csv' in f):
    rows = list(csv.reader(open(os.path.join(sys.argv[1], name), newline='')))
    n = (len(rows[0]) - 3) // 4
    prices = [conv(rows[1][2 + 3 * n + j], 8) for j in range(n)]
    for r in rows[1:]:
        te = td = 0
        assets = []
        for j in range(n):
            e, d = conv(r[2 + 3 * j], 8), conv(r[3 + 3 * j], 8)
            if e or d:
                assets.append({'Index': j, 'Equity': e, 'Debt': d})
                te += e * prices[j]; td += d * prices[j]
        if te >= td:
            want.append({'AccountIdHash': '%064x' % (int(r[1], 16) % P), 'TotalEquity': te,
                         'TotalDebt': td, 'Assets': assets})
got = [json.loads(l) for l in open(sys.argv[2])]
assert len(got) == len(want) == 200, (len(got), len(want))
for i, (g, w) in enumerate(zip(got, want)):
    assert g['AccountIndex'] == i
    for k in w: assert g[k] == w[k], (i, k, g[k], w[k])
    assert g['Root'] == sys.argv[3] and len(g['Proof']) == 28
print('sample: 200 accounts agree')
EOF
check "[ \$? -eq 0 ]"
sed -n 117p "$T/s.jsonl" >"$T/s117.json"
check "'$ZKPOS' verify-user '$T/s117.json' | grep -q 'verify ok'"

# --- rejected rows are reported with line and column ------------------------
mkdir -p "$T/badin"
python3 - "$S/sample_users0.csv" "$T/badin/sample_users0.csv" "$T/expect_err" <<'EOF'
import sys
lines = open(sys.argv[1], newline='').read().split('\n')
def col(line, idx):  # 1-based byte column of field idx
    return sum(len(f) + 1 for f in line.split(',')[:idx]) + 1
exp = []
f = lines[4].split(','); f[1] = 'xyz'; lines[4] = ','.join(f)                    # file line 5: bad id
exp.append('%s:5:%d: id "xyz" is not 64 hex digits; row rejected' % (sys.argv[2], col(lines[4], 1)))
f = lines[9].split(','); f[2 + 3 * 7] = 'abc'; lines[9] = ','.join(f)           # line 10: bad equity
exp.append('%s:10:%d: e_' % (sys.argv[2], col(lines[9], 2 + 3 * 7)))
lines[19] = ','.join(lines[19].split(',')[:600])                                # line 20: missing columns
exp.append('%s:20:%d: record has 600 fields, the header has 1267; row rejected' % (sys.argv[2], col(lines[19], 599)))
f = lines[29].split(','); f[3] = '1000000'; lines[29] = ','.join(f)             # line 30: debt > equity
exp.append('%s:30:1: total debt ' % sys.argv[2])
open(sys.argv[2], 'w', newline='').write('\n'.join(lines))
open(sys.argv[3], 'w').write('\n'.join(exp) + '\n')
EOF
cp "$S/sample_users1.csv" "$T/badin/"
"$ZKPOS" tree --input "$T/badin" >"$T/b.out" 2>"$T/b.err"
check "[ \$? -eq 0 ]"
check "grep -qx 'accepted 197' '$T/b.out' && grep -qx 'rejected 3' '$T/b.out' && grep -qx 'skipped-values 1' '$T/b.out'"
check "[ \$(wc -l < '$T/b.err') -eq 4 ]"
i=0
while IFS= read -r want; do
    i=$((i + 1))
    got=$(sed -n "${i}p" "$T/b.err")
    if [[ "$got" == "$want"* ]]; then ok; else bad "issue $i: '$got' does not start with '$want'"; fi
done <"$T/expect_err"
"$ZKPOS" tree --input "$T/badin" --strict >/dev/null 2>"$T/b.err"
check "[ \$? -eq 1 ] && grep -q 'strict mode' '$T/b.err'"
"$ZKPOS" userproof --input "$T/badin" --out "$T/badproofs" --strict >/dev/null 2>&1
check "[ \$? -eq 1 ] && [ ! -e '$T/badproofs' ]"
# a tree file of other input is refused
"$ZKPOS" userproof --input "$S" --out "$T/x" --tree "$T/ex.tree" >/dev/null 2>"$T/x.err"
check "[ \$? -eq 1 ] && grep -q 'different input' '$T/x.err'"
# bad header: file:line:column message, non-zero exit
mkdir -p "$T/hdr" && printf 'rn,id,e_btc,d_btc\n1,2,3,4\n' >"$T/hdr/h.csv"
"$ZKPOS" tree --input "$T/hdr" >/dev/null 2>"$T/h.err"
check "[ \$? -eq 1 ] && grep -q '^$T/hdr/h.csv:1:1: header has 4 columns' '$T/h.err'"
"$ZKPOS" tree --input "$T/nonexistent" >/dev/null 2>&1
check "[ \$? -eq 1 ]"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
