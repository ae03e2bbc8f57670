#!/bin/sh
# Evaluations in the console: the secretary starts the conditions round
# (five polls in the room, the open question by direct message to each
# asked), a member may not; one answers by replying to that message, one
# with `!evaluatie antwoord`; a few days before the deadline (/wacht) the
# one who did not answer is reminded and the others are not; the close
# posts the summary and the report as Markdown and HTML; the English
# names work the same (a second close is refused). The clock starts Wed 13 January 2027, 10:00 in
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
!rol @anna:demo.test voorzitter
!rol @bram:demo.test secretaris
!rol @daan:demo.test lid
/as @daan:demo.test
!evaluatie start condities
/as @bram:demo.test
!evaluatie start onbekend
!evaluatie start condities tot 25-1-2027
IN
)
[ $? -eq 0 ] || fail "exit code"
echo "$out" | grep -q "Evaluatie 1, peiling 5: Proces: verlopen overleg en besluitvorming goed?" || fail "polls"
echo "$out" | grep -q "Het sjabloon onbekend ken ik niet. De sjablonen zijn: werktafel, condities." || fail "unknown template"
echo "$out" | grep -q "privébericht aan @anna:demo.test" || fail "dm"
echo "$out" | grep -q "Evaluatie 1 gestart: Jaarlijkse evaluatie op de vijf condities, tot maandag 25 januari" || fail "started"
[ "$(q "SELECT count(*) FROM evaluations")" = 1 ] || fail "one round"
# anna answers by replying to her direct message (message 8 of the
# session above: the five polls after the refusals come first).
out=$(shell $NOW @admin:demo.test <<'IN'
!rol @anna:demo.test voorzitter
!rol @bram:demo.test secretaris
/as @bram:demo.test
!evaluatie start werktafel tot 25-1-2027
/as @anna:demo.test
/antwoord 8 Ambitie helder; het proces kan vlotter.
/as @bram:demo.test
!evaluatie antwoord 2 Meer tijd voor inhoud.
!evaluation 2
IN
)
echo "$out" | grep -q "uw antwoord voor evaluatie 2 is opgeslagen" || fail "answer by reply"
echo "$out" | grep -q "Alles beantwoord: 0 van" || fail "state"
echo "$out" | grep -q "3. Wat gaat goed aan de werktafel, en wat kan beter? — 2 antwoorden" || fail "open answers counted"
[ "$(q "SELECT count(*) FROM evaluation_answers")" = 2 ] || fail "two answers"

out=$(shell $NOW @bram:demo.test <<'IN'
/wacht 10d
IN
)
echo "$out" | grep -q "Herinnering: evaluatie [12] van de werktafel demo loopt tot" || fail "reminder"

out=$(shell $((NOW + 864000)) @daan:demo.test <<'IN'
!evaluatie sluit 2
/as @bram:demo.test
!evaluatie sluit 2
!evaluation close 2
IN
)
echo "$out" | grep -q "Dit mag alleen een secretaris (of hoger)" || fail "member may not close"
echo "$out" | grep -q "# Evaluatie 2: Functioneren en toegevoegde waarde van de werktafel — demo" || fail "summary"
echo "$out" | grep -q "bestand evaluatie-2.md" || fail "markdown file"
echo "$out" | grep -q "bestand evaluatie-2.html" || fail "html file"
echo "$out" | grep -q "Evaluatie 2 is al gesloten" || fail "closed twice"
echo "$out" | grep -q "Evaluatie 2 is al gesloten" || fail "closed twice"
[ "$(q "SELECT count(*) FROM evaluations WHERE closed_at IS NOT NULL")" = 1 ] || fail "one closed"
[ "$(q "SELECT count(*) FROM polls WHERE ended_at IS NULL")" = 5 ] || fail "the second round's polls ended"
echo ok
