#!/usr/bin/env bash
# CLI test of `zkpos circuit-info` (ctest: sh_circuit_info).
#
# Independent data: the constraint count of the batch circuit recomputed in
# Python from the statement (spec §7) and the Poseidon partial-round table
# of spec §2.1 (an x^5 S-box is 3 constraints; a width-t permutation has
# 8t + RP(t) S-boxes; the first permutation of a hash has the constant 0 in
# word 0), with the documented gadget costs of r1cs.h for the full-width
# comparison (1074) and a Merkle level (swap + permutation); the largest
# users per batch that fit the Groth16 domain. Also: argument errors exit
# with status 2.
# Env: ZKPOS (binary).
set -uo pipefail

ZKPOS=${ZKPOS:?}
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

expected() { # B A -> "per_user total"
    python3 - "$1" "$2" <<'EOF'
import sys
B, A = int(sys.argv[1]), int(sys.argv[2])
RP = {2: 56, 3: 57, 4: 56, 5: 60, 6: 60, 7: 63, 8: 64, 9: 63, 10: 60, 11: 66, 12: 60,
      13: 65, 14: 70, 15: 60, 16: 64, 17: 68}
perm = lambda t: 3 * (8 * t + RP[t])
def h(n):  # chunk-16 hash of n non-constant inputs
    c, first = 0, True
    while n >= 16:
        c += perm(17) - (3 if first else 0); first = False; n -= 16
    if n:
        c += perm(n + 1) - (3 if first else 0)
    return c
level = 1 + perm(3) - 3          # swap + [0, l, r]
path = 28 * level + 1            # + equality with the root variable
user = (1 + 28 + 2 * path        # chain, index bits, both paths
        + 2 * A * 64             # amounts: 64 booleans each, no recomposition
        + 2 * A                  # amount x price
        + 1074                   # TD <= TE, full width
        + h((2 * A + 2) // 3)    # asset commitment
        + h(4))                  # leaf
total = (h(4) + 1                # batch commitment
         + 3 * A * 65 + h(A) + 1 # CEX entries < 2^64, before commitment
         + B * user + 1          # ops, final chain link
         + 2 * A * 65 + h(A) + 1)  # running totals < 2^64, after commitment
print(user, total)
EOF
}

for shape in "4 4" "3 17" "2 350" "1 1"; do
    set -- $shape
    out=$("$ZKPOS" circuit-info --users "$1" --assets "$2") || { bad "circuit-info $shape failed"; continue; }
    read -r want_user want_total <<<"$(expected "$1" "$2")"
    got_user=$(awk '/^  total/ {print $2}' <<<"$out")
    got_total=$(awk '/^total/ {print $2}' <<<"$out")
    if [ "$got_user" = "$want_user" ] && [ "$got_total" = "$want_total" ]; then ok; else
        bad "B=$1 A=$2: per user $got_user (want $want_user), total $got_total (want $want_total)"
    fi
    grep -q '^public inputs  1 ' <<<"$out" && ok || bad "B=$1 A=$2: public input count"
    # per-part lines of the batch sum to the total
    parts=$(awk '$1 ~ /^(batch_commitment|cex_before|user|cex_after)$/ {s += $2} /^final chain link/ {s += $4} END {print s}' <<<"$out")
    [ "$parts" = "$want_total" ] && ok || bad "B=$1 A=$2: parts sum to $parts"
done

# Domain fit: the largest B whose circuit fits the reported 2^k domain and
# the next smaller one, recomputed from the Python counts above (the domain
# holds constraints + public inputs + 1 rows), and confirmed by asking
# circuit-info about B and B + 1 at the boundary.
domain_of() { awk '/^Groth16 domain/ {sub(/^2\^/, "", $3); print $3}'; }
max_b() { # A k -> largest B with total(B) + 2 <= 2^k
    local lo=0 hi=4096 mid t
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        read -r _ t <<<"$(expected "$mid" "$1")"
        if [ $((t + 2)) -le $((1 << $2)) ]; then lo=$mid; else hi=$mid; fi
    done
    echo $lo
}
out=$("$ZKPOS" circuit-info --users 64 --assets 20)
k=$(domain_of <<<"$out")
fit=$(sed -n 's/.*(B <= \([0-9]*\) fits 2^'"$k"'.*/\1/p' <<<"$out")
below=$(sed -n 's/.*; B <= \([0-9]*\) fits 2^'"$((k - 1))"'.*/\1/p' <<<"$out")
want_fit=$(max_b 20 "$k")
want_below=$(max_b 20 $((k - 1)))
[ "$k" = 21 ] && [ "$fit" = "$want_fit" ] && [ "$below" = "$want_below" ] && ok ||
    bad "B=64 A=20: domain 2^$k, fits $fit / $below (want 2^21, $want_fit / $want_below)"
[ "$("$ZKPOS" circuit-info --users "$want_below" --assets 20 | domain_of)" = 20 ] &&
    [ "$("$ZKPOS" circuit-info --users $((want_below + 1)) --assets 20 | domain_of)" = 21 ] && ok ||
    bad "B=$want_below / $((want_below + 1)) at A=20 should need 2^20 / 2^21"

for args in "--assets 351" "--assets 0" "--users 0" "--users x" "--bogus"; do
    # shellcheck disable=SC2086
    "$ZKPOS" circuit-info $args >/dev/null 2>&1
    rc=$?
    [ $rc -eq 2 ] && ok || bad "circuit-info $args: exit $rc (want 2)"
done
"$ZKPOS" circuit-info --help | grep -q 'usage: zkpos circuit-info' && ok || bad "--help"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
