#!/usr/bin/env bash
# tests/milter/run.sh BUILD - the real daemon, driven over the milter
# protocol by fgmc, on a unix: socket and an inet: socket.
#
# Each cases/NAME.mt is an fgmc script; cases/NAME.exp the replies fgmc
# must print; "#log: REGEX" lines in the script must each match a line the
# daemon logged during that case.  Then scenarios no script can express:
# SIGHUP reloads (good and bad), a client that closes before connect,
# garbage on the socket, and -n/root checks.  Ends with
# "milter: N passed, N failed".
set -u
BUILD=${1:?usage: run.sh BUILDDIR}
here=$(cd "$(dirname "$0")" && pwd)
FG="$BUILD/forgeguard"
MC="$BUILD/tests/milter/fgmc"
work=$(mktemp -d /tmp/fg-milter.XXXXXX)
pass=0
fail=0
pid=""

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "${FG_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

port=$((20000 + RANDOM % 20000))
write_conf() {
	cat > "$work/fg.conf" <<CONF
socket = unix:$work/fg.sock
log_target = file:$work/fg.log
allow_root = yes
local_domains = ours.example
local_hosts = mx.ours.example
local_addresses = 198.51.100.25
authserv_id = mx.ours.example
trusted_networks = 127.0.0.0/8, 10.0.0.0/8
max_recipients = 3
max_message_size = 1m
sender_login_map = $work/logins
# this tier is about the protocol; SPF over real DNS is the dns tier's
disabled_checks = spf.helo spf.mailfrom dmarc
# a dead resolver: lookups (a DKIM key) time out, well inside fgmc's 10 s
dns_resolver = 127.0.0.1@9
dns_timeout = 2s
$1
CONF
}
printf 'alice alice@ours.example, @alice.example\n' > "$work/logins"

# start SOCKET - start the daemon, wait for its socket
start() {
	# a socket file left by the last daemon would look ready at once
	case "$1" in unix:*) rm -f "${1#unix:}" ;; esac
	"$FG" -f -c "$work/fg.conf" -p "$1" 2>>"$work/stderr" &
	pid=$!
	for _ in $(seq 1 100); do
		case "$1" in
		# listening, not only bound (slow under ASan)
		unix:*) ss -Hlx "src ${1#unix:}" 2>/dev/null | grep -q . &&
			return 0 ;;
		inet:*) local p=${1#inet:}
			ss -Hltn "sport = :${p%@*}" 2>/dev/null | grep -q . &&
			return 0 ;;
		esac
		sleep 0.05
	done
	echo "daemon did not start"; cat "$work/stderr"
	stop
	return 1
}

stop() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=""
}

# run_case SOCKET NAME - one scripted case, replies and log lines
run_case() {
	local sock=$1 name=$2 mt="$here/cases/$2.mt" before got exp
	before=$(wc -l < "$work/fg.log")
	got=$("$MC" "$sock" < "$mt" 2>&1)
	sleep 0.05
	# FG_UPDATE=1 rewrites the expected replies from the inet: run
	# (review the diff!)
	case $sock in inet:*) [ -n "${FG_UPDATE:-}" ] &&
		printf '%s\n' "$got" > "$here/cases/$name.exp" ;; esac
	exp=$(cat "$here/cases/$name.exp")
	# on a unix: socket the MTA is told not to wait for a reply to
	# connect, HELO, header fields and body chunks, the steps that never
	# refuse, and not to send DATA: the same session, minus those replies
	# (on inet: the body is answered, with SMFIS_SKIP once nothing needs
	# more of it)
	case $sock in unix:*) exp=$(printf '%s\n' "$exp" | sed \
		-e 's/^\(connect\|helo\|header\): continue$/\1: (no reply negotiated)/' \
		-e 's/^body: \(skip\|continue\|not sent (the milter skipped the body)\)$/body: (no reply negotiated)/' \
		-e 's/^data: continue$/data: skipped (negotiated away)/' \
		-e 's/^\(negotiate: .* protocol \)0x100400 /\10x183280 /') ;; esac
	if [ "$got" != "$exp" ]; then
		bad "$name ($sock): replies differ"
		diff <(printf '%s\n' "$got") <(printf '%s\n' "$exp") | head -20
		return
	fi
	local newlog re missing=0
	newlog=$(tail -n +"$((before + 1))" "$work/fg.log")
	while IFS= read -r re; do
		if ! printf '%s\n' "$newlog" | grep -Eq -- "$re"; then
			echo "  log line not found: $re"
			missing=1
		fi
	done < <(sed -n 's/^#log: //p' "$mt")
	if [ $missing -eq 0 ]; then
		ok "$name ($sock)"
	else
		bad "$name ($sock): log"
		printf '%s\n' "$newlog" | tail -8
	fi
}

