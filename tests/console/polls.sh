#!/bin/sh
# Polls in the console: the secretary starts one (its fallback text lists
# the answers), a member may not, `!peiling 1` shows it open, and at its
# end time (/wacht) the scheduler closes it with the results; `!peilingen`
# lists it as closed. The clock starts Wed 13 January 2027, 10:00 in
# Amsterdam.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
NOW=1799830800
shell() { WERKTAFEL_NOW=$1 "$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as "$2"; }
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }

out=$(shell $NOW @admin:demo.test <<'IN'
!rol @bram:demo.test secretaris
/as @daan:demo.test
!peiling Welke avond? | maandag | dinsdag
/as @bram:demo.test
!peiling schaal 1-5 Hoe was de bijeenkomst? | tot morgen 17:00
!peiling 1
IN
)
[ $? -eq 0 ] || fail "exit code"
echo "$out" | grep -q "Alleen de secretaris of de voorzitter kan een peiling starten" || fail "member refused"
echo "$out" | grep -q "Peiling 1: Hoe was de bijeenkomst?" || fail "fallback text"
echo "$out" | grep -q "^5\. 5" || fail "fallback lists the scale"
echo "$out" | grep -q "Peiling 1 staat in de kamer tot" || fail "confirmation with end time"
echo "$out" | grep -q "Open tot" || fail "tally open"

out=$(shell $NOW @bram:demo.test <<'IN'
/wacht 2d
!peilingen
IN
)
echo "$out" | grep -q "De peiling is gesloten." || fail "closed at its end time"
echo "$out" | grep -q "Nog niemand heeft geantwoord." || fail "results"
echo "$out" | grep -q "1: Hoe was de bijeenkomst? (gesloten; 0 antwoorden)" || fail "list"
exit 0
