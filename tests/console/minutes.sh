#!/bin/sh
# Console mode: the meeting cycle around the minutes. A planned meeting
# passes without being opened: the secretary hears of it the next morning
# and records it as held; `!vergadering start` with nothing near asks which
# meeting; the next meeting approves the minutes with a correction, after
# which `!ongedaan` and an edit are refused. Then organisations, `!wie`
# per organisation and the rotation schedule. The clock starts at
# WERKTAFEL_NOW = Fri 15 January 2027, 14:00 in Amsterdam.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
export WERKTAFEL_NOW=1800018000
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!rol @bram:demo.test secretaris
!rol @anna:demo.test voorzitter
/as @bram:demo.test
!vergadering plan 15-01-2027 16:00 titel Werktafel januari
!agenda voorstel Scholingsdag \
thema: opleiding
!agenda accepteer 1
!vergadering plan 12-02-2027 14:00 titel Werktafel februari
!vergadering plan 12-03-2027 14:00 titel Werktafel maart
/wacht 1d
!vergadering start
!vergadering gehouden 1
!vergadering start 2
#besluit De scholingsdag komt in november.
!vergadering einde
/wacht 30d
!vergadering start 3
!notulen vaststellen 2 \
correctie: Daan was afwezig met bericht.
!notulen vaststellen 2
!ongedaan
/bewerk 23 #besluit De scholingsdag komt in december.
!notulen 2
!organisatie Zorggroep Zuid
!organisatie @daan:demo.test Zorggroep Noord
!rooster erbij @daan:demo.test H1 2027
!rooster erbij @eva:demo.test H1 2027 namens Zorggroep Noord
!rooster erbij @eva:demo.test H2 2027 namens Zorggroep Noord
!rooster
!wie
/wacht 136d
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
q() { sqlite3 "$DB" "$1"; }
[ $rc -eq 0 ] || fail "exit code $rc"
echo "$out" | grep -q "\[privébericht aan @bram:demo.test\]" || fail "report to the secretary"
echo "$out" | grep -q "Vergadering 1 (Werktafel januari) stond gepland op vrijdag 15 januari om 16:00, maar is niet met de bot geopend" \
	|| fail "unopened report"
echo "$out" | grep -q "Rond nu is geen vergadering gepland. Welke vergadering wil je openen?" || fail "start asks which"
echo "$out" | grep -q "vergadering 1: Werktafel januari, vr 15 jan 2027 16:00 — achteraf vastleggen met !vergadering gehouden 1" \
	|| fail "the passed meeting offered"
echo "$out" | grep -q "Vergadering 1 (Werktafel januari) van vr 15 jan 2027 16:00 is vastgelegd als gehouden." || fail "held"
echo "$out" | grep -q "zijn vastgesteld, met 1 correctie" || fail "approved"
echo "$out" | grep -q "De notulen van vergadering 2 zijn al vastgesteld op maandag 15 februari 2027." || fail "approved twice"
echo "$out" | grep -q "Dat kan niet meer ongedaan worden" || fail "undo refused"
echo "$out" | grep -q "Deze wijziging is niet overgenomen" || fail "edit refused"
echo "$out" | grep -q "Vastgesteld op maandag 15 februari 2027 om 14:00 door bram, in vergadering 3." || fail "status in !notulen"
echo "$out" | grep -q "^- Daan was afwezig met bericht.$" || fail "correction listed"
echo "$out" | grep -q "Zorggroep Noord heeft in die periode al een afgevaardigde: R1" || fail "overlap refused"
echo "$out" | grep -q "^- R1 Zorggroep Noord: daan, vr 1 jan 2027 t/m wo 30 jun 2027 (nu)$" || fail "rota list"
echo "$out" | grep -q "^- Zorggroep Noord (1 lid): daan (afgevaardigde)$" || fail "who per organisation"
echo "$out" | grep -q "Vandaag eindigt de periode van daan als afgevaardigde van Zorggroep Noord" || fail "period end to the chair"
echo "$out" | grep -q "Daarna is eva aan de beurt" || fail "successor named"
[ "$(q "SELECT text FROM logged_items WHERE kind='decision'")" = "De scholingsdag komt in november." ] || fail "decision unchanged"
[ "$(q "SELECT state || afterwards FROM meetings m JOIN meeting_runs r ON r.meeting_id = m.id WHERE short_id = 1")" = closed1 ] \
	|| fail "held meeting stored"
[ "$(q "SELECT count(*) FROM minutes_corrections")" = 1 ] || fail "one correction"
[ "$(q "SELECT count(*) FROM meetings")" = 3 ] || fail "no ad-hoc meeting made"
exit 0