write_conf ""
touch "$work/fg.log"
for sock in "unix:$work/fg.sock" "inet:$port@127.0.0.1"; do
	start "$sock" || { bad "start $sock"; continue; }
	for mt in "$here"/cases/*.mt; do
		run_case "$sock" "$(basename "$mt" .mt)"
	done
	stop
done

# --- SIGHUP: a good file changes behaviour, a bad one is refused --------
start "unix:$work/fg.sock"
hup_case() { "$MC" "unix:$work/fg.sock" < "$here/cases/helo_impersonation.mt" | grep '^rcpt' | head -1; }
r1=$(hup_case)
write_conf "mode = dry-run"
kill -HUP "$pid"; sleep 0.3
r2=$(hup_case)
if [ "$r1" != "$r2" ] && [ "$r2" = "rcpt: continue" ] &&
	grep -q "configuration reloaded" "$work/fg.log"; then
	ok "SIGHUP reload applies the new file"
else
	bad "SIGHUP reload: before [$r1] after [$r2]"
fi
# a session that started before a reload keeps its snapshot
write_conf ""
kill -HUP "$pid"; sleep 0.3
{ sed '/^rcpt/,$d' "$here/cases/helo_impersonation.mt"; echo "sleep 600"
  echo "rcpt <bob@ours.example>"; echo quit; } |
	"$MC" "unix:$work/fg.sock" > "$work/inflight.out" &
mc=$!
sleep 0.3
write_conf "mode = dry-run"
kill -HUP "$pid"
wait "$mc"
if grep -q '^rcpt: reply 550 5.7.1' "$work/inflight.out" && [ "$(hup_case)" = "rcpt: continue" ]; then
	ok "a session in progress keeps the configuration it started with"
else
	bad "in-flight session: $(grep '^rcpt' "$work/inflight.out")"
fi
printf 'mode = sideways\nlog_format = xml\n' >> "$work/fg.conf"
kill -HUP "$pid"; sleep 0.3
r3=$(hup_case)
# each problem a log record of its own (syslog shows a line end as #012)
if kill -0 "$pid" 2>/dev/null && [ "$r3" = "$r2" ] &&
	[ "$(grep -c "reload failed, keeping the running configuration: .*fg.conf:[0-9]*: " "$work/fg.log")" = 2 ] &&
	grep -q 'log_format: "xml" is not one of: text, json' "$work/fg.log"; then
	ok "SIGHUP with a bad file keeps the running configuration; one record per problem"
else
	bad "bad reload: alive=$(kill -0 "$pid" 2>/dev/null && echo y) [$r3]"
fi
write_conf ""
kill -HUP "$pid"; sleep 0.3

# --- a session that ends before connect (NULL private data) ------------
# serves - a session answers MAIL (connect and HELO may go unanswered)
serves() {
	printf 'negotiate\nconnect x 192.0.2.1\nhelo a.example.net\nmail <a@example.net>\nquit\n' |
		"$MC" "unix:$work/fg.sock" | grep -q '^mail: continue'
}
if printf 'negotiate\nquit\n' | "$MC" "unix:$work/fg.sock" >/dev/null &&
	serves; then
	ok "close before connect"
else
	bad "close before connect"
fi

# --- garbage on the socket: the daemon survives and keeps serving -------
for i in 1 2 3; do
	hex=$(head -c 2048 /dev/urandom | od -An -tx1 | tr -d ' \n')
	printf 'raw %s\n' "$hex" | timeout 5 "$MC" "unix:$work/fg.sock" >/dev/null 2>&1
done
# a length field of 4 GB, then nothing
printf 'raw ffffffff4f\n' | timeout 5 "$MC" "unix:$work/fg.sock" >/dev/null 2>&1
if kill -0 "$pid" 2>/dev/null &&
	serves; then
	ok "garbage and absurd lengths do not take the daemon down"
else
	bad "daemon died or stopped serving after garbage"
fi
stop

# --- inet: many transactions on one connection, latency reported -------
start "inet:$port@127.0.0.1"
lat=$(sed '/^quit/d' "$here/cases/clean.mt" | "$MC" -r 200 "inet:$port@127.0.0.1" | grep '^repeat:')
echo "  inet latency: $lat (a Nagle stall would show ~40 ms medians)"
[ -n "$lat" ] && ok "200 transactions on one inet connection" || bad "inet repeat"

# --- SIGTERM stops at once: libmilter's listener polls 5 s at a time and
# used to leave a restart's new connections unanswered that long ---------
stop_fast() { # SOCKET
	local t0 t1
	sleep 0.3 # the listener is inside its first poll
	t0=$(date +%s%N)
	kill "$pid"
	for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	t1=$(date +%s%N)
	if kill -0 "$pid" 2>/dev/null; then
		bad "SIGTERM on $1: still running after 2 s"
		stop
	else
		wait "$pid" 2>/dev/null; pid=""
		ok "SIGTERM on $1: stopped in $(((t1 - t0) / 1000000)) ms"
	fi
}
stop_fast "inet:$port@127.0.0.1"
start "unix:$work/fg.sock" && stop_fast "unix:$work/fg.sock"

# --- the soft limit on open files raised to the hard one at start: each
# session holds a socket, and at a low soft limit the MTA's connections
# past it were left waiting ----------------------------------------------
prlimit --nofile=256:4096 "$FG" -f -c "$work/fg.conf" -p "unix:$work/fl.sock" 2>>"$work/stderr" &
pid=$!
for _ in $(seq 1 100); do [ -S "$work/fl.sock" ] && break; sleep 0.05; done
soft=$(awk '/^Max open files/{print $4}' "/proc/$pid/limits" 2>/dev/null)
if [ "$soft" = 4096 ]; then
	ok "the soft limit on open files is raised to the hard one (256 -> 4096)"
else
	bad "open files soft limit: '$soft', want 4096"
fi
stop

# --- DKIM signing: our own mail signed; keys swapped while it flows ------
KG="$BUILD/forgeguard-keygen"
mkdir -p "$work/keys"
"$KG" -d ours.example -s k1 -b 1024 -D "$work/keys" >/dev/null &&
	"$KG" -d ours.example -s k2 -t ed25519 -D "$work/keys" >/dev/null ||
	bad "forgeguard-keygen"
printf 'ours.example k1 %s/keys/k1.private\n' "$work" > "$work/table1"
printf 'ours.example k2 %s/keys/k2.private\n' "$work" > "$work/table2"
# sign_script IP - a message from alice@ours.example through client IP
sign_script() {
	printf 'negotiate\nconnect c.example %s %%{client_addr}=%s\n' "$1" "$1"
	printf 'helo c.example\nmail <alice@ours.example>\nrcpt <bob@example.net>\n'
	printf 'data\nheader From Alice <alice@ours.example>\nheader Subject s\n'
	printf 'eoh\nbody hello\neom\nquit\n'
}
write_conf "dkim_sign_keys = $work/table1"
start "unix:$work/fg.sock"
out=$(sign_script 10.0.0.5 | "$MC" "unix:$work/fg.sock")
if printf '%s\n' "$out" | grep -q '^eom: insheader 0 DKIM-Signature:  v=1; a=rsa-sha256; c=relaxed/relaxed; d=ours.example;.* s=k1;.*h=from:from:subject;.*b=[A-Za-z0-9+/]\{60\}' &&
	printf '%s\n' "$out" | grep -q '^eom: continue' &&
	grep -q 'stage=summary .*sign=ours.example/k1' "$work/fg.log"; then
	ok "a trusted client's mail is signed, and the summary says so"
else
	bad "signing: $(printf '%s\n' "$out" | grep eom)"
fi
out=$(sign_script 192.0.2.7 | "$MC" "unix:$work/fg.sock")
if ! printf '%s\n' "$out" | grep -q 'DKIM-Signature'; then
	ok "an outside client's mail is not signed"
else
	bad "outside client signed: $(printf '%s\n' "$out" | grep eom)"
fi
# 60 messages, 6 at a time, while SIGHUP swaps the table between an RSA
# and an Ed25519 key: each is signed whole by one of them, none unsigned
flows=()
for i in $(seq 1 60); do
	sign_script 10.0.0.5 | "$MC" "unix:$work/fg.sock" > "$work/flow.$i" &
	flows+=($!)
	if [ $((i % 6)) -eq 0 ]; then
		n=$(( (i / 6) % 2 + 1 ))
		write_conf "dkim_sign_keys = $work/table$n"
		kill -HUP "$pid"
		# the clients only: a bare wait would wait for the daemon
		wait "${flows[@]}"
		flows=()
	fi
done
good=0
for i in $(seq 1 60); do
	c=$(grep -c '^eom: insheader 0 DKIM-Signature' "$work/flow.$i")
	if [ "$c" = 1 ] && grep -q '^eom: continue' "$work/flow.$i" &&
		grep -Eq 's=k[12];.*b=[A-Za-z0-9+/]{60}' "$work/flow.$i"; then
		good=$((good + 1))
	fi
done
k1=$(grep -l 's=k1;' "$work"/flow.* | wc -l)
k2=$(grep -l 's=k2;' "$work"/flow.* | wc -l)
if [ "$good" = 60 ] && [ "$k1" -gt 0 ] && [ "$k2" -gt 0 ]; then
	ok "60 messages across 10 key reloads: each signed whole ($k1 by k1, $k2 by k2)"
else
	bad "signing across reloads: $good of 60 signed whole (k1 $k1, k2 $k2)"
fi
stop
# a key others may read: -n and the start refuse it, naming the file
chmod 644 "$work/keys/k1.private"
write_conf "dkim_sign_keys = $work/table1"
out=$("$FG" -n -c "$work/fg.conf" 2>&1); rc=$?
if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q "table1:1: key file $work/keys/k1.private may be read or written by other users (mode 0644)"; then
	ok "-n refuses a signing key others may read"
else
	bad "-n readable key: rc=$rc $out"
fi
chmod 600 "$work/keys/k1.private"
printf 'garbage\n' > "$work/keys/k3.private"
chmod 600 "$work/keys/k3.private"
printf 'ours.example k3 %s/keys/k3.private\n' "$work" > "$work/table3"
write_conf "dkim_sign_keys = $work/table3"
out=$("$FG" -n -c "$work/fg.conf" 2>&1); rc=$?
if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q "table3:1: $work/keys/k3.private: not a PEM private key"; then
	ok "-n refuses a key file that holds no key"
else
	bad "-n junk key: rc=$rc $out"
fi
write_conf ""

# --- syslog_facility: the records reach /dev/log as local3 (<158> is
# local3.info), on a private /dev in a mount namespace ------------------
if [ "$(id -u)" -ne 0 ]; then
	echo "skip syslog_facility: needs root for a private /dev"
else
	out=$(timeout 20 unshare --mount --propagation private \
		bash "$here/syslog.sh" "$FG" "$work" 2>&1)
	if printf '%s\n' "$out" | grep -q '^<158>.*forgeguard\[[0-9]*\]: listening on unix:'; then
		ok "syslog_facility = local3: the daemon's records arrive as local3.info"
	else
		bad "syslog_facility: $out"
	fi
fi

# --- start-up checks ------------------------------------------------------
out=$("$FG" -n -c "$work/fg.conf" 2>&1)
if printf '%s\n' "$out" | grep -q "configuration OK" &&
	! printf '%s\n' "$out" | grep -q warning; then
	ok "-n accepts a good file, with no warning"
else
	bad "-n good: $out"
fi
# the settings the file makes (postconf -n), and every one in effect
out=$("$FG" -c "$work/fg.conf" -N 2>&1)
if printf '%s\n' "$out" | grep -qx "# $work/fg.conf" &&
	printf '%s\n' "$out" | grep -qx 'local_domains = ours.example' &&
	! printf '%s\n' "$out" | grep -q '^socket_mode'; then
	ok "-N prints the file's settings only"
else
	bad "-N: $out"
fi
out=$("$FG" -c "$work/fg.conf" -P 2>&1)
if printf '%s\n' "$out" | grep -qx 'socket_mode = 0660' &&
	printf '%s\n' "$out" | grep -qx 'local_domains = ours.example' &&
	[ "$(printf '%s\n' "$out" | grep -c '^local_domains = ')" = 1 ]; then
	ok "-P prints every setting in effect, the file's over the defaults"
else
	bad "-P: $out"
fi
# what Postfix admins paste: host bits set warn (as Postfix does), with
# the file and line, and the network is used
printf 'trusted_networks = [::1]/128, 10.0.0.1/8\n' > "$work/pf.conf"
out=$("$FG" -n -c "$work/pf.conf" 2>&1); rc=$?
if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q 'forgeguard: warning: .*pf.conf:1: trusted_networks: "10.0.0.1/8" has host bits set: read as 10.0.0.0/8'; then
	ok "-n reads [::1]/128 and warns of host bits set, naming file and line"
else
	bad "postfix-style networks: rc=$rc $out"
fi
# a valid file without the local facts: said, one warning each
printf 'socket = unix:%s/x.sock\n' "$work" > "$work/bare.conf"
out=$("$FG" -n -c "$work/bare.conf" 2>&1); rc=$?
if [ $rc -eq 0 ] && [ "$(printf '%s\n' "$out" | grep -c '^forgeguard: warning: [a-z_]* is not set: ')" = 4 ] &&
	printf '%s\n' "$out" | grep -q 'local_domains is not set: sender.local_forgery and header.local_forgery never fire'; then
	ok "-n warns once for each of authserv_id, local_domains, local_hosts, local_addresses unset"
else
	bad "-n warnings: rc=$rc $out"
fi
printf 'bogus_key = 1\nmode = enforce\nmode = dry-run\n' > "$work/bad.conf"
out=$("$FG" -n -c "$work/bad.conf" 2>&1); rc=$?
if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q 'bad.conf:1: unknown key "bogus_key"' &&
	printf '%s' "$out" | grep -q 'bad.conf:3: duplicate key mode' &&
	! printf '%s\n' "$out" | grep -qv '^forgeguard: '; then
	ok "-n names every bad line with file:line, each line naming the program"
else
	bad "-n bad file: rc=$rc $out"
fi
# files the configuration names that are not regular files: a clear
# error at once (a trust anchor that was a directory, a FIFO or /dev/zero
# made libunbound spin forever; a configuration FIFO blocked the open)
mkdir -p "$work/adir"
mkfifo "$work/afifo"
for ta in "$work/adir" "$work/afifo" /dev/zero; do
	printf 'dns_trust_anchor = %s\n' "$ta" > "$work/ta.conf"
	out=$(timeout 5 "$FG" -n -c "$work/ta.conf" 2>&1); rc=$?
	if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q "dns_trust_anchor $ta: not a regular file"; then
		ok "-n refuses a trust anchor that is ${ta##*/} at once"
	else
		bad "-n trust anchor ${ta##*/}: rc=$rc $out"
	fi
