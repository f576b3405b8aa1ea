#!/usr/bin/env bash
# tests/e2e/demo.sh BUILD - what forgeguard does, for a newcomer to watch:
# the sandbox of the e2e tier (a private Postfix, dnsmasq and forgeguard
# on loopback, inside unshare), five messages, legitimate and forged, and
# for each the SMTP exchange, the reply, and forgeguard's verdict lines.
set -u
BUILD=$(cd "${1:?usage: demo.sh BUILDDIR}" && pwd)
export SB_BUILD=$BUILD
here=$(cd "$(dirname "$0")" && pwd)
. "$here/sandbox.sh"
sandbox_enter "$0" "$BUILD" || exit 1
trap sandbox_cleanup EXIT
trap 'exit 130' INT TERM HUP

bold=$(printf '\033[1m') dim=$(printf '\033[2m') off=$(printf '\033[0m')
[ -t 1 ] || { bold=""; dim=""; off=""; }

sandbox_init
dns_start && fg_start && pf_start || exit 1
cat <<TXT
${bold}forgeguard demo${off}: Postfix on 127.0.0.1:25 for ours.example (mx.ours.example),
forgeguard behind it as its milter, dnsmasq answering DNS (example.org
publishes "v=spf1 ip4:192.0.2.0/24 -all").  The clients below are
impersonated with XCLIENT, as swaks sends them.
TXT

# show TITLE EXPLANATION SWAKS-ARGS... - one message, told readably
show() {
	local title=$1 why=$2 mark out
	shift 2
	mark=$(wc -l < "$SB/fg.log")
	echo
	echo "${bold}== $title${off}"
	echo "   $why"
	out=$(swaks --server 127.0.0.1 --port 25 --h-Date "$(date -R)" "$@" 2>&1)
	echo "${dim}   -- the SMTP exchange (client ->, server <-)${off}"
	printf '%s\n' "$out" | grep -E '^ *(->|<-|<\*\*|\*\*\*)' |
		grep -vE '^ *-> *($|[A-Za-z-]+: |This is a test|\.$)' |
		grep -vE '<-  250[- ](PIPELINING|SIZE|VRFY|ETRN|XCLIENT|ENHANCED|8BIT|DSN|SMTPUTF8|CHUNKING)' |
		sed 's/^/   /'
	echo "${dim}   -- forgeguard's verdict lines${off}"
	sleep 0.2
	tail -n +"$((mark + 1))" "$SB/fg.log" | sed -E 's/^.*forgeguard\[[0-9]+\]: //' |
		grep -E 'stage=(rcpt|header|summary)' | sed 's/^/   /'
}

show "A clean message from an SPF-authorised server" \
	"mail.example.org [192.0.2.10] sends for example.org: delivered, stamped." \
	--xclient-addr 192.0.2.10 --xclient-name mail.example.org \
	--helo mail.example.org --from alice@example.org --to bob@ours.example
f=$(ls -t "$SB"/out/*.eml 2>/dev/null | head -1)
[ -n "$f" ] && { echo "${dim}   -- the header the mailbox receives${off}";
	sed -n '/^Authentication-Results/,/^Received/p' "$f" | sed '$d' | sed 's/^/   /'; }

show "A forged HELO: the client says it is our own server" \
	"Refused at RCPT (postmaster@ would still be accepted)." \
	--xclient-addr 203.0.113.5 --xclient-name unknown \
	--helo mx.ours.example --from someone@example.net --to bob@ours.example

show "A spoofed sender in our own domain from outside" \
	"ceo@ours.example from an unauthenticated stranger." \
	--xclient-addr 203.0.113.5 --xclient-name unknown \
	--helo client.example.net --from ceo@ours.example --to bob@ours.example

show "SPF fail" \
	"alice@example.org from 203.0.113.5, which example.org does not authorise." \
	--xclient-addr 203.0.113.5 --xclient-name unknown \
	--helo client.example.net --from alice@example.org --to bob@ours.example

show "A forged Received: chain" \
	"An outside client pretends the message already passed our own MX." \
	--xclient-addr 192.0.2.10 --xclient-name mail.example.org \
	--helo mail.example.org --from alice@example.org --to bob@ours.example \
	--add-header 'Received: from intranet.ours.example (intranet.ours.example [10.0.0.5]) by mx.ours.example (Postfix) with ESMTP id 4AbC; Tue, 14 Nov 2023 22:00:00 +0000'
echo
echo "${bold}Done.${off} Everything ran inside a private network namespace and is gone."
