# The installed guest binary (build/optimus-guest: what make install and the package ship) is a
# static PIE: no dynamic loader, no shared library to map at every boot. libX11, libXrandr
# and libdrm are linked in and paged in only when a command talks to an X server or to
# /dev/dri; the host-side libraries (libxml2, liblzma) stay out, in the helper binary with the
# commands the boot service never runs (report, profiles, host, signatures, vbios, libvirt).
# Each check runs that binary, not the sanitizer build the other suites run.
. "$TOP/tests/lib.sh"
. "$TOP/tests/xserver.sh"
REL="$TOP/build/optimus-guest"
[ -x "$REL" ] || { fail "boot path: $REL is not built (make check builds it)"; exit 0; }

interp=$(readelf -l "$REL" | grep -c 'Requesting program interpreter')
needed=$(readelf -d "$REL" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
[ "$interp" = 0 ] && [ -z "$needed" ] && readelf -h "$REL" | grep -q 'DYN (' \
	&& pass "the guest binary is a static PIE: no program interpreter, no shared library" \
	|| fail "the guest binary is a static PIE: no program interpreter, no shared library (interpreter: $interp, needs: $needed)"
off=$(nm "$REL" 2>/dev/null | sed -n 's/.* T \(cmd_report\|cmd_profiles\|cmd_host\|cmd_signatures\|cmd_vbios\|cmd_libvirt\|xmlReadMemory\|lzma_code\)$/\1/p' | tr '\n' ' ')
[ -z "$off" ] && nm "$REL" | grep -q ' T XOpenDisplay$' && nm "$REL" | grep -q ' T drmGetDevices2$' \
	&& pass "libX11 and libdrm are linked in; report, profiles, host, signatures, the host commands, libxml2 and liblzma are not" \
	|| fail "libX11 and libdrm are linked in; report, profiles, host, signatures, the host commands, libxml2 and liblzma are not (found: $off)"

# opened: every shared object a traced run opened (none is expected)
sos() { grep -E 'open(at)?\(.*\.so[."]' "$1" | grep -v ENOENT; }
traced() { # NAME TRACE CMD...: run CMD under strace into TRACE
	name=$1 tr=$2; shift 2
	strace -f -e trace=open,openat -o "$tr" "$@" > "$TMP/out" 2> "$TMP/err"
}
cp -a "$FIX/gvt-nouveau-offload" "$TMP/root"
DISPLAY=:99 traced plan "$TMP/plan.trace" "$REL" --data-dir "$OG_DATA" --root "$TMP/root" plan
if [ -s "$TMP/plan.trace" ] && ! sos "$TMP/plan.trace" > /dev/null && grep -q '^Profile: gvt-nouveau-offload (works)' "$TMP/out"; then
	pass "plan decides and opens no shared object"
else fail "plan decides and opens no shared object"; sos "$TMP/plan.trace" | head -3; head -3 "$TMP/out" "$TMP/err"; fi
"$OG" --data-dir "$OG_DATA" --root "$TMP/root" plan > "$TMP/plan.san" 2>&1
cmp -s "$TMP/out" "$TMP/plan.san" && pass "plan prints what the sanitizer build prints" \
	|| { fail "plan prints what the sanitizer build prints"; diff "$TMP/plan.san" "$TMP/out" | head -5; }
traced boot "$TMP/boot.trace" "$REL" --data-dir "$OG_DATA" --root "$TMP/root" apply --boot
if [ -s "$TMP/boot.trace" ] && ! sos "$TMP/boot.trace" > /dev/null && ls "$TMP/root/etc/X11/xorg.conf.d/"*optimus-guest*.conf > /dev/null 2>&1; then
	pass "apply --boot writes the configuration and opens no shared object"
else
	fail "apply --boot writes the configuration and opens no shared object"; sos "$TMP/boot.trace" | head -3
fi

# asked for a display no server answers: named, with the libraries linked in
xserver_gone
traced gone "$TMP/disp.trace" "$REL" --display "$XGONE" probe
if grep -q "cannot open X display '$XGONE'" "$TMP/err" && ! sos "$TMP/disp.trace" > /dev/null; then
	pass "--display with no server: named, no shared object opened"
else
	fail "--display with no server: named, no shared object opened"; sed 's/^/    /' "$TMP/err" | head -3; sos "$TMP/disp.trace" | head -3
fi

# a live server, over its local socket and over TCP by name (as ssh -X forwards a display):
# the providers the sanitizer build reads, and no shared object opened (glibc's static
# getaddrinfo answers from /etc/hosts and DNS without loading an NSS module)
live() { # KIND [HOST]
	if ! xserver_start "$1"; then fail "live $1: cannot start the server"; return; fi
	d="${2:-}$XDISPLAY"
	traced live "$TMP/live.trace" "$REL" --display "$d" probe --json
	cp "$TMP/out" "$TMP/live.rel"
	"$OG" --display "$d" probe --json > "$TMP/live.san" 2> /dev/null
	if python3 - "$TMP/live.rel" "$TMP/live.san" <<'PY'
import json, sys
a, b = (json.load(open(f))["providers"] for f in sys.argv[1:])
assert a["source"] == "live" and a["supported"] and a == b, (a, b)
PY
	then pass "live $1 ($d): the providers the sanitizer build reads"
	else fail "live $1 ($d): the providers the sanitizer build reads"; head -3 "$TMP/err"; fi
	sos "$TMP/live.trace" > "$TMP/live.sos" && { fail "live $1 ($d): no shared object opened"; head -3 "$TMP/live.sos"; } \
		|| pass "live $1 ($d): no shared object opened"
	xserver_stop
}
live xvfb
if getent hosts localhost > /dev/null; then
	live xvfb-tcp localhost
else
	fail "live xvfb-tcp: 'localhost' does not resolve here (getent hosts localhost); /etc/hosts should name it"
fi

# src/cli/guest.ld: the X and libdrm code lies in .text.xlibs, apart from the code every
# command runs (a renamed archive would silently put it back among it)
xs=$(readelf -SW "$REL" | awk '$2 == ".text.xlibs" { print $4, $6 }')
in_xlibs() { # SYMBOL: its address lies in .text.xlibs
	a=$(nm "$REL" | awk -v s="$1" '$3 == s { print $1 }')
	[ -n "$xs" ] && [ -n "$a" ] && python3 -c "import sys; s, n = (int(x, 16) for x in sys.argv[1].split()); a = int(sys.argv[2], 16); sys.exit(0 if s <= a < s + n else 1)" "$xs" "$a"
}
in_xlibs XOpenDisplay && in_xlibs xcb_connect && in_xlibs drmGetDevices2 && ! in_xlibs probe_run && ! in_xlibs malloc \
	&& pass "libX11, libxcb and libdrm code lies in .text.xlibs, apart from the tool's and libc's" \
	|| fail "libX11, libxcb and libdrm code lies in .text.xlibs, apart from the tool's and libc's (.text.xlibs: ${xs:-none})"
