# optimus-guest session: links from recorded providers (dry run), idempotence, live servers without providers.
. "$TOP/tests/lib.sh"
. "$TOP/tests/xserver.sh"
P="$FIX/providers"
V="$OG --data-dir $TOP --root $FIX/gvt-nvidia-acpi"

$V --providers "$P/nvidia-primary.txt" session --profile nvidia-primary-gvt-output --dry-run > "$TMP/out" 2> "$TMP/err"
grep -qx 'would set: output-source of gvt (modesetting 0x66) is nvidia-muxless (NVIDIA-0 0x1b7)' "$TMP/out" \
	&& pass "session: output-source from recorded providers" || { fail "session: output-source from recorded providers"; cat "$TMP/out" "$TMP/err"; }

# already linked (a recorded snapshot says so): nothing changes
$V --providers "$P/nvidia-primary.txt" probe --json > "$TMP/s.json"
python3 - "$TMP/s.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["providers"]["list"][1]["output_source"] = "0x1b7"
json.dump(s, open(sys.argv[1], "w"), indent=2)
PY
$OG --data-dir "$TOP" --snapshot "$TMP/s.json" session --profile nvidia-primary-gvt-output --dry-run > "$TMP/out" 2> "$TMP/err"
grep -q '^unchanged: output-source of gvt .*, already linked$' "$TMP/out" && pass "session: already linked is unchanged" \
	|| { fail "session: already linked is unchanged"; cat "$TMP/out" "$TMP/err"; }

# no links needed: nothing to do, exit 0
expect_exit 0 "session: gvt-only needs nothing" $OG --data-dir "$TOP" --root "$FIX/gvt-only" session
grep -q 'needs no provider links; nothing to do' "$TMP/out" && pass "session: nothing to do message" || fail "session: nothing to do message"
expect_exit 0 "session: nouveau offload needs nothing" $OG --data-dir "$TOP" --root "$FIX/gvt-nouveau-offload" session

# capabilities the server would refuse are explained before asking it
expect_exit 1 "session: NVIDIA-G0 cannot be an output source" $V --providers "$P/gvt-nvidia-g0.txt" session --profile nvidia-primary-gvt-output --dry-run
grep -q 'provider NVIDIA-G0 (0x1f8, the nvidia-muxless device) lacks Source Output' "$TMP/err" \
	&& pass "session: capability message" || fail "session: capability message"
expect_exit 1 "session: RandR 1.3" $V --providers "$P/randr13.txt" session --profile nvidia-primary-gvt-output --dry-run
grep -q 'does not speak RandR 1.4' "$TMP/err" && pass "session: RandR 1.3 message" || fail "session: RandR 1.3 message"
expect_exit 1 "session: providers unknown" $V session --profile nvidia-primary-gvt-output --dry-run
expect_exit 3 "session: refused topology" $OG --data-dir "$TOP" --root "$FIX/gvt-nouveau-offload" session --profile qxl-primary
expect_exit 2 "session: stray argument" $V session extra
expect_exit 2 "session: unknown option" $V session --bogus

# a live server without providers (Xvfb): the link cannot be made, said clearly
if xserver_start xvfb; then
	expect_exit 1 "session live: no provider for gvt" $V --display "$XDISPLAY" session --profile nvidia-primary-gvt-output
	grep -q 'no RandR provider drives the gvt device 0000:00:02.0 (providers: 0)' "$TMP/err" \
		&& pass "session live: message" || { fail "session live: message"; cat "$TMP/err"; }
	expect_exit 0 "session live: nothing to do" $OG --data-dir "$TOP" --root "$FIX/gvt-only" --display "$XDISPLAY" session
	xserver_stop
	xserver_gone
	expect_exit 1 "session live: server gone" $V --display "$XGONE" session --profile nvidia-primary-gvt-output
	grep -q "cannot open X display '$XGONE'" "$TMP/err" && pass "session live: gone message" || fail "session live: gone message"
else
	skip "session live: Xvfb cannot start here"
fi

# the shipped autostart files
D="$TOP/data"
grep -qx 'Exec=optimus-guest session' "$D/optimus-guest-session.desktop" && grep -qx 'Type=Application' "$D/optimus-guest-session.desktop" \
	&& pass "autostart desktop entry" || fail "autostart desktop entry"
if command -v desktop-file-validate > /dev/null; then
	desktop-file-validate "$D/optimus-guest-session.desktop" && pass "desktop-file-validate" || fail "desktop-file-validate"
fi
sh -n "$D/90optimus-guest" && pass "Xsession.d snippet parses" || fail "Xsession.d snippet parses"
# sourced by Xsession: it must not exit the session script, even when the command fails
mkdir -p "$TMP/bin"; printf '#!/bin/sh\nexit 1\n' > "$TMP/bin/optimus-guest"; chmod +x "$TMP/bin/optimus-guest"
PATH="$TMP/bin:$PATH" sh -c ". '$D/90optimus-guest'; echo still-here" 2> /dev/null | grep -q still-here \
	&& pass "Xsession.d snippet does not end the session" || fail "Xsession.d snippet does not end the session"
