#!/bin/sh
# Create BUILD/venv with the pinned end-to-end test dependencies (Synapse,
# matrix-nio, pytest). Cached: when the venv already holds exactly these
# requirements (a stamp with their checksum), it does nothing.
# Usage: tests/e2e/setup_venv.sh BUILD
set -eu

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=$BUILD/venv
STAMP=$VENV/.werktafel-requirements
PYTHON=${PYTHON:-}

want=$(cat "$HERE/requirements.txt" "$HERE/constraints.txt" 2>/dev/null | cksum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
	exit 0
fi

# Synapse wants Python >= 3.10; prefer the newest interpreter we find.
if [ -z "$PYTHON" ]; then
	for p in python3.13 python3.12 python3.11 python3.10 python3; do
		if command -v "$p" >/dev/null 2>&1 &&
		   "$p" -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
			PYTHON=$p
			break
		fi
	done
fi
if [ -z "$PYTHON" ]; then
	echo "setup_venv: need Python >= 3.10 with the venv module" >&2
	exit 1
fi

echo "setup_venv: creating $VENV with $PYTHON (this takes a few minutes once)" >&2
rm -rf "$VENV"
mkdir -p "$BUILD"
if ! "$PYTHON" -m venv "$VENV"; then
	echo "setup_venv: '$PYTHON -m venv' failed (Debian: apt-get install python3-venv)" >&2
	exit 1
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
set -- -r "$HERE/requirements.txt"
if [ -f "$HERE/constraints.txt" ]; then
	set -- "$@" -c "$HERE/constraints.txt"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
"$VENV/bin/python" -c 'import synapse, nio, pytest' 
echo "$want" > "$STAMP"
echo "setup_venv: $VENV ready" >&2
