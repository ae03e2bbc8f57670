#!/bin/sh
# Console mode: the agenda finalised and sent (posted in the network's
# rooms, the invitation to each member by direct message), an RSVP by
# reaction to the posted agenda and by command, a change after the
# agenda is final (refused for the secretary, announced for the chair),
# the overview with who did not answer, presence during the meeting and
# the minutes' attendance, the summary to the absentee and the feedback
# action.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
# 2027-01-15 12:00 UTC, 13:00 in Amsterdam.
export WERKTAFEL_NOW=1800014400
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!rol @bram:demo.test secretaris
!rol @anna:demo.test voorzitter
!rol @daan:demo.test bestuurder
/as @bram:demo.test
!vergadering plan 15-01-2027 14:00 titel Werktafel januari plaats https://meet.demo.test/januari
!agenda voorstel Regionale scholingsdag \
waarom: Nieuwe collega's kennen de regio nog weinig.
!agenda accepteer 1
!agenda vaststellen
/as @anna:demo.test
!agenda vaststellen
/as @daan:demo.test
/react 17 ✅
/as @eva:demo.test
!afmelden vakantie
/as @bram:demo.test
!agenda voorstel Extra punt
!agenda accepteer 2
/as @anna:demo.test
!agenda accepteer 2
!aanmeldingen
/as @bram:demo.test
!vergadering start
!aanwezig @anna:demo.test telefonisch
!vergadering einde
!terugkoppeling
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
q() { sqlite3 "$DB" "$1"; }
[ $rc -eq 0 ] || fail "exit code $rc"
echo "$out" | grep -q "Dit mag alleen een voorzitter (of hoger). Jouw rol: secretaris." || fail "finalise needs the chair"
echo "$out" | grep -q "De agenda van vergadering 1 (Werktafel januari) is vastgesteld. Ik heb hem geplaatst in 2 kamers en als uitnodiging gestuurd aan 3 leden." || fail "finalised"
echo "$out" | grep -q "^\[17\] 📋 Agenda vastgesteld: Werktafel januari (vergadering 1)" || fail "agenda posted as message 17"
echo "$out" | grep -q "\[privébericht aan @daan:demo.test\]" || fail "invitation to daan"
echo "$out" | grep -q "Videoverbinding: https://meet.demo.test/januari" || fail "video link"
echo "$out" | grep -q "  - waarom: Nieuwe collega's kennen de regio nog weinig." || fail "why in the invitation"
echo "$out" | grep -q "Reageer op dit bericht met ✅ (ik kom)" || fail "RSVP instructions"
echo "$out" | grep -q "Genoteerd: je komt naar Werktafel januari" || fail "RSVP by reaction"
echo "$out" | grep -q "Genoteerd: je bent afgemeld voor Werktafel januari (vrijdag 15 januari om 14:00), met als reden: vakantie" || fail "apologies"
echo "$out" | grep -q "De agenda van vergadering 1 is vastgesteld; alleen de voorzitter wijzigt hem nog." || fail "change refused for the secretary"
echo "$out" | grep -q "Wijziging van de agenda van vergadering 1 (Werktafel januari): Punt #2 (Extra punt) staat op de agenda" || fail "change announced"
echo "$out" | grep -q "^- Komen: daan$" || fail "overview: coming"
echo "$out" | grep -q "^- Afgemeld: eva (vakantie)$" || fail "overview: apologies"
echo "$out" | grep -q "^- Nog geen antwoord: anna, bram$" || fail "overview: no answer"
echo "$out" | grep -q "^- Aanwezig: anna (telefonisch), bram$" || fail "minutes: present"
echo "$out" | grep -q "^- Afwezig met bericht: eva (vakantie)$" || fail "minutes: apologies"
echo "$out" | grep -q "^- Afwezig: daan$" || fail "minutes: absent"
echo "$out" | grep -q "Je was er niet bij: dit is de samenvatting van vergadering 1" || fail "summary to the absentees"
echo "$out" | grep -q "Actie #1 voor bram: de afwezigen van vergadering 1 bijpraten." || fail "feedback action"
[ "$(q "SELECT count(*) FROM meeting_rsvps WHERE meeting_id = 1")" = 3 ] || fail "three rows: daan, eva, anna present (bram spoke: meeting_attendees)"
[ "$(q "SELECT text FROM logged_items WHERE kind = 'action'")" = "Terugkoppeling aan afwezigen van vergadering 1: daan, eva" ] || fail "the action's text"
[ "$(q "SELECT agenda_final_at IS NOT NULL FROM meetings WHERE short_id = 1")" = 1 ] || fail "final"
exit 0
