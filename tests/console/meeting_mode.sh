#!/bin/sh
# Console mode: a whole meeting — plan, agenda, start, log decisions, actions
# and notes by lines and commands, move between items, refusals, end with the
# summary and the minutes files; then the register and the action list.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
# 2027-01-15 13:00 UTC, 14:00 in Amsterdam: half an hour before the
# planned meeting, near enough for !vergadering start to pick it.
export WERKTAFEL_NOW=1800018000
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!rol @bram:demo.test secretaris
!rol @anna:demo.test voorzitter
/as @bram:demo.test
!vergadering plan 15-01-2027 14:30 titel Werktafel januari plaats Regiokantoor
!agenda voorstel Regionale scholingsdag \
thema: opleiding \
waarom: Nieuwe collega's kennen de regio nog weinig.
!agenda accepteer 1
!agenda voorstel Kwaliteitsindicatoren \
thema: kwaliteit
!agenda accepteer 2
!besluit nog geen vergadering
!vergadering start
!vergadering start
/as @anna:demo.test
Welkom allemaal.
#besluit De voorzitter mag ook vastleggen.
/as @daan:demo.test
#besluit ik ben maar lid
/as @bram:demo.test
Samengevat: \
#besluit De scholingsdag komt er in oktober (AL2). \
#actie @eva:demo.test zaal reserveren voor 01-03-2027 \
```  \
#besluit dit is code \
```  \
#info Carla stuurt het programma rond.
#actie zaal zonder eigenaar
#actie @eva zonder server
!punt volgende
!actie @daan:demo.test voorstel schrijven voor 01-04-2027
!ongedaan
#besluit We meten drie indicatoren.
!punt volgende
!vergadering einde
!besluiten scholing
!acties
!notulen
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
q() { sqlite3 "$DB" "$1"; }
[ $rc -eq 0 ] || fail "exit code $rc"
echo "$out" | grep -q "Besluit 1: nog geen vergadering" || fail "standalone decision"
echo "$out" | grep -q "Zonder vergadering vastgelegd: in deze kamer is geen vergadering open." || fail "standalone note"
echo "$out" | grep -q "Actie 1 voor eva, uiterlijk maandag 1 maart 2027: zaal reserveren" || fail "action read back"
echo "$out" | grep -q "Vergadering 1 (Werktafel januari) is geopend." || fail "start"
echo "$out" | grep -q "In deze kamer is vergadering 1 al geopend" || fail "started twice"
echo "$out" | grep -q "Besluiten, acties en notities legt de secretaris of de voorzitter vast (jij bent lid)" || fail "member refused"
[ "$(echo "$out" | grep -c '^\[reactie ✅\]$')" = 5 ] || fail "five reactions (standalone, chair, lines, command, line)"
echo "$out" | grep -q "Regel 1: Een actie heeft een eigenaar nodig" || fail "action without owner"
echo "$out" | grep -q 'Ik weet niet wie "@eva" is' || fail "owner without server"
echo "$out" | grep -q "Nu punt 2 van 2: Kwaliteitsindicatoren" || fail "next item"
echo "$out" | grep -q "Verwijderd: Actie 2" || fail "undo"
echo "$out" | grep -q "Dat was het laatste punt (2)" || fail "past the last item"
echo "$out" | grep -q "Vergadering 1 (Werktafel januari) is gesloten." || fail "end"
echo "$out" | grep -q "Aanwezig: anna, bram, daan" || fail "attendees"
echo "$out" | grep -q "1. Regionale scholingsdag — 2 besluiten, 1 actie, 1 notitie" || fail "summary item 1"
echo "$out" | grep -q "\[bestand notulen-vergadering-1-2027-01-15.md\]" || fail "markdown file"
echo "$out" | grep -q "\[bestand notulen-vergadering-1-2027-01-15.html\]" || fail "html file"
echo "$out" | grep -q "^## 2. Kwaliteitsindicatoren" || fail "minutes follow the agenda"
echo "$out" | grep -q "^- Waarom: Nieuwe collega" || fail "minutes carry why"
echo "$out" | grep -q "Besluiten (1 van 1, nieuwste eerst)" || fail "register search"
echo "$out" | grep -q "1 · eva · zaal reserveren (uiterlijk maandag 1 maart 2027)" || fail "action list"
# The database: four decisions (one standalone), one action with its
# reminder, one note; the code-block line and the refused ones are absent.
[ "$(q "SELECT count(*) FROM logged_items WHERE kind='decision'")" = 4 ] || fail "4 decisions"
[ "$(q "SELECT count(*) FROM logged_items WHERE kind='decision' AND meeting_id IS NULL")" = 1 ] || fail "1 standalone"
[ "$(q "SELECT count(*) FROM logged_items WHERE text LIKE '%code%'")" = 0 ] || fail "code block logged"
[ "$(q "SELECT count(*) FROM logged_items WHERE kind='action'")" = 1 ] || fail "1 action"
[ "$(q "SELECT count(*) FROM logged_items WHERE kind='note'")" = 1 ] || fail "1 note"
[ "$(q "SELECT count(*) FROM reminders WHERE kind='action.due' AND state='pending'")" = 1 ] || fail "reminder"
[ "$(q "SELECT action_line FROM logged_items WHERE kind='decision' AND short_id=3")" = "" ] || fail "AL2 does not exist here"
[ "$(q "SELECT state FROM meetings WHERE short_id=1")" = closed ] || fail "meeting closed"
[ "$(q "SELECT group_concat(state) FROM agenda_items")" = "discussed,discussed" ] || fail "both items discussed"
echo "$out" | grep -q "niet bereikt" && fail "every item was reached"
exit 0
