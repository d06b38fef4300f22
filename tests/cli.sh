#!/usr/bin/env bash
# CLI contract test (ctest: sh_cli).
#
# Why: scripts and users depend on the zkpos command's exit codes and
# streams: 0 on success, 2 for a usage error with the message on stderr,
# `--help` listing the commands, and each listed command answering
# `COMMAND --help` (as the usage text promises).
# Env: ZKPOS (path of the zkpos binary; default build/zkpos).
set -uo pipefail

ZKPOS=${ZKPOS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/zkpos}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

check() { # check DESCRIPTION CONDITION...
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "cli: FAILED: $what" >&2
        echo "  stdout: $(head -c 400 "$TMP/out")" >&2
        echo "  stderr: $(head -c 400 "$TMP/err")" >&2
    fi
}

# zk ARGS...: runs zkpos with a time limit, output in $TMP/out, $TMP/err, status in $rc
zk() {
    timeout 60 "$ZKPOS" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

if [ ! -x "$ZKPOS" ]; then
    echo "cli: zkpos binary not found at $ZKPOS" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

zk --version
check "--version exits 0 (got $rc)" test "$rc" -eq 0
check "--version prints 'zkpos X.Y...'" grep -qE '^zkpos [0-9]+\.[0-9]+' "$TMP/out"

zk --help
check "--help exits 0 (got $rc)" test "$rc" -eq 0
check "--help shows usage" grep -q '^usage: zkpos' "$TMP/out"
check "--help lists commands" grep -q '^commands:' "$TMP/out"
# Commands are the indented lines after "commands:" up to the first blank line.
mapfile -t cmds < <(awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' "$TMP/out")
check "--help lists at least the selfcheck command" grep -qx selfcheck < <(printf '%s\n' "${cmds[@]}")
for c in "${cmds[@]}"; do
    zk "$c" --help
    check "'zkpos $c --help' exits 0 (got $rc)" test "$rc" -eq 0
    check "'zkpos $c --help' prints something" test -s "$TMP/out"
done

zk no-such-command
check "unknown command exits 2 (got $rc)" test "$rc" -eq 2
check "unknown command names it on stderr" grep -q 'no-such-command' "$TMP/err"

zk selfcheck
check "selfcheck exits 0 (got $rc)" test "$rc" -eq 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
