#!/bin/sh
# Console mode: reports on their schedule. With report_quarterly and
# report_halfyear on (a copy of the demo config), a new action line gets
# its quarterly report scheduled; /wacht crosses the quarter's end: the
# lead gets the report by direct message (text and file), adds a line and
# approves it (an outsider may not, in Dutch and English words), and on the post day
# the report room gets the summary and the files once, the checked one
# saying who checked it, the programme's saying nobody did. A second
# session later posts nothing again. The clock starts Thu 3 December
# 2026, 10:00 in Amsterdam.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
INI=$(mktemp /tmp/wt-console-XXXXXX.ini)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm" "$INI"' EXIT
NOW=1796288400
sed 's/^rooms = werktafel, bestuur$/&\nreport_quarterly = yes\nreport_halfyear = yes\nreport_room = bestuur/' \
	tests/fixtures/demo.ini > "$INI"
shell() { WERKTAFEL_NOW=$1 "$BIN" --shell --db "$DB" --config "$INI" --as @admin:demo.test; }
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
has() { echo "$out" | grep -qF -- "$1" || fail "$2"; }
count() { echo "$out" | grep -cF -- "$1"; }

out=$(shell $NOW <<'IN'
!rol @anna:demo.test voorzitter
!al nieuw Samen leren in de regio \
projectleider: @daan:demo.test \
budget: 5000
!rapport
/as @daan:demo.test
!rapport akkoord 2
/wacht 29d
!rapport aanvulling 2 De tweede werksessie is verschoven naar februari.
!rapport aanvulling 2
/as @eva:demo.test
!rapport akkoord 2
!report approve 2
/as @daan:demo.test
!rapport akkoord 2
!rapport akkoord 2
/wacht 10d
!rapport
!rapport aanvulling 2 Te laat
IN
)
[ $? -eq 0 ] || fail "exit code"
has "kwartaalrapportage AL1 Samen leren in de regio, K4 2026 — gepland: samenstellen op vr 1 jan 2027, plaatsen op ma 11 jan 2027" "scheduled"
has "Rapportage 2 is nog niet samengesteld; dat gebeurt op vr 1 jan 2027." "not compiled yet"
has "[privébericht aan @daan:demo.test]" "dm to the lead"
has "Rapportage 2 is klaar: kwartaalrapportage AL1 Samen leren in de regio, K4 2026. Wil je haar nakijken?" "dm text"
has "[bestand AL1-2026Q4.md]" "file to the lead"
has "Rapportage 1 is klaar: halfjaarrapportage van het programma, H2 2026." "programme to the chair"
has "Aanvulling bij rapportage 2 opgeslagen." "addition"
has "De tekst van de aanvulling ontbreekt." "empty addition"
has "Alleen de projectleider van AL1 of de voorzitter keurt rapportage 2 goed of vult haar aan." "outsider"
[ "$(count 'Alleen de projectleider van AL1 of de voorzitter')" = 2 ] || fail "outsider, English words"
has "Rapportage 2 is goedgekeurd. Ze wordt op maandag 11 januari om 09:00 geplaatst." "approved"
has "Rapportage 2 is al goedgekeurd door daan." "approved twice"
has "Rapportage 2: kwartaalrapportage AL1 Samen leren in de regio, K4 2026." "summary"
has "*Gecontroleerd door [daan](https://matrix.to/#/@daan:demo.test) op 1 januari 2027.*" "checked line"
has "- 1 januari 2027, [daan](https://matrix.to/#/@daan:demo.test): De tweede werksessie is verschoven naar februari." "addition in the file"
has "*Niet gecontroleerd door de voorzitter.*" "programme unchecked"
has "Stand op 31 december 2026: 🟢 op schema; 0 resultaten afgerond in deze periode, 0 over tijd; besteed € 0,00 van € 5.000,00." "state in the summary"
has "geplaatst op ma 11 jan 2027, gecontroleerd" "list posted"
has "Rapportage 2 is al geplaatst, op ma 11 jan 2027; er kan niets meer bij." "posted: no more"
[ "$(count '[bestand AL1-2026Q4.md]')" = 2 ] || fail "the file: once to the lead, once to the room"
[ "$(count '[bestand AL1-2026Q4.html]')" = 1 ] || fail "the html once"

# Later, a new session: nothing is compiled or posted again.
out=$(shell $((NOW + 45 * 86400)) <<'IN'
!rapport
IN
)
[ "$(count '[bestand')" = 0 ] || fail "posted again after a restart"
has "geplaatst op ma 11 jan 2027, niet gecontroleerd" "programme in the list"
echo "ok"
