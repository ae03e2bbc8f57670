#!/bin/sh
# The README's command reference is the one the binary generates from its
# command table.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
want=$("$BIN" --commands) || { echo "FAIL: --commands exited non-zero"; exit 1; }
have=$(sed -n '/<!-- commands:begin -->/,/<!-- commands:end -->/p' README.md | sed '1d;$d')
if [ "$want" != "$have" ]; then
	echo "FAIL: README.md's command reference differs from ./werktafel --commands;"
	echo "regenerate it with: make readme"
	exit 1
fi
exit 0
