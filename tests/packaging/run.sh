#!/usr/bin/env bash
# tests/packaging/run.sh BUILD - what an administrator installs.
#
# The generated configuration and manual pages are current and render,
# the shipped configuration passes "forgeguard -n", the systemd unit's
# exposure is measured, "make distcheck" passes, and the Debian package
# builds with dpkg-buildpackage, installs (user, socket directory,
# conffile, unit, man pages), its daemon checks its configuration and
# answers a milter session, forgeguard-check reads the installed file, it
# holds exactly the files "make install" puts in place, an upgrade over a
# running daemon leaves it running on the new binary and a removal stops
# it.  The package is purged at the end.
# Ends with "packaging: N passed, N failed".
set -u
BUILD=$(cd "${1:?usage: run.sh BUILDDIR}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/fg-pkg.XXXXXX)
pass=0
fail=0
installed=""
daemon=""

cleanup() {
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
	[ -n "$installed" ] && dpkg --purge forgeguard >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# upgrade_and_remove - the maintainer scripts, as systemd would see them.
# PID 1 here is not systemd, so their systemd branch (taken when
# /run/systemd/system exists) runs in a mount namespace with /run on a
# tmpfs, and deb-systemd-invoke doing what systemd does with the unit:
# try-restart restarts the daemon if it runs, stop stops it; it records
# every call.  A daemon runs from the installed package; the same package
# rebuilt with a higher version is installed over it: the daemon must
# run afterwards, from the new binary (not the deleted old one), never
# stopped before the upgrade; dpkg -r must stop it.
upgrade_and_remove() {
	local up="$work/up" shim="$work/shim" log="$work/invoked"
	dpkg-deb -R "$deb" "$up" &&
		sed -i 's/^Version: .*/&+up1/' "$up/DEBIAN/control" &&
		dpkg-deb -b "$up" "$work/up.deb" >/dev/null
	[ $? -eq 0 ] || { bad "could not rebuild the package with a higher version"; return; }
	mkdir -p "$shim"
	cat > "$shim/deb-systemd-invoke" <<SHIM
#!/bin/sh
echo "\$*" >> "$log"
pid=\$(cat "$work/pid" 2>/dev/null)
running() { [ -n "\$pid" ] && kill -0 "\$pid" 2>/dev/null; }
stop() { kill "\$pid"; while kill -0 "\$pid" 2>/dev/null; do sleep 0.02; done; }
case "\$1" in
try-restart) running || exit 0; stop; "$work/start" ;;
restart) running && stop; "$work/start" ;;
stop) running && stop ;;
esac
exit 0
SHIM
	printf '#!/bin/sh\nexit 0\n' > "$shim/systemctl"
	cat > "$work/start" <<START
#!/bin/sh
# as the unit: User= and Group=forgeguard, the daemon itself the process
setsid setpriv --reuid=forgeguard --regid=forgeguard --init-groups \\
	/usr/sbin/forgeguard -f -c /etc/forgeguard/forgeguard.conf \\
	</dev/null >/dev/null 2>&1 &
