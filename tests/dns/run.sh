#!/usr/bin/env bash
# tests/dns/run.sh BUILD - forgeguard's resolver against a real DNS server
#
# dnsmasq (Debian dnsmasq-base) serves test zones on 127.0.0.1; a UDP
# socket that reads and never answers plays the dead server.  As root the
# whole tier runs inside "unshare --net" so no packet can leave; otherwise
# it only ever talks to 127.0.0.1.  Ends with "dns: N passed, N failed".
set -u
BUILD=${1:?usage: run.sh BUILDDIR}
if [ "$(id -u)" -eq 0 ] && [ -z "${FG_IN_NETNS:-}" ] &&
	unshare --net true 2>/dev/null; then
	exec unshare --net env FG_IN_NETNS=1 bash -c \
		'ip link set lo up && exec bash "$0" "$1"' "$0" "$BUILD"
fi
DIG="$BUILD/tests/dns/fgdig"
work=$(mktemp -d /tmp/fg-dns.XXXXXX)
pass=0
fail=0
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if ! command -v dnsmasq >/dev/null; then
	echo "dns: skipped: dnsmasq is not installed (apt-get install dnsmasq-base)"
	echo "dns: 0 passed, 1 failed"
	exit 1
fi
port=$((20000 + RANDOM % 20000))
dead=$((port + 1))
cat > "$work/dnsmasq.conf" <<CONF
port=$port
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-hosts
local-ttl=300
local=/example.org/
local=/forgeguard.test/
local=/2.0.192.in-addr.arpa/
local=/8.b.d.0.1.0.0.2.ip6.arpa/
txt-record=example.org,"v=spf1 ip4:192.0.2.0/24 mx -all"
txt-record=v6.example.org,"v=spf1 ip6:2001:db8::/32 -all"
txt-record=soft.example.org,"v=spf1 ~all"
txt-record=neutral.example.org,"v=spf1 ?all"
txt-record=two.example.org,"v=spf1 -all"
txt-record=two.example.org,"v=spf1 +all"
txt-record=incl.example.org,"v=spf1 include:missing.example.org -all"
txt-record=long.example.org,"v=spf1 ip4:192.0.2.1 ","ip4:192.0.2.2 -all"
host-record=mail.example.org,192.0.2.10,2001:db8::10
mx-host=example.org,mail.example.org,10
host-record=host.forgeguard.test,192.0.2.20
CONF
dnsmasq --keep-in-foreground --conf-file="$work/dnsmasq.conf" \
	--pid-file="$work/dnsmasq.pid" 2>"$work/dnsmasq.err" &
pids+=($!)
python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
while True:
    s.recv(4096)
' "$dead" &
pids+=($!)
for _ in $(seq 1 50); do
	"$DIG" -r "127.0.0.1@$port" -t 500 example.org TXT 2>/dev/null | grep -q '^ok' && break
	sleep 0.1
done

# expect NAME TYPE WANT-REGEX [RESOLVER [TIMEOUT]]
expect() {
	local out
	out=$("$DIG" -r "${4:-127.0.0.1@$port}" -t "${5:-2000}" "$1" "$2" 2>&1 | tr '\n' '|')
	if printf '%s' "$out" | grep -Eq -- "$3"; then
		ok "$1 $2: $(printf '%s' "$out" | sed 's/ ms=[0-9]*//')"
	else
		bad "$1 $2: got [$out] want /$3/"
	fi
}
expect example.org TXT '^ok ms=[0-9]+\|v=spf1 ip4:192.0.2.0/24 mx -all\|$'
expect long.example.org TXT '^ok .*\|v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 -all\|$'
expect mail.example.org A '^ok .*\|192.0.2.10\|$'
expect mail.example.org AAAA '^ok .*\|2001:db8::10\|$'
expect example.org MX '^ok .*\|10 mail.example.org\|$'
expect 10.2.0.192.in-addr.arpa PTR '^ok .*\|mail.example.org\|$'
expect 0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa PTR '^ok .*\|mail.example.org\|$'
expect host.forgeguard.test A '^ok .*\|192.0.2.20\|$'
expect nothing.example.org A '^nxdomain '
expect example.org AAAA '^nodata '
expect outside.example.net TXT '^temperror (REFUSED|SERVFAIL)'
# a server that never answers: temperror at the deadline, not later
start=$(date +%s%N)
expect slow.example.org TXT '^temperror timeout' "127.0.0.1@$dead" 700
took=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$took" -lt 3000 ]; then
	ok "dead server answered as temperror after ${took} ms (deadline 700 ms)"
