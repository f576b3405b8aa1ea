#!/usr/bin/env bash
# tests/milter/syslog.sh FG WORK - run inside "unshare --mount": the
# daemon logging to syslog with syslog_facility = local3, a datagram
# listener on /dev/log (on a private /dev, the real device nodes bound
# in) printing what it receives.  Prints the datagrams, one per line.
set -u
FG=$1 work=$2
mkdir -p "$work/olddev"
mount --bind /dev "$work/olddev" || exit 1
mount -t tmpfs tmpfs /dev || exit 1
for d in null zero urandom random; do
	touch "/dev/$d" && mount --bind "$work/olddev/$d" "/dev/$d"
done
python3 - "$work/syslog.out" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
s.settimeout(5)
with open(sys.argv[1], "w") as out:
    for _ in range(2):
        try:
            out.write(s.recv(4096).decode(errors="replace") + "\n")
            out.flush()
        except socket.timeout:
            break
PY
py=$!
for _ in $(seq 1 100); do [ -S /dev/log ] && break; sleep 0.05; done
cat > "$work/syslog.conf" <<CONF
socket = unix:$work/syslog.sock
allow_root = yes
log_target = syslog
syslog_facility = local3
authserv_id = mx.ours.example
local_domains = ours.example
local_hosts = mx.ours.example
local_addresses = 198.51.100.25
CONF
"$FG" -f -c "$work/syslog.conf" &
fg=$!
wait "$py"
kill "$fg" 2>/dev/null
wait "$fg" 2>/dev/null
cat "$work/syslog.out"
