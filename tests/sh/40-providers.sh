# RandR providers: from a live Xvfb and Xorg+dummy, and from recorded 'xrandr --listproviders' text.
. "$TOP/tests/lib.sh"
. "$TOP/tests/xserver.sh"
P="$FIX/providers"

live() {   # live KIND
	kind=$1
	if [ "$kind" = xorg ] && [ -n "$OG_SKIP_XORG" ]; then skip "live $kind OG_SKIP_XORG set"; return; fi
	if ! xserver_start "$kind"; then skip "live $kind cannot start the server here"; return; fi
	if "$OG" --display "$XDISPLAY" probe --json > "$TMP/live.json" 2> "$TMP/err"; then
		python3 - "$TMP/live.json" <<'PY' && pass "live $kind: RandR 1.6, no providers" || fail "live $kind: RandR 1.6, no providers"
import json, sys
p = json.load(open(sys.argv[1]))["providers"]
assert p == {"source": "live", "randr_version": "1.6", "supported": True, "list": []}, p
PY
	else
		fail "live $kind probe"; cat "$TMP/err"
	fi
	"$OG" --display "$XDISPLAY" probe | grep -q '^RandR providers (live, RandR 1.6): none$' \
		&& pass "live $kind table" || fail "live $kind table"
	# $DISPLAY works like --display
	DISPLAY=$XDISPLAY "$OG" probe --json | grep -q '"source": "live"' \
		&& pass "live $kind via DISPLAY" || fail "live $kind via DISPLAY"
	xserver_stop
	xserver_gone
	# the server is gone: --display names it, so that is an error with a clear message
	expect_exit 1 "live $kind gone: exit 1" "$OG" --display "$XGONE" probe
	grep -q "cannot open X display '$XGONE'" "$TMP/err" && pass "live $kind gone: message" || fail "live $kind gone: message"
	# only $DISPLAY: a warning, the probe goes on
	DISPLAY=$XGONE "$OG" probe > /dev/null 2> "$TMP/err" && grep -q 'warning: RandR providers unknown' "$TMP/err" \
		&& pass "live $kind gone via DISPLAY: warning" || fail "live $kind gone via DISPLAY: warning"
}
live xvfb
live xorg

# recorded listings, mapped onto recorded guests
map() {   # map NAME ROOT FILE EXPECTED-PYTHON-LIST
	"$OG" --root "$FIX/$2" --providers "$P/$3" probe --json > "$TMP/m.json" 2> "$TMP/err" || { fail "$1"; cat "$TMP/err"; return; }
	python3 - "$TMP/m.json" "$4" <<'PY' && pass "$1" || fail "$1"
import json, sys
p = json.load(open(sys.argv[1]))["providers"]
got = [(v["name"], v["caps"], v["pci_slot"]) for v in p["list"]]
want = eval(sys.argv[2])
assert got == want, (got, want)
PY
}
map "providers gvt+nouveau" gvt-nouveau-offload gvt-nouveau.txt \
	"[('modesetting','0xf','0000:00:02.0'),('nouveau','0x5','0000:01:00.0')]"
map "providers gvt+NVIDIA-G0" gvt-nvidia-acpi gvt-nvidia-g0.txt \
	"[('modesetting','0xf','0000:00:02.0'),('NVIDIA-G0','0x0','0000:01:00.0')]"
map "providers qxl primary" qxl-boot-vga qxl-primary.txt \
	"[('modesetting','0x2','0000:00:01.0'),('modesetting','0xf','0000:00:02.0'),('nouveau','0x5','0000:01:00.0')]"
map "providers RandR 1.3" gvt-only randr13.txt "[]"
"$OG" --root "$FIX/gvt-only" --providers "$P/randr13.txt" probe --json | grep -q '"supported": false' \
	&& pass "RandR 1.3: not supported" || fail "RandR 1.3: not supported"
"$OG" --root "$FIX/qxl-boot-vga" --providers "$P/qxl-primary.txt" probe | grep -q '  0: modesetting id 0x48 cap 0x2 (Sink Output) on 0000:00:01.0 \[qxl\]' \
	&& pass "providers table" || fail "providers table"

# recorded providers replay through a snapshot, byte for byte
"$OG" --root "$FIX/qxl-boot-vga" --providers "$P/qxl-primary.txt" probe --json > "$TMP/a.json"
"$OG" --snapshot "$TMP/a.json" probe --json > "$TMP/b.json"
same_file "providers round trip" "$TMP/a.json" "$TMP/b.json"
# --providers also applies to a replayed snapshot
"$OG" --snapshot "$TMP/a.json" --providers "$P/gvt-nouveau.txt" probe --json | grep -q '"name": "nouveau"' \
	&& pass "--providers over --snapshot" || fail "--providers over --snapshot"

# bad listings: exit 1, FILE:LINE: message
for f in "$P"/bad/*.txt; do
	b=$(basename "$f" .txt)
	expect_exit 1 "bad providers $b: exit 1" "$OG" --root "$FIX/gvt-only" --providers "$f" probe
	grep -Eq "^optimus-guest: .*/$b\.txt:[0-9]+: " "$TMP/err" && pass "bad providers $b: line number" \
		|| { fail "bad providers $b: line number"; cat "$TMP/err"; }
done
expect_exit 1 "missing providers file" "$OG" --root "$FIX/gvt-only" --providers "$TMP/nope.txt" probe