echo \$! > "$work/pid"
START
	chmod 755 "$shim"/* "$work/start"
	cat > "$work/upgrade.sh" <<'UP'
set -u
work=$1 sock=/var/spool/postfix/forgeguard/forgeguard.sock
mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system || exit 1
export PATH="$work/shim:$PATH"
"$work/start"
for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.05; done
old=$(cat "$work/pid"); echo "old=$old"
dpkg -i "$work/up.deb" > "$work/up.log" 2>&1 || { echo "dpkg -i failed"; cat "$work/up.log"; }
echo "version=$(dpkg-query -W -f='${Version}' forgeguard)"
new=$(cat "$work/pid"); echo "new=$new"
for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.05; done
if kill -0 "$new" 2>/dev/null; then
	echo "running=yes"
	echo "exe=$(readlink "/proc/$new/exe")"
fi
# the removal on its own: a daemon running whatever the upgrade did
kill -0 "$new" 2>/dev/null || { "$work/start"; new=$(cat "$work/pid"); sleep 0.3; }
kill -0 "$new" 2>/dev/null || echo "no daemon before the removal"
before=$(wc -l < "$work/invoked" 2>/dev/null || echo 0)
dpkg -r forgeguard > "$work/rm.log" 2>&1 || { echo "dpkg -r failed"; cat "$work/rm.log"; }
echo "remove-calls=$(tail -n +$((before + 1)) "$work/invoked" 2>/dev/null | paste -sd,)"
kill -0 "$new" 2>/dev/null && echo "after-remove=running" || echo "after-remove=stopped"
kill "$new" 2>/dev/null
exit 0
UP
	out=$(unshare --mount --propagation private bash "$work/upgrade.sh" "$work" 2>&1)
	local oldpid newpid
	oldpid=$(printf '%s\n' "$out" | sed -n 's/^old=//p')
	newpid=$(printf '%s\n' "$out" | sed -n 's/^new=//p')
	printf '%s\n' "$out" | grep -q '^version=.*+up1$' &&
		printf '%s\n' "$out" | grep -q '^running=yes$' &&
		printf '%s\n' "$out" | grep -q '^exe=/usr/sbin/forgeguard$' &&
		[ -n "$oldpid" ] && [ "$oldpid" != "$newpid" ] &&
		grep -qx 'try-restart forgeguard.service' "$log" &&
		! sed '/try-restart/q' "$log" | grep -q '^stop'
	[ $? -eq 0 ] && ok "an upgrade over a running daemon leaves it running, restarted from the new binary ($(paste -sd, "$log"))" ||
		bad "upgrade: $(printf '%s\n' "$out" | tr '\n' ' ') calls: $(paste -sd, "$log" 2>/dev/null)"
	printf '%s\n' "$out" | grep -q '^after-remove=stopped$' &&
		printf '%s\n' "$out" | grep -qx 'remove-calls=stop forgeguard.service'
	[ $? -eq 0 ] && ok "dpkg -r stops the daemon" || bad "remove: $(printf '%s\n' "$out" | tr '\n' ' ')"
}

# --- the files in the tree -------------------------------------------------
if python3 "$top/scripts/gen-docs" "$BUILD" --check; then
	ok "packaging/forgeguard.conf and forgeguard.conf(5) list every key of forgeguard -D"
else
	bad "generated documentation is stale"
fi
for m in "$top"/packaging/man/*.[158]; do
	w=$(groff -man -ww -z "$m" 2>&1)
	if [ -z "$w" ] && MANWIDTH=80 man -l "$m" 2>/dev/null | grep -q NAME; then
		ok "man -l renders $(basename "$m") without warnings"
	else
		bad "$(basename "$m"): $w"
	fi
done
out=$("$BUILD/forgeguard" -n -c "$top/packaging/forgeguard.conf" 2>&1)
[ $? -eq 0 ] && ok "shipped forgeguard.conf: $out" || bad "shipped forgeguard.conf: $out"
unit="$BUILD/packaging/forgeguard.service"
make -s -C "$BUILD" packaging/forgeguard.service >/dev/null 2>&1
score=$(systemd-analyze security --offline=true "$unit" 2>/dev/null |
	sed -n 's/.*Overall exposure level for forgeguard.service: \([0-9.]*\).*/\1/p')
if [ -n "$score" ] && awk "BEGIN{exit !($score <= 2.0)}"; then
	ok "systemd-analyze security: exposure $score (at most 2.0 wanted)"
else
	bad "systemd-analyze security: exposure '${score:-?}'"
fi

# --- make distcheck --------------------------------------------------------
if [ "${FG_SKIP_DISTCHECK:-}" = 1 ]; then
	echo "skip make distcheck: FG_SKIP_DISTCHECK=1"
elif make -s -C "$BUILD" distcheck >"$work/distcheck.log" 2>&1; then
	ok "make distcheck"
else
	bad "make distcheck"
	grep -E 'error|Error|FAIL' "$work/distcheck.log" | head -15
fi

# --- the Debian package ----------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
	echo "packaging: skipped the Debian package: needs root to install it"
	echo "packaging: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi
if deb=$(bash "$top/packaging/build-deb" "$BUILD" "$work/deb" 2>&1 | tail -1) &&
	[ -f "$deb" ]; then
	ok "dpkg-buildpackage -us -uc -b: $(basename "$deb")"
else
	bad "dpkg-buildpackage: $deb"
	echo "packaging: $pass passed, $fail failed"
	exit 1
fi
if dpkg -s forgeguard >/dev/null 2>&1; then
	bad "forgeguard is already installed here; not touching it"
	echo "packaging: $pass passed, $fail failed"
	exit 1
fi
if dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
	installed=1
	ok "dpkg -i installs it"
else
	bad "dpkg -i: $(tail -5 "$work/dpkg.log")"
