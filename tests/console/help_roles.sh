#!/bin/sh
# Console mode: help, unknown commands, roles, a continued message, /as.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
out=$("$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!hulp
!agnda
!rol @anna:demo.test voorzitter
/as @eva:demo.test
!rol @eva:demo.test voorzitter
!hulp rol
!agenda voorstel Scholing \
thema: opleiding
!rol
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
[ $rc -eq 0 ] || fail "exit code $rc"
echo "$out" | grep -q "Commando's die jij kunt gebruiken (rol: beheerder)" || fail "help header"
echo "$out" | grep -q "Bedoel je !agenda?" || fail "suggestion for !agnda"
echo "$out" | grep -q "^\[[0-9]*\] anna is nu voorzitter in netwerk demo" || fail "role set"
echo "$out" | grep -q "Je bent nu @eva:demo.test (rol: lid)" || fail "/as"
echo "$out" | grep -q "Dit mag alleen een voorzitter" || fail "refusal for a member"
echo "$out" | grep -q "Minimale rol: lid" || fail "help for one command"
[ "$(sqlite3 "$DB" "SELECT theme FROM agenda_items WHERE title='Scholing'")" = opleiding ] || fail "continued message"
echo "$out" | grep -q -- "- anna: voorzitter" || fail "role list"
# The refused command changed nothing: eva is still a member.
[ "$(sqlite3 "$DB" "SELECT count(*) FROM roles WHERE user_id='@eva:demo.test'")" = 0 ] || fail "eva got a role"
exit 0
