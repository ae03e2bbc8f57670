#!/bin/sh
# Console mode: an advice request from submission to the board's decision,
# with expertise, suggestions, refusals that change nothing, views and the
# archive. The clock is fixed (WERKTAFEL_NOW = 2027-01-15 08:00 UTC).
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
export WERKTAFEL_NOW=1800000000
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!rol @anna:demo.test voorzitter
!rol @bram:demo.test secretaris
!rol @carla:demo.test bestuurder
/as @daan:demo.test
!expertise Dementie, palliatieve zorg
/as @eva:demo.test
!expertise Kwaliteit van zorg
!wie DÉMENTIE
/as @carla:demo.test
!advies nieuw Expertteam dementie \
vraag: Hoe bundelen we kennis over dementie in de regio? \
thema: Kwaliteit \
waarom: kennis is versnipperd \
deadline: 12-03-2027 \
gevraagd door: @carla:demo.test
!advies nieuw Iets \
thema: financien
!advies nieuw Iets \
deadline: 01-01-2027
/as @eva:demo.test
!advies nieuw Eigen bedrijfsvoering \
thema: kwaliteit
!advies accepteer A1
/as @anna:demo.test
!advies afwijzen A2 gaat over één organisatie
!advies uitbrengen A1
!advies accepteer A1
!advies wijs toe A1 @zoe:elders.test
!advies wijs toe A1 @daan:demo.test @eva:demo.test
!advies wijzig A1 \
deadline: 19-03-2027
!advies
/as @daan:demo.test
!advies concept A1 Wij adviseren een regionaal expertteam. \
\
Met vaste spreekuren per kwartaal.
/as @anna:demo.test
!advies uitbrengen A1
/as @carla:demo.test
!advies besluit A1 overgenomen Start in april.
!advies A1
!advies archief
!advies
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
has() { echo "$out" | grep -q -- "$1" || fail "$2"; }
[ $rc -eq 0 ] || fail "exit code $rc"
has "Op je expertiseprofiel gezet: Dementie, palliatieve zorg" "expertise added"
has "^- daan: Dementie" "!wie finds daan, accents and case ignored"
has "Adviesaanvraag A1 ontvangen: Expertteam dementie. Gevraagd advies, aangevraagd door carla" "asked request received"
has "Nog niet ingevuld: wat en hoe." "missing fields"
has "Onbekend thema: financien. De thema's van dit netwerk: kwaliteit, samenwerking" "unknown theme"
has "De deadline 01-01-2027 kan ik niet gebruiken" "past deadline"
has "Voorstel voor ongevraagd advies A2 ontvangen" "unasked request"
has "Dit mag alleen een secretaris (of hoger). Jouw rol: lid" "member may not accept"
has "Aanvraag A2 is afgewezen. Reden: gaat over één organisatie" "declined"
has "Aanvraag A1 is ontvangen; uitbrengen kan nu niet. Wat nu kan: accepteer, afwijzen, intrekken" "illegal transition"
has "Met passende expertise: daan (Dementie), eva (Kwaliteit van zorg)" "suggestions"
has "@zoe:elders.test is geen bekend lid van dit netwerk" "not a member"
has "Aanvraag A1 is toegewezen aan daan, eva" "assigned"
has "A1 Expertteam dementie — in behandeling · deadline vr 19 mrt 2027 (nog 63 dagen) · gevraagd door carla · thema kwaliteit" "open list"
has "A1 (Expertteam dementie) gewijzigd: deadline." "edited"
has "Concept voor A1 opgeslagen" "draft"
has "Advies van de werktafel aan het bestuur — A1: Expertteam dementie" "delivered for the board"
has "privébericht aan @carla:demo.test" "DM to the board member who asked"
has "Opgesteld door daan, eva; uitgebracht door anna" "authors"
has "Besluit over advies A1 (Expertteam dementie): overgenomen. Toelichting: Start in april." "decided"
has "Status: besluit genomen" "history view state"
has "anna: advies uitgebracht (in behandeling → advies uitgebracht)" "history line"
has "A1 Expertteam dementie — besluit: overgenomen (Start in april.)" "archive with outcome"
has "A2 Eigen bedrijfsvoering — afgewezen: gaat over één organisatie" "archive with reason"
has "Er zijn geen open adviesaanvragen" "open list empty at the end"
# Refusals changed nothing; every step is in the history with its message.
q() { sqlite3 "$DB" "$1"; }
[ "$(q "SELECT count(*) FROM advice_requests")" = 2 ] || fail "two requests"
[ "$(q "SELECT count(*) FROM advice_assignees")" = 2 ] || fail "two assignees"
[ "$(q "SELECT group_concat(action, ',') FROM (SELECT action FROM advice_history h JOIN advice_requests r ON r.id = h.advice_id WHERE r.short_id = 1 ORDER BY h.id)")" = "submit,accept,assign,edit,draft,deliver,decide" ] || fail "history of A1"
[ "$(q "SELECT count(*) FROM advice_history WHERE event_id LIKE '\$console-%'")" = 9 ] || fail "event ids in the history"
[ "$(q "SELECT outcome FROM advice_requests WHERE short_id = 1")" = adopted ] || fail "outcome stored"
exit 0
