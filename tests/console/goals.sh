#!/bin/sh
# Console mode: goals from creation through measurements to the half-year
# report, an action line's indicators with a 0-measurement, in both
# languages, with refusals that change nothing.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!rol @anna:demo.test voorzitter
!rol @bram:demo.test secretaris
/as @bram:demo.test
!doel nieuw Gemiddeld een 8 van patiënten en naasten \
doel: 8 \
eenheid: cijfer \
periode: 2025-2027 \
eigenaar: @daan:demo.test \
meetfrequentie: per kwartaal
!doel nieuw Kapot \
meetfrequentie: wekelijks
!doel meting 1 7,2 1-1-2026 enquête
!doel meting 1 12.5
/as @eva:demo.test
!doel meting 1 9
/as @daan:demo.test
!doel meting 1 7,9
!doelen
!doel 1
/as @bram:demo.test
!al nieuw Samen leren in de regio \
projectleider: @daan:demo.test
/as @daan:demo.test
!al indicator AL1 nieuw Deelnemers aan scholing \
eenheid: deelnemers \
nulmeting: 12 1-6-2026 presentielijst
!al meting AL1 1 20
!al meting AL1 4 20
/as @eva:demo.test
!al meting AL1 1 30
!al AL1
!programma
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
[ $rc -eq 0 ] || fail "exit code $rc"
q() { sqlite3 "$DB" "$1"; }
echo "$out" | grep -q "Doel 1 aangemaakt: Gemiddeld een 8 van patiënten en naasten" || fail "created"
echo "$out" | grep -q "Die meetfrequentie ken ik niet: wekelijks" || fail "bad frequency"
echo "$out" | grep -q "Dat lees ik niet als getal: 12.5" || fail "bad number"
echo "$out" | grep -q "Alleen de eigenaar van doel 1, de secretaris of de voorzitter" || fail "member may not measure"
echo "$out" | grep -q "laatste meting 7,9 cijfer op .*, ↑ gestegen (was 7,2 cijfer)" || fail "list with trend"
echo "$out" | grep -q "Eigenaar daan, per kwartaal; volgende meting uiterlijk" || fail "owner and next"
echo "$out" | grep -q "Indicator 1 bij AL1 aangemaakt met 0-meting: Deelnemers aan scholing" || fail "indicator"
echo "$out" | grep -q "opgeslagen: 20 deelnemers (0-meting 12 deelnemers, ↑ gestegen)" || fail "measurement"
echo "$out" | grep -q "4 is geen indicator van AL1. De indicatoren zijn: 1 Deelnemers aan scholing" || fail "unknown indicator"
echo "$out" | grep -q "mag de effectmeting bijhouden" || fail "member may not measure an indicator"
echo "$out" | grep -q "0-meting 12 deelnemers (1 juni 2026, presentielijst); nu 20 deelnemers" || fail "shown in !al"
echo "$out" | grep -q "## Doelen" || fail "goals paragraph"
echo "$out" | grep -q "### Effectmeting" || fail "effect paragraph"
[ "$(q 'SELECT count(*) FROM goals')" = 1 ] || fail "the refused goal was stored"
[ "$(q 'SELECT count(*) FROM goal_measurements')" = 2 ] || fail "a refused measurement was stored"
[ "$(q 'SELECT count(*) FROM action_line_indicator_values')" = 2 ] || fail "a refused indicator value was stored"
[ "$(q "SELECT count(*) FROM reminders WHERE source_key LIKE 'goal:1:%' AND state = 'pending' AND to_user = '@daan:demo.test'")" = 2 ] || fail "owner reminders"

# The clock: a goal set and measured on Wed 13 January 2027 is due a
# quarter later; its owner gets a direct message that day, once.
NOW=1799830800
DB2=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm" "$DB2" "$DB2-wal" "$DB2-shm"' EXIT
out=$(WERKTAFEL_NOW=$NOW "$BIN" --shell --db "$DB2" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!rol @bram:demo.test secretaris
/as @bram:demo.test
!doel nieuw Vacatures gevuld \
doel: 95% \
eigenaar: @daan:demo.test \
meetfrequentie: per kwartaal
!doel meting 1 88
/wacht 89d
/wacht 2d
/wacht 3d
/wacht 30d
IN
)
[ $? -eq 0 ] || fail "clock: exit code"
echo "$out" | grep -q "\[privébericht aan @daan:demo.test\]" || fail "clock: a direct message to the owner"
echo "$out" | grep -q "De meting van doel 1 (Vacatures gevuld) is aan de beurt: je meet het per kwartaal en de laatste meting was op 13 januari 2027" \
	|| fail "clock: the reminder text"
[ "$(echo "$out" | grep -c "De meting van doel 1")" = 2 ] || fail "clock: the reminder and the overdue one, each once"
echo "$out" | grep -q "De meting van doel 1 (Vacatures gevuld) is te laat: hij was op 13 april 2027 aan de beurt" || fail "clock: overdue"
before=$(echo "$out" | sed -n '1,/De klok staat nu op ma 12 apr 2027/p')
echo "$before" | grep -q "De meting van doel 1" && fail "clock: reminded before the day"
exit 0
