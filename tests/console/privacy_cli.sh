#!/bin/sh
# werktafel forget and werktafel backup (issue 23): exit codes, messages,
# and what they do to a demo database.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
fail() { echo "FAIL: $1"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=$T/w.db
"$BIN" --seed-demo --db "$DB" >/dev/null || fail "seed"
mode=$(stat -c %a "$DB")
[ "$mode" = 600 ] || fail "database mode $mode, not 600"
"$BIN" --help | grep -q "werktafel forget @user:server" || fail "--help lacks forget"

out=$(LANG=C "$BIN" forget --db "$DB" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "forget without a person exits $rc"
echo "$out" | grep -q "Usage: werktafel forget" || fail "forget usage: $out"
out=$(LANG=nl_NL.UTF-8 "$BIN" forget daan --db "$DB" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "forget of a non-user exits $rc"
echo "$out" | grep -q "is geen Matrix-gebruiker; schrijf @naam:server" || fail "bad user: $out"
out=$(LANG=C "$BIN" forget @daan:demo.test --db "$DB" --bogus 2>&1); rc=$?
[ $rc -eq 2 ] || fail "forget with an unknown option exits $rc"
out=$(LANG=C "$BIN" forget @daan:demo.test --db "$DB" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "forget exits $rc: $out"
echo "$out" | grep -q "The personal data of @daan:demo.test is erased" || fail "forget: $out"
echo "$out" | grep -q "former member 1" || fail "forget label: $out"
echo "$out" | grep -q "The bot's own messages in the rooms are not erased" || fail "not ours: $out"
echo "$out" | grep -q "info forgot a person" || fail "forget logs nothing: $out"
n=$(sqlite3 "$DB" "SELECT count(*) FROM expertise WHERE user_id = '@daan:demo.test'")
[ "$n" = 0 ] || fail "expertise left: $n"
out=$(LANG=C "$BIN" forget @daan:demo.test --db "$DB" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "forget again exits $rc"
echo "$out" | grep -q "holds nothing of @daan:demo.test" || fail "forget again: $out"

out=$(LANG=C "$BIN" backup --db "$DB" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "backup without a file exits $rc"
echo "$out" | grep -q "Usage: werktafel backup FILE" || fail "backup usage: $out"
out=$(LANG=C "$BIN" backup "$T/copy.db" --db "$DB" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "backup exits $rc: $out"
echo "$out" | grep -q "and checked the copy" || fail "backup: $out"
[ "$(stat -c %a "$T/copy.db")" = 600 ] || fail "backup mode"
[ "$(sqlite3 "$T/copy.db" 'PRAGMA integrity_check')" = ok ] || fail "copy integrity"
a=$(sqlite3 "$DB" "SELECT count(*) FROM logged_items")
b=$(sqlite3 "$T/copy.db" "SELECT count(*) FROM logged_items")
[ "$a" = "$b" ] || fail "copy has $b items, not $a"
out=$(LANG=C "$BIN" backup /nonexistent/dir/x.db --db "$DB" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "backup to a missing directory exits $rc"
echo "$out" | grep -q "no copy made" || fail "backup failure: $out"

out=$(LANG=C "$BIN" export --network werktafel "$T/out" --db "$DB" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "export without --format exits $rc"
echo "$out" | grep -q "Usage: werktafel export --network NAME --format json|csv DIR" || fail "export usage: $out"
out=$(LANG=C "$BIN" export --network werktafel --format xml "$T/out" --db "$DB" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "export --format xml exits $rc"
out=$(LANG=C "$BIN" export --network werktafel --format json "$T/out" --db "$DB" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "export json exits $rc: $out"
[ "$(stat -c %a "$T/out")" = 700 ] || fail "export directory mode"
[ "$(stat -c %a "$T/out/werktafel.json")" = 600 ] || fail "export file mode"
grep -q '"format": "werktafel-export"' "$T/out/werktafel.json" || fail "json format field"
out=$(LANG=C "$BIN" export --network werktafel --format csv "$T/out" --db "$DB" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "export csv exits $rc: $out"
head -1 "$T/out/werktafel-meetings.csv" | grep -q "^id,network,short_id,title," || fail "csv header"
out=$(LANG=C "$BIN" import "$T/out/werktafel.json" --db "$T/fresh.db" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "import exits $rc: $out"
echo "$out" | grep -q "Imported network werktafel" || fail "import: $out"
a=$(sqlite3 "$DB" "SELECT count(*) FROM advice_history")
b=$(sqlite3 "$T/fresh.db" "SELECT count(*) FROM advice_history")
[ "$a" = "$b" ] || fail "imported $b advice history rows, not $a"
out=$(LANG=nl_NL.UTF-8 "$BIN" import "$T/out/werktafel.json" --db "$T/fresh.db" 2>&1); rc=$?
[ $rc -eq 1 ] || fail "second import exits $rc"
echo "$out" | grep -q "niets geïmporteerd: de database bevat netwerk werktafel al" || fail "second import: $out"
exit 0
