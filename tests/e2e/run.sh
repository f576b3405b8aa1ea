#!/usr/bin/env bash
# tests/e2e/run.sh BUILD - forgeguard behind a real Postfix, with a real DNS
# server and real SMTP clients, inside unshare --net --mount --pid.
#
# Each scenario sends mail with swaks (client addresses and logins
# through XCLIENT) or tests/e2e/smtp.py (what swaks cannot send), then
# asserts the reply and enhanced code the client saw, forgeguard's
# verdict line, and for accepted mail the delivered message's header.
# Ends with "e2e: N passed, N failed".
set -u
BUILD=$(cd "${1:?usage: run.sh BUILDDIR}" && pwd)
export SB_BUILD=$BUILD
here=$(cd "$(dirname "$0")" && pwd)
. "$here/sandbox.sh"
sandbox_enter "$0" "$BUILD" || { echo "e2e: 0 passed, 0 failed (skipped)"; exit 0; }
trap sandbox_cleanup EXIT
trap 'echo "e2e: interrupted"; exit 130' INT TERM HUP

. "$here/assert.sh"

t0=$(date +%s)
sandbox_init
dns_start || exit 1
fg_start || exit 1
pf_start || exit 1

# client identities, as Postfix learns them through XCLIENT
good=(--xclient-addr 192.0.2.10 --xclient-name mail.example.org
	--helo mail.example.org)
stranger=(--xclient-addr 203.0.113.5 --xclient-name unknown)

begin "clean mail from an SPF-pass domain is delivered, stamped"
count_delivered bob@ours.example
sw "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_reply '<- +250 2.0.0 Ok: queued'
want_log 'stage=summary end=eom client=mail.example.org\[192.0.2.10\] .*action=accept'
want_delivered bob@ours.example '^Authentication-Results: mx.ours.example;' \
	'spf=pass smtp.mailfrom=alice@example.org smtp.helo=mail.example.org' \
	'iprev=pass policy.iprev=192.0.2.10' 'x-received-chain=pass'
end

begin "IPv6 client, SPF pass through ip6:"
count_delivered bob@ours.example
sw --xclient-addr IPV6:2001:db8::10 --xclient-name mail.example.org \
	--helo mail.example.org --from alice@example.org --to bob@ours.example
want_rc 0
want_log 'stage=mail client=mail.example.org\[2001:db8::10\] .*spf.mailfrom:pass'
want_delivered bob@ours.example 'spf=pass smtp.mailfrom=alice@example.org' \
	'policy.iprev=2001:db8::10'
end

begin "helo.syntax: refused at RCPT with 550 5.5.2"
sw "${stranger[@]}" --helo 'bad_host!name' --from a@example.net --to bob@ours.example
want_rc 24
want_reply '<\*\* +550 5.5.2 HELO name bad_host!name is not a valid host name'
want_log 'stage=helo .*helo.syntax:invalid .*deferred=reject'
want_log 'stage=rcpt .*action=reject reply="550 5.5.2'
end

begin "helo.bare_ip: refused at RCPT with 550 5.5.2"
sw "${stranger[@]}" --helo 203.0.113.5 --from a@example.net --to bob@ours.example
want_rc 24
want_reply '<\*\* +550 5.5.2 HELO name 203.0.113.5 is an IP address without brackets'
end

begin "helo.impersonation held to RCPT; postmaster@ is exempt"
count_delivered postmaster@ours.example
sw "${stranger[@]}" --helo mx.ours.example --from a@example.net \
	--to bob@ours.example,postmaster@ours.example
want_rc 0
want_reply '<\*\* +550 5.7.1 HELO name mx.ours.example impersonates this server'
want_reply '<- +250 2.1.5 Ok'
want_log 'stage=rcpt .*rcpt=<postmaster@ours.example> .*exempt=postmaster'
want_delivered postmaster@ours.example '^Authentication-Results: mx.ours.example'
end

begin "log-only findings are logged, the mail delivered and stamped"
count_delivered bob@ours.example
printf 'Received: from a.example.net (a.example.net [0.1.2.3]) by mail.example.net with ESMTP; Tue, 14 Nov 2099 22:00:00 +0000\r\nReceived: garbage ((( [[[\r\nFrom: a@example.net\r\nSubject: odd\r\n\r\nbody\r\n' > "$SB/odd.eml"
sw --xclient-addr 203.0.113.5 --xclient-name unknown --helo '[192.0.2.99]' \
	--from a@example.net --to bob@ours.example --data "$SB/odd.eml"
