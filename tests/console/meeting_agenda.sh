#!/bin/sh
# Console mode: plan, list, move and cancel meetings; propose, accept, order
# and defer agenda items; refusals for a low role, a bad or past date and an
# unknown theme. Dates are relative to today so the script keeps working.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
D1=$(date -d "+40 days" +%d-%m-%Y)
D1B=$(date -d "+45 days" +%d-%m-%Y)
D2=$(date -d "+100 days" +%d-%m-%Y)
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @bram:demo.test <<IN
!vergadering
!vergadering plan $D1 19:30
/as @admin:demo.test
!rol @bram:demo.test secretaris
/as @bram:demo.test
!vergadering plan $D1 19:30 duur 1u30 titel Voorjaarsoverleg plaats Buurthuis De Linde
!vergadering plan $D2 19:30
!vergadering plan bananen
!vergadering plan 01-01-2020 10:00
!vergadering lijst
/as @daan:demo.test
!agenda voorstel Gezamenlijke scholing \\
thema: Opleiding \\
waarom: nieuwe collega's kennen de regio nog niet \\
wat: een scholingsdag per jaar \\
hoe: een werkgroep van drie leden
!agenda voorstel Iets anders \\
thema: zorgkosten
!agenda accepteer 1
/as @bram:demo.test
!agenda voorstel Tweede punt
!agenda accepteer 2
!agenda accepteer 1
!agenda volgorde 1 1
!agenda
!agenda uitstel 2
!agenda 2
!vergadering verzet 1 $D1B 20:00
!vergadering annuleer 1
!vergadering
/room roundtable
!meeting
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
has() { echo "$out" | grep -qF -- "$1" || fail "$2"; }
q() { sqlite3 "$DB" "$1"; }
[ $rc -eq 0 ] || fail "exit code $rc"
has "Er is geen vergadering gepland. Plan er een met !vergadering plan <wanneer>" "none planned"
has "Dit mag alleen een secretaris (of hoger). Jouw rol: lid." "member may not plan"
has "Vergadering 1 is gepland:" "plan 1"
has "Voorjaarsoverleg (vergadering 1)" "title"
has "19:30, duur 1 uur 30 min" "duration"
has "Plaats: Buurthuis De Linde" "place"
has "Vergadering 2 is gepland:" "plan 2"
has "Werktafel (vergadering 2)" "default title"
has 'Datum niet gelezen: "bananen".' "bad date"
has "Dat moment is al voorbij." "past date"
has "Zo schrijf je het: !vergadering plan <wanneer> [duur 2u] [titel ...] [plaats ...]" "synopsis"
has "Voorstel genoteerd als punt #1: Gezamenlijke scholing, voor vergadering 1" "proposal"
has 'Thema "zorgkosten" ken ik niet. De thema'"'"'s van dit netwerk: kwaliteit, samenwerking, opleiding, arbeidsmarkt, innovatie, netwerk.' "unknown theme"
has "Punt #2 (Tweede punt) staat op de agenda van vergadering 1 als nummer 1." "accept 2"
has "Punt #1 (Gezamenlijke scholing) staat op de agenda van vergadering 1 als nummer 2." "accept 1"
has "Punt #1 (Gezamenlijke scholing) is nu nummer 1 op de agenda." "order"
has "1. Gezamenlijke scholing (#1)" "agenda item 1"
has "2. Tweede punt (#2)" "agenda item 2"
has "- thema: opleiding · voorgesteld door daan" "theme and proposer"
has "- waarom: nieuwe collega's kennen de regio nog niet" "why"
has "- hoe: een werkgroep van drie leden" "how"
has "Punt #2 (Tweede punt) is uitgesteld naar vergadering 2" "defer"
echo "$out" | grep -qF "proposed by" && fail "English text in a Dutch network"
has "status: uitgesteld" "deferred item on meeting 2"
has "Vergadering 1 is verzet van" "move"
has "20:00. De agendapunten gaan mee." "moved to 20:00"
has "is geannuleerd." "cancel"
has "1 open agendapunt staat nu als voorstel bij vergadering 2" "items moved on cancel"
has "Volgende vergadering:" "next after cancel"
has "No meeting is planned. Plan one with !meeting plan <when>" "English network"
# The database agrees.
[ "$(q "SELECT state FROM meetings WHERE network='demo' AND short_id=1")" = cancelled ] || fail "meeting 1 not cancelled"
[ "$(q "SELECT count(*) FROM meetings")" = 2 ] || fail "refused plans stored a meeting"
[ "$(q "SELECT count(*) FROM agenda_items")" = 2 ] || fail "refused proposal stored an item"
[ "$(q "SELECT m.short_id || ' ' || a.state FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id WHERE a.short_id=1")" = "2 proposed" ] || fail "item 1 after cancel"
[ "$(q "SELECT m.short_id || ' ' || a.state FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id WHERE a.short_id=2")" = "2 deferred" ] || fail "item 2 after defer"
[ "$(q "SELECT why FROM agenda_items WHERE short_id=1")" = "nieuwe collega's kennen de regio nog niet" ] || fail "continued message"
exit 0
