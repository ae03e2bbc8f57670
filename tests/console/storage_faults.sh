#!/bin/sh
# Storage faults found at start: a damaged file, a file that is no database,
# a read-only file and a read-only directory. The bot and the console each
# say what is wrong and what to do in ONE error line and exit with status 4
# (the database cannot be used). Runs as an unprivileged user when root
# (root writes through file permissions), via setpriv or runuser.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
case $BIN in /*) ;; *) BIN=$(pwd)/${BIN#./} ;; esac
fail() { echo "FAIL: $1"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wt-storage.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

# as_user CMD...: run CMD as the unprivileged user (nobody) when root.
as_user() {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
	elif command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		runuser -u nobody -- "$@"
	fi
}
own() { [ "$(id -u)" -ne 0 ] || chown -R 65534:65534 "$@"; }

cat >"$tmp/bot.ini" <<INI
[matrix]
homeserver = http://127.0.0.1:9
user_id = @werktafel:localhost
password = not-used
[bot]
database = $tmp/d/werktafel.db
log_level = debug
[network.noord]
rooms = !kamer:localhost
themes = preventie
INI
chmod 644 "$tmp/bot.ini"

# fresh: a new demo database in $tmp/d, owned by the test user.
fresh() {
	chmod -R u+w "$tmp/d" 2>/dev/null
	rm -rf "$tmp/d" && mkdir "$tmp/d"
	"$BIN" --seed-demo --db "$tmp/d/werktafel.db" --config tests/fixtures/demo.ini \
		>/dev/null || fail "seed"
	own "$tmp/d"
}

# expect WHAT PATTERN: the console and the bot both exit 4 with exactly
# one error line matching PATTERN.
expect() {
	out=$(echo '!vergadering' | as_user "$BIN" --shell --db "$tmp/d/werktafel.db" \
		--config tests/fixtures/demo.ini 2>&1); rc=$?
	[ $rc -eq 4 ] || fail "$1: console exits $rc, not 4: $out"
	echo "$out" | grep -q "$2" || fail "$1: console message: $out"
	echo "$out" | grep -q "Volgende vergadering" && fail "$1: console answered: $out"
	out=$(as_user "$BIN" --config "$tmp/bot.ini" 2>&1); rc=$?
	[ $rc -eq 4 ] || fail "$1: bot exits $rc, not 4: $out"
	n=$(echo "$out" | grep -c " error ")
	[ "$n" -eq 1 ] || fail "$1: $n error lines, not 1: $out"
	echo "$out" | grep " error " | grep -q "$2" || fail "$1: bot message: $out"
	echo "$1: $(echo "$out" | grep " error ")"
}

# The healthy database works for the same user (so the faults below are
# what stops it).
fresh
out=$(echo '!vergadering' | as_user "$BIN" --shell --db "$tmp/d/werktafel.db" \
	--config tests/fixtures/demo.ini 2>&1) || fail "healthy database: $out"
echo "$out" | grep -q "Volgende vergadering" || fail "healthy database: $out"

# One damaged page in the middle of the file (quick_check at start).
fresh
pages=$(($(wc -c <"$tmp/d/werktafel.db") / 4096))
[ "$pages" -gt 8 ] || fail "demo database has only $pages pages"
dd if=/dev/urandom of="$tmp/d/werktafel.db" bs=4096 seek=$((pages / 2)) count=1 \
	conv=notrunc 2>/dev/null
expect "damaged page" "is damaged.*restore the newest backup.*exit status 4"

# A file that is no database at all.
fresh
head -c 20000 /dev/urandom >"$tmp/d/werktafel.db"
own "$tmp/d"
expect "not a database" "is damaged.*exit status 4"

# A read-only file.
fresh
chmod 444 "$tmp/d/werktafel.db"
expect "read-only file" "cannot be written.*read-only.*write access.*exit status 4"

# A read-only directory (SQLite cannot create the -wal file next to it).
fresh
chmod 555 "$tmp/d"
expect "read-only directory" "cannot be written.*write access.*exit status 4"
exit 0