want_rc 0
want_log 'stage=connect .*client.fcrdns:none'
want_log 'stage=helo .*helo.literal_mismatch:mismatch'
want_log 'stage=header .*received.unparseable:invalid,received.time_travel:fail,received.bogus_ip:invalid'
want_delivered bob@ours.example 'x-received-chain=fail reason="hop 1 dated in the future"'
end

begin "helo.not_fqdn is logged; spf.helo is evaluated for a host name"
count_delivered bob@ours.example
sw --xclient-addr 192.0.2.10 --xclient-name mail.example.org --helo laptop \
	--from alice@example.org --to bob@ours.example
want_rc 0
want_log 'stage=helo .*helo.not_fqdn:invalid'
sw "${good[@]}" --from alice@example.org --to bob@ours.example
want_log 'stage=helo .*spf.helo:none'
end

begin "sender.syntax and rcpt.syntax: Postfix's own parser answers first"
raw <<'S'
connect 127.0.0.1 25
send EHLO client.example.net
send XCLIENT ADDR=192.0.2.10 NAME=mail.example.org
send EHLO mail.example.org
send MAIL FROM:<a b@example.org>
send MAIL FROM:<a@example.org>
send RCPT TO:<a b@ours.example>
send QUIT
S
want_reply '^501 5.1.7 Bad sender address syntax'
want_reply '^501 5.1.3 Bad recipient address syntax'
no_log 'from=<a b@example.org>'
end

begin "sender.local_forgery: 553 5.7.1 for our domain from outside"
sw "${stranger[@]}" --helo client.example.net --from ceo@ours.example --to bob@ours.example
want_rc 24
want_reply '<\*\* +553 5.7.1 Sender address ceo@ours.example is in a local domain'
want_log 'sender.local_forgery:forged'
end

begin "authenticated client sending as itself is delivered, no SPF"
count_delivered carol@example.net
sw --xclient-addr 203.0.113.77 --xclient-login alice --helo laptop.example.net \
	--from alice@ours.example --to carol@example.net
want_rc 0
want_log 'stage=mail .*from=<alice@ours.example> .*sender.auth_mismatch:pass'
no_log 'spf.mailfrom'
want_delivered carol@example.net '^Authentication-Results: mx.ours.example'
end

begin "authenticated client sending as someone else: 553 5.7.1"
sw --xclient-addr 203.0.113.77 --xclient-login alice --helo laptop.example.net \
	--from bob@ours.example --to carol@example.net
want_rc 24
want_reply '<\*\* +553 5.7.1 Sender address bob@ours.example is not owned by the authenticated user'
end

begin "spf.mailfrom fail: 550 5.7.23 at RCPT"
sw "${stranger[@]}" --helo client.example.net --from alice@example.org --to bob@ours.example
want_rc 24
want_reply '<\*\* +550 5.7.23 SPF check failed for alice@example.org \(spf.mailfrom\)'
want_log 'spf.mailfrom:fail'
end

begin "spf.mailfrom softfail: delivered and tagged"
count_delivered bob@ours.example
sw "${stranger[@]}" --helo client.example.net --from a@soft.example.org --to bob@ours.example
want_rc 0
want_delivered bob@ours.example 'spf=softfail smtp.mailfrom=a@soft.example.org'
end

begin "spf.mailfrom temperror (DNS REFUSED): 451 4.7.24"
sw "${stranger[@]}" --helo client.example.net --from a@outside.invalid-zone.test --to bob@ours.example
want_rc 24
want_reply '<\*\* +451 4.7.24 SPF lookup for a@outside.invalid-zone.test failed'
end

begin "rcpt.limit: the 4th recipient gets 452 4.5.3"
count_delivered r3@ours.example
sw "${good[@]}" --from alice@example.org \
	--to r1@ours.example,r2@ours.example,r3@ours.example,r4@ours.example
want_rc 0
want_reply '<\*\* +452 4.5.3 Too many recipients'
want_delivered r3@ours.example '^Authentication-Results'
end

begin "header.from: a message without From: is refused after DATA"
raw <<'S'
connect 127.0.0.1 25
send EHLO client.example.net
send XCLIENT ADDR=192.0.2.10 NAME=mail.example.org
send EHLO mail.example.org
send MAIL FROM:<alice@example.org>
send RCPT TO:<bob@ours.example>
send DATA
data Subject: no author\n\nbody
send QUIT
S
want_reply '^550 5.7.1 Message has no From: field \(header.from\)'
want_log 'stage=header .*header.from:none'
end