done
out=$(timeout 5 "$FG" -n -c "$work/afifo" 2>&1); rc=$?
if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q "afifo: not a regular file"; then
	ok "-n refuses a configuration file that is a FIFO at once"
else
	bad "-n configuration FIFO: rc=$rc $out"
fi
if [ "$(id -u)" -eq 0 ]; then
	printf 'socket = unix:%s/r.sock\nlog_target = stderr\n' "$work" > "$work/root.conf"
	out=$(timeout 5 "$FG" -f -c "$work/root.conf" 2>&1); rc=$?
	if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q "refusing to serve as root"; then
		ok "refuses to serve as root without a user"
	else
		bad "root refusal: rc=$rc $out"
	fi
	printf 'socket = unix:%s/u.sock\nlog_target = stderr\nuser = nobody\n' "$work" > "$work/user.conf"
	"$FG" -f -c "$work/user.conf" 2>/dev/null & upid=$!
	sleep 0.5
	who=$(ps -o user= -p "$upid" 2>/dev/null | tr -d ' ')
	kill "$upid" 2>/dev/null; wait "$upid" 2>/dev/null
	[ "$who" = "nobody" ] && ok "drops privileges to user = nobody" ||
		bad "privilege drop: running as [$who]"
fi
# --- forgeguard-check: the same engine offline, exit status per action --
FC="$BUILD/forgeguard-check"
fc() { # WANT-STATUS WANT-FINAL-REGEX ARGS...
	local want=$1 re=$2 out rc; shift 2
	out=$("$FC" -c "$work/fg.conf" "$@" < /dev/null 2>&1); rc=$?
	if [ $rc -eq "$want" ] && printf '%s\n' "$out" | grep -Eq -- "$re"; then
		ok "forgeguard-check exit $want: $re"
	else
		bad "forgeguard-check: got exit $rc, want $want /$re/"
		printf '%s\n' "$out" | tail -3
	fi
}
write_conf ""
printf 'From: a@example.net\nSubject: hi\n\nbody\n' > "$work/msg.eml"
fc 0 '^final: accept$' --client-ip 192.0.2.7 --client-name mail.example.net \
	--helo mail.example.net --from '<a@example.net> SIZE=100' --rcpt '<b@ours.example>' \
	"$work/msg.eml"
