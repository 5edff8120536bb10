# The boot path never maps the X client libraries nor the host-side ones (libxml2, liblzma: the
# vbios, acpi-table and libvirt commands run in the helper binary): the guest binary does not link them, and
# 'plan' and 'apply --boot' open none of them; a command that talks to an X server loads them.
# libdrm is loaded only to ask the running system's DRM devices (root '/'): on a recorded tree
# neither command opens it. jansson, inih and libmd are linked in (no shared library of theirs to
# map at every boot), so no libmd.so is opened either. The
# commands the boot service never runs (report, profiles, host, signatures) are not in the
# guest binary but in the helper.
. "$TOP/tests/lib.sh"
needed=$(readelf -d "$OG" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case $needed in
*libX11*|*libXrandr*|*libxcb*|*libxml2*|*liblzma*|*libdrm*|*libmd*|*libjansson*|*libinih*) fail "guest binary needs no X client library, no libxml2, no liblzma, no libdrm, no shared libmd, jansson or inih (it needs: $needed)" ;;
*) pass "guest binary needs no X client library, no libxml2, no liblzma, no libdrm, no shared libmd, jansson or inih" ;;
esac
if command -v nm > /dev/null; then
	off=$(nm "$OG" 2>/dev/null | sed -n 's/.* T \(cmd_report\|cmd_profiles\|cmd_host\|cmd_signatures\|cmd_vbios\|cmd_libvirt\)$/\1/p' | tr '\n' ' ')
	[ -z "$off" ] && pass "report, profiles, host, signatures and the host commands are not in the guest binary" ||
		fail "report, profiles, host, signatures and the host commands are not in the guest binary (found: $off)"
fi
if ! command -v strace > /dev/null; then
	skip "plan and apply --boot open no X library: strace not installed"
	exit 0
fi
xlibs() { grep -E 'open(at)?\(.*lib(X11|Xrandr|xcb|drm)[^"]*\.so' "$1" | grep -v ENOENT; }
cp -a "$FIX/gvt-nouveau-offload" "$TMP/root"
DISPLAY=:99 strace -f -e trace=open,openat -o "$TMP/plan.trace" "$OG" --data-dir "$OG_DATA" --root "$TMP/root" plan > /dev/null 2>&1
if [ -s "$TMP/plan.trace" ] && ! xlibs "$TMP/plan.trace" > /dev/null && ! grep -E 'open(at)?\(.*libmd\.so' "$TMP/plan.trace" | grep -qv ENOENT; then
	pass "plan opens no X client library, no libdrm, no libmd"
else fail "plan opens no X client library, no libdrm, no libmd"; xlibs "$TMP/plan.trace" | head -3; grep 'libmd\.so' "$TMP/plan.trace" | head -1; fi
strace -f -e trace=open,openat -o "$TMP/boot.trace" "$OG" --data-dir "$OG_DATA" --root "$TMP/root" apply --boot > /dev/null 2>&1
if [ -s "$TMP/boot.trace" ] && ! xlibs "$TMP/boot.trace" > /dev/null && ls "$TMP/root/etc/X11/xorg.conf.d/"*optimus-guest*.conf > /dev/null 2>&1; then
	pass "apply --boot writes the configuration and opens no X client library, no libdrm"
else
	fail "apply --boot writes the configuration and opens no X client library, no libdrm"; xlibs "$TMP/boot.trace" | head -3
fi
# asked for a display, it loads them (and says what is wrong when no server answers)
strace -f -e trace=open,openat -o "$TMP/disp.trace" "$OG" --display :98 probe > "$TMP/out" 2> "$TMP/err"
if xlibs "$TMP/disp.trace" | grep -q 'libX11' && grep -q "cannot open X display ':98'" "$TMP/err"; then
	pass "--display loads libX11 on demand and names the display it could not open"
else
	fail "--display loads libX11 on demand and names the display it could not open"; sed 's/^/    /' "$TMP/err" | head -3
fi