begin "header.local_forgery: our domain in From: from outside"
printf 'From: The CEO <ceo@ours.example>\r\nSubject: pay\r\n\r\nbody\r\n' > "$SB/ceo.eml"
sw "${good[@]}" --from alice@example.org --to bob@ours.example \
	--data "$SB/ceo.eml"
want_rc 26
want_reply '<\*\* +550 5.7.1 From: address ceo@ours.example is in a local domain'
end

begin "received.forged_local: an outside client inserting our own hop"
sw "${good[@]}" --from alice@example.org --to bob@ours.example \
	--add-header 'Received: from internal.ours.example (internal.ours.example [10.0.0.5]) by mx.ours.example (Postfix) with ESMTP id 4AbC; Tue, 14 Nov 2023 22:00:00 +0000'
want_rc 26
want_reply '<\*\* +554 5.7.1 Forged Received: chain: hop 1: by mx.ours.example'
want_log 'stage=header .*received.forged_local:forged'
end

# hops HOW-MANY - swaks arguments adding that many Received: fields
hops() {
	local i
	hop_args=()
	for i in $(seq 1 "$1"); do
		hop_args+=(--add-header "Received: from r$i.example.net (r$i.example.net [203.0.113.9]) by r$((i + 1)).example.net with ESMTP; Tue, 14 Nov 2023 22:00:00 +0000")
	done
}
begin "150 Received: fields: Postfix's own hopcount_limit (50) answers first"
hops 150
sw "${good[@]}" --from alice@example.org --to bob@ours.example "${hop_args[@]}"
want_rc 26
want_reply '<\*\* +554 5.4.0 Error: too many hops'
no_log 'stage=header'
end

begin "received.hops: 40 fields over max_hops = 30, 554 5.4.6"
hops 40
sw "${good[@]}" --from alice@example.org --to bob@ours.example "${hop_args[@]}"
want_rc 26
want_reply '<\*\* +554 5.4.6 Too many hops: 40 Received: fields'
want_log 'stage=header .*received.hops:fail'
end

begin "received.broken_trail: our relay's hop names another of our hosts"
count_delivered bob@ours.example
sw --xclient-addr 10.0.0.2 --xclient-name gw.ours.example --helo gw.ours.example \
	--from alice@example.org --to bob@ours.example \
	--add-header 'Received: from mail.example.org (mail.example.org [192.0.2.10]) by filter.ours.example (Postfix) with ESMTP id 3; Tue, 14 Nov 2023 22:12:00 +0000'
want_rc 0
want_log 'stage=header .*received.broken_trail:fail .*hop 1: by filter.ours.example, hop 0 from gw.ours.example'
# folded under 78 columns: the reason on a line of its own
want_delivered bob@ours.example 'x-received-chain=fail$' \
	'^	reason="hop 1 by filter.ours.example, not gw.ours.example"'
end

begin "header.limits: 1,200 header fields are counted, logged, delivered"
count_delivered bob@ours.example
{ printf 'From: alice@example.org\r\nSubject: many\r\n'
  for i in $(seq 1 1200); do printf 'X-F%d: v\r\n' "$i"; done
  printf '\r\nbody\r\n'; } > "$SB/many.eml"
sw "${good[@]}" --from alice@example.org --to bob@ours.example --data "$SB/many.eml"
want_rc 0
want_log 'stage=header .*header.limits:invalid .*12[0-9][0-9] fields, [0-9]+ bytes; [0-9]+ fields not examined'
want_delivered bob@ours.example '^Authentication-Results: mx.ours.example'
end

begin "a forged Authentication-Results is removed from the delivered copy"
count_delivered bob@ours.example
sw "${good[@]}" --from alice@example.org --to bob@ours.example \
	--add-header 'Authentication-Results: mx.ours.example; dkim=pass header.d=bank.example' \
	--add-header 'Authentication-Results: other.example.net; spf=pass'
want_rc 0
want_log 'header.authres:forged'
want_delivered bob@ours.example '^Authentication-Results: other.example.net; spf=pass' \
	'^Authentication-Results: mx.ours.example;$'
no_delivered_line bob@ours.example 'header.d=bank.example'
end

