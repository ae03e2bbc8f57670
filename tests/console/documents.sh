#!/bin/sh
# Console mode: documents (issue 18, item 4). A file posted in the room
# (/bestand) attached by a reply (!stuk 1), a link (!stuk 1 <link>), the
# meeting's own document, `bijlage:` lines in a proposal; !stukken, the
# agenda view and the minutes list them; removal by who attached it or a
# secretary. Refusals: no reply and no link, not a file, a link that is no
# http(s) one, an unknown item, removal by someone else; in Dutch and in
# English, and none of them stores anything.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
D1=$(date -d "+40 days" +%d-%m-%Y)
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<IN
!rol @bram:demo.test secretaris
/as @bram:demo.test
!vergadering plan $D1 19:30
!agenda voorstel Inwerkprogramma \\
thema: opleiding \\
bijlage: https://example.org/plan.pdf Plan van aanpak
!agenda accepteer 1
/as @daan:demo.test
/bestand notitie-inwerken.pdf
/antwoord 9 !stuk 1
/antwoord 9 !stuk 1
/antwoord 8 !stuk 1
!stuk 1
!stuk 1 ftp://example.org/x
!stuk 7 https://example.org/
!stuk vergadering 1 https://example.org/jaarplan Jaarplan 2027
!stukken
!agenda
!stuk weg 1
/as @bram:demo.test
!stuk weg 1
!stukken 1
!vergadering start 1
!vergadering einde
/room roundtable
!documents
!document 1 https://example.org/
!agenda propose Onboarding \\
attachment: ftp://example.org/y
!agenda propose Onboarding
!document 1 mailto:someone
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
has() { echo "$out" | grep -qF -- "$1" || fail "$2"; }
q() { sqlite3 "$DB" "$1"; }
[ $rc -eq 0 ] || fail "exit code $rc"
has "Er hoort 1 stuk bij; !stukken toont het." "proposal with a bijlage line"
has "[9] Bestand notitie-inwerken.pdf staat in de kamer." "console file"
has "Stuk 2 (notitie-inwerken.pdf) hoort nu bij punt #1." "file attached by reply"
has "Dat stuk hoort er al bij, als stuk 2." "twice"
has "Het bericht waarop je antwoordt is geen bestand dat ik in deze kamer heb gezien." "not a file"
has "Welk stuk? Stuur dit commando als antwoord op het bericht met het bestand" "no reply, no link"
has '"ftp://example.org/x" is geen link die ik kan opnemen' "not http(s)"
has "Agendapunt #7 bestaat niet." "unknown item"
has "Zo schrijf je het: !stuk <punt> [titel] als antwoord op een bestand" "synopsis"
has "Stuk 3 (Jaarplan 2027) hoort nu bij vergadering 1." "meeting document"
has "Stukken bij de vergadering" "meeting's own documents"
has "- 📎 Jaarplan 2027 <https://example.org/jaarplan> (stuk 3)" "link listed"
has "- 📎 Plan van aanpak <https://example.org/plan.pdf> (stuk 1)" "bijlage listed"
has "- 📎 notitie-inwerken.pdf <https://matrix.to/#/werktafel/" "file linked as its message"
has "(bestand, stuk 2)" "file marked"
has "Stuk 1 is toegevoegd door bram; alleen die persoon of een secretaris (of hoger) haalt het weg." "not yours"
has "Stuk 1 (Plan van aanpak) is weggehaald." "removed"
has "## 1. Inwerkprogramma" "minutes item"
has "- 📎 [notitie-inwerken.pdf](<https://matrix.to/#/werktafel/" "minutes list the file"
has "**Stukken**" "minutes list the meeting's documents"
has "No meeting is planned, so there are no documents." "English"
has "There is no agenda item #1." "English unknown item"
has '"ftp://example.org/y" is not a link I can take' "English attachment line refused"
has '"mailto:someone" is not a link I can take' "English refusal"
[ "$(q "SELECT count(*) FROM agenda_items WHERE network = 'demo-en'")" = 1 ] || fail "refused proposal stored"
[ "$(q "SELECT count(*) FROM documents")" = 2 ] || fail "documents stored: $(q 'SELECT count(*) FROM documents')"
[ "$(q "SELECT kind || ' ' || url FROM documents WHERE short_id = 2")" = "file mxc://console/1-9" ] || fail "file document"
[ "$(q "SELECT count(*) FROM room_files")" = 1 ] || fail "room_files"
# The reminders before a meeting (the secretary's "send the invitation
# and the documents", the chair's and the room's "tomorrow") list each
# item's documents.
rm -f "$DB" "$DB-wal" "$DB-shm"
D2=$(date -d "+10 days" +%d-%m-%Y)
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<IN
!rol @bram:demo.test secretaris
/as @bram:demo.test
!vergadering plan $D2 19:30
!agenda voorstel Inwerkprogramma \\
bijlage: https://example.org/plan.pdf Plan van aanpak
!agenda accepteer 1
/wacht 10d
IN
)
has "Stuur de uitnodiging en de stukken" "invitation reminder"
[ "$(echo "$out" | grep -cF -- "- 📎 Plan van aanpak <https://example.org/plan.pdf> (stuk 1)")" -ge 2 ] \
	|| fail "reminders list the documents"
exit 0
