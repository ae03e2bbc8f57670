#!/bin/sh
# Console mode: action lines in the governance (issue 19, items 4 and 5):
# the stakeholder register, a stakeholder asking for advice, sign-up to a
# line's team confirmed by its lead (a direct message each way), the
# external guide, a phase's budget with the chair's go, and decisions
# linked to the line with al:AL1 — with refusals that change nothing.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!rol @anna:demo.test voorzitter
!rol @bram:demo.test secretaris
/as @bram:demo.test
!al nieuw Samen leren in de regio \
penvoerder: @carla:demo.test \
projectleider: @daan:demo.test \
begeleider: @hans:demo.test
!belanghebbenden nieuw Huisartsenpraktijk De Linde \
soort: huisarts \
betrokkenheid: betrekken \
actielijnen: AL1
!belanghebbenden nieuw Zorgkantoor \
betrokkenheid: misschien
!advies nieuw Inzet praktijkondersteuner \
gevraagd door: BH1
/as @ida:demo.test
!al aanmelden AL1
!al aanmelden AL1
!al bevestig AL1 @ida:demo.test
/as @daan:demo.test
!al bevestig AL1 @ida:demo.test
!al fase AL1 nieuw 1-12-2026 30-6-2027 Verkennen en plannen
!al fase AL1 1 budget € 25.000
!al fase AL1 1 go
/as @anna:demo.test
!al fase AL1 1 go
!besluit Werkgroep start in januari al:AL1
!besluit Iets anders al:AL7
!al AL1
!advies A1
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
[ $rc -eq 0 ] || fail "exit code $rc"
q() { sqlite3 "$DB" "$1"; }
echo "$out" | grep -q "Toegevoegd aan het register: BH1 Huisartsenpraktijk De Linde (huisarts, betrekken)" || fail "stakeholder added"
echo "$out" | grep -q "Betrokkenheid is betrekken of informeren, niet misschien" || fail "bad engagement"
echo "$out" | grep -q "aangevraagd door BH1 Huisartsenpraktijk De Linde" || fail "stakeholder requester"
echo "$out" | grep -q "Je aanmelding voor het team van AL1 Samen leren in de regio is doorgegeven aan daan" || fail "sign-up"
echo "$out" | grep -q "Gewenst: 3 projectteamleden per actielijn, nu 0 teamleden." || fail "team size"
echo "$out" | grep -q "privébericht aan @daan:demo.test" || fail "lead told by DM"
echo "$out" | grep -q "wacht al op bevestiging" || fail "sign-up twice"
echo "$out" | grep -q "Alleen de projectleiding van AL1 of de voorzitter" || fail "member may not confirm"
echo "$out" | grep -q "privébericht aan @ida:demo.test" || fail "member told by DM"
echo "$out" | grep -q "Welkom in het team van AL1" || fail "welcome"
echo "$out" | grep -q "neemt het bestuur" || fail "lead may not take the go"
echo "$out" | grep -q "Besluit 1 vastgelegd: Go voor fase 1 (Verkennen en plannen) van AL1" || fail "go logged"
echo "$out" | grep -q "Er is geen actielijn AL7 om het besluit aan te koppelen" || fail "bad al: link"
echo "$out" | grep -q "Externe begeleider: hans" || fail "guide shown"
echo "$out" | grep -q "budget € 25.000,00, go (besluit 1)" || fail "phase gate shown"
echo "$out" | grep -q "besluit 2, .*: Werkgroep start in januari" || fail "linked decision shown"
echo "$out" | grep -q "Belanghebbenden: BH1 Huisartsenpraktijk De Linde" || fail "line's stakeholders"
# Refused commands changed nothing.
[ "$(q 'SELECT count(*) FROM stakeholders')" = 1 ] || fail "the refused stakeholder was stored"
[ "$(q "SELECT count(*) FROM action_line_signups WHERE state = 'confirmed'")" = 1 ] || fail "sign-up not confirmed once"
[ "$(q "SELECT count(*) FROM logged_items WHERE kind = 'decision' AND action_line = 1")" = 2 ] || fail "decisions not linked"
exit 0