begin "RSET and two messages on one connection"
count_delivered y@ours.example
raw <<'S'
connect 127.0.0.1 25
send EHLO client.example.net
send XCLIENT ADDR=192.0.2.10 NAME=mail.example.org
send EHLO mail.example.org
send MAIL FROM:<a@example.org> SIZE=300 BODY=8BITMIME
send RCPT TO:<x@ours.example>
send RSET
send MAIL FROM:<b@example.org>
send RCPT TO:<y@ours.example>
send DATA
data From: b@example.org\nSubject: one\n\nfirst
send MAIL FROM:<c@example.org>
send RCPT TO:<z@ours.example>
send DATA
data From: c@example.org\nSubject: two\n\nsecond
send QUIT
S
want_reply '^250 2.0.0 Ok: queued'
[ "$(printf '%s\n' "$out" | grep -c '^250 2.0.0 Ok: queued')" -eq 2 ]
check $? "two messages not both queued"
want_log 'stage=summary end=abort .*from=<a@example.org>'
want_log 'stage=summary end=eom .*from=<b@example.org> rcpt="<y@ours.example>"'
want_log 'stage=summary end=eom .*from=<c@example.org>'
want_delivered y@ours.example 'spf=pass smtp.mailfrom=b@example.org'
end

begin "sender.size: SIZE= above max_message_size, 552 5.3.4"
raw <<'S'
connect 127.0.0.1 25
send EHLO client.example.net
send XCLIENT ADDR=192.0.2.10 NAME=mail.example.org
send EHLO mail.example.org
send MAIL FROM:<a@example.org> SIZE=5000000
send RCPT TO:<bob@ours.example>
send QUIT
S
want_reply '^552 5.3.4 .*sender.size'
end

begin "pipelined commands and an unknown verb"
raw <<'S'
connect 127.0.0.1 25
send EHLO client.example.net
send XCLIENT ADDR=192.0.2.10 NAME=mail.example.org
pipe EHLO mail.example.org | MAIL FROM:<a@example.org> | RCPT TO:<bob@ours.example> | RSET
send TURN
send QUIT
S
want_reply '^250 2.1.5 Ok'
want_reply '^500 5.5.2 Error: command not recognized'
want_log 'stage=unknown .*cmd=TURN .*smtp.unknown_command:invalid'
end

begin "a connection dropped in the middle of DATA is logged, nothing kept"
raw <<'S'
connect 127.0.0.1 25
send EHLO client.example.net
send XCLIENT ADDR=192.0.2.10 NAME=mail.example.org
send EHLO mail.example.org
send MAIL FROM:<drop@example.org>
send RCPT TO:<bob@ours.example>
send DATA
raw From: drop@example.org\r\nSubject: half\r\n\r\nhalf a mess
drop
S
want_log 'stage=summary end=(abort|close) .*from=<drop@example.org>'
end

begin "dry-run (SIGHUP reload): nothing refused, would= logged"
fg_conf "mode = dry-run"
kill -HUP "$SB_FG"
sleep 0.3
count_delivered bob@ours.example
sw "${stranger[@]}" --helo mx.ours.example --from a@example.net --to bob@ours.example
want_rc 0
want_log 'stage=rcpt .*helo.impersonation:forged .*action=log would=reject'
want_delivered bob@ours.example '^Authentication-Results'
end

begin "SIGHUP while a session runs: it finishes on its snapshot"
fg_conf ""
kill -HUP "$SB_FG"
sleep 0.3
python3 "$here/smtp.py" > "$SB/bg.out" 2>&1 <<'S' &
connect 127.0.0.1 25
send EHLO client.example.net
send XCLIENT ADDR=203.0.113.5 NAME=unknown
send EHLO mx.ours.example
send MAIL FROM:<a@example.net>
sleep 2000
send RCPT TO:<bob@ours.example>
send QUIT
S
bg=$!
sleep 1
fg_conf "mode = dry-run"
kill -HUP "$SB_FG"
wait $bg
out=$(cat "$SB/bg.out")
want_reply '^550 5.7.1 HELO name mx.ours.example impersonates'
want_log 'configuration reloaded from'
end

begin "a bad configuration on reload is refused; the old one stays"
printf 'no_such_key = 1\n' >> "$SB/fg.conf"
kill -HUP "$SB_FG"
sleep 0.3
sw "${stranger[@]}" --helo mx.ours.example --from a@example.net --to bob@ours.example
want_rc 0
want_log 'reload failed, keeping the running configuration: .*fg.conf:[0-9]+: .*no_such_key'
want_log 'stage=rcpt .*would=reject'
end

begin "forgeguard stopped: Postfix's milter_default_action tempfails"
fg_stop
sw "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 23
want_reply '<\*\* +451 4.7.1 Service unavailable'
end

[ "$fail" -eq 0 ] || grep -E 'reload|configuration|error' "$SB/fg.log" | tail -8
secs=$(( $(date +%s) - t0 ))
echo "e2e: $pass passed, $fail failed (${secs}s)"
[ "$fail" -eq 0 ]
