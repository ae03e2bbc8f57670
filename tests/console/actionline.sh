#!/bin/sh
# Console mode: action lines from creation to the quarterly report, with
# refusals that change nothing.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!rol @anna:demo.test voorzitter
!rol @bram:demo.test secretaris
/as @bram:demo.test
!al nieuw Samen leren in de regio \
budget: € 12.500,00 \
penvoerder: @carla:demo.test \
projectleider: @daan:demo.test \
team: @eva:demo.test @gijs:demo.test
!al nieuw Kapotte lijn \
projectleider: niemand
/as @daan:demo.test
!al fase AL1 nieuw 1-12-2026 30-6-2027 Verkennen en plannen
!al fase AL1 nieuw 1-7-2027 1-1-2027 Omgekeerd
!al resultaat AL1 toevoegen 1-3-2027 fase 1 Plan van aanpak vastgesteld
!al status AL1 risico te weinig tijd
!al status AL1 paars
!al uitgave AL1 € 1.250,50 begeleiding
!al uitgave AL1 -50 koffie
!al uitgave AL1 12.5 koffie
/as @eva:demo.test
!al update AL1 Eerste werksessie gehouden
!al status AL1 op-schema
!al AL9
!al
!al AL1
!al rapport AL1
!programma
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
[ $rc -eq 0 ] || fail "exit code $rc"
q() { sqlite3 "$DB" "$1"; }
echo "$out" | grep -q "Actielijn AL1 aangemaakt: Samen leren in de regio" || fail "created"
echo "$out" | grep -q 'Ik weet niet wie "niemand" is'  || fail "bad team member"
echo "$out" | grep -q "De fase eindigt (1 januari 2027) voor ze begint (1 juli 2027)" || fail "phase end before start"
echo "$out" | grep -q "AL1 loopt nu risico — te weinig tijd" || fail "status set"
echo "$out" | grep -q "Onbekende status: paars. Kies uit: op-schema, risico, vertraagd, afgerond" || fail "status list"
echo "$out" | grep -q "Een bedrag kan niet negatief zijn: -50" || fail "negative amount"
echo "$out" | grep -q "Dat lees ik niet als bedrag: 12.5" || fail "malformed amount"
echo "$out" | grep -q "Update bij AL1 opgeslagen" || fail "update"
echo "$out" | grep -q "Alleen de projectleiding of penvoerder van AL1" || fail "member may not set status"
echo "$out" | grep -q "Er is geen actielijn AL9. Bestaande actielijnen: AL1 Samen leren in de regio" || fail "unknown code lists codes"
echo "$out" | grep -q "🟠 AL1 Samen leren in de regio — risico" || fail "list"
echo "$out" | grep -q "Budget € 12.500,00, besteed € 1.250,50 (10%), resterend € 11.249,50" || fail "budget"
echo "$out" | grep -q "# Kwartaalrapportage AL1 — Samen leren in de regio" || fail "report file"
echo "$out" | grep -q "Financiële paragraaf" || fail "financial paragraph"
echo "$out" | grep -q "# Halfjaarrapportage programma" || fail "programme report"
# Refused commands changed nothing.
[ "$(q 'SELECT count(*) FROM action_lines')" = 1 ] || fail "the refused line was stored"
[ "$(q 'SELECT count(*) FROM action_line_phases')" = 1 ] || fail "the reversed phase was stored"
[ "$(q 'SELECT count(*) FROM action_line_spending')" = 1 ] || fail "a bad amount was stored"
[ "$(q 'SELECT status FROM action_lines')" = at_risk ] || fail "a member changed the status"
[ "$(q 'SELECT count(*) FROM action_line_reports')" = 2 ] || fail "reports not kept"
exit 0
