# tests/e2e/sandbox.sh - a private Postfix, dnsmasq and forgeguard on
# loopback, for tests/e2e/run.sh and scripts/dev demo (sourced, not run).
#
# sandbox_enter re-runs the caller inside "unshare --net --mount --pid
# --fork": no packet can leave the machine, /etc/resolv.conf is a private
# bind mount naming dnsmasq on 127.0.0.1, and when the caller exits the
# kernel ends every process it started (Postfix's master included), so
# nothing is left behind even after a failure or an interrupt.
#
# Then: sandbox_init (work directory, DNS zones), dns_start, fg_start
# [EXTRA CONF], pf_start, and sandbox_cleanup from an EXIT trap.
# Needs root, postfix, swaks, dnsmasq-base, iproute2, util-linux.

SB_BUILD=${SB_BUILD:?set SB_BUILD to the build directory}
SB_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# sandbox_enter SCRIPT ARGS... - re-exec SCRIPT in fresh namespaces
sandbox_enter() {
	[ -n "${FG_SANDBOX:-}" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "e2e: skipped: needs root for unshare and a private Postfix"
		return 1
	fi
	# unshare ignores SIGINT and SIGTERM, and a shell cannot trap what
	# it was started with ignored, nor can the first process of a pid
	# namespace be signalled without a handler: so the first process is
	# a small shell that passes TERM and HUP on, and the script runs as
	# its child with the default dispositions back (Ctrl-C reaches it
	# through the process group).  --kill-child: if unshare is killed,
	# the namespace gets SIGTERM.
	exec unshare --net --mount --pid --fork --mount-proc \
		--kill-child=SIGTERM env --default-signal=INT,TERM,HUP \
		FG_SANDBOX=1 bash -c 'trap "" INT
env --default-signal=INT,TERM,HUP bash "$@" & c=$!
trap "kill -TERM $c" TERM HUP
wait $c; s=$?; wait $c 2>/dev/null; exit $s' sandbox "$@"
}

# sandbox_init - loopback up, work directory, private resolv.conf
sandbox_init() {
	ip link set lo up
	mount --make-rprivate /
	# a private /tmp: whatever happens to this shell, even SIGKILL, its
	# files go with the mount namespace (unless the build lives there)
	case "$SB_BUILD:$SB_HERE" in
	/tmp/* | *:/tmp/*) ;;
	*) mount -t tmpfs -o mode=1777 fg-e2e /tmp ;;
	esac
	SB=$(mktemp -d /tmp/fg-e2e.XXXXXX)
	chmod 755 "$SB"
	mkdir -p "$SB/out" "$SB/pf" && chmod 1777 "$SB/out"
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "$SB/resolv.conf"
	mount --bind "$SB/resolv.conf" /etc/resolv.conf
	: > "$SB/fg.log"
	chmod 644 "$SB/fg.log"
}

# sandbox_cleanup - stop everything (the pid namespace would anyway)
sandbox_cleanup() {
	[ -n "${SB:-}" ] || return 0
	postfix -c "$SB/pf" stop >/dev/null 2>&1
	[ -n "${SB_FG:-}" ] && kill "$SB_FG" 2>/dev/null
	[ -n "${SB_DNS:-}" ] && kill "$SB_DNS" 2>/dev/null
	umount /etc/resolv.conf 2>/dev/null
	rm -rf "$SB"
}

# dns_start - dnsmasq on 127.0.0.1:53 with the test zones
dns_start() {
	cat > "$SB/dnsmasq.conf" <<CONF
port=53
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-hosts
local-ttl=300
local=/example.org/
local=/example.net/
local=/ours.example/
# the top-level domains the zones live under answer for themselves, as
# the real ones do: DMARC's tree walk asks _dmarc.org, _dmarc.net, ...
# (.test stays unanswered: the DKIM tier's refused key lives there)
local=/org/
local=/net/
local=/com/
local=/example/
local=/2.0.192.in-addr.arpa/
local=/113.0.203.in-addr.arpa/
txt-record=example.org,"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"
txt-record=soft.example.org,"v=spf1 ip4:192.0.2.0/24 ~all"
txt-record=bench.example.org,"v=spf1 ip4:127.0.0.0/8 ip4:192.0.2.0/24 -all"
txt-record=ours.example,"v=spf1 ip4:198.51.100.25 -all"
host-record=mail.example.org,192.0.2.10,2001:db8::10
host-record=mail.example.net,192.0.2.20
host-record=mx.ours.example,198.51.100.25
${SB_DNS_EXTRA:-}
CONF
	dnsmasq --keep-in-foreground --user=root --pid-file="$SB/dnsmasq.pid" \
		--conf-file="$SB/dnsmasq.conf" 2>>"$SB/dnsmasq.err" &
	SB_DNS=$!
	local _
	for _ in $(seq 1 50); do
		ss -Hlun 'sport = :53' 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	echo "dnsmasq did not start: $(cat "$SB/dnsmasq.err")"
	return 1
}

# fg_conf [EXTRA] - write forgeguard's configuration; a key in EXTRA
# replaces the same key of the base (a key given twice is an error)
fg_conf() {
	local extra="${1:-}" line key
	{
		while IFS= read -r line; do
			key=${line%% =*}
			printf '%s\n' "$extra" | grep -q "^$key *=" && continue
			printf '%s\n' "$line"
		done <<CONF
socket = unix:$SB/fg.sock
socket_mode = 0666
user = nobody
log_target = file:$SB/fg.log
authserv_id = mx.ours.example
local_domains = ours.example
local_hosts = mx.ours.example gw.ours.example filter.ours.example
local_addresses = 198.51.100.25
trusted_networks = 127.0.0.0/8 ::1/128 10.0.0.0/8
dns_resolver = 127.0.0.1
dns_timeout = 3s
max_recipients = 3
max_message_size = 1m
max_hops = 30
sender_login_map = $SB/logins
dmarc_records = yes
CONF
		printf '%s\n' "$extra"
	} > "$SB/fg.conf"
	printf 'alice alice@ours.example\n' > "$SB/logins"
	chmod 644 "$SB/fg.conf" "$SB/logins"
}

# fg_start [EXTRA] - start forgeguard, wait for its socket
fg_start() {
	fg_conf "${1:-}"
	rm -f "$SB/fg.sock"
	"$SB_BUILD/forgeguard" -f -c "$SB/fg.conf" 2>>"$SB/fg.err" &
	SB_FG=$!
	local _
	for _ in $(seq 1 100); do
		[ -S "$SB/fg.sock" ] && return 0
		sleep 0.05
	done
	echo "forgeguard did not start: $(cat "$SB/fg.err")"
	return 1
}

# fg_stop - stop forgeguard and wait for it to exit
fg_stop() {
	[ -n "${SB_FG:-}" ] || return 0
	kill "$SB_FG" 2>/dev/null
	wait "$SB_FG" 2>/dev/null
	SB_FG=""
}

# pf_start - a private Postfix on 127.0.0.1:25 and [::1]:25 (SB_TRANSPORT
# discard for benchmarks, SB_MILTERS to name other milters or none)
pf_start() {
	local pf="$SB/pf"
	mkdir -p "$pf/queue" "$pf/data"
	chown postfix "$pf/data"
	cat > "$SB/capture.sh" <<'SH'
#!/bin/sh
# capture QUEUEID SENDER RECIPIENT - keep the delivered message
cat > "$(dirname "$0")/out/$1.$(echo "$3" | tr -c 'A-Za-z0-9@.\n-' _).eml"
SH
	chmod 755 "$SB/capture.sh"
	cat > "$pf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.ours.example
mydomain = ours.example
mydestination =
inet_interfaces = loopback-only
inet_protocols = all
mynetworks = 127.0.0.0/8 [::1]/128
maillog_file = $pf/maillog
maillog_file_prefixes = $pf
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
relay_domains = static:ALL
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
default_transport = ${SB_TRANSPORT:-capture}
relay_transport = ${SB_TRANSPORT:-capture}
local_transport = ${SB_TRANSPORT:-capture}
capture_destination_recipient_limit = 1
alias_maps =
local_recipient_maps =
smtpd_authorized_xclient_hosts = 127.0.0.0/8 [::1]/128
smtpd_milters = ${SB_MILTERS-unix:$SB/fg.sock}
non_smtpd_milters =
milter_default_action = tempfail
milter_protocol = 6
milter_connect_timeout = 5s
milter_command_timeout = 10s
milter_content_timeout = 20s
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 200
smtpd_client_connection_rate_limit = 0
smtpd_client_message_rate_limit = 0
smtpd_timeout = 30s
# Postfix adds a missing From: for clients on local interfaces (XCLIENT
# or not); an MX sees remote clients, which it leaves alone
local_header_rewrite_clients =
CONF
	cat > "$pf/master.cf" <<CONF
smtp      inet  n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
capture   unix  -       n       n       -       -       pipe
  flags=DRq user=nobody argv=$SB/capture.sh \${queue_id} \${sender} \${recipient}
CONF
	postfix -c "$pf" check >>"$SB/pf.err" 2>&1
	postfix -c "$pf" start >>"$SB/pf.err" 2>&1 || {
		echo "postfix did not start: $(cat "$SB/pf.err")"
		return 1
	}
	local _
	for _ in $(seq 1 100); do
		ss -Hltn 'sport = :25' 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	echo "postfix is not listening: $(tail -5 "$pf/maillog" 2>/dev/null)"
	return 1
}

# captured RCPT - the newest delivered message for RCPT, or nothing
captured() {
	ls -t "$SB"/out/*".$1.eml" 2>/dev/null | head -1
}

# wait_delivered RCPT BEFORE-COUNT - wait for one more delivery to RCPT
wait_delivered() {
	local _
	for _ in $(seq 1 100); do
		[ "$(ls "$SB"/out/*".$1.eml" 2>/dev/null | wc -l)" -gt "$2" ] &&
			return 0
		sleep 0.05
	done
	return 1
}
