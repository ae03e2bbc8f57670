#!/bin/sh
# make install into a temporary DESTDIR: exactly the binary, both man pages,
# the example config, the systemd unit and the sysusers entry; the pages
# render without a groff warning and name every option of --help; the unit
# passes systemd-analyze verify and keeps its security exposure at most
# 2.0 (when systemd-analyze is there); make uninstall leaves no file.
set -u
BIN=${WERKTAFEL_BIN:-./werktafel}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
fail() { echo "FAIL: $1"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mk() { make -s --no-print-directory INSTALL_BIN="$BIN" GEN="$tmp/gen" PREFIX=/usr DESTDIR="$root" "$@"; }

mk install >"$tmp/install.out" 2>&1 || { cat "$tmp/install.out"; fail "make install"; }
(cd "$root" && find . -type f -o -type l | sort) >"$tmp/tree"
cat >"$tmp/want" <<'LIST'
./usr/bin/werktafel
./usr/lib/systemd/system/werktafel.service
./usr/lib/sysusers.d/werktafel.conf
./usr/share/doc/werktafel/config.example.ini
./usr/share/man/man1/werktafel.1
./usr/share/man/man5/werktafel.ini.5
LIST
diff -u "$tmp/want" "$tmp/tree" || fail "installed tree"
"$root/usr/bin/werktafel" --version | grep -q "^werktafel " || fail "installed binary"
[ "$(stat -c %a "$root/usr/bin/werktafel")" = 755 ] || fail "binary mode"
[ "$(stat -c %a "$root/usr/share/man/man1/werktafel.1")" = 644 ] || fail "page mode"
grep -q "^ExecStart=/usr/bin/werktafel --config /etc/werktafel/werktafel.ini$" \
	"$root/usr/lib/systemd/system/werktafel.service" || fail "unit paths"
grep -Eq "@[A-Z]+@" "$root/usr/lib/systemd/system/werktafel.service" && fail "unit has a placeholder left"

# The pages: no warning from groff (every warning on) nor from man.
for page in man1/werktafel.1 man5/werktafel.ini.5; do
	f=$root/usr/share/man/$page
	groff -man -ww -z "$f" >"$tmp/groff.err" 2>&1
	[ -s "$tmp/groff.err" ] && { cat "$tmp/groff.err"; fail "groff warns on $page"; }
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$f" >"$tmp/page.txt" 2>"$tmp/man.err" \
		|| fail "man -l $page"
	[ -s "$tmp/man.err" ] && { cat "$tmp/man.err"; fail "man warns on $page"; }
	[ "$(wc -l <"$tmp/page.txt")" -gt 50 ] || fail "$page is short"
done
# Every option --help names is in werktafel(1).
page1=$root/usr/share/man/man1/werktafel.1
for opt in $("$BIN" --help | grep -o -- '--[a-z-]*' | sort -u); do
	o=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
	grep -q -- "$o" "$page1" || fail "option $opt missing from werktafel(1)"
done
out=$("$BIN" --man 7 2>&1); rc=$?
[ $rc -eq 2 ] || fail "--man 7 exits $rc"
echo "$out" | grep -q "there is manual page 1" || fail "--man 7 message: $out"
out=$(LANG=nl_NL.UTF-8 "$BIN" --man x 2>&1)
echo "$out" | grep -q "er is een handleiding 1" || fail "--man x in Dutch: $out"

# The unit, when systemd-analyze is there.
if command -v systemd-analyze >/dev/null 2>&1; then
	unit=$root/usr/lib/systemd/system/werktafel.service
	# verify checks that ExecStart exists: a copy pointing at the installed binary
	make -s --no-print-directory GEN="$tmp/gen2" BINDIR="$root/usr/bin" "$tmp/gen2/werktafel.service"
	(cd "$tmp" && systemd-analyze verify --man=no "$tmp/gen2/werktafel.service") \
		>"$tmp/verify.err" 2>&1 || { cat "$tmp/verify.err"; fail "systemd-analyze verify"; }
	[ -s "$tmp/verify.err" ] && { echo "--- verify said:"; cat "$tmp/verify.err"; fail "systemd-analyze verify warns"; }
	(cd "$tmp" && systemd-analyze security --offline=yes --threshold=20 "$unit") \
		>"$tmp/security.out" 2>&1 || { tail -3 "$tmp/security.out"; fail "security exposure above 2.0"; }
	grep -q "Overall exposure level for werktafel.service: [01]\.[0-9]" "$tmp/security.out" \
		|| { tail -3 "$tmp/security.out"; fail "security exposure"; }
fi

mk uninstall >"$tmp/uninstall.out" 2>&1 || { cat "$tmp/uninstall.out"; fail "make uninstall"; }
left=$(cd "$root" && find . -type f -o -type l)
[ -z "$left" ] || fail "uninstall left: $left"
[ -d "$root/usr/share/doc/werktafel" ] && fail "uninstall left the doc directory"
exit 0