printf 'Subject: hi\n\nbody\n' > "$work/nofrom.eml"
fc 5 '^final: reject 550 5.7.1 Message has no From: field' --client-ip 192.0.2.7 \
	--client-name mail.example.net --helo mail.example.net \
	--from '<a@example.net>' --rcpt '<b@ours.example>' "$work/nofrom.eml"
# an empty standard input is no message, not one without a From:
fc 2 'standard input: no message' --client-ip 192.0.2.7 \
	--client-name mail.example.net --helo mail.example.net \
	--from '<a@example.net>' --rcpt '<b@ours.example>' -
# a delivered message: the envelope and the current hop come from its
# top Received: field, and the chain is printed hop by hop
cat > "$work/delivered.eml" <<'MSG'
Return-Path: <alice@example.net>
Delivered-To: bob@ours.example
Received: from mail.example.net (mail.example.net [192.0.2.7])
	by mx.ours.example (Postfix) with ESMTPS id 4SVq1X2Yz9vB
	for <bob@ours.example>; Tue, 14 Nov 2023 22:13:20 +0000 (UTC)
Received: from internal.ours.example (internal.ours.example [10.0.0.5])
	by mx.ours.example (Postfix) with ESMTP id 4AbC;
	Tue, 14 Nov 2023 22:00:00 +0000
