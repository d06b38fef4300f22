#!/usr/bin/env bash
# Groth16 interoperability with snarkjs 0.7.6 (ctest: sh_groth16_snarkjs).
#
# Why: our keys, proofs and iden3 files are only useful if snarkjs, the
# independent reference, accepts them. test_groth16 --export DIR writes:
#   fixture_proof.json / fixture_public.json: our prover on snarkjs's zkey;
#   NAME.r1cs, NAME.wtns, NAME.zkey, NAME_vk.json, NAME_proof.json,
#   NAME_public.json, NAME_counts.txt: circuits built with our r1cs layer,
#   keys from our setup (NAME = chain, range, tiny).
# Checks: snarkjs groth16 verify accepts our proofs; r1cs info reports our
# counts; wtns check accepts our witness; snarkjs's verification key export
# of our .zkey equals our vk JSON byte for byte; snarkjs proves with our
# .zkey and both snarkjs and our verifier accept that proof.
# The CLI (zkpos groth16-prove / groth16-verify, snarkjs's commands on
# snarkjs files): its proof from the fixture .zkey/.wtns passes snarkjs
# verify and its public.json equals the fixture's; groth16-verify accepts
# the fixture proof, rejects proof_bad.json; a truncated .zkey is refused
# with a message naming the file; groth16-import converts the .zkey to our
# key file, which proves the same statement.
# Needs node_modules (scripts/install-deps.sh): missing => failure under
# CI=true, a loud notice otherwise.
set -uo pipefail

SRC=${ZKPOS_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BIN=${ZKPOS_BINARY_DIR:-$SRC/build}
VEC=${ZKPOS_VECTORS:-$SRC/../shared/vectors}
SNARKJS=$SRC/node_modules/.bin/snarkjs
T=$BIN/test_groth16
Z=${ZKPOS:-$BIN/zkpos}

if [ ! -x "$SNARKJS" ] || ! command -v node > /dev/null; then
    if [ "${CI:-}" = "true" ]; then
        echo "groth16_snarkjs: FAILED: snarkjs not installed ($SNARKJS); run scripts/install-deps.sh" >&2
        exit 1
    fi
    echo "groth16_snarkjs: NOT RUN: snarkjs missing ($SNARKJS); run scripts/install-deps.sh" >&2
    exit 0
fi
for p in "$T" "$Z"; do
    if [ ! -x "$p" ]; then
        echo "groth16_snarkjs: FAILED: $p not built" >&2
        exit 1
    fi
done

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@" > "$TMP/out" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "groth16_snarkjs: FAILED: $what" >&2
        tail -n 20 "$TMP/out" >&2
    fi
}
sj() { (cd "$TMP" && timeout 300 "$SNARKJS" "$@"); }

check "export files" env ZKPOS_VECTORS="$VEC" "$T" --export "$TMP"

# our prover on snarkjs's zkey, verified by snarkjs with the fixture vk
check "snarkjs verifies our proof from circuit_final.zkey" \
    sj groth16 verify "$VEC/groth16-snarkjs/verification_key.json" "$TMP/fixture_public.json" "$TMP/fixture_proof.json"
# and snarkjs rejects the fixture's bad proof (sanity of the harness)
check "snarkjs rejects proof_bad.json" bash -c "! '$SNARKJS' groth16 verify '$VEC/groth16-snarkjs/verification_key.json' '$VEC/groth16-snarkjs/public.json' '$VEC/groth16-snarkjs/proof_bad.json'"

# the CLI on the fixture files
G=$VEC/groth16-snarkjs
check "zkpos groth16-prove on circuit_final.zkey" \
    "$Z" groth16-prove "$G/circuit_final.zkey" "$G/witness.wtns" "$TMP/cli_proof.json" "$TMP/cli_public.json" --threads 2
check "snarkjs verifies zkpos groth16-prove's proof" \
    sj groth16 verify "$G/verification_key.json" "$TMP/cli_public.json" "$TMP/cli_proof.json"
