#!/bin/sh
# Console mode's clock: reminders fire in the console as they would in a
# room. /wacht moves the clock on and shows what fell due (once); a restart
# after a long time lists what was missed in one summary; bad durations are
# refused. The clock starts at WERKTAFEL_NOW = Wed 13 January 2027, 10:00 in
# Amsterdam.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
NOW=1799830800
shell() { WERKTAFEL_NOW=$1 "$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as "$2"; }
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
q() { sqlite3 "$DB" "$1"; }

out=$(shell $NOW @admin:demo.test <<'IN'
!rol @bram:demo.test secretaris
/as @eva:demo.test
!herinner mij morgen 9:00 verslag lezen
!herinner mij elke maandag 9:00 weekstart
/as @bram:demo.test
!herinner kamer morgen 19:00 vergadering
IN
)
echo "$out" | grep -q "⏰ Herinnering #[0-9]*:" && fail "nothing is due yet"

out=$(shell $NOW @eva:demo.test <<'IN'
/wacht 1d
/wacht 10u
/wacht 4d
/wacht nooit
/wait 0m
!herinneringen
IN
)
[ $? -eq 0 ] || fail "exit code"
# Each fires at its own time on the way, the clock line closes each wait.
one=$(echo "$out" | sed -n '1,/do 14 jan 2027 10:00/p')
echo "$one" | grep -q "^— do 14 jan 2027 09:00 —" || fail "first wait: stops at 9:00"
echo "$one" | grep -q "\[privébericht aan @eva:demo.test\]" || fail "first wait: a direct message"
echo "$one" | grep -q "⏰ Herinnering #1: verslag lezen" || fail "first wait: reminder 1"
echo "$one" | grep -q "vergadering" && fail "room reminder before its time"
two=$(echo "$out" | sed -n '/do 14 jan 2027 10:00/,/do 14 jan 2027 20:00/p')
echo "$two" | grep -q "^— do 14 jan 2027 19:00 —" || fail "second wait: stops at 19:00"
echo "$two" | grep -q "⏰ Herinnering #3: vergadering" || fail "second wait: the room reminder"
echo "$two" | grep -q "privébericht" && fail "room reminder shown as a direct message"
echo "$out" | grep -q "⏰ Herinnering #2: weekstart" || fail "recurring fires"
[ "$(echo "$out" | grep -c "⏰ Herinnering #1")" = 1 ] || fail "reminder 1 fired more than once"
[ "$(echo "$out" | grep -c "Die duur lees ik niet")" = 2 ] || fail "bad durations refused"
echo "$out" | grep -q "#2 ma 25 jan 2027 09:00 — weekstart" || fail "recurring moved to its next time"
[ "$(q "SELECT count(*) FROM outbox")" = 0 ] || fail "console leaves nothing in the outbox"
[ "$(q "SELECT state FROM reminders WHERE short_id = 1 AND network = 'demo'")" = fired ] || fail "fired in db"

# Started again six weeks later: the weekly one missed its times.
out=$(shell $((NOW + 42 * 86400)) @eva:demo.test </dev/null)
echo "$out" | grep -q "Gemiste herinnering (1): deze had ik moeten sturen toen ik offline was" || fail "missed summary"
echo "$out" | grep -q "ma 25 jan 2027 09:00: weekstart" || fail "missed line"
[ "$(q "SELECT datetime(due_at, 'unixepoch') FROM reminders WHERE short_id = 2 AND network = 'demo'")" = "2027-03-01 08:00:00" ] \
	|| fail "recurring goes on after the summary"

# English room, English clock.
out=$(shell $((NOW + 42 * 86400)) @eva:demo.test <<'IN'
/room roundtable
!remind me in 30 minutes tea
/wait 1h
/wait soon
IN
)
echo "$out" | grep -q "The clock now reads" || fail "english clock"
echo "$out" | grep -q "⏰ Reminder #1: tea" || fail "english reminder fires"
echo "$out" | grep -q "This moves the clock 3 days on" || fail "english usage"

# A database a Matrix bot uses: the console leaves its reminders and its
# outbox to that bot, and says so.
echo "!herinner mij over 1 dag via Matrix" | shell $((NOW + 42 * 86400)) @eva:demo.test >/dev/null
q "INSERT INTO kv(key, value) VALUES ('sync.owner', 'http://127.0.0.1:8008 @werktafel:demo.test')"
out=$(printf '/wacht 2d\n!herinneringen\n' | shell $((NOW + 45 * 86400)) @eva:demo.test)
echo "$out" | grep -q "van een bot die met Matrix verbonden is (http://127.0.0.1:8008 @werktafel:demo.test)" \
	|| fail "matrix database named"
echo "$out" | grep -q "⏰ Herinnering #[0-9]*: via Matrix" && fail "console fired a Matrix bot's reminder"
echo "$out" | grep -q "— via Matrix" || fail "the reminder is listed as pending"
[ "$(q "SELECT state FROM reminders WHERE text = 'via Matrix'")" = pending ] || fail "left for the bot"
[ "$(echo "$out" | grep -c "De klok staat nu op")" = 0 ] || fail "clock moved on a Matrix database"

# The demo's meetings: the chair's "meeting tomorrow" and the room's agenda
# come before the meeting, in that order, and each once.
rm -f "$DB" "$DB-wal" "$DB-shm"
"$BIN" --seed-demo --db "$DB" --config tests/fixtures/demo.ini >/dev/null || fail "seed"
out=$(echo "/wacht 60d" | "$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @anna:demo.test)
order=$(echo "$out" | grep -o -e "Morgen vergadert" -e "Morgen: Werktafel" -e "Over een uur: Werktafel" | tr '\n' '|')
[ "$order" = "Morgen vergadert|Morgen: Werktafel|Over een uur: Werktafel|" ] || fail "meeting reminders in order: $order"
[ "$(echo "$out" | grep -c "Morgen vergadert de werktafel: Werktafel")" -ge 1 ] || fail "meeting tomorrow"
[ "$(q "SELECT count(*) FROM reminders WHERE kind = 'meeting.meeting_tomorrow' AND state = 'fired'")" -ge 2 ] \
	|| fail "both networks' chair reminders fired"
exit 0
