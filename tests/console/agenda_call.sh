#!/bin/sh
# Console mode: the call for agenda items posted in the network's rooms;
# refusing, withdrawing and editing proposals, with the proposer told by
# direct message; the nudge for missing fields and the hint for fields on
# the title's line; the refusals for a low role, someone else's item and a
# missing reason, in Dutch and English.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
D1=$(date -d "+40 days" +%d-%m-%Y)
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<IN
!rol @bram:demo.test secretaris
/as @bram:demo.test
!vergadering plan $D1 19:30
!agenda oproep
/as @daan:demo.test
!agenda oproep
!agenda voorstel Scholing thema: opleiding waarom: te weinig collega's
!agenda voorstel Scholing
!agenda wijzig 1 \\
thema: opleiding \\
waarom: te weinig collega's
!agenda voorstel Zorgkosten van één instelling
/as @eva:demo.test
!agenda trek in 1
!agenda weiger 2 past niet
/as @bram:demo.test
!agenda weiger 2
!agenda weiger 2 Dit speelt op instellingsniveau
!agenda accepteer 1
/as @daan:demo.test
!agenda trek in 1
!agenda
/room roundtable
/as @admin:demo.test
!meeting plan $D1 19:30
/as @daan:demo.test
!agenda propose Training theme: training
!agenda propose Training
!agenda withdraw 1
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
has() { echo "$out" | grep -qF -- "$1" || fail "$2"; }
lacks() { echo "$out" | grep -qF -- "$1" && fail "$2"; return 0; }
q() { sqlite3 "$DB" "$1"; }
[ $rc -eq 0 ] || fail "exit code $rc"
has "[in kamer bestuur]" "call in the second room"
has "Oproep: agendapunten voor Werktafel (vergadering 1," "call"
has "!agenda voorstel <titel>" "call explains how"
has "De oproep voor vergadering 1 staat in 2 kamers;" "call posted"
has "Dit mag alleen een secretaris (of hoger). Jouw rol: lid." "member may not call"
has "De velden staan op één regel met de titel." "one-line hint"
has "Nog niet ingevuld: thema, waarom, wat en hoe." "nudge"
has "Punt #1 (Scholing) is gewijzigd: thema en waarom." "edit"
has "Nog niet ingevuld: wat en hoe." "nudge after edit"
has "alleen de indiener of de secretaris kan het intrekken" "withdraw someone else's"
has "Geef een reden; de indiener krijgt die te lezen." "no reason"
has "Punt #2 (Zorgkosten van één instelling) is geweigerd. De reden: Dit speelt op instellingsniveau" "refused"
has "[privébericht aan @daan:demo.test]" "proposer told"
has "Je agendapunt #2 Zorgkosten van één instelling is geweigerd door" "refusal DM"
has "Je agendapunt #1 Scholing is geaccepteerd" "accept DM"
has "Punt #1 (Scholing) is ingetrokken." "withdrawn"
has "The fields are on one line with the title." "one-line hint (en)"
has "Item #1 (Training) is withdrawn." "withdrawn (en)"
[ "$(q "SELECT state || ':' || coalesce(refusal, '') FROM agenda_items WHERE network = 'demo' ORDER BY short_id")" = "withdrawn:
withdrawn:Dit speelt op instellingsniveau" ] || fail "stored states"
echo "ok"
