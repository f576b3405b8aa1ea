# tests/e2e/assert.sh - scenarios and their assertions, for the e2e
# scripts (sourced after sandbox.sh, inside the sandbox): begin NAME,
# the sessions (sw, raw), the want_* assertions, end.  $here is the
# directory of the scripts.

pass=0
fail=0
name=""
problems=()

# begin NAME - a new scenario; log lines from here on are its own
begin() {
	name=$1
	problems=()
	log_mark=$(wc -l < "$SB/fg.log")
}
# check COND-RESULT WHAT - record one assertion
check() { [ "$1" -eq 0 ] || problems+=("$2"); }
# end - the scenario's verdict
end() {
	if [ ${#problems[@]} -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		printf '     %s\n' "${problems[@]}"
		echo "     --- client transcript (last lines)"
		printf '%s\n' "$out" | tail -6 | sed 's/^/     /'
		echo "     --- forgeguard log"
		newlog | tail -4 | sed 's/^/     /'
	fi
}
newlog() { sleep 0.1; tail -n +"$((log_mark + 1))" "$SB/fg.log"; }

# sw ARGS... - one swaks session; transcript in $out, exit status in $rc
sw() {
	out=$(timeout 60 swaks --server 127.0.0.1 --port 25 --timeout 30 \
		--h-Date "$(date -R)" "$@" 2>&1)
	rc=$?
}
# raw - tests/e2e/smtp.py with the script on stdin; replies in $out
raw() {
	out=$(timeout 60 python3 "$here/smtp.py" 2>&1)
	rc=$?
}
# Assertions for the current scenario.
want_rc() { check $([ "$rc" -eq "$1" ]; echo $?) "exit status $rc, want $1"; }
want_reply() {
	printf '%s\n' "$out" | grep -Eq -- "$1"
	check $? "no reply matching /$1/"
}
want_log() {
	newlog | grep -Eq -- "$1"
	check $? "no verdict line matching /$1/"
}
no_log() {
	newlog | grep -Eq -- "$1"
	check $([ $? -ne 0 ]; echo $?) "a verdict line matches /$1/"
}
# want_delivered RCPT REGEX... - the newest copy for RCPT has each line
want_delivered() {
	local rcpt=$1 f
	shift
	wait_delivered "$rcpt" "$before" ||
		{ check 1 "nothing delivered to $rcpt"; return; }
	f=$(captured "$rcpt")
	local re
	for re in "$@"; do
		grep -Eq -- "$re" "$f"
		check $? "delivered message has no line /$re/"
	done
}
# count_delivered RCPT - copies delivered so far, into $before
count_delivered() { before=$(ls "$SB"/out/*".$1.eml" 2>/dev/null | wc -l); }
# no_line FILE-RCPT REGEX - the newest copy lacks REGEX
no_delivered_line() {
	local f
	f=$(captured "$1")
	[ -n "$f" ] && ! grep -Eq -- "$2" "$f"
	check $? "delivered message still has /$2/"
}