From: Alice <alice@example.net>
Subject: hi

body
MSG
fc 5 '^  hop 1 outside  relay from internal.ours.example \[10.0.0.5\] .*by=mx.ours.example' \
	"$work/delivered.eml"
fc 5 '^chain: fail: hop 1 claims by mx.ours.example' "$work/delivered.eml"
fc 5 '^envelope: inferred from the header: client 192.0.2.7 helo mail.example.net from <alice@example.net> rcpt bob@ours.example' \
	"$work/delivered.eml"
# batch: an mbox and a Maildir, one line per message and the counts
{ echo 'From alice Tue Nov 14 22:13:20 2023'; cat "$work/delivered.eml"
  echo; echo 'From carol Tue Nov 14 22:14:00 2023'; cat "$work/msg.eml"; } > "$work/test.mbox"
fc 0 '^summary: 2 messages, accept 1, reject 1$' --mbox "$work/test.mbox"
fc 0 '^1	reject	received.forged_local:forged	554 5.7.1' --mbox "$work/test.mbox"
fc 0 '^summary: received.forged_local:forged +1$' --mbox "$work/test.mbox"
mkdir -p "$work/Maildir/new" "$work/Maildir/cur" "$work/Maildir/tmp"
cp "$work/delivered.eml" "$work/Maildir/cur/1.host:2,S"
cp "$work/msg.eml" "$work/Maildir/new/2.host"
fc 0 '^summary: 2 messages, accept 1, reject 1$' --maildir "$work/Maildir"
fc 2 'No such file' --maildir "$work/nonexistent"
# an empty Maildir: no message, no qsort(NULL, 0) for UBSan to stop on
mkdir -p "$work/Empty/new" "$work/Empty/cur" "$work/Empty/tmp"
fc 0 '^summary: 0 messages$' --maildir "$work/Empty"
# no message at all is said, not judged as an invented one
fc 2 'standard input: no message \(empty\)'
: > "$work/empty.eml"
fc 2 'empty.eml: no message \(empty\)' "$work/empty.eml"
printf '\r\n\n' > "$work/blank.eml"
fc 2 'blank.eml: no message \(only blank lines\)' "$work/blank.eml"
fc 0 '^forgeguard-check [0-9]+\.[0-9]+' -V
fc 0 "^config: $work/fg.conf\$" --maildir "$work/Empty"
out=$("$FC" -B --maildir "$work/Empty" 2>&1)
printf '%s\n' "$out" | grep -q '^config: built-in defaults (-B)$' &&
	ok "forgeguard-check -B: the built-in defaults, said so" || bad "-B: $out"
