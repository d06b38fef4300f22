#!/usr/bin/env bash
# Browser test of the "verify my proof" page (ctest: sh_web_verify).
#
# Builds zkpos.wasm from the current sources (scripts/build-wasm.sh) into a
# staged copy of web/ under the build directory, then tests/web_verify.mjs
# serves it on 127.0.0.1 and drives the real page in headless chromium
# (playwright-core from node_modules): the v1 worked example is verified,
# a tampered copy is not, malformed input gets the C verifier's message, a
# different or missing published root changes the verdict, the v2 example
# verifies; amounts are checked against the vectors' CSV text. Prints the
# in-page verification time; screenshots go to $BIN/web-test/*.png.
# Needs node, /usr/bin/chromium and node_modules/playwright-core
# (scripts/install-deps.sh): missing => failure under CI=true, a loud
# notice otherwise.
# Labelled slow so that the sanitizer run leaves it out: it runs no C code
# of the build directory (the release run covers it).
# ctest-labels: slow web
set -uo pipefail

SRC=${ZKPOS_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BIN=${ZKPOS_BINARY_DIR:-$SRC/build}
VEC=${ZKPOS_VECTORS:-$SRC/../shared/vectors}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

missing=()
command -v node >/dev/null || missing+=(node)
[ -x "$CHROMIUM" ] || missing+=("$CHROMIUM")
[ -f "$SRC/node_modules/playwright-core/package.json" ] || missing+=(node_modules/playwright-core)
if ((${#missing[@]})); then
    if [ "${CI:-}" = "true" ]; then
        echo "web_verify: FAILED: missing ${missing[*]}; run scripts/install-deps.sh" >&2
        exit 1
    fi
    echo "web_verify: NOT RUN: missing ${missing[*]}; run scripts/install-deps.sh" >&2
    exit 0
fi

OUT=$BIN/web-test
SITE=$OUT/site
rm -rf "$SITE"
mkdir -p "$SITE"
# The site as published: everything in web/ except the C shim sources.
(cd "$SRC/web" && tar --exclude=./wasm --exclude=./zkpos.wasm --exclude=./published -cf - .) | (cd "$SITE" && tar -xf -) || {
    echo "web_verify: FAILED: cannot stage web/" >&2
    exit 1
}
if ! bash "$SRC/scripts/build-wasm.sh" --out "$SITE/zkpos.wasm" --objdir "$OUT/obj"; then
    echo "web_verify: FAILED: scripts/build-wasm.sh" >&2
    exit 1
fi
export CHROMIUM
exec node "$SRC/tests/web_verify.mjs" "$SITE" "$VEC" "$OUT"
