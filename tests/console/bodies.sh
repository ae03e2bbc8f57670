#!/bin/sh
# Console mode: the MGZ governance path over three bodies, each in its own
# room — a subteam prepares a proposal, the action-line meeting approves
# it, the board (BNO) adopts it — with the register showing all three
# decisions, each in its body's meeting and linked to the one before; an
# advisory member of the board is refused; `!agenda` in each room shows
# that room's body's meeting. The board and the subteam come from
# [body.NAME] sections of the config, the action-line meeting from
# !orgaan nieuw; English names once at the end.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
INI=$(mktemp /tmp/wt-console-XXXXXX.ini)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm" "$INI"' EXIT
cat >"$INI" <<'CFG'
[bot]
log_level = warn
language = nl
timezone = Europe/Amsterdam
admins = @admin:demo.test

[network.mgz]
rooms = subteam, actielijnen, bno
themes = kwaliteit, samenwerking

[body.BNO]
network = mgz
kind = board
rooms = bno
chair = @anna:demo.test
advisory = @vera:demo.test

[body.AL1-team]
network = mgz
kind = subteam
rooms = subteam
CFG
out=$("$BIN" --shell --db "$DB" --config "$INI" --as @admin:demo.test <<'IN'
!rol @bram:demo.test secretaris
!orgaan nieuw Actielijnenoverleg actielijnenoverleg
/room subteam
!vergadering plan 10-03-2027 14:00 titel Subteam AL1
/room actielijnen
!orgaan kamer Actielijnenoverleg
!vergadering plan 20-03-2027 14:00 titel Actielijnenoverleg
/room bno
!vergadering plan 30-03-2027 14:00 titel BNO
!agenda
/room subteam
/as @lotte:demo.test
!voorstel nieuw Samen scholen in de regio
/as @bram:demo.test
!vergadering start 1
!voorstel besluit 1 akkoord
!vergadering einde
!voorstel doorsturen 1 Actielijnenoverleg
/room actielijnen
!agenda
!vergadering start 2
!voorstel besluit 1 akkoord
!vergadering einde
!agenda doorsturen 2 BNO
/room bno
!vergadering start 3
/as @vera:demo.test
!voorstel besluit 1 akkoord
/as @anna:demo.test
!voorstel besluit 1 akkoord
/as @bram:demo.test
!vergadering einde
!voorstel 1
!besluiten
!orgaan
!body BNO
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
[ $rc -eq 0 ] || fail "exit code $rc"
q() { sqlite3 "$DB" "$1"; }
echo "$out" | grep -q "Orgaan Actielijnenoverleg (actielijnenoverleg) aangemaakt" || fail "body made"
echo "$out" | grep -q "Agenda BNO (vergadering 3" || fail "agenda in the board room is the board's"
echo "$out" | grep -q "Voorstel V1 van AL1-team gemaakt" || fail "proposal made"
echo "$out" | grep -q "Besluit 1 vastgelegd: Voorstel V1 (Samen scholen in de regio) voorbereid door AL1-team." || fail "prepared"
echo "$out" | grep -q "Agenda Actielijnenoverleg (vergadering 2" || fail "agenda of the action-line meeting"
echo "$out" | grep -q "goedgekeurd door Actielijnenoverleg. Volgt op besluit 1." || fail "approved"
echo "$out" | grep -q "Punt 2 staat nu als punt 3 op de agenda van BNO" || fail "forwarded to the board"
echo "$out" | grep -q "vera is adviserend lid van BNO en legt geen besluiten vast" || fail "advisory refused"
echo "$out" | grep -q "Besluit 3 vastgelegd: Voorstel V1 (Samen scholen in de regio) vastgesteld door BNO. Volgt op besluit 2." || fail "adopted"
echo "$out" | grep -q "1. voorbereid door AL1-team in vergadering 1" || fail "path step 1"
echo "$out" | grep -q "2. goedgekeurd door Actielijnenoverleg in vergadering 2" || fail "path step 2"
echo "$out" | grep -q "3. vastgesteld door BNO in vergadering 3" || fail "path step 3"
echo "$out" | grep -q "Besluiten (3 van 3" || fail "register has three"
echo "$out" | grep -q "Leden: .*(adviserend)" || fail "advisory listed"
[ "$(q "SELECT count(*) FROM logged_items l JOIN meetings m ON m.id = l.meeting_id JOIN bodies b ON b.id = m.body_id WHERE l.kind = 'decision'")" = 3 ] || fail "decisions in their bodies' meetings"
[ "$(q "SELECT group_concat(s.stage || ':' || b.name, ',') FROM proposal_steps s JOIN bodies b ON b.id = s.body_id ORDER BY s.id")" = "prepared:AL1-team,approved:Actielijnenoverleg,adopted:BNO" ] || fail "steps in order"
[ "$(q "SELECT count(*) FROM proposal_steps s JOIN proposal_steps p ON p.id = s.prev_step")" = 2 ] || fail "steps linked"
[ "$(q "SELECT stage FROM proposals WHERE short_id = 1")" = adopted ] || fail "stage stored"
echo ok
