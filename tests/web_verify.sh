#!/usr/bin/env bash
# Browser test of the two pages (ctest: sh_web_verify): "verify my proof"
# (tests/web_verify.mjs) and "verify the snapshot" (tests/web_snapshot.mjs).
#
# Builds zkpos.wasm from the current sources (scripts/build-wasm.sh) into a
# staged copy of web/ under the build directory, then tests/web_verify.mjs
# serves it on 127.0.0.1 and drives the real page in headless chromium
# (playwright-core from node_modules): the v1 worked example is verified,
# a tampered copy is not, malformed input gets the C verifier's message, a
# different or missing published root changes the verdict, the v2 example
# verifies; amounts are checked against the vectors' CSV text. Then
# `zkpos run` (12 users, 3 batches) publishes a snapshot; it and tampered
# copies (proofs swapped, a total changed, another root, a file missing),
# which `zkpos verify` must also reject, are checked on the snapshot page.
# Prints the in-page verification times; screenshots go to
# $BIN/web-test/*.png.
# Needs node, /usr/bin/chromium and node_modules/playwright-core
# (scripts/install-deps.sh): missing => failure under CI=true, a loud
# notice otherwise.
# Env: ZKPOS (binary; default $BIN/zkpos). Labelled slow so that the
# sanitizer run leaves it out: the C code it tests runs as wasm, and the
# pipeline it runs has its own tests.
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
fail=0
node "$SRC/tests/web_verify.mjs" "$SITE" "$VEC" "$OUT" || fail=1

# The snapshot page on the published output of a small end-to-end run
# (3 batches), untouched and tampered; `zkpos verify` must agree on each.
ZKPOS=${ZKPOS:-$BIN/zkpos}
SNAP=$OUT/snapshot
rm -rf "$SNAP"
mkdir -p "$SNAP"
if ! (cd "$SNAP" && "$ZKPOS" run --workdir "$SNAP/work" --users 12 --assets 2 --batch 4 --workers 1 >run.out 2>run.err); then
    echo "web_verify: FAILED: zkpos run" >&2
    cat "$SNAP/run.err" >&2
    exit 1
fi
if ! "$ZKPOS" userproof --input "$SNAP/work/input" --db "$SNAP/work/store.db" --jsonl "$SNAP/userproofs.jsonl" \
    >"$SNAP/userproof.out" 2>&1; then
    echo "web_verify: FAILED: zkpos userproof" >&2
    cat "$SNAP/userproof.out" >&2
    exit 1
fi
for v in good proof total root nofile; do
    cp -R "$SNAP/work/published" "$SNAP/$v" && cp -R "$SITE/." "$SNAP/$v/" || { echo "web_verify: FAILED: staging $v" >&2; exit 1; }
done
node -e '
const fs = require("fs");
const [dir] = process.argv.slice(1);
const p = JSON.parse(fs.readFileSync(dir + "/proof/proofs.json", "utf8"));
[p[0].proof, p[1].proof] = [p[1].proof, p[0].proof];
fs.writeFileSync(dir + "/proof/proofs.json", JSON.stringify(p));
const c = dir + "/total/cex_assets_info.json";
fs.writeFileSync(c, fs.readFileSync(c, "utf8").replace(/"TotalEquity":(\d+)/, (m, d) => `"TotalEquity":${BigInt(d) + 1n}`));
fs.writeFileSync(dir + "/root/root.json", JSON.stringify({ root: p[0].after_root }));
fs.unlinkSync(dir + "/nofile/proofs.json");
' "$SNAP" || { echo "web_verify: FAILED: tampering" >&2; exit 1; }
"$ZKPOS" verify "$SNAP/good" >/dev/null || { echo "FAIL: zkpos verify rejects the untouched copy" >&2; fail=1; }
for v in proof total root nofile; do
    if "$ZKPOS" verify "$SNAP/$v" >"$SNAP/$v.verify" 2>&1; then
        echo "FAIL: zkpos verify accepts the tampered copy $v" >&2
        fail=1
    fi
done
node "$SRC/tests/web_snapshot.mjs" "$SNAP" "$OUT" || fail=1
exit $fail
