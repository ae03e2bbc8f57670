#!/bin/sh
# The command line: exit codes and messages of the small modes.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
fail() { echo "FAIL: $1"; exit 1; }
"$BIN" --version | grep -q "^werktafel [0-9]" || fail "--version"
"$BIN" --help | grep -q -- "--check-config" || fail "--help"
out=$("$BIN" --no-such-flag 2>&1); rc=$?
[ $rc -eq 2 ] || fail "unknown flag exits $rc, not 2"
echo "$out" | grep -q "no-such-flag: unknown option" || fail "unknown flag message: $out"
echo "$out" | grep -q "Usage: werktafel" || fail "usage after unknown flag"
out=$("$BIN" stray 2>&1); rc=$?
[ $rc -eq 2 ] || fail "stray argument exits $rc"
"$BIN" 2>/dev/null; [ $? -eq 2 ] || fail "no mode exits 2"
"$BIN" --check-config config.example.ini >/dev/null || fail "example config invalid"
out=$("$BIN" --check-config tests/fixtures/config_errors.ini 2>&1); rc=$?
[ $rc -eq 2 ] || fail "bad config exits $rc"
echo "$out" | grep -q "^tests/fixtures/config_errors.ini:8: unknown key \"homeservr\"" \
	|| fail "file:line message: $out"
out=$("$BIN" --check-config /nonexistent.ini 2>&1); rc=$?
[ $rc -eq 2 ] || fail "missing config exits $rc"
exit 0
