#!/usr/bin/env bash
# Installs everything zkpos builds and tests with, on Debian 12 as root.
#
# Why it is built this way: it runs at the start of every scripts/test.sh and
# scripts/run.sh, so it must be idempotent and take well under a second when
# nothing is missing. It therefore asks dpkg what is installed (counting
# packages that another one Provides, e.g. NodeSource's nodejs provides npm)
# and only touches apt when something is missing; then it installs just the
# missing packages, never upgrading what is there.
#
# Packages:
#   REQUIRED  the C build and its tests (GMP is the independent reference
#             for differential tests and the constant generator).
#   EXTRA     for later layers: SQLite/PostgreSQL stores, node tools for
#             interop tests (snarkjs, circomlibjs), chromium for the
#             verifier page, clang/lld + wasi-libc + wasm32 compiler-rt for
#             the wasm build (scripts/build-wasm.sh). Installed now so the
#             script stays stable; one that apt does not know is skipped
#             with a warning.
# Node dev tools (package.json / package-lock.json) go to ./node_modules via
# `npm ci`. If that fails this script only warns: tests that need those
# tools must check for them and fail loudly (never skip silently).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REQUIRED=(build-essential cmake libgmp-dev pkg-config)
EXTRA=(libsqlite3-dev libpq-dev postgresql nodejs npm chromium clang lld wasi-libc libclang-rt-14-dev-wasm32)

log() { echo "install-deps: $*"; }

# Names of installed packages plus everything they Provide, one a line.
installed_names() {
    dpkg-query -W -f='${db:Status-Status}\t${Package}\t${Provides}\n' 2>/dev/null |
        awk -F'\t' '$1 == "installed" {
            print $2
            n = split($3, p, ",")
            for (i = 1; i <= n; i++) { sub(/^ +/, "", p[i]); sub(/[ (].*/, "", p[i]); if (p[i] != "") print p[i] }
        }' | sort -u
}

missing=()
have=$(installed_names)
for pkg in "${REQUIRED[@]}" "${EXTRA[@]}"; do
    grep -qxF "$pkg" <<<"$have" || missing+=("$pkg")
done

if ((${#missing[@]})); then
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then SUDO=(sudo); else
            log "missing packages (${missing[*]}) and not root; run as root" >&2
            exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    log "installing: ${missing[*]}"
    "${SUDO[@]}" apt-get update -qq
    to_install=()
    for pkg in "${missing[@]}"; do
        cand=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')
        if [ -n "$cand" ] && [ "$cand" != "(none)" ]; then
            to_install+=("$pkg")
        elif [[ " ${REQUIRED[*]} " == *" $pkg "* ]]; then
            log "required package $pkg is not available from apt" >&2
            exit 1
        else
            log "warning: $pkg is not available from apt; skipped" >&2
        fi
    done
    if ((${#to_install[@]})); then
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends -o Dpkg::Options::=--force-confold "${to_install[@]}"
    fi
fi

# Node dev tools. A stamp holding the lock file's hash makes this a no-op
# when node_modules already matches package-lock.json.
if [ -f "$ROOT/package-lock.json" ]; then
    stamp="$ROOT/node_modules/.zkpos-lock-sha256"
    want=$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        if ! command -v npm >/dev/null; then
            log "warning: npm not found; node dev tools (snarkjs, circomlibjs) not installed" >&2
        elif (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error); then
            echo "$want" >"$stamp"
            log "node dev tools installed in $ROOT/node_modules"
        else
            log "warning: npm ci failed; tests that need node_modules will fail" >&2
        fi
    fi
fi
exit 0