else
	bad "dead server took ${took} ms (deadline 700 ms)"
fi
# --- SPF through the real daemon, real DNS and the milter protocol -------
FG="$BUILD/forgeguard"
MC="$BUILD/tests/milter/fgmc"
# (DMARC is off here: this tier is about SPF and the resolver, its zones
# have no top-level domains for the tree walk to ask; DMARC over real DNS
# is the e2e tier's)
daemon() { # CONF-EXTRA... - start forgeguard on a unix socket
	printf 'socket = unix:%s/fg.sock\nlog_target = file:%s/fg.log\nallow_root = yes\nlocal_domains = ours.example\nauthserv_id = mx.ours.example\ndisabled_checks = dmarc\n%s\n' \
		"$work" "$work" "$1" > "$work/fg.conf"
	rm -f "$work/fg.sock"
	"$FG" -f -c "$work/fg.conf" 2>>"$work/fg.err" &
	dpid=$!
	pids+=($dpid)
	for _ in $(seq 1 100); do [ -S "$work/fg.sock" ] && return 0; sleep 0.05; done
	bad "forgeguard did not start: $(cat "$work/fg.err")"
	return 1
}
session() { # IP SENDER - one message; the replies fgmc saw, one line
	printf 'negotiate\nconnect c.example %s %%{client_addr}=%s %%{client_name}=unknown\nhelo c.example\nmail <%s>\nrcpt <bob@ours.example>\ndata\nheader From <%s>\neoh\neom\nquit\n' \
		"$1" "$1" "$2" "$2" | timeout 20 "$MC" "unix:$work/fg.sock" | tr '\n' '|'
}
spf_case() { # NAME IP SENDER WANT-REGEX
	local out
	out=$(session "$2" "$3")
	if printf '%s' "$out" | grep -Eq -- "$4"; then
		ok "spf $1"
	else
		bad "spf $1: got [$out] want /$4/"
	fi
}
if daemon "dns_resolver = 127.0.0.1@$port
dns_timeout = 3s"; then
	spf_case pass 192.0.2.10 alice@example.org 'spf=pass smtp.mailfrom=alice@example.org'
	spf_case "pass via mx" 192.0.2.99 alice@example.org 'rcpt: continue.*spf=pass'
	spf_case "pass, IPv6 client" 2001:db8::77 a@v6.example.org 'spf=pass smtp.mailfrom=a@v6.example.org'
	spf_case "fail rejected at RCPT" 203.0.113.5 alice@example.org 'rcpt: reply 550 5.7.23 SPF check failed for alice@example.org \(spf.mailfrom\)'
	spf_case "fail, IPv6 client" 2001:db9::1 a@v6.example.org 'rcpt: reply 550 5.7.23'
	spf_case softfail 203.0.113.5 a@soft.example.org 'rcpt: continue.*spf=softfail'
	spf_case neutral 203.0.113.5 a@neutral.example.org 'spf=neutral'
	spf_case "none (NXDOMAIN)" 203.0.113.5 a@nothing.example.org 'spf=none'
	spf_case "permerror: two records" 203.0.113.5 a@two.example.org 'spf=permerror'
	spf_case "permerror: include of a missing domain" 203.0.113.5 a@incl.example.org 'spf=permerror'
	spf_case "temperror: REFUSED" 203.0.113.5 a@outside.example.net 'rcpt: reply 451 4.7.24 SPF lookup for a@outside.example.net failed'
	grep -q 'spf.mailfrom:fail' "$work/fg.log" && ok "verdict line names spf.mailfrom:fail" ||
		bad "no spf.mailfrom:fail verdict line"
	kill "$dpid"; wait "$dpid" 2>/dev/null
fi
# forgeguard-check asks the configured resolver too
printf 'dns_resolver = 127.0.0.1@%s\nlocal_domains = ours.example\nauthserv_id = mx.ours.example\n' "$port" > "$work/check.conf"
out=$("$BUILD/forgeguard-check" -c "$work/check.conf" --client-ip 203.0.113.5 \
	--helo c.example --from '<alice@example.org>' --rcpt '<bob@ours.example>' 2>&1); rc=$?
