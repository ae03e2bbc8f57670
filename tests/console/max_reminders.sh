#!/bin/sh
# Console mode honours [bot] max_reminders (it once lived in a global that
# only the Matrix run set): with a limit of 2, a member's third pending
# reminder is refused and nothing is stored; a cancelled one makes room;
# another member has a limit of their own. The same commands under the
# default limit (50) all succeed.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
INI=$(mktemp /tmp/wt-console-XXXXXX.ini)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm" "$INI" "$DB.default"*' EXIT
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
q() { sqlite3 "$1" "$2"; }
{ sed -n '/^\[bot\]/p' tests/fixtures/demo.ini; echo "max_reminders = 2"
  sed '/^\[bot\]/d' tests/fixtures/demo.ini; } > "$INI"
script='/as @eva:demo.test
!herinner mij morgen 9:00 een
!herinner mij morgen 10:00 twee
!herinner mij morgen 11:00 drie
!herinner annuleer 1
!herinner mij morgen 12:00 vier
/as @bram:demo.test
!herinner mij morgen 9:00 van bram'
out=$(printf '%s\n' "$script" | WERKTAFEL_NOW=1799830800 "$BIN" --shell --db "$DB" \
	--config "$INI" --as @admin:demo.test)
[ $? -eq 0 ] || fail "exit code"
echo "$out" | grep -q "Je hebt al 2 herinneringen staan; meer dan 2 kan niet" \
	|| fail "the third reminder is refused with the configured limit"
[ "$(q "$DB" "SELECT count(*) FROM reminders WHERE owner = '@eva:demo.test'")" = 3 ] \
	|| fail "two set, one cancelled, one more: three rows"
[ "$(q "$DB" "SELECT count(*) FROM reminders WHERE text = 'drie'")" = 0 ] \
	|| fail "the refused reminder is not stored"
[ "$(q "$DB" "SELECT count(*) FROM reminders WHERE text = 'vier' AND state = 'pending'")" = 1 ] \
	|| fail "a cancelled reminder makes room"
[ "$(q "$DB" "SELECT count(*) FROM reminders WHERE owner = '@bram:demo.test'")" = 1 ] \
	|| fail "the limit is per person"
# Without the key: the default, so the third one is set.
out=$(printf '%s\n' "$script" | WERKTAFEL_NOW=1799830800 "$BIN" --shell \
	--db "$DB.default" --config tests/fixtures/demo.ini --as @admin:demo.test)
echo "$out" | grep -q "herinneringen staan; meer dan" && fail "the default limit refused a third reminder"
[ "$(q "$DB.default" "SELECT count(*) FROM reminders WHERE text = 'drie'")" = 1 ] \
	|| fail "under the default the third is stored"
exit 0