check "groth16-prove's public.json equals the fixture's" cmp "$TMP/cli_public.json" "$G/public.json"
check "zkpos groth16-verify accepts proof.json" "$Z" groth16-verify "$G/verification_key.json" "$G/public.json" "$G/proof.json"
fails() { # fails STATUS PATTERN CMD...: CMD exits with STATUS and its stderr matches PATTERN
    local want=$1 pat=$2 rc
    shift 2
    "$@" > /dev/null 2> "$TMP/err"
    rc=$?
    cat "$TMP/err"
    [ "$rc" -eq "$want" ] && grep -q -- "$pat" "$TMP/err"
}
check "zkpos groth16-verify rejects proof_bad.json" \
    fails 1 "INVALID: .*proof_bad.json" "$Z" groth16-verify "$G/verification_key.json" "$G/public.json" "$G/proof_bad.json"
head -c $(($(stat -c %s "$G/circuit_final.zkey") - 100)) "$G/circuit_final.zkey" > "$TMP/cut.zkey"
check "groth16-prove refuses a truncated .zkey, naming it" \
    fails 1 "cut.zkey.*truncated" "$Z" groth16-prove "$TMP/cut.zkey" "$G/witness.wtns" "$TMP/x.json" "$TMP/y.json"
# a .zkey imported once into our mapped key format proves the same statement
check "zkpos groth16-import circuit_final.zkey" "$Z" groth16-import "$G/circuit_final.zkey" "$TMP/imported.pk"
check "groth16-prove with the imported key" \
    "$Z" groth16-prove "$TMP/imported.pk" "$G/witness.wtns" "$TMP/imp_proof.json" "$TMP/imp_public.json"
check "snarkjs verifies the proof from the imported key" \
    sj groth16 verify "$G/verification_key.json" "$TMP/imp_public.json" "$TMP/imp_proof.json"
check "groth16-import refuses a truncated .zkey and writes nothing" \
    bash -c "! '$Z' groth16-import '$TMP/cut.zkey' '$TMP/cut.pk' 2>/dev/null && ! ls '$TMP'/cut.pk* 2>/dev/null"

for c in chain range tiny; do
    read -r nvars ncons npub < "$TMP/${c}_counts.txt"
    check "$c: snarkjs verifies our proof" sj groth16 verify "${c}_vk.json" "${c}_public.json" "${c}_proof.json"
    check "$c: r1cs info counts" bash -c "cd '$TMP' && '$SNARKJS' r1cs info $c.r1cs > info.txt 2>&1 &&
        grep -q '# of Wires: $nvars\$' info.txt && grep -q '# of Constraints: $ncons\$' info.txt &&
        grep -q '# of Public Inputs: $npub\$' info.txt"
    check "$c: wtns check" bash -c "cd '$TMP' && '$SNARKJS' wtns check $c.r1cs $c.wtns 2>&1 | grep -q 'WITNESS IS CORRECT'"
    check "$c: snarkjs vk export of our zkey equals our vk json" bash -c \
        "cd '$TMP' && '$SNARKJS' zkey export verificationkey $c.zkey ${c}_sjvk.json > /dev/null && cmp ${c}_sjvk.json ${c}_vk.json"
    check "$c: snarkjs proves with our zkey" sj groth16 prove "$c.zkey" "$c.wtns" "${c}_sjproof.json" "${c}_sjpublic.json"
    check "$c: snarkjs public.json equals ours" cmp "$TMP/${c}_sjpublic.json" "$TMP/${c}_public.json"
    check "$c: snarkjs verifies its proof with our vk" sj groth16 verify "${c}_vk.json" "${c}_sjpublic.json" "${c}_sjproof.json"
    check "$c: our verifier accepts snarkjs's proof" "$T" --verify "$TMP/${c}_vk.json" "$TMP/${c}_sjpublic.json" "$TMP/${c}_sjproof.json"
done

echo "groth16_snarkjs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
