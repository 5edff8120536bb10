# The boot service unit: systemd-analyze verify accepts it, and it says what the brief needs.
. "$TOP/tests/lib.sh"
U="$TOP/data/optimus-guest.service"
for want in '^Type=oneshot$' '^Before=display-manager.service$' '^ConditionVirtualization=vm$' \
	'^ExecStart=/usr/local/bin/optimus-guest apply --boot$' '^WantedBy=graphical.target$' '^After=.*local-fs.target' \
	'^ConditionKernelCommandLine=!optimus-guest=off$' '^ConditionKernelCommandLine=!optimus-guest=0$' \
	'^ConditionKernelCommandLine=!optimus-guest=no$' '^ConditionKernelCommandLine=!optimus-guest=false$'; do
	grep -q "$want" "$U" && pass "unit: $want" || fail "unit: $want"
done
if ! command -v systemd-analyze > /dev/null; then
	skip "systemd-analyze verify" "systemd-analyze not installed"
	exit 0
fi
# verify checks that ExecStart's program exists: point it at the built binary
mkdir -p "$TMP/unit"
sed "s|/usr/local/bin/optimus-guest|$OG|" "$U" > "$TMP/unit/optimus-guest.service"
if systemd-analyze verify "$TMP/unit/optimus-guest.service" > "$TMP/out" 2>&1 && [ ! -s "$TMP/out" ]; then
	pass "systemd-analyze verify: no error, no warning"
else
	fail "systemd-analyze verify"; sed 's/^/    /' "$TMP/out"
fi
