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

# listings pasted into public issues (tests/fixtures/providers/pasted/README) judged on our guests
# 5. NVIDIA-0 is X's primary (xrandr-extend #12): the GVT-primary offload row does not work as X runs now
$P --root "$FIX/gvt-nvidia-acpi" --providers "$PV/pasted/xrandr-extend-12.txt" plan gvt-nvidia-offload > "$TMP/out" 2>&1
grep -q "warning  providers-offload: provider 0 'NVIDIA-0' of the renderer (0000:01:00.0) is X's primary screen: .* does not work as X runs now" "$TMP/out" \
	&& pass "NVIDIA-0 primary: offload does not work as is" || { fail "NVIDIA-0 primary: offload does not work as is"; grep providers "$TMP/out"; }
grep -q "ok  *providers-offload" "$TMP/out" && fail "NVIDIA-0 primary: offload not ok" || pass "NVIDIA-0 primary: offload not ok"
# 6. nouveau listed first (X's screen on the NVIDIA card) without an OutputClass saying so
cat > "$TMP/nouveau-first.txt" <<'P'
Providers: number : 2
Provider 0: id: 0x47 cap: 0x7, Source Output, Sink Output, Source Offload crtcs: 0 outputs: 0 associated providers: 0 name:nouveau
Provider 1: id: 0x7d cap: 0xf, Source Output, Sink Output, Source Offload, Sink Offload crtcs: 3 outputs: 4 associated providers: 0 name:modesetting
P
$P --root "$FIX/gvt-nouveau-offload" --providers "$TMP/nouveau-first.txt" plan > "$TMP/out" 2>&1
grep -q "warning  providers-primary: X runs with nvidia-muxless 0000:01:00.0 as its primary" "$TMP/out" && grep -q "warning  providers-offload: provider 0 'nouveau'" "$TMP/out" \
	&& pass "nouveau first: X's primary is the NVIDIA card" || { fail "nouveau first: X's primary is the NVIDIA card"; grep providers "$TMP/out"; }
# 7. no provider can be the render source (displaylink-debian #299: one Intel provider): offload must not pass
$P --root "$FIX/gvt-nouveau-offload" --providers "$PV/pasted/displaylink-debian-299.txt" plan gvt-nouveau-offload > "$TMP/out" 2>&1; rc=$?
[ $rc -eq 3 ] && grep -q "error    providers-offload: no provider of the 1 listed can act as the render source" "$TMP/out" \
	&& pass "no render source: offload refused" || { fail "no render source: offload refused (exit $rc)"; grep providers "$TMP/out"; }
# 8. NVIDIA-G0 lists cap 0x0 (as NVIDIA's README shows) and still renders offloaded work
$P --root "$FIX/gvt-nvidia-acpi" --providers "$PV/gvt-nvidia-g0.txt" plan gvt-nvidia-offload > "$TMP/out" 2>&1
grep -q "ok       providers-offload: providers fit render offload: the primary offers Sink Offload, the renderer is the NVIDIA driver's GPU screen" "$TMP/out" \
	&& pass "NVIDIA-G0 cap 0x0 renders" || { fail "NVIDIA-G0 cap 0x0 renders"; grep providers "$TMP/out"; }
# 9. providers of a driver that is not bound: a contradiction, named
$P --root "$FIX/gvt-nouveau-offload" --providers "$PV/gvt-nvidia-g0.txt" plan > "$TMP/out" 2>&1
grep -q "warning  providers-driver: provider 1 'NVIDIA-G0' is the nvidia X driver's, but NVIDIA 0000:01:00.0 is bound to nouveau: the listing and this guest disagree" "$TMP/out" \
	&& pass "NVIDIA-G0 while nouveau is bound: contradiction" || { fail "NVIDIA-G0 while nouveau is bound: contradiction"; grep providers "$TMP/out"; }
$P --root "$FIX/gvt-nvidia-acpi" --providers "$PV/gvt-nouveau.txt" plan gvt-nvidia-offload > "$TMP/out" 2>&1
grep -q "providers-driver: provider 1 'nouveau' is the nouveau X driver's, but NVIDIA 0000:01:00.0 is bound to nvidia" "$TMP/out" \
	&& pass "nouveau provider while nvidia is bound: contradiction" || { fail "nouveau provider while nvidia is bound: contradiction"; grep providers "$TMP/out"; }
# 10. a pasted listing (fence, prompt) is read like a clean one
$P --root "$FIX/gvt-nouveau-offload" --providers "$PV/pasted/indented.txt" --json plan > "$TMP/a.json" 2>/dev/null
$P --root "$FIX/gvt-nouveau-offload" --providers "$PV/gvt-nouveau.txt" --json plan > "$TMP/b.json" 2>/dev/null
sed 's/indented.txt/gvt-nouveau.txt/' "$TMP/a.json" | cmp -s - "$TMP/b.json" && pass "indented listing plans alike" || fail "indented listing plans alike"
