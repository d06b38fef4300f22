#!/usr/bin/env bash
# Builds web/zkpos.wasm, the browser verifier: the same C sources as the
# `zkpos` CLI, compiled for wasm32-wasi with Debian's clang, lld, wasi-libc
# and wasm32 compiler-rt (scripts/install-deps.sh installs them).
#
# usage: scripts/build-wasm.sh [--out FILE] [--objdir DIR]
#   --out FILE    the module to write (default: web/zkpos.wasm)
#   --objdir DIR  where objects go (default: build-wasm/)
# Env: CC (default: clang), JOBS (parallel compiles, default: nproc).
#
# Why a script and not a CMake toolchain: the wasm module needs only the
# verification layers (no threads, files, mmap or GMP), and CMake's
# try-compile checks and the project-wide Threads/GMP requirements do not
# apply to wasm32-wasi; a fixed source list keeps what runs in the browser
# explicit. The module is a WASI "reactor" (no main; _initialize runs the
# libc constructors) exporting zkpos_alloc, zkpos_free and the functions of
# web/wasm/exports*.c (user proofs, Groth16, snapshot); web/js/zkpos.js supplies the few WASI imports that
# libc's stdio references but the verifier never calls.
# Objects are rebuilt when a source or any header under src/ or web/wasm/
# is newer (coarse but safe); the link always runs (well under a second).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/web/zkpos.wasm
OBJ=$ROOT/build-wasm
while [ $# -gt 0 ]; do
    case $1 in
        --out) OUT=$2; shift 2 ;;
        --objdir) OBJ=$2; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build-wasm: unknown argument $1" >&2; exit 2 ;;
    esac
done
CC=${CC:-clang}
JOBS=${JOBS:-$(nproc)}

# The layers the verifiers need, bottom-up. Not here: util/pool.c
# (pthreads; web/wasm/pool_serial.c stands in), solvency/sheet.c, csv.c,
# tree.c (files, dirent, mmap), store/, r1cs/, the provers. g16_key.c (key
# files, mmap) is compiled against wasi-libc's mmap emulation only for
# zk_g16_vk_free; its file functions are never called and the linker drops
# them.
SOURCES=(
    src/util/util.c web/wasm/pool_serial.c
    src/json/json.c
    src/ff/fr.c src/ff/fp.c src/ff/fp2.c src/ff/fp6.c src/ff/fp12.c
    src/ec/g1.c src/ec/g2.c src/ec/msm_g1.c
    src/pairing/pairing.c
    src/hash/poseidon.c
    src/groth16/g16_verify.c src/groth16/g16_key.c
    src/solvency/commit.c src/solvency/decimal.c src/solvency/encode.c src/solvency/userproof.c
    src/solvency/batch_hash.c
    web/wasm/exports.c web/wasm/exports_g16.c web/wasm/exports_snapshot.c
)

fail() { echo "build-wasm: $*" >&2; exit 1; }
command -v "$CC" >/dev/null || fail "$CC not found (apt-get install clang lld)"
mkdir -p "$OBJ" "$(dirname "$OUT")"
# The wasi-libc sysroot. Debian installs it into /usr/include/wasm32-wasi and
# /usr/lib/wasm32-wasi; --sysroot=/usr would also put the host's
# /usr/include on the search path (a header missing from wasi-libc, e.g.
# pthread.h, would silently come from glibc), so a private sysroot of two
# links is made instead. wasi-sdk style sysroots are used as they are.
SYSROOT=
if [ -f /usr/include/wasm32-wasi/stdlib.h ] && [ -f /usr/lib/wasm32-wasi/libc.a ]; then
    SYSROOT=$OBJ/sysroot
    mkdir -p "$SYSROOT/include" "$SYSROOT/lib"
    ln -sfn /usr/include/wasm32-wasi "$SYSROOT/include/wasm32-wasi"
    ln -sfn /usr/lib/wasm32-wasi "$SYSROOT/lib/wasm32-wasi"
else
    for d in /usr/share/wasi-sysroot /opt/wasi-sdk/share/wasi-sysroot; do
        [ -f "$d/lib/wasm32-wasi/libc.a" ] && { SYSROOT=$d; break; }
    done
fi
[ -n "$SYSROOT" ] || fail "wasi-libc not found (apt-get install wasi-libc)"
TARGET=(--target=wasm32-wasi "--sysroot=$SYSROOT")
RT=$("$CC" "${TARGET[@]}" -print-libgcc-file-name 2>/dev/null || true)
[ -f "$RT" ] || fail "compiler-rt for wasm32 not found ($RT; apt-get install libclang-rt-14-dev-wasm32, matching clang's version)"

CFLAGS=(-std=gnu11 -O2 -DNDEBUG -D_WASI_EMULATED_MMAN -I"$ROOT/src" -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-function
        -Werror)

# Newest header: any change to one rebuilds every object.
newest_header=$(find "$ROOT/src" "$ROOT/web/wasm" -name '*.h' -printf '%T@\n' | sort -n | tail -1)
objs=()
todo=()
for src in "${SOURCES[@]}"; do
    [ -f "$ROOT/$src" ] || fail "missing source $src"
    obj=$OBJ/$(echo "$src" | tr '/' '_' | sed 's/\.c$/.o/')
    objs+=("$obj")
    if [ ! -f "$obj" ] || [ "$ROOT/$src" -nt "$obj" ] ||
       awk -v h="$newest_header" -v o="$(stat -c %Y "$obj")" 'BEGIN { exit !(h > o) }'; then
        todo+=("$src")
    fi
done
export CC OBJ ROOT
if ((${#todo[@]})); then
    printf '%s\n' "${todo[@]}" | xargs -P "$JOBS" -I{} sh -c '
        src={}; obj=$OBJ/$(echo "$src" | tr / _ | sed "s/\.c\$/.o/")
        "$CC" "$@" -c "$ROOT/$src" -o "$obj.tmp" && mv "$obj.tmp" "$obj"' sh "${TARGET[@]}" "${CFLAGS[@]}" ||
        fail "compilation failed"
fi

# 1 MiB stack: wasm has no guard page, so an overflow would silently
# overwrite data; the pairing code (Groth16 verify) keeps Fp12 values on it.
"$CC" "${TARGET[@]}" -mexec-model=reactor -O2 -Wl,--gc-sections -Wl,--strip-all \
    -Wl,-z,stack-size=1048576 "${objs[@]}" -lwasi-emulated-mman -o "$OUT.tmp" || fail "link failed"
mv "$OUT.tmp" "$OUT"
echo "build-wasm: wrote $OUT ($(stat -c %s "$OUT") bytes)"
