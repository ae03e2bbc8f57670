#!/bin/sh
# Console mode: form lines with an empty or blank value are refused, name
# the field, say how to write it and change nothing. Before the fix
# "thema: " crashed the bot (SIGSEGV) and "waarom:   " made it spin for ever.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
DB=$(mktemp /tmp/wt-console-XXXXXX.db)
trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
export WERKTAFEL_NOW=1800000000
# The trailing blanks after the colons are the point of this test.
out=$(timeout -k 5 60 "$BIN" --shell --db "$DB" --config tests/fixtures/demo.ini --as @admin:demo.test <<'IN'
!advies nieuw Vraag \
thema: 
!advies nieuw Vraag \
waarom:   
!advies nieuw Vraag \
vraag: Hoe dan? \
hoe:	
!agenda voorstel Scholing \
wat:  
!al nieuw Scholing \
budget: 
!advies nieuw Echt \
thema: kwaliteit
!advies wijzig A1 \
deadline:  
!advies
IN
)
rc=$?
fail() { echo "FAIL: $1"; echo "--- output ---"; echo "$out"; exit 1; }
has() { echo "$out" | grep -q -- "$1" || fail "$2"; }
[ $rc -eq 0 ] || fail "exit code $rc (crashed or hung)"
has "Achter thema: staat niets" "empty thema refused"
has "Achter waarom: staat niets" "blank waarom refused"
has "Achter hoe: staat niets" "tab-only hoe refused"
has "Achter wat: staat niets" "empty agenda wat refused"
has "Achter budget: staat niets" "empty budget refused"
has "Achter deadline: staat niets" "empty deadline in an edit refused"
has "Zo schrijf je het: !advies nieuw" "advice synopsis shown"
has "Zo schrijf je het: !agenda voorstel" "agenda synopsis shown"
# Only the one good request was stored, as A1; nothing else was.
has "A1" "the good request"
echo "$out" | grep -q "A2" && fail "a refused request was stored"
n=$(sqlite3 "$DB" 'SELECT count(*) FROM advice_requests') || fail "sqlite3"
[ "$n" = 1 ] || fail "expected 1 advice request, found $n"
n=$(sqlite3 "$DB" 'SELECT count(*) FROM agenda_items; SELECT count(*) FROM action_lines' | tr '\n' ' ')
[ "$n" = "0 0 " ] || fail "expected no agenda item and no action line, found $n"
echo ok
