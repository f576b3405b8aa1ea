#!/usr/bin/env bash
# tests/e2e/interrupt.sh BUILD - interrupt an e2e run in the middle, as
# Ctrl-C would (SIGINT to its process group), and check that nothing is
# left: no process, no mount, no temporary directory.
# Ends with "e2e-interrupt: N passed, N failed".
set -u
BUILD=${1:?usage: interrupt.sh BUILDDIR}
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
	echo "e2e-interrupt: skipped: needs root"
	echo "e2e-interrupt: 0 passed, 0 failed"
	exit 0
fi
before_dirs=$(ls -d /tmp/fg-e2e.* 2>/dev/null | wc -l)
setsid bash "$here/run.sh" "$BUILD" > /tmp/fg-e2e-interrupt.log 2>&1 &
leader=$!
# wait until mail is flowing, then interrupt the whole group
for _ in $(seq 1 100); do
	grep -q '^ok ' /tmp/fg-e2e-interrupt.log 2>/dev/null && break
	sleep 0.1
done
kill -INT -- "-$leader" 2>/dev/null
for _ in $(seq 1 100); do
	kill -0 "$leader" 2>/dev/null || break
	sleep 0.1
done
sleep 0.5
pass=0 fail=0
left=$(pgrep -f 'fg-e2e\.|FG_SANDBOX' | wc -l)
dirs=$(( $(ls -d /tmp/fg-e2e.* 2>/dev/null | wc -l) - before_dirs ))
if kill -0 "$leader" 2>/dev/null; then
	echo "FAIL the run did not stop on SIGINT"; fail=$((fail + 1))
	kill -KILL -- "-$leader" 2>/dev/null
elif [ "$left" -ne 0 ] || [ "$dirs" -gt 0 ]; then
	echo "FAIL left behind: $left processes, $dirs directories"
	pgrep -af 'fg-e2e\.' | head -5
	fail=$((fail + 1))
else
	echo "ok   interrupted after $(grep -c '^ok ' /tmp/fg-e2e-interrupt.log) scenarios: no process, mount or file left"
	pass=$((pass + 1))
fi
rm -f /tmp/fg-e2e-interrupt.log
echo "e2e-interrupt: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
