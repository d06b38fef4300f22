#!/usr/bin/env bash
# End-to-end CLI test of the batch proof commands (ctest: sh_cli_batch).
#
# Why: keygen -> witness-batch -> prove-batch -> verify-batch is the path an
# exchange runs per batch; the pieces are unit-tested, this checks that the
# files they exchange fit together and that the commands refuse what they
# must. Tiny configuration (B = 2 users per batch, A = 3 assets, a
# `zkpos sample` sheet of 7 rows with one rejected row), so it runs in
# seconds. Independent check: snarkjs (node_modules/.bin/snarkjs, as
# installed by scripts/install-deps.sh) verifies our proof with our
# verification_key.json and rejects a changed public input; required under
# CI=true, a loud notice otherwise.
# Env: ZKPOS (binary), ZKPOS_SOURCE_DIR.
set -uo pipefail

ZKPOS=${ZKPOS:?}
SRC=${ZKPOS_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SNARKJS=$SRC/node_modules/.bin/snarkjs
if ! command -v python3 >/dev/null; then
    echo "python3 is required by this test (editing proofs and public inputs)" >&2
    exit 1
fi
T=$(mktemp -d /tmp/zkpos_batch_XXXXXX)
trap 'rm -rf "$T"' EXIT
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
        bad "$what: status $rc, wanted $want"
        sed 's/^/  | /' "$T/err" | head -5 >&2
    fi
}
has_err() { if grep -q -- "$2" "$T/err"; then ok; else bad "$1: stderr lacks '$2'"; fi; }
Z=$ZKPOS

expect 0 "sample" "$Z" sample --users 7 --assets 3 --files 2 --seed 3 --out "$T/sheet"
expect 0 "keygen" "$Z" keygen --users 2 --assets 3 --out "$T/key" --threads 2
has_err "keygen progress" "setup"
for f in key.pk key.vk key.vk.json; do
    if [ -s "$T/$f" ]; then ok; else bad "keygen did not write $f"; fi
done
expect 0 "witness-batch" "$Z" witness-batch --input "$T/sheet" --users 2 --assets 3 --out "$T/wit"
accounts=$(awk '$1 == "accounts" { print $2 }' "$T/out")
batches=$(awk '$1 == "batches" { print $2 }' "$T/out")
if [ -n "$accounts" ] && [ "$batches" = $(((accounts + 1) / 2)) ] &&
    [ "$(ls "$T/wit" | wc -l)" = "$batches" ]; then ok; else bad "batch count: $accounts accounts, $batches batches"; fi

# With Binance's table (A = 350) the batches' final root is the account
# tree's root, which `zkpos tree` computes with a separate (dense) tree.
expect 0 "witness-batch A=350" "$Z" witness-batch --input "$T/sheet" --users 2 --assets 350 --out "$T/wit350"
broot=$(awk '$1 == "root" { print $2 }' "$T/out")
"$Z" tree --input "$T/sheet" >"$T/tree" 2>/dev/null
troot=$(awk '$1 == "root" { print $2 }' "$T/tree")
if [ -n "$troot" ] && [ "$broot" = "$troot" ]; then ok; else bad "batch root $broot != tree root $troot"; fi

expect 0 "prove batch 0" "$Z" prove-batch --pk "$T/key.pk" --witness "$T/wit/batch_000000.wit" \
    --out "$T/proof0.json" --public "$T/public0.json" --threads 2
expect 0 "verify batch 0 (vk)" "$Z" verify-batch --vk "$T/key.vk" --proof "$T/proof0.json" --public "$T/public0.json"
expect 0 "verify batch 0 (vk.json)" "$Z" verify-batch --vk "$T/key.vk.json" --proof "$T/proof0.json" \
    --public "$T/public0.json"
last=$(printf 'batch_%06d.wit' $((batches - 1)))
expect 0 "prove last batch (default public path)" "$Z" prove-batch --pk "$T/key.pk" --witness "$T/wit/$last" \
    --out "$T/proofL.json"
expect 0 "verify last batch" "$Z" verify-batch --vk "$T/key.vk" --proof "$T/proofL.json" --public "$T/proofL.public.json"
if ! cmp -s "$T/public0.json" "$T/proofL.public.json"; then ok; else bad "two batches with one commitment"; fi

# rejections: other batch's public input, public input + 1, tampered proofs
expect 1 "proof 0 with the last batch's public input" "$Z" verify-batch --vk "$T/key.vk" --proof "$T/proof0.json" \
    --public "$T/proofL.public.json"
has_err "wrong public" "INVALID"
python3 - "$T" <<'EOF'
import json, sys
t = sys.argv[1]
p = json.load(open(t + '/proof0.json'))
pub = json.load(open(t + '/public0.json'))
json.dump([str(int(pub[0]) + 1)], open(t + '/public_plus1.json', 'w'))
q = dict(p); q['pi_a'], q['pi_c'] = p['pi_c'], p['pi_a']  # valid points, wrong proof
json.dump(q, open(t + '/proof_swapped.json', 'w'))
q = dict(p); q['pi_a'] = [str(int(p['pi_a'][0]) + 1)] + p['pi_a'][1:]  # off the curve
json.dump(q, open(t + '/proof_offcurve.json', 'w'))
EOF
expect 1 "public input + 1" "$Z" verify-batch --vk "$T/key.vk" --proof "$T/proof0.json" --public "$T/public_plus1.json"
expect 1 "swapped A and C" "$Z" verify-batch --vk "$T/key.vk" --proof "$T/proof_swapped.json" --public "$T/public0.json"
has_err "swapped" "INVALID"
expect 1 "A off the curve" "$Z" verify-batch --vk "$T/key.vk.json" --proof "$T/proof_offcurve.json" \
    --public "$T/public0.json"