# a message this server delivered: the Authentication-Results it added
# on delivery is its own stamp, not a forgery; one that came inside the
# message still is
sed '/^Received: from internal/,/^	Tue, 14 Nov 2023 22:00:00/d
/^Received: from mail.example.net/i\
Authentication-Results: mx.ours.example;\
	spf=pass smtp.mailfrom=alice@example.net' "$work/delivered.eml" > "$work/stamped.eml"
out=$("$FC" -c "$work/fg.conf" "$work/stamped.eml" 2>&1)
if printf '%s\n' "$out" | grep -q '^delivery: 1 Authentication-Results field of mx.ours.example skipped' &&
	! printf '%s\n' "$out" | grep -q 'header.authres:forged'; then
	ok "forgeguard-check: our own delivery stamp is not called forged"
else
	bad "delivery stamp: $(printf '%s\n' "$out" | grep -E 'authres|delivery|final')"
fi
sed '/^Subject: hi/a\
Authentication-Results: mx.ours.example; dkim=pass header.d=ours.example' "$work/stamped.eml" > "$work/forged.eml"
fc 0 'header.authres:forged' "$work/forged.eml"
fc 2 'usage' --mbox "$work/test.mbox" --client-ip 192.0.2.7
fc 5 '^final: reject 550 5.7.1 .*helo.impersonation' --client-ip 192.0.2.7 \
	--helo mx.ours.example --from '<a@example.net>' --rcpt '<b@ours.example>'
