# Start/stop a throwaway X server for shell tests (source after tests/lib.sh).
# xserver_start xvfb|xvfb-tcp|xorg: sets XPID and XDISPLAY, returns 1 when it cannot start.
# xvfb-tcp also listens on TCP port 6000+N, as an ssh-forwarded display is reached.
# Xorg recipe (root, xf86-video-dummy): -config FILE -configdir DIR -logfile FILE
# -noreset -nolisten tcp -displayfd FD; no VT options are needed here. X writes the
# number and its newline in two writes and dies if FD is a pipe closed in between
# ("Cannot write display number to fd N"): a file, as here, avoids that.
xserver_start() {
	rm -f "$TMP/displayfd"
	case $1 in
	xvfb)
		command -v Xvfb > /dev/null || return 1
		Xvfb -displayfd 3 -nolisten tcp -noreset 3> "$TMP/displayfd" > "$TMP/xvfb.out" 2>&1 &
		;;
	xvfb-tcp)
		command -v Xvfb > /dev/null || return 1
		Xvfb -displayfd 3 -listen tcp -noreset 3> "$TMP/displayfd" > "$TMP/xvfb.out" 2>&1 &
		;;
	xorg)
		command -v Xorg > /dev/null && [ -f /usr/lib/xorg/modules/drivers/dummy_drv.so ] || return 1
		[ "$(id -u)" -eq 0 ] || return 1
		mkdir -p "$TMP/xorg.conf.d"
		echo '# empty: keep the system snippets out' > "$TMP/xorg.conf.d/00-empty.conf"
		Xorg -config "$TOP/tests/data/xorg-dummy.conf" -configdir "$TMP/xorg.conf.d" \
			-logfile "$TMP/xorg.log" -noreset -nolisten tcp -displayfd 3 \
			3> "$TMP/displayfd" > "$TMP/xorg.out" 2>&1 &
		;;
	esac
	XPID=$!
	i=0
	while [ ! -s "$TMP/displayfd" ]; do
		i=$((i + 1)); [ $i -gt 300 ] && { kill -9 $XPID; return 1; }
		kill -0 $XPID 2> /dev/null || return 1
		sleep 0.05
	done
	XDISPLAY=:$(head -n1 "$TMP/displayfd")
	# the number comes once the sockets listen; check it answers RandR all the same
	i=0
	until xrandr --display "$XDISPLAY" --version > /dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 200 ] && { kill -9 $XPID; return 1; }
		sleep 0.05
	done
	return 0
}
xserver_stop() {
	kill "$XPID" 2> /dev/null
	wait "$XPID" 2> /dev/null
}
# xserver_gone: sets XGONE to a display no server answers. Not the stopped server's own number:
# suites run side by side, and another suite's X server takes the lowest free number, which
# may be the one just freed. Servers started with -displayfd never reach these numbers.
xserver_gone() {
	n=900
	while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
	XGONE=:$n
}
