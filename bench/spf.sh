#!/usr/bin/env bash
# bench/spf.sh BUILD - SPF cost from the cache and thread use under a dead
# DNS server, against dnsmasq on loopback inside unshare --net.
set -u
BUILD=${1:?usage: bench/spf.sh BUILDDIR}
if [ "$(id -u)" -eq 0 ] && [ -z "${FG_IN_NETNS:-}" ]; then
	exec unshare --net env FG_IN_NETNS=1 bash -c \
		'ip link set lo up && exec bash "$0" "$1"' "$0" "$BUILD"
fi
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000)); dead=$((port + 1))
cat > "$work/d.conf" <<CONF
port=$port
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-hosts
local-ttl=300
local=/example.org/
txt-record=example.org,"v=spf1 ip4:198.51.100.0/24 include:_spf.example.org mx -all"
txt-record=_spf.example.org,"v=spf1 ip4:203.0.113.0/24 ip4:192.0.2.0/24 -all"
mx-host=example.org,mail.example.org,10
host-record=mail.example.org,192.0.2.10
CONF
dnsmasq --keep-in-foreground --conf-file="$work/d.conf" & d=$!
python3 -c 'import socket,sys
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",int(sys.argv[1])))
while True: s.recv(4096)' "$dead" & p=$!
sleep 0.3
"$BUILD/bench/spf" cached "127.0.0.1@$port" 20000
FG_BENCH_LIBSPF2=1 "$BUILD/bench/spf" cached "127.0.0.1@$port" 20000
"$BUILD/bench/spf" threads "127.0.0.1@$dead" 1000 1000
kill $d $p; wait 2>/dev/null; rm -rf "$work"
