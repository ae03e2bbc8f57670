#!/bin/sh
# Build the peer bots of `make bench-peers` into BUILD/peers, each pinned:
# mautrix-go with the Go toolchain (go.mod + go.sum here; module and build
# caches under BUILD/peers), mautrix-python and matrix-reminder-bot each in
# its own venv from PyPI (requirements.txt here, every package pinned),
# matrix-bot-sdk with npm ci (package-lock.json here). Cached: a peer whose
# stamp holds the checksum of its pinned files is not built again.
# A peer that cannot be built is reported (BUILD/peers/NAME.failed holds
# why) and the others are still built; the benchmark skips it and says so.
# Usage: tests/bench/peers/setup_peers.sh BUILD
set -u

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$BUILD/peers"
OUT=$(cd "$BUILD/peers" && pwd)
PYTHON=${PYTHON:-python3}
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	PATH=/usr/local/go/bin:$PATH
fi

# stamp_ok NAME FILES...: true when NAME was built from exactly these files.
sum_of() { cat "$@" | cksum | cut -d' ' -f1; }
stamp_ok() {
	name=$1; shift
	[ -f "$OUT/$name.stamp" ] && [ "$(cat "$OUT/$name.stamp")" = "$(sum_of "$@")" ]
}
# build NAME FILES... -- COMMAND...: run COMMAND unless cached; record the
# outcome in NAME.stamp or NAME.failed (with the tail of its output).
build() {
	name=$1; shift
	files=""
	while [ "$1" != "--" ]; do files="$files $1"; shift; done
	shift
	# shellcheck disable=SC2086
	if stamp_ok "$name" $files; then
		return 0
	fi
	echo "setup_peers: building $name (once)" >&2
	rm -f "$OUT/$name.stamp" "$OUT/$name.failed"
	if "$@" > "$OUT/$name.log" 2>&1; then
		# shellcheck disable=SC2086
		sum_of $files > "$OUT/$name.stamp"
	else
		{ echo "build of $name failed: $*"; tail -n 15 "$OUT/$name.log"; } > "$OUT/$name.failed"
		echo "setup_peers: $name could not be built; see $OUT/$name.log" >&2
	fi
}

go_build() {
	command -v go >/dev/null 2>&1 || { echo "no Go toolchain (go) on PATH"; return 1; }
	cd "$HERE/mautrix-go" &&
	GOMODCACHE=$OUT/gomod GOCACHE=$OUT/gocache GOFLAGS=-mod=readonly \
		GOTOOLCHAIN=local CGO_ENABLED=0 \
		go build -p 2 -trimpath -o "$OUT/mautrix-go-ping" .
}
py_venv() {
	rm -rf "$OUT/$1" &&
	"$PYTHON" -m venv "$OUT/$1" &&
	"$OUT/$1/bin/pip" install --quiet --disable-pip-version-check \
		--no-deps -r "$2" &&
	"$OUT/$1/bin/pip" check
}
npm_ci() {
	command -v npm >/dev/null 2>&1 || { echo "no npm on PATH"; return 1; }
	mkdir -p "$OUT/matrix-bot-sdk" &&
	cp "$HERE/matrix-bot-sdk/package.json" "$HERE/matrix-bot-sdk/package-lock.json" \
		"$OUT/matrix-bot-sdk/" &&
	cd "$OUT/matrix-bot-sdk" &&
	# --ignore-scripts: the crypto module's postinstall would download a
	# native library from outside the registry (see nocrypto.js).
	npm ci --ignore-scripts --no-audit --no-fund
}

build mautrix-go "$HERE/mautrix-go/go.mod" "$HERE/mautrix-go/go.sum" \
	"$HERE/mautrix-go/main.go" -- go_build
build mautrix-python "$HERE/mautrix-python/requirements.txt" -- \
	py_venv mautrix-python "$HERE/mautrix-python/requirements.txt"
build matrix-bot-sdk "$HERE/matrix-bot-sdk/package-lock.json" -- npm_ci
build matrix-reminder-bot "$HERE/matrix-reminder-bot/requirements.txt" -- \
	py_venv matrix-reminder-bot "$HERE/matrix-reminder-bot/requirements.txt"
exit 0
