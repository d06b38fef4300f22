#!/usr/bin/env bash
# Layering check (ctest: sh_layering).
#
# Why: each folder under src/ is one layer, and a layer may only use the
# layers below it; this keeps the arithmetic core free of I/O and lets each
# layer be tested on its own. The order is fixed here, bottom-up:
LAYERS=(util json ff ec pairing poly hash r1cs groth16 solvency store)
# Checks, reading every `#include "..."` line:
#  - a file under src/<layer>/ includes nothing from a layer above its own,
#    nothing outside src/, and nothing from an unknown src/ folder (a new
#    layer must be added to LAYERS above);
#  - a file under apps/ includes only its own folder's headers or public
#    layer headers (src/<layer>/<layer>.h), never a layer's internals.
# Includes are resolved like the compiler does: relative to the including
# file first, then relative to src/ (the include path).
# Env: ZKPOS_SOURCE_DIR (default: the repository holding this script).
set -uo pipefail

SRC_ROOT=${ZKPOS_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SRC_ROOT=$(realpath "$SRC_ROOT")
passed=0
failed=0

rank() { # prints the index of layer $1, or nothing
    local i
    for i in "${!LAYERS[@]}"; do
        [ "${LAYERS[$i]}" = "$1" ] && { echo "$i"; return; }
    done
}

fail() {
    echo "layering: $*" >&2
    failed=$((failed + 1))
}

# resolve FILE INCLUDED: prints the repository-relative path the include
# names (which need not exist yet, for a src/ path), or nothing.
resolve() {
    local dir cand
    dir=$(dirname "$1")
    cand=$(realpath -m "$dir/$2")
    if [ -e "$cand" ]; then
        echo "${cand#"$SRC_ROOT"/}"
        return
    fi
    cand=$(realpath -m "$SRC_ROOT/src/$2")
    if [ -e "$cand" ]; then
        echo "${cand#"$SRC_ROOT"/}"
        return
    fi
    # Not found: report where a relative path points, so that a wrong
    # relative include is still judged by its target.
    cand=$(realpath -m "$dir/$2")
    echo "${cand#"$SRC_ROOT"/}"
}

# Prints "lineno:included" for each quoted include of file $1.
list_includes() {
    grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$1" |
        sed -E 's/^([0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]*)".*/\1:\2/'
}

# --- src/<layer>/
if [ ! -d "$SRC_ROOT/src" ]; then
    fail "no src/ under $SRC_ROOT"
else
    while IFS= read -r -d '' file; do
        rel=${file#"$SRC_ROOT"/}
        layer=$(cut -d/ -f2 <<<"$rel")
        own=$(rank "$layer")
        if [ -z "$own" ]; then
            fail "$rel: src/$layer is not a known layer (add it to LAYERS in tests/layering.sh)"
            continue
        fi
        while IFS=: read -r line inc; do
            [ -n "$line" ] || continue
            target=$(resolve "$file" "$inc")
            case "$target" in
            src/*/*)
                tl=$(cut -d/ -f2 <<<"$target")
                tr=$(rank "$tl")
                if [ -z "$tr" ]; then
                    fail "$rel:$line: includes \"$inc\" from unknown layer src/$tl"
                elif [ "$tr" -gt "$own" ]; then
                    fail "$rel:$line: layer $layer includes \"$inc\" from higher layer $tl"
                else
                    passed=$((passed + 1))
                fi
                ;;
            *)
                fail "$rel:$line: includes \"$inc\" ($target), which is outside src/<layer>/"
                ;;
            esac
        done < <(list_includes "$file")
    done < <(find "$SRC_ROOT/src" -mindepth 2 -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)
fi

# --- apps/: own folder's headers or public layer headers only
if [ -d "$SRC_ROOT/apps" ]; then
    while IFS= read -r -d '' file; do
        rel=${file#"$SRC_ROOT"/}
        appdir=$(dirname "$rel")
        while IFS=: read -r line inc; do
            [ -n "$line" ] || continue
            target=$(resolve "$file" "$inc")
            if [ "$(dirname "$target")" = "$appdir" ]; then
                passed=$((passed + 1))
            elif [[ "$target" =~ ^src/([^/]+)/([^/]+)\.h$ ]] &&
                [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] &&
                [ -n "$(rank "${BASH_REMATCH[1]}")" ]; then
                passed=$((passed + 1))
            else
                fail "$rel:$line: includes \"$inc\" ($target); apps may only use public headers src/<layer>/<layer>.h"
            fi
        done < <(list_includes "$file")
    done < <(find "$SRC_ROOT/apps" -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)
fi

if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    fail "no includes found under $SRC_ROOT/src: wrong ZKPOS_SOURCE_DIR?"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
