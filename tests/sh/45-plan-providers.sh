# plan with recorded RandR provider listings: the three cases the matrix turns on.
. "$TOP/tests/lib.sh"
P="$OG --data-dir $TOP"
PV="$FIX/providers"

# 1. GVT primary with Sink Offload, nouveau with Source Offload: render offload fits
$P --root "$FIX/gvt-nouveau-offload" --providers "$PV/gvt-nouveau.txt" plan > "$TMP/out" 2>&1
grep -q "ok  *providers-offload: providers fit render offload: the primary offers Sink Offload, the renderer Source Offload" "$TMP/out" \
	&& pass "offload fits with Sink/Source Offload" || { fail "offload fits with Sink/Source Offload"; cat "$TMP/out"; }
grep -q "^Profile: gvt-nouveau-offload" "$TMP/out" && pass "gvt-nouveau-offload chosen with providers" || fail "gvt-nouveau-offload chosen with providers"

# 2. GVT's provider without Sink Offload (modesetting without glamor): no render offload
cat > "$TMP/noglamor.txt" <<'P'
Providers: number : 2
Provider 0: id: 0x47 cap: 0x3, Source Output, Sink Output crtcs: 3 outputs: 4 associated providers: 0 name:modesetting
Provider 1: id: 0x7d cap: 0x5, Source Output, Source Offload crtcs: 0 outputs: 0 associated providers: 0 name:nouveau
P
$P --root "$FIX/gvt-nouveau-offload" --providers "$TMP/noglamor.txt" --json plan > "$TMP/j" 2>/dev/null
python3 - "$TMP/j" <<'PY' && pass "no Sink Offload on the primary rejects offload" || fail "no Sink Offload on the primary rejects offload"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["profile"] == "gvt-only", d["profile"]
r = {x["profile"]: x["reasons"] for x in d["rejected"]}
assert any("providers-offload" in s and "not Sink Offload" in s for s in r["gvt-nouveau-offload"]), r
PY
expect_exit 3 "offload refused by name without Sink Offload" $P --root "$FIX/gvt-nouveau-offload" --providers "$TMP/noglamor.txt" plan gvt-nouveau-offload

# 3. QXL is X's primary, offering only Sink Output: the qxl-primary row's words
$P --root "$FIX/qxl-boot-vga" --providers "$PV/qxl-primary.txt" plan > "$TMP/out" 2>&1
grep -q "providers-primary: X runs with QXL 0000:00:01.0 as its primary.*the broken qxl-primary topology. The QXL-backed modesetting instance offers only the Sink Output RandR capability" "$TMP/out" \
	&& pass "QXL primary explained with the matrix's words" || { fail "QXL primary explained with the matrix's words"; grep providers "$TMP/out"; }
grep -q "fix: 'optimus-guest apply' makes 0000:00:02.0 the primary GPU" "$TMP/out" && pass "QXL primary fix names GVT" || fail "QXL primary fix names GVT"

# 4. nouveau is X's primary (an admin's PrimaryGPU): the AttachOutputGPU assertion, before X crashes
cat > "$TMP/nouveau-primary.txt" <<'P'
Providers: number : 2
Provider 0: id: 0x47 cap: 0x5, Source Output, Source Offload crtcs: 0 outputs: 0 associated providers: 0 name:nouveau
Provider 1: id: 0x7d cap: 0xf, Source Output, Sink Output, Source Offload, Sink Offload crtcs: 3 outputs: 4 associated providers: 0 name:modesetting
P
$P --root "$FIX/user-xorg-conf" --providers "$TMP/nouveau-primary.txt" plan > "$TMP/out" 2>&1
grep -q "providers-primary: X runs with nvidia-muxless 0000:01:00.0 as its primary, not gvt 0000:00:02.0.*AttachOutputGPU: Assertion 'new->current_master == pScreen' failed.*nouveau-offload-gvt-secondary" "$TMP/out" \
	&& pass "non-GVT primary explained by the assertion" || { fail "non-GVT primary explained by the assertion"; grep providers "$TMP/out"; }

# providers unknown: the checks say so and pass
$P --root "$FIX/gvt-nouveau-offload" plan > "$TMP/out" 2>&1
grep -q "providers-offload: RandR providers not known" "$TMP/out" && pass "unknown providers said" || fail "unknown providers said"
