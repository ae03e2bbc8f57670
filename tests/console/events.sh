#!/bin/sh
# Console mode: edits, reactions and replies (/bewerk, /reageer, /antwoord
# with the number shown in brackets), through the same entry point as
# Matrix events (handlers/event.h): an edit of a logged decision changes
# it (no second decision), an edit of someone else's message is refused,
# a 👍 on a recurring room reminder subscribes (once), a reply "snooze"
# to a reminder snoozes it, one that is no snooze does nothing; an edit
# of a refused command runs the correction once.
# WERKTAFEL_NOW: Wednesday 13 January 2027, 10:00 in Amsterdam.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
q() { sqlite3 "$DB" "$1"; }
# Numbers: 1 !rol, 2 its answer, 3 #besluit, 4 its read-back (the ✅ is a
# reaction, no message), 5 the edit's read-back, 6 !herinner kamer, 7 its
# answer, 8 !herinner mij, 9 its answer, 10 and 11 the reminders /wacht
# shows (08:00 Bram's own, 09:00 the room's), 12 Eva's subscription, 13
# the snooze reply, 14 its answer, 15 the other reply, 16 !hlp.
out=$(WERKTAFEL_NOW=1799830800 "$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
/reageer 1 👍
!rol @bram:demo.test secretaris
/as @bram:demo.test
#besluit We vergaderen voortaan op dinsdag
/bewerk 3 #besluit We vergaderen voortaan op woensdag
!herinner kamer elke donderdag 9:00 koffie zetten
!herinner mij morgen 8:00 verslag lezen
/wacht 1d
/as @eva:demo.test
/bewerk 3 #besluit Eva's versie
/reageer 11 👍
/reageer 11 👍
/react 99 👍
/as @bram:demo.test
/antwoord 10 uitstellen 2u
/antwoord 10 dank je
!hlp
/bewerk 16 !hulp
/bewerk 16 !hulp
IN
)
rc=$?
[ $rc -eq 0 ] || fail "exit code $rc"
echo "$out" | grep -q "^\[4\] Besluit 1: We vergaderen voortaan op dinsdag" || fail "numbered read-back of the decision"
echo "$out" | grep -q "^\[5\] Besluit 1: We vergaderen voortaan op woensdag" || fail "edit read back as decision 1"
[ "$(q "SELECT count(*) FROM logged_items WHERE kind='decision'")" = 1 ] || fail "the edit made no second decision"
[ "$(q "SELECT text FROM logged_items WHERE kind='decision'")" = "We vergaderen voortaan op woensdag" ] || fail "decision follows the edit"
echo "$out" | grep -q "^\[10\] \[privébericht aan @bram:demo.test\]" || fail "Bram's reminder is message 10"
echo "$out" | grep -q "^\[11\] ⏰ Herinnering #1: koffie zetten" || fail "room reminder is message 11"
echo "$out" | grep -q "Bericht 3 is niet van jou" || fail "edit of another's message refused"
echo "$out" | grep -q "Je krijgt deze herinnering voortaan ook zelf, elke donderdag (nu #3): koffie zetten" || fail "👍 subscribes"
[ "$(echo "$out" | grep -c "Je krijgt deze herinnering voortaan ook zelf")" = 1 ] || fail "second 👍 changes nothing"
[ "$(q "SELECT count(*) FROM reminders WHERE to_user='@eva:demo.test' AND kind='personal' AND rrule IS NOT NULL")" = 1 ] || fail "one subscription stored"
echo "$out" | grep -q "met N het nummer tussen haken voor een bericht (nu 1 tot en met 12)" || fail "unknown number refused"
echo "$out" | grep -q "Herinnering #2 is uitgesteld tot donderdag 14 januari om 12:00" || fail "reply snoozes"
[ "$(q "SELECT due_at FROM reminders WHERE short_id=2 AND network='demo'")" = 1799924400 ] || fail "snoozed in db"
[ "$(echo "$out" | grep -c "uitgesteld")" = 1 ] || fail "a reply that is no snooze does nothing"
echo "$out" | grep -q "Er is nog geen bericht" || fail "a reaction before any message"
echo "$out" | grep -q "Onbekend commando: !hlp" || fail "!hlp refused"
[ "$(echo "$out" | grep -c "^\[18\] Commando's die jij kunt gebruiken")" = 1 ] || fail "the correction ran, once"
[ "$(echo "$out" | grep -c "Dit commando had ik al uitgevoerd")" = 1 ] || fail "a second edit gets the note"
[ "$(q "SELECT state FROM command_edits")" = noted ] || fail "command_edits state"
exit 0
