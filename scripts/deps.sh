#!/bin/sh
# Install the Debian packages in deps.txt that are not installed yet; with --check, only
# say which are missing (exit 1). The one place that installs.
set -eu
cd "$(dirname "$0")/.."
want=$(grep -v '^#' deps.txt | tr '\n' ' ')
# One dpkg-query for all: packages never seen are reported on stderr, not listed.
have=$(dpkg-query -W -f='${Package} ${Status}\n' $want 2>/dev/null | awk '/install ok installed$/ {print $1}')
missing=""
for p in $want; do
	echo "$have" | grep -qx "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "${1:-}" = "--check" ]; then
	echo "deps: missing$missing (run 'make deps')"
	exit 1
fi
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends $missing
