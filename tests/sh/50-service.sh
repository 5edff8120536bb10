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

# hardened the way systemd's own units are: the exposure score is 2.0 or lower
if systemd-analyze security --offline=true "$TMP/unit/optimus-guest.service" > "$TMP/sec" 2>&1; then
	score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$TMP/sec")
	if [ -n "$score" ] && awk "BEGIN { exit !($score <= 2.0) }"; then
		pass "systemd-analyze security: exposure $score (at most 2.0)"
	else
		fail "systemd-analyze security: exposure '$score', wanted at most 2.0"; grep '✗' "$TMP/sec" | sed 's/^/    /' | head -30
	fi
else
	fail "systemd-analyze security --offline=true"; sed 's/^/    /' "$TMP/sec" | head
fi
# it still writes exactly the two places apply writes, and nothing else
grep -qx 'ReadWritePaths=-/etc/X11/xorg.conf.d -/var/lib/optimus-guest' "$U" && [ "$(grep -c '^ReadWritePaths=' "$U")" = 1 ] \
	&& pass "unit: writable only etc/X11/xorg.conf.d and var/lib/optimus-guest" || fail "unit: ReadWritePaths"
for want in '^ProtectSystem=strict$' '^ProtectHome=read-only$' '^NoNewPrivileges=true$' '^SystemCallFilter=@system-service$' \
	'^CapabilityBoundingSet=CAP_CHOWN$' '^RestrictAddressFamilies=AF_UNIX$' '^MemoryDenyWriteExecute=true$'; do
	grep -q "$want" "$U" && pass "unit: $want" || fail "unit: $want"
done
