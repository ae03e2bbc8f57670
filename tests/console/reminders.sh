#!/bin/sh
# Console mode: reminders (!herinner, !herinneringen, !tijdzone) with a fixed
# clock (WERKTAFEL_NOW = Wednesday 13 January 2027, 10:00 in Amsterdam):
# setting, listing in the reader's zone, recurring, cancel, snooze, and the
# refusals that store nothing.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
out=$(WERKTAFEL_NOW=1799830800 "$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!rol @bram:demo.test secretaris
/as @eva:demo.test
!herinner mij morgen 9:00 verslag lezen
!herinner mij elke maandag 9:00 weekstart
!herinner mij 01-01-2020 9:00 te laat
!herinner mij elke blauwe maan x
!herinner mij FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 nooit
!herinner kamer morgen 9:00 koffie
!tijdzone Mars/Olympus
!tijdzone Europe/London
!herinneringen
!herinner annuleer 1
!herinner uitstellen 2 2u
/as @bram:demo.test
!herinner kamer morgen 19:00 vergadering
!herinner annuleer 2
/room roundtable
/as @eva:demo.test
!remind me tomorrow 8:00 tea
!reminders
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
q() { sqlite3 "$DB" "$1"; }
[ $rc -eq 0 ] || fail "exit code $rc"
echo "$out" | grep -q "Herinnering #1 is gepland op donderdag 14 januari om 09:00: verslag lezen" || fail "set"
echo "$out" | grep -q "Herinnering #2 komt elke maandag, de eerste keer op maandag 18 januari om 09:00: weekstart" || fail "recurring"
echo "$out" | grep -q "Dat moment is al voorbij" || fail "past time"
echo "$out" | grep -q "Die herhaling begrijp ik niet" || fail "bad recurrence"
echo "$out" | grep -q "Die herhaling valt nooit" || fail "never occurs"
echo "$out" | grep -q "Dit mag alleen een secretaris" || fail "room needs a secretary"
echo "$out" | grep -q "Mars/Olympus is geen tijdzone die ik ken" || fail "unknown zone"
echo "$out" | grep -q "Je tijdzone is nu Europe/London; het is daar nu woensdag 13 januari om 09:00." || fail "zone set"
# Listed in London time: 9:00 Amsterdam is 8:00 London.
echo "$out" | grep -q "Jouw herinneringen (tijden in Europe/London)" || fail "list header"
echo "$out" | grep -q "#1 do 14 jan 2027 08:00 — verslag lezen" || fail "list in the reader's zone"
echo "$out" | grep -q "Herinnering #1 is geannuleerd" || fail "cancel"
# From its own time still to come (Monday 9:00 in Amsterdam, 8:00 in London), not from now.
echo "$out" | grep -q "Herinnering #2 is uitgesteld tot maandag 18 januari om 10:00" || fail "snooze"
echo "$out" | grep -q "Herinnering #3 is gepland op donderdag 14 januari om 19:00: vergadering (voor deze kamer)" || fail "room reminder"
echo "$out" | grep -q "Herinnering #2 is niet van jou" || fail "not yours"
echo "$out" | grep -q "Reminder #1 is set for Thursday 14 January at 08:00: tea" || fail "english"
echo "$out" | grep -q "Your reminders (times in Europe/London)" || fail "english list"
# Exactly what should be stored.
[ "$(q "SELECT count(*) FROM reminders")" = 4 ] || fail "four reminders stored"
[ "$(q "SELECT state FROM reminders WHERE network='demo' AND short_id=1")" = cancelled ] || fail "cancelled in db"
[ "$(q "SELECT rrule FROM reminders WHERE network='demo' AND short_id=2")" = "FREQ=WEEKLY;BYDAY=MO" ] || fail "rrule in db"
[ "$(q "SELECT tz FROM user_settings WHERE user_id='@eva:demo.test'")" = Europe/London ] || fail "zone in db"
exit 0