fc 0 'exempt=postmaster' --client-ip 192.0.2.7 --helo mx.ours.example \
	--from '<a@example.net>' --rcpt '<postmaster@ours.example>'
fc 0 'rcpt.limit:fail.*reply="452 4.5.3' --client-ip 192.0.2.7 --helo a.example \
	--from '<a@example.net>' --rcpt '<1@x.example>' --rcpt '<2@x.example>' \
	--rcpt '<3@x.example>' --rcpt '<4@x.example>'
fc 0 '^final: accept' --client-ip 192.0.2.7 --helo a.example \
	--from '<a@example.net>' --rcpt '<1@x.example>' --rcpt '<bad@@x>'
fc 5 'Invalid sender <"a b"c@x.example>' --client-ip 192.0.2.7 --helo a.example \
	--from '<"a b"c@x.example> SIZE=1' --rcpt '<1@x.example>'
fc 0 'auth_mismatch:pass' --client-ip 203.0.113.1 --auth alice \
	--from '<alice@ours.example>' --rcpt '<1@x.example>'
fc 2 'usage' --client-ip 192.0.2.7 --from '<a@b.example>'
fc 2 'bad --client-ip' --client-ip 999.1.1.1 --from '<a@b.example>' --rcpt '<c@d.example>'
NODNS='disabled_checks = spf.helo spf.mailfrom\ndns_resolver = 127.0.0.1@9\n'
printf "${NODNS}action.rcpt.syntax = tempfail\n" > "$work/t.conf"
out=$("$FC" -c "$work/t.conf" --client-ip 192.0.2.7 --from '<a@b.example>' --rcpt '<c@@d.example>' 2>&1); rc=$?
[ $rc -eq 4 ] && printf '%s' "$out" | grep -q '^final: tempfail 451 4.1.3 Invalid recipient' &&
	ok "forgeguard-check exit 4: every recipient tempfailed" || bad "tempfail: exit $rc $out"
