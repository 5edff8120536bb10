#!/bin/sh
# xorg-load.sh DIR: does the real X server load the xorg.conf.d snippets in DIR?
#
# Exit 0: every file parsed and the server started on a dummy screen with DIR as its
#         -configdir (and, when DIR holds a ServerLayout, that layout got past the config
#         checks to the driver stage).
# Exit 1: a parse or validation error (the log lines are printed).
# Exit 77: cannot test here (not root, Xorg or the dummy driver missing); callers SKIP.
#
# The recipe (xserver-xorg-core 21.1.x + xserver-xorg-video-dummy, as root, no GPU):
#   Xorg -config BASE.conf -configdir DIR -layout og-base -logfile LOG -noreset \
#        -nolisten tcp -sharevts -novtswitch -keeptty -displayfd 3 3>FD
# BASE.conf declares a dummy Device, a Screen on it and ServerLayout "og-base"; -layout
# makes that layout win even when DIR has its own ServerLayout (otherwise the snippet's
# layout is chosen and fails on the missing nvidia/nouveau driver or BusID). Every file in
# DIR is still parsed and validated (keywords, section structure, references), and Device
# sections naming drivers that cannot load only give "Failed to load module" (ignored).
# The server printing its display number on fd 3 means it started. Xorg does not check
# Option names of drivers that never probe, so unknown options are not caught here.
# A second pass without -layout (only when DIR holds a ServerLayout) makes X use our
# layout: it must reach the driver stage (LoadModule) with no config error; "no screens
# found" there is expected without the real GPUs.
set -u
DIR=${1:?usage: xorg-load.sh DIR}
XORG=${XORG:-Xorg}
[ "$(id -u)" -eq 0 ] || { echo "xorg-load: needs root (Xorg -logfile/-config as root)" >&2; exit 77; }
command -v "$XORG" >/dev/null 2>&1 || { echo "xorg-load: $XORG not installed" >&2; exit 77; }
ls /usr/lib/xorg/modules/drivers/dummy_drv.so >/dev/null 2>&1 || { echo "xorg-load: xserver-xorg-video-dummy not installed" >&2; exit 77; }
[ -d "$DIR" ] || { echo "xorg-load: '$DIR' is not a directory" >&2; exit 1; }
DIR=$(cd "$DIR" && pwd)
W=$(mktemp -d /tmp/xorg-load.XXXXXX)
trap 'rm -rf "$W"' EXIT
cat > "$W/base.conf" <<'CONF'
Section "Device"
    Identifier "og-dummy"
    Driver "dummy"
    VideoRam 16384
EndSection
Section "Screen"
    Identifier "og-dummy-screen"
    Device "og-dummy"
    DefaultDepth 24
    SubSection "Display"
        Depth 24
        Modes "1024x768"
    EndSubSection
EndSection
Section "ServerLayout"
    Identifier "og-base"
    Screen "og-dummy-screen"
EndSection
CONF

BAD='Parse error|is not a valid keyword|Problem parsing the config file|Error parsing the config file|Undefined [A-Za-z]* ".*" referenced|No Identifier|not defined|Unterminated|Unexpected EOF|Error from xf86HandleConfigFile'

# run_x LOG [extra args]: start X, wait for the display number or exit, stop it.
# Prints the display number (empty when the server never started).
run_x() {
	log=$1; shift
	: > "$W/fd"
	"$XORG" -config "$W/base.conf" -configdir "$DIR" -logfile "$log" -noreset -nolisten tcp \
		-sharevts -novtswitch -keeptty -displayfd 3 "$@" 3>"$W/fd" >"$log.out" 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 200 ]; do
		[ -s "$W/fd" ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1; i=$((i + 1))
	done
	kill -TERM $pid 2>/dev/null
	wait $pid 2>/dev/null
	tr -dc 0-9 < "$W/fd"
}

rc=0
n=$(run_x "$W/pass1.log" -layout og-base)
if grep -qE "$BAD" "$W/pass1.log" "$W/pass1.log.out" 2>/dev/null; then
	echo "xorg-load: config error in '$DIR':" >&2
	grep -hE -A1 "$BAD" "$W/pass1.log.out" "$W/pass1.log" 2>/dev/null | sort -u | head -10 >&2
	rc=1
elif [ -z "$n" ]; then
	echo "xorg-load: the server did not start with '$DIR'; log:" >&2
	grep -E '\(EE\)' "$W/pass1.log" | head -10 >&2
	rc=1
elif ! grep -q "Using config directory: \"$DIR\"" "$W/pass1.log"; then
	echo "xorg-load: the server did not read '$DIR'" >&2
	rc=1
fi
if [ $rc -eq 0 ] && cat "$DIR"/*.conf 2>/dev/null | grep -qiE '^[[:space:]]*Section[[:space:]]+"ServerLayout"'; then
	run_x "$W/pass2.log" >/dev/null
	if grep -qE "$BAD" "$W/pass2.log" "$W/pass2.log.out" 2>/dev/null; then
		echo "xorg-load: the ServerLayout in '$DIR' does not validate:" >&2
		grep -hE -A1 "$BAD" "$W/pass2.log.out" "$W/pass2.log" 2>/dev/null | sort -u | head -10 >&2
		rc=1
	elif ! grep -q 'LoadModule: ' "$W/pass2.log"; then
		echo "xorg-load: with its own ServerLayout the server stopped before the driver stage:" >&2
		grep -E '\(EE\)' "$W/pass2.log" | head -10 >&2
		rc=1
	fi
fi
[ -n "${XORG_LOAD_KEEP:-}" ] && cp "$W"/*.log "$XORG_LOAD_KEEP"/ 2>/dev/null
exit $rc
