#!/bin/sh
# Install BUILD/js: matrix-js-sdk (the SDK Element is built on), pinned by
# tests/e2e/js/package-lock.json, and the driver the end-to-end tests call
# (tests/e2e/js/driver.mjs, sending events as Element does) and the
# end-to-end encryption client (tests/e2e/js/e2ee.mjs, matrix-js-sdk's Rust
# crypto: @matrix-org/matrix-sdk-crypto-wasm, pinned by the same lock file;
# tests/e2e/e2ee_client.py drives it). Cached: when
# BUILD/js already holds exactly this lock file (a stamp with its checksum),
# only the driver is copied again. Needs Node >= 20 with npm.
# Usage: tests/e2e/setup_js.sh BUILD
set -eu

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/js
DEST=$BUILD/js
STAMP=$DEST/.werktafel-lock

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "setup_js: need Node.js >= 20 with npm (https://nodejs.org, or" \
	     "the NodeSource packages; Debian 12's nodejs is too old)" >&2
	exit 1
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)'; then
	echo "setup_js: Node.js $(node --version) is too old; matrix-js-sdk needs >= 20" >&2
	exit 1
fi

mkdir -p "$DEST"
want=$(cat "$SRC/package.json" "$SRC/package-lock.json" | cksum | cut -d' ' -f1)
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ] || [ ! -d "$DEST/node_modules/matrix-js-sdk" ]; then
	echo "setup_js: installing matrix-js-sdk into $DEST (npm ci)" >&2
	rm -f "$STAMP"
	cp "$SRC/package.json" "$SRC/package-lock.json" "$DEST/"
	(cd "$DEST" && npm ci --no-audit --no-fund --loglevel=error >&2)
	echo "$want" > "$STAMP"
fi
# The scripts (driver.mjs, e2ee.mjs and the content.mjs they share) sit
# next to node_modules so Node resolves the SDK from there.
for f in "$SRC"/*.mjs; do
	n=$(basename "$f")
	cp "$f" "$DEST/$n.tmp" && mv -f "$DEST/$n.tmp" "$DEST/$n"
done
if ! (cd "$DEST" && node --input-type=module -e 'await import("matrix-js-sdk")' >/dev/null 2>&1); then
	echo "setup_js: matrix-js-sdk in $DEST does not load; remove $DEST and run again" >&2
	exit 1
fi