if [ $rc -eq 5 ] && printf '%s' "$out" | grep -q 'spf.mailfrom:fail' &&
	printf '%s' "$out" | grep -q '^final: reject 550 5.7.23'; then
	ok "forgeguard-check: SPF fail through the configured resolver, exit 5"
else
	bad "forgeguard-check SPF: exit $rc: $(printf '%s' "$out" | tail -2)"
fi
out=$("$BUILD/forgeguard-check" -c "$work/check.conf" --client-ip 192.0.2.10 \
	--helo c.example --from '<alice@example.org>' --rcpt '<bob@ours.example>' 2>&1); rc=$?
if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q 'spf=pass smtp.mailfrom=alice@example.org'; then
	ok "forgeguard-check: SPF pass stamped in the header it would add"
else
	bad "forgeguard-check SPF pass: exit $rc: $(printf '%s' "$out" | tail -3)"
fi
if daemon "dns_resolver = 127.0.0.1@$port
spf_engine = libspf2"; then
	spf_case "libspf2 engine: pass" 192.0.2.10 alice@example.org 'spf=pass smtp.mailfrom=alice@example.org'
	spf_case "libspf2 engine: fail" 203.0.113.5 alice@example.org 'rcpt: reply 550 5.7.23'
	spf_case "libspf2 engine: temperror" 203.0.113.5 a@outside.example.net 'rcpt: reply 451 4.7.24'
	kill "$dpid"; wait "$dpid" 2>/dev/null
fi
if daemon "dns_resolver = 127.0.0.1@$dead
dns_timeout = 1s"; then
	start=$(date +%s%N)
	spf_case "timeout: a server that never answers" 203.0.113.5 a@example.org 'rcpt: reply 451 4.7.24'
	took=$(( ($(date +%s%N) - start) / 1000000 ))
	if [ "$took" -lt 6000 ]; then
		ok "dead DNS server: the whole session took ${took} ms (dns_timeout 1s per check)"
	else
		bad "dead DNS server: session took ${took} ms"
	fi
	kill "$dpid"; wait "$dpid" 2>/dev/null
fi
# --- DNSSEC: a signed zone served by nsd, one record altered after ------
# signing; with dns_trust_anchor the altered answer is refused (temperror),
# without it the forgery is believed
dnssec_zone() {
	local z="$work/signed.test.zone" ksk zsk
	cat > "$z" <<ZONE
\$ORIGIN signed.test.
\$TTL 300
@ IN SOA ns.signed.test. hostmaster.signed.test. 1 3600 600 86400 300
@ IN NS ns.signed.test.
ns IN A 127.0.0.1
good IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
bad IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
ZONE
	ksk=$(cd "$work" && ldns-keygen -a ECDSAP256SHA256 -k signed.test) &&
	zsk=$(cd "$work" && ldns-keygen -a ECDSAP256SHA256 signed.test) &&
	(cd "$work" && ldns-signzone -n "$z" "$zsk" "$ksk") || return 1
	# the forgery: "+all" where the signature covers "-all"
	sed -i 's|^\(bad\.signed\.test\.[[:space:]].*TXT[[:space:]]*\)".*"$|\1"v=spf1 +all"|' "$z.signed"
	grep -q '^bad\.signed\.test\..*TXT.*"v=spf1 +all"' "$z.signed" || return 1
	cp "$work/$ksk.key" "$work/anchor"
	cat > "$work/nsd.conf" <<CONF
server:
	ip-address: 127.0.0.1@$nsdport
	port: $nsdport
	zonesdir: "$work"
	pidfile: "$work/nsd.pid"
	username: ""
	database: ""
	chroot: ""
	zonelistfile: "$work/zone.list"
	xfrdfile: "$work/xfrd.state"
	xfrdir: "$work"
	logfile: "$work/nsd.log"
remote-control:
	control-enable: no
zone:
	name: signed.test
	zonefile: signed.test.zone.signed
CONF
	nsd -d -c "$work/nsd.conf" 2>>"$work/nsd.err" &
	pids+=($!)
	for _ in $(seq 1 50); do
		"$DIG" -r "127.0.0.1@$nsdport" -t 300 good.signed.test TXT 2>/dev/null | grep -q '^ok' && return 0
		sleep 0.1
	done
	return 1
}
nsdport=$((port + 2))
if ! command -v nsd >/dev/null || ! command -v ldns-signzone >/dev/null; then
	bad "DNSSEC cases skipped: they need nsd and ldnsutils (scripts/dev installs them)"
