#!/bin/sh
# Build Dendrite (a second Matrix homeserver, for the end-to-end tests that
# must hold on more than Synapse) into BUILD/dendrite/bin from the Go module
# proxy, pinned to one version. Cached: when BUILD/dendrite/bin already holds
# the binaries of this version (a stamp with it), it does nothing. The Go
# module and build caches live under BUILD/dendrite too, so a rebuild after a
# version change downloads only what changed.
# Usage: tests/e2e/setup_dendrite.sh BUILD
set -eu

BUILD=${1:-build}
VERSION=v0.13.8
MODULE=github.com/matrix-org/dendrite
mkdir -p "$BUILD/dendrite"
DIR=$(cd "$BUILD/dendrite" && pwd)
BIN=$DIR/bin
STAMP=$BIN/.werktafel-dendrite

if [ -x "$BIN/dendrite" ] && [ -x "$BIN/generate-keys" ] && [ -f "$STAMP" ] &&
   [ "$(cat "$STAMP")" = "$VERSION" ]; then
	exit 0
fi
# The machine's Go may live outside PATH (a non-login shell, CI).
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	PATH=/usr/local/go/bin:$PATH
fi
if ! command -v go >/dev/null 2>&1; then
	echo "setup_dendrite: need the Go toolchain (go, 1.21 or newer) on PATH" >&2
	exit 1
fi

echo "setup_dendrite: building Dendrite $VERSION into $BIN (takes several minutes once)" >&2
rm -f "$STAMP"
mkdir -p "$BIN"
# Its SQLite driver (mattn/go-sqlite3) needs cgo; -p 2 keeps the build to
# two jobs on a shared machine.
GOBIN=$BIN GOMODCACHE=$DIR/gomod GOCACHE=$DIR/gocache GOFLAGS=-mod=mod \
	CGO_ENABLED=1 GOTOOLCHAIN=local \
	go install -p 2 "$MODULE/cmd/dendrite@$VERSION" "$MODULE/cmd/generate-keys@$VERSION"
echo "$VERSION" > "$STAMP"
echo "setup_dendrite: $BIN ready" >&2
