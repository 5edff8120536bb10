# make install into a DESTDIR gives exactly the expected files; uninstall removes them;
# the man page renders and names every command; bash completion completes.
. "$TOP/tests/lib.sh"
D="$TMP/dest"
# The expected list is for the default paths, whatever make check itself was given. Other
# suites run build/optimus-guest meanwhile, and other paths relink it: make install runs in
# a copy of the tree, its objects included, so that only the objects using the paths rebuild.
mkdir -p "$TMP/tree"
(cd "$TOP" && cp -a Makefile src data doc profiles xorg-snippets signatures scripts build "$TMP/tree/")
cd "$TMP/tree"
inst() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s PREFIX=/usr/local SYSCONFDIR=/etc DESTDIR="$D" "$@"; }
if inst install > "$TMP/inst.log" 2>&1; then pass "make install"; else fail "make install"; cat "$TMP/inst.log"; fi
(cd "$D" && find . -type f -o -type l | sed 's|^\.||' | sort) > "$TMP/got"
same_file "installed file list" "$TOP/tests/install-files.txt" "$TMP/got"
[ -x "$D/usr/local/bin/optimus-guest" ] && pass "binary executable" || fail "binary executable"
grep -q '^ExecStart=/usr/local/bin/optimus-guest apply --boot$' "$D/usr/local/lib/systemd/system/optimus-guest.service" \
	&& pass "unit runs the installed binary" || fail "unit runs the installed binary"
grep -q '^Exec=/usr/local/bin/optimus-guest session$' "$D/etc/xdg/autostart/optimus-guest-session.desktop" \
	&& pass "autostart runs the installed binary" || fail "autostart runs the installed binary"
head -1 "$D/usr/local/share/optimus-guest/profiles/40-gvt-only.ini" | grep -q "overwritten on update" \
	&& pass "shipped profile says it is overwritten" || fail "shipped profile says it is overwritten"
for f in "$D"/usr/local/share/optimus-guest/profiles/*.ini "$D"/usr/local/share/optimus-guest/signatures/*.ini; do
	head -3 "$f" | grep -qi "overwritten on update" || { fail "no overwrite note in $(basename "$f")"; continue; }
done
pass "every shipped data file has the overwrite note"
inst uninstall > /dev/null 2>&1
left=$(find "$D" -type f | wc -l)
[ "$left" -eq 0 ] && pass "uninstall removes exactly what install put there" || { fail "uninstall left $left files"; find "$D" -type f; }

# the man page: renders, and every command of --help is in it
if command -v man > /dev/null && [ -f "$TOP/build/optimus-guest.8" ]; then
	MANWIDTH=100 man -l "$TOP/build/optimus-guest.8" > "$TMP/man.txt" 2> "$TMP/man.err"
	[ -s "$TMP/man.txt" ] && pass "man -l renders" || fail "man -l renders"
	for c in $("$OG" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR>1 && $1 {print $1}'); do
		grep -qE "^ {7}$c( |\$)" "$TMP/man.txt" || { fail "man page lacks command $c"; continue; }
		pass "man page has $c"
	done
	for o in --root --snapshot --providers --display --data-dir --json; do
		grep -q -- "$o" "$TMP/man.txt" && pass "man page has $o" || fail "man page has $o"
	done
else
	skip "man page: man or scdoc output missing"
fi

# bash completion
if [ -f /usr/share/bash-completion/bash_completion ]; then
	mkdir -p "$TMP/bin"
	printf '#!/bin/sh\nexec "%s" --data-dir "%s" "$@"\n' "$OG" "$TOP" > "$TMP/bin/optimus-guest"
	chmod +x "$TMP/bin/optimus-guest"
	comp() {
		PATH="$TMP/bin:$PATH" bash -c '. /usr/share/bash-completion/bash_completion; . "$1"; shift
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			_optimus_guest; printf "%s\n" "${COMPREPLY[@]}"' _ "$TOP/data/optimus-guest.bash" "$@" 2>/dev/null
	}
	comp optimus-guest pr | grep -qx probe && comp optimus-guest pr | grep -qx profiles && pass "completes commands" || fail "completes commands"
	comp optimus-guest plan gvt | grep -qx gvt-nouveau-offload && pass "completes profile names" || fail "completes profile names"
	comp optimus-guest apply --d | grep -qx -- --dry-run && pass "completes options" || fail "completes options"
	comp optimus-guest report --format "" | grep -qx json && pass "completes option values" || fail "completes option values"
	comp optimus-guest vbios "" | grep -qx extract && pass "completes sub-commands" || fail "completes sub-commands"
	# every option the man page lists for a command is offered after "optimus-guest CMD [SUB] -"
	if [ -f "$TOP/build/optimus-guest.8" ] && command -v man > /dev/null; then
		MANWIDTH=1000 man -l "$TOP/build/optimus-guest.8" 2> /dev/null | sed -n '/^GUEST COMMANDS/,/^EXIT STATUS/p' |
			grep -E '^       [a-z]' > "$TMP/synopsis"
		missing=""
		while read -r cmd sub rest; do
			case "$cmd $sub" in
			"profiles "*) words="profiles list" ;;
			"vbios "* | "libvirt "* | "signatures "*) words="$cmd $sub" ;;
			*) words="$cmd"; rest="$sub $rest" ;;
			esac
			comp optimus-guest $words - > "$TMP/offered"
			for opt in $(printf '%s\n' "$rest" | grep -oE '(^|[[ |])--?[a-z][a-z-]*' | sed 's/^[[ |]*//' | sort -u); do
				grep -qx -- "$opt" "$TMP/offered" || missing="$missing $words:$opt"
			done
		done < "$TMP/synopsis"
		comp optimus-guest - > "$TMP/offered"
		for opt in $(MANWIDTH=1000 man -l "$TOP/build/optimus-guest.8" 2> /dev/null | sed -n '/^GLOBAL OPTIONS/,/^GUEST COMMANDS/p' | grep -oE '^       (-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+$'); do
			grep -qx -- "$opt" "$TMP/offered" || missing="$missing global:$opt"
		done
		[ -z "$missing" ] && [ -s "$TMP/synopsis" ] && pass "completion offers every option the man page lists" \
			|| fail "completion lacks options the man page lists:$missing"
	fi
	comp optimus-guest ho | grep -qx host && comp optimus-guest host "" | grep -qx check && pass "completes host check" || fail "completes host check"
else
	skip "bash completion: bash-completion not installed"
fi