fi
if [ -n "$installed" ]; then
	getent passwd forgeguard >/dev/null && [ "$(stat -c %U:%G:%a /var/spool/postfix/forgeguard)" = forgeguard:forgeguard:750 ]
	[ $? -eq 0 ] && ok "the forgeguard user and /var/spool/postfix/forgeguard (forgeguard:forgeguard 0750)" ||
		bad "user or socket directory missing"
	dpkg-query -W -f='${Conffiles}\n' forgeguard | grep -q /etc/forgeguard/forgeguard.conf
	[ $? -eq 0 ] && ok "/etc/forgeguard/forgeguard.conf is a conffile" || bad "no conffile"
	out=$(/usr/sbin/forgeguard -n 2>&1)
	[ $? -eq 0 ] && ok "installed forgeguard -n: $out" || bad "installed forgeguard -n: $out"
	# forgeguard-check reads the daemon's file unless told otherwise
	cp -p /etc/forgeguard/forgeguard.conf "$work/conf.orig"
	printf 'authserv_id = pkg.example\ndisabled_checks = spf.helo spf.mailfrom dkim arc dmarc\ndns_resolver = 127.0.0.1@9\n' \
		>> /etc/forgeguard/forgeguard.conf
	out=$(printf 'From: a@example.net\n\nhi\n' | /usr/bin/forgeguard-check \
		--client-ip 192.0.2.7 --from '<a@example.net>' --rcpt '<b@example.org>' - 2>&1)
	cp -p "$work/conf.orig" /etc/forgeguard/forgeguard.conf
	printf '%s\n' "$out" | grep -q '^config: /etc/forgeguard/forgeguard.conf$' &&
		printf '%s\n' "$out" | grep -q '^header: Authentication-Results: pkg.example;'
	[ $? -eq 0 ] && ok "installed forgeguard-check reads /etc/forgeguard/forgeguard.conf and says so" ||
		bad "installed forgeguard-check: $(printf '%s\n' "$out" | grep -E '^(config|header|final)')"
	out=$(systemd-analyze verify /lib/systemd/system/forgeguard.service 2>&1 |
		grep -v "man " )
	[ -z "$out" ] && ok "systemd-analyze verify forgeguard.service" ||
		bad "systemd-analyze verify: $out"
	for p in forgeguard.8 forgeguard.conf.5 forgeguard-check.1; do
		man -w "${p%.*}" >/dev/null 2>&1 || man -w "$p" >/dev/null 2>&1
	done
	# the signing tools: a key made by the packaged forgeguard-keygen, as
	# the packaged user, is accepted by the packaged daemon's -n
	kd=$(mktemp -d)
	chmod 755 "$kd"
	/usr/bin/forgeguard-keygen -d example.org -s pkg -t ed25519 -D "$kd" \
		-u forgeguard >/dev/null &&
		printf 'example.org pkg %s/pkg.private\n' "$kd" > "$kd/keys" &&
		printf 'dkim_sign_keys = %s/keys\n' "$kd" > "$kd/fg.conf" &&
		[ -f /usr/share/man/man1/forgeguard-keygen.1.gz ] &&
		runuser -u forgeguard -- /usr/sbin/forgeguard -n -c "$kd/fg.conf" >/dev/null
	[ $? -eq 0 ] && ok "forgeguard-keygen (and its man page) installed; its key passes forgeguard -n as the forgeguard user" ||
		bad "forgeguard-keygen from the package"
	rm -rf "$kd"
	[ -f /usr/share/man/man8/forgeguard.8.gz ] && MANWIDTH=80 man forgeguard.conf 2>/dev/null | grep -q max_hops
	[ $? -eq 0 ] && ok "man forgeguard.conf shows every key (max_hops)" || bad "installed man pages"
	# the packaged daemon, as the packaged user, on the packaged socket
	runuser -u forgeguard -- /usr/sbin/forgeguard -f -c /etc/forgeguard/forgeguard.conf \
		2>"$work/daemon.err" &
	daemon=$!
	sock=/var/spool/postfix/forgeguard/forgeguard.sock
	for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.05; done
	# (connect and HELO go unanswered on a unix socket; an unknown
	# command is answered and needs no DNS)
	out=$(printf 'negotiate\nconnect mail.example.net 192.0.2.7 %%{client_addr}=192.0.2.7\nhelo [192.0.2.8]\nunknown TURN\nquit\n' |
		timeout 20 "$BUILD/tests/milter/fgmc" "unix:$sock" 2>&1)
	if printf '%s\n' "$out" | grep -q '^unknown: continue' &&
		[ "$(stat -c %U "$sock")" = forgeguard ]; then
		ok "the installed daemon answers a milter session on $sock"
	else
		bad "installed daemon: $out $(cat "$work/daemon.err")"
	fi
	kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null; daemon=""
	# make install puts the same files in place
	dpkg -L forgeguard | while read -r f; do [ -f "$f" ] && echo "$f"; done |
		grep -v -e '/copyright$' -e '/changelog\.gz$' | sed 's/\.gz$//' |
		sort > "$work/deb.list"
	mkdir -p "$work/obj"
	(cd "$work/obj" && "$top/configure" --prefix=/usr --sysconfdir=/etc \
		--with-systemdsystemunitdir=/lib/systemd/system >/dev/null 2>&1 &&
		make -s -j2 >/dev/null 2>&1 &&
		make -s install DESTDIR="$work/dest" >/dev/null 2>&1)
	(cd "$work/dest" && find . -type f | sed 's/^\.//' | sort) > "$work/make.list"
	if diff "$work/deb.list" "$work/make.list" >"$work/diff" 2>&1; then
		ok "make install DESTDIR= installs the package's $(wc -l < "$work/make.list") files"
	else
		bad "make install and the package differ:"
		cat "$work/diff"
	fi
	upgrade_and_remove
fi
echo "packaging: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