elif ! dnssec_zone; then
	bad "DNSSEC: could not sign or serve the test zone: $(tail -3 "$work/nsd.err" "$work/nsd.log" 2>/dev/null)"
else
	ns="127.0.0.1@$nsdport"
	expect_ta() { # NAME ANCHOR WANT-REGEX
		local out
		out=$("$DIG" -r "$ns" ${2:+-a "$2"} "$1" TXT 2>&1 | tr '\n' '|')
		if printf '%s' "$out" | grep -Eq -- "$3"; then
			ok "dnssec ${2:+(anchor) }$1: $(printf '%s' "$out" | sed 's/ ms=[0-9]*//')"
		else
			bad "dnssec ${2:+(anchor) }$1: got [$out] want /$3/"
		fi
	}
	expect_ta good.signed.test "$work/anchor" '^ok secure ms=[0-9]+\|v=spf1 ip4:192.0.2.0/24 -all\|$'
	expect_ta bad.signed.test "$work/anchor" '^temperror DNSSEC validation failed'
	expect_ta bad.signed.test "" '^ok ms=[0-9]+\|v=spf1 \+all\|$'
	# the daemon: the forged "+all" record cannot make SPF pass
	if daemon "dns_resolver = $ns
dns_trust_anchor = $work/anchor"; then
		spf_case "DNSSEC: signed record, pass" 192.0.2.10 a@good.signed.test 'spf=pass smtp.mailfrom=a@good.signed.test'
		spf_case "DNSSEC: altered record refused, 451 at RCPT" 203.0.113.5 a@bad.signed.test 'rcpt: reply 451 4.7.24'
		kill "$dpid"; wait "$dpid" 2>/dev/null
		grep -q 'stage=rcpt .*detail="spf.mailfrom: DNSSEC validation failed"' "$work/fg.log" &&
			ok "the verdict line says why: DNSSEC validation failed" ||
			bad "no verdict line naming the DNSSEC failure"
	fi
	if daemon "dns_resolver = $ns"; then
		spf_case "no trust anchor: the altered record is believed" 203.0.113.5 a@bad.signed.test 'spf=pass smtp.mailfrom=a@bad.signed.test'
		# a reload naming an anchor libunbound cannot read is refused
		# whole; the running configuration keeps answering
		printf 'dns_trust_anchor = %s/nothing.anchor\n' "$work" >> "$work/fg.conf"
		kill -HUP "$dpid"; sleep 0.5
		if grep -q "reload failed, keeping the running configuration: dns_trust_anchor $work/nothing.anchor" "$work/fg.log"; then
			ok "SIGHUP with a missing trust anchor keeps the running configuration"
		else
			bad "reload with a missing anchor: $(tail -2 "$work/fg.log")"
		fi
		spf_case "after the refused reload the daemon still answers" 192.0.2.10 a@good.signed.test 'spf=pass smtp.mailfrom=a@good.signed.test'
		kill "$dpid"; wait "$dpid" 2>/dev/null
	fi
	# a bad anchor file stops -n and the start, naming the file
	printf 'signed.test. IN DNSKEY garbage\n' > "$work/bad.anchor"
	printf 'allow_root = yes\ndns_trust_anchor = %s\n' "$work/bad.anchor" > "$work/ta.conf"
	out=$("$FG" -n -c "$work/ta.conf" 2>&1); rc=$?
	if [ $rc -ne 0 ] && printf '%s' "$out" | grep -q "ta.conf: dns_trust_anchor $work/bad.anchor: libunbound cannot use it"; then
		ok "-n refuses an unreadable trust anchor, naming the file"
	else
		bad "-n with a bad trust anchor: exit $rc: $out"
	fi
	printf 'allow_root = yes\ndns_trust_anchor = %s\nsocket = unix:%s/ta.sock\n' "$work/missing.anchor" "$work" > "$work/ta.conf"
	out=$(timeout 10 "$FG" -f -c "$work/ta.conf" 2>&1); rc=$?
	if [ $rc -eq 1 ] && printf '%s' "$out" | grep -q "dns_trust_anchor $work/missing.anchor: cannot open: No such file"; then
		ok "the daemon does not start with a missing trust anchor"
	else
		bad "daemon with a missing trust anchor: exit $rc: $(printf '%s' "$out" | tail -2)"
	fi
fi
echo "dns: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