printf 'action.client.fcrdns = quarantine\n' >> "$work/fg.conf"
fc 3 '^quarantine: forgeguard: client.fcrdns=none' --client-ip 192.0.2.7 \
	--helo a.example --from '<a@b.example>' --rcpt '<c@d.example>'
printf "${NODNS}action.client.fcrdns = discard\n" > "$work/d.conf"
out=$("$FC" -c "$work/d.conf" --client-ip 192.0.2.7 --from '<a@b.example>' --rcpt '<c@d.example>'); rc=$?
[ $rc -eq 6 ] && ok "forgeguard-check exit 6: discard" || bad "discard: exit $rc"
printf "${NODNS}mode = bogus\n" > "$work/b.conf"
out=$("$FC" -c "$work/b.conf" --client-ip 192.0.2.7 --from '<a@b.example>' --rcpt '<c@d.example>' 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s' "$out" | grep -q 'b.conf:3: mode' &&
	ok "forgeguard-check exit 2: bad configuration named" || bad "bad conf: exit $rc $out"

# --- under ASan/UBSan (FG_SANITIZED=1): every daemon run above, leaks
# checked at its exit, must have reported nothing ----------------------
if [ -n "${FG_SANITIZED:-}" ]; then
	if grep -Eq 'Sanitizer|runtime error' "$work/stderr"; then
		bad "sanitizer reports from the daemon:"
		sed -n '/Sanitizer\|runtime error/,/^SUMMARY/p' "$work/stderr" | head -120
	else
		ok "no sanitizer report from $(grep -c . "$work/stderr" || true) lines of daemon stderr"
	fi
fi

echo "milter: $pass passed, $fail failed"
[ $fail -eq 0 ]