# prove-batch refuses a witness of another circuit size and a corrupted file
expect 0 "witness-batch A=4" "$Z" witness-batch --input "$T/sheet" --users 2 --assets 4 --out "$T/wit4"
expect 1 "witness of A=4 against the A=3 key" "$Z" prove-batch --pk "$T/key.pk" --witness "$T/wit4/batch_000000.wit" \
    --out "$T/p.json"
has_err "size mismatch" "does not fit the key"
python3 -c "
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); b[len(b) // 2] ^= 1
open(sys.argv[2], 'wb').write(b)" "$T/wit/batch_000000.wit" "$T/bad.wit"
expect 1 "corrupted witness" "$Z" prove-batch --pk "$T/key.pk" --witness "$T/bad.wit" --out "$T/p.json"
has_err "corrupted witness" "not a batch witness file"
if [ ! -e "$T/p.json" ]; then ok; else bad "a refused prove-batch wrote a proof"; fi
# A well-formed witness file that does not satisfy the circuit: the batch
# commitment changed by one (layout and checksum as documented in
# src/solvency/batch_codec.c; the model is first checked on the original).
python3 - "$T/wit/batch_000000.wit" "$T/unsat.wit" <<'EOF'
import struct, sys
M = (1 << 64) - 1
def checksum(body):
    h, n = 0x5a4b4257 ^ 0x6a09e667f3bcc908, 0
    def word(h, w):
        h = ((h ^ w) * 0x9e3779b97f4a7c15) & M
        return h ^ (h >> 29)
    i = 0
    while len(body) - i >= 8:
        h = word(h, struct.unpack_from('<Q', body, i)[0]); i += 8; n += 1
    if len(body) > i:
        h = word(h, int.from_bytes(body[i:], 'little') ^ ((len(body) - i) << 56)); n += 1
    h ^= n
    for mul in (0xff51afd7ed558ccd, 0xc4ceb9fe1a85ec53):
        h ^= h >> 33; h = (h * mul) & M
    return h ^ (h >> 33)
b = bytearray(open(sys.argv[1], 'rb').read())
if b[:4] != b'ZKBW' or struct.unpack('<Q', b[-8:])[0] != checksum(bytes(b[:-8])):
    sys.exit('witness layout/checksum model out of date')
o = 8
for _ in range(4):  # uv number, B, A, total asset entries
    while b[o] & 0x80: o += 1
    o += 1
b[o + 4 * 32 + 31] ^= 1  # batch commitment (5th field element, big-endian)
b[-8:] = struct.pack('<Q', checksum(bytes(b[:-8])))
open(sys.argv[2], 'wb').write(b)
EOF
if [ $? -eq 0 ]; then ok; else bad "could not build the unsatisfied witness"; fi
expect 1 "unsatisfied witness" "$Z" prove-batch --pk "$T/key.pk" --witness "$T/unsat.wit" --out "$T/p.json"
has_err "unsatisfied witness" "refused: the witness of batch 0 violates"
if [ ! -e "$T/p.json" ]; then ok; else bad "a refused prove-batch wrote a proof"; fi

# usage errors name the flag or value
expect 2 "keygen --users 0" "$Z" keygen --users 0 --assets 3 --out "$T/k"
has_err "keygen --users 0" "'0' for --users"
expect 2 "keygen --assets 351" "$Z" keygen --users 2 --assets 351 --out "$T/k"
has_err "keygen --assets 351" "'351' for --assets"
expect 2 "keygen without --out" "$Z" keygen --users 2 --assets 3
has_err "keygen without --out" "--out PREFIX is required"
expect 2 "prove-batch --threads x" "$Z" prove-batch --pk a --witness b --out c --threads x
has_err "prove-batch --threads x" "'x' for --threads"
expect 2 "verify-batch without --proof" "$Z" verify-batch --vk a --public b
has_err "verify-batch without --proof" "--proof FILE is required"
expect 2 "witness-batch unknown flag" "$Z" witness-batch --input a --users 2 --assets 3 --out b --bogus
has_err "witness-batch unknown flag" "'--bogus'"
expect 1 "verify-batch missing key file" "$Z" verify-batch --vk "$T/none.vk" --proof "$T/proof0.json" \
    --public "$T/public0.json"
for c in keygen witness-batch prove-batch verify-batch; do
    expect 0 "$c --help" "$Z" "$c" --help
    if grep -q "^usage: zkpos $c" "$T/out"; then ok; else bad "$c --help"; fi
done

# independent verifier: snarkjs
if [ -x "$SNARKJS" ]; then
    expect 0 "snarkjs verifies our batch proof" "$SNARKJS" groth16 verify "$T/key.vk.json" "$T/public0.json" \
        "$T/proof0.json"
    expect 0 "snarkjs verifies the last batch" "$SNARKJS" groth16 verify "$T/key.vk.json" "$T/proofL.public.json" \
        "$T/proofL.json"
    if ! "$SNARKJS" groth16 verify "$T/key.vk.json" "$T/public_plus1.json" "$T/proof0.json" >/dev/null 2>&1; then ok
    else bad "snarkjs accepted a changed public input"; fi
elif [ "${CI:-}" = "true" ]; then
    bad "snarkjs not installed ($SNARKJS); run scripts/install-deps.sh"
else
    echo "cli_batch: NOTICE: snarkjs missing ($SNARKJS): independent verification NOT RUN" >&2
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
