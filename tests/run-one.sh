#!/bin/sh
# Runs one test (a cmocka binary or a tests/sh script) under its timeout, for tests/run.sh.
# Writes $LOG/NAME.log and $LOG/NAME.result ("PASSED FAILED"), prints its result line with
# its wall time and the CPU time (user+system) it and its children took.
secs=$1; t=$2
case $t in
*.sh) name=$(basename "$t" .sh); set -- sh "$t" ;;
*) name=$(basename "$t"); set -- "$t" ;;
esac
out="$LOG/$name.log"
start=$(date +%s)
CMOCKA_MESSAGE_OUTPUT=TAP /usr/bin/time -f '%U %S' -o "$LOG/$name.cpu" timeout -k 10 "$secs" "$@" > "$out" 2>&1
rc=$?
cpu=$(awk 'NF == 2 && $1 ~ /^[0-9.]+$/ { printf "%.0f", $1 + $2 }' "$LOG/$name.cpu" 2> /dev/null)
took=$(( $(date +%s) - start ))
case $t in
*.sh)
	p=$(grep -c '^PASS: ' "$out"); f=$(grep -c '^FAIL: ' "$out") ;;
*)
	# cmocka's TAP: "1..N", then "ok N - name" or "not ok N - name" per test.
	p=$(grep -Ec '^ok [0-9]+ ' "$out"); f=$(grep -Ec '^not ok [0-9]+ ' "$out")
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$out" | head -n 1)
	if [ -n "$planned" ] && [ $((p + f)) -lt "$planned" ]; then
		f=$((planned - p))   # the suite died before reporting them all
	fi ;;
esac
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	echo "FAIL: $name timed out after ${secs}s" >> "$out"
	f=$((f + 1))
elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
	echo "FAIL: $name exited $rc" >> "$out"
	f=1   # crashed, sanitizer abort, or a script error
fi
echo "$p $f" > "$LOG/$name.result"
if [ "$f" -ne 0 ]; then
	{
		echo "FAIL: $name ($p passed, $f failed, ${took}s, ${cpu:-?}s CPU; see $out)"
		grep -E '^(FAIL: |not ok )' "$out" | head -20
		grep -E 'ERROR: (Address|Undefined|Leak)Sanitizer|runtime error' "$out" | head -5
	} | sed '2,$s/^/      /'
else
	echo "ok:   $name ($p, ${took}s, ${cpu:-?}s CPU)"
fi
grep '^SKIP: ' "$out" | sed 's/^/      /'
exit 0
