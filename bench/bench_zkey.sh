#!/usr/bin/env bash
# Groth16 proving on the same snarkjs .zkey and .wtns: zkpos groth16-prove
# versus snarkjs groth16 prove (issue 4: "report the figures with the same
# .zkey and .wtns given to snarkjs").
#
# Why this way: bench_groth16 times our prover on our own key format; here
# both provers read identical iden3 files, so the figures compare like with
# like (our time includes parsing the .zkey, as snarkjs's does). The files are
# a 2^k multiplication chain (tests/mult_chain.h) set up by our setup and
# exported by `bench_groth16 --export`; every proof is checked with
# `snarkjs groth16 verify` against snarkjs's own export of the verification
# key, so a fast but wrong prover cannot pass. Each .zkey is also imported
# once (`zkpos groth16-import`) into our mapped key format and proven from
# that, the way an exchange would use a .zkey from a snarkjs ceremony.
#
# Usage: bench/bench_zkey.sh [--dir D] [--build B] [--threads N] [--reps R]
#                            [--snarkjs-max K] [--reuse] [K ...]
#   K: log2 sizes (default 16 18 20); --dir: where the files go (default
#   /work/bigdata/zkey; a 2^20 .zkey is ~0.7 GiB); --build: build directory
#   holding zkpos and bench_groth16 (default $ZKPOS_BINARY_DIR or ./build);
#   --threads: our prover's threads (default 2; snarkjs uses all CPUs);
#   --reps: runs of our prover per size (each printed, then the best);
#   --snarkjs-max: run snarkjs only for K <= this (default 16: snarkjs
#   takes ~180 s at 2^20); --reuse: keep existing chain_K files.
# Output: one line per measurement (wall time and peak RSS from
# /usr/bin/time -v, our prove phase alone from zkpos's own report).
set -uo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${ZKPOS_BINARY_DIR:-$SRC/build}
DIR=/work/bigdata/zkey
THREADS=2
REPS=2
SJMAX=16
REUSE=0
SIZES=()
while [ $# -gt 0 ]; do
    case $1 in
    --dir) DIR=$2; shift 2 ;;
    --build) BIN=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --snarkjs-max) SJMAX=$2; shift 2 ;;
    --reuse) REUSE=1; shift ;;
    -h | --help) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) SIZES+=("$1"); shift ;;
    *) echo "bench_zkey: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[ ${#SIZES[@]} -eq 0 ] && SIZES=(16 18 20)
ZKPOS=$BIN/zkpos
BENCH=$BIN/bench_groth16
SNARKJS=$SRC/node_modules/.bin/snarkjs
for f in "$ZKPOS" "$BENCH" "$SNARKJS" /usr/bin/time; do
    [ -x "$f" ] || { echo "bench_zkey: $f missing (build, or scripts/install-deps.sh)" >&2; exit 1; }
done
mkdir -p "$DIR" || exit 1

# timed LOG CMD...: runs CMD under /usr/bin/time -v (stdout+stderr to LOG)
# and sets WALL (s) and RSS (MiB)
timed() {
    local log=$1
    shift
    /usr/bin/time -v -o "$log.time" "$@" > "$log" 2>&1 || { cat "$log" "$log.time" >&2; return 1; }
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$log.time")
    RSS=$(awk '/Maximum resident set size/ { printf "%.0f", $NF / 1024 }' "$log.time")
}
sjverify() { # sjverify K PROOF PUBLIC: snarkjs accepts? (snarkjs takes vk, public, proof)
    local o
    o=$("$SNARKJS" groth16 verify "$DIR/chain_${1}_vk.json" "$3" "$2" 2>&1) && [[ $o == *OK!* ]]
}
mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f", b / 1048576 }'; }

status=0
for k in "${SIZES[@]}"; do
    zkey=$DIR/chain_$k.zkey
    wtns=$DIR/chain_$k.wtns
    if [ "$REUSE" = 0 ] || [ ! -s "$zkey" ] || [ ! -s "$wtns" ]; then
        "$BENCH" --log "$k" --threads "$THREADS" --export "$DIR" || { status=1; continue; }
    fi
    "$SNARKJS" zkey export verificationkey "$zkey" "$DIR/chain_${k}_vk.json" > /dev/null 2>&1 ||
        { echo "bench_zkey: snarkjs cannot export the vk of $zkey" >&2; status=1; continue; }
    zsize=$(mib "$zkey")
    best=
    for r in $(seq 1 "$REPS"); do
        out=$DIR/zkpos_${k}
        timed "$out.log" "$ZKPOS" groth16-prove "$zkey" "$wtns" "${out}_proof.json" "${out}_public.json" \
            --threads "$THREADS" || { status=1; continue; }
        prove=$(awk '$1 == "prove-s" { print $2 }' "$out.log")
        load=$(awk '$1 == "zkey-load-s" { print $2 }' "$out.log")
        ok=verified
        sjverify "$k" "${out}_proof.json" "${out}_public.json" || { ok="REJECTED by snarkjs"; status=1; }
        echo "zkey prove zkpos   2^$k: run $r: total $WALL s (zkey read $load s, prove $prove s), peak RSS $RSS MiB, zkey $zsize MiB, $ok, threads $THREADS"
        if [ -z "$best" ] || awk -v a="$WALL" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$WALL bprove=$prove brss=$RSS
        fi
    done
    [ -n "$best" ] && echo "zkey prove zkpos   2^$k: best total $best s (prove $bprove s), peak RSS $brss MiB, zkey $zsize MiB, threads $THREADS"
    # the same .zkey imported once into our mapped key format, then proven
    pk=$DIR/chain_$k.pk
    if timed "$DIR/import_$k.log" "$ZKPOS" groth16-import "$zkey" "$pk" --threads "$THREADS"; then
        echo "zkey import zkpos  2^$k: $WALL s, peak RSS $RSS MiB, key file $(mib "$pk") MiB"
        out=$DIR/zkposimp_${k}
        for r in $(seq 1 "$REPS"); do
            timed "$out.log" "$ZKPOS" groth16-prove "$pk" "$wtns" "${out}_proof.json" "${out}_public.json" \
                --threads "$THREADS" || { status=1; continue; }
            prove=$(awk '$1 == "prove-s" { print $2 }' "$out.log")
            ok=verified
            sjverify "$k" "${out}_proof.json" "${out}_public.json" || { ok="REJECTED by snarkjs"; status=1; }
            echo "zkey prove zkpos imported key 2^$k: run $r: total $WALL s (prove $prove s), peak RSS $RSS MiB, zkey $zsize MiB, $ok, threads $THREADS"
        done
    else
        status=1
    fi
    if [ "$k" -le "$SJMAX" ]; then
        out=$DIR/snarkjs_${k}
        if timed "$out.log" "$SNARKJS" groth16 prove "$zkey" "$wtns" "${out}_proof.json" "${out}_public.json"; then
            ok=verified
            sjverify "$k" "${out}_proof.json" "${out}_public.json" || { ok="REJECTED by snarkjs"; status=1; }
            cmp -s "${out}_public.json" "$DIR/zkpos_${k}_public.json" || { ok="$ok, public.json DIFFERS from ours"; status=1; }
            echo "zkey prove snarkjs 2^$k: total $WALL s, peak RSS $RSS MiB, zkey $zsize MiB, $ok, threads all ($(nproc))"
        else
            status=1
        fi
    fi
done
exit $status
