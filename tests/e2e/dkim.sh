#!/usr/bin/env bash
# tests/e2e/dkim.sh BUILD - DKIM, ARC and DMARC behind a real Postfix, with
# the keys served by a real DNS server (dnsmasq) and the messages signed
# at test time by a real third-party signer (python3-dkim) over keys made
# here (openssl), inside unshare --net --mount --pid.
#
# Asserts the result the verdict line and the delivered
# Authentication-Results give for each signature, that Postfix's own
# header handling leaves a simple/simple signature intact (the delivered
# copy verifies again with python3-dkim), and what the policy does with
# our own domain's signed and unsigned mail; that a chain sealed by
# python3-dkim's arc_sign passes, fails when altered, and that a trusted
# sealer's record is kept for a forwarded message whose SPF fails; and
# that DMARC refuses, holds or tags as the author domain's policy says,
# passes an aligned DKIM signature after an SPF-breaking forward, spares
# a trusted forwarder, and tempfails when the policy cannot be fetched;
# that a trusted client's mail leaves signed with keys forgeguard-keygen
# made (python3-dkim and Mail::DKIM verify the delivered copy), and an
# outside client's does not; that mail to a list domain leaves with an
# ARC set python3-dkim's arc_verify passes (a new chain, and one
# continued), that the list's re-injection with a footer carries the
# results recorded at receipt, and that a failed chain gets no set.
# Ends with "e2e-dkim: N passed, N failed".
set -u
BUILD=$(cd "${1:?usage: dkim.sh BUILDDIR}" && pwd)
export SB_BUILD=$BUILD
here=$(cd "$(dirname "$0")" && pwd)
. "$here/sandbox.sh"
sandbox_enter "$0" "$BUILD" ||
	{ echo "e2e-dkim: 0 passed, 0 failed (skipped)"; exit 0; }
trap sandbox_cleanup EXIT
trap 'echo "e2e-dkim: interrupted"; exit 130' INT TERM HUP
. "$here/assert.sh"
PY=/usr/bin/python3
SIGN="$PY $here/dkimsign.py"

# swd FILE ARGS... - send FILE as the message, untouched (no swaks
# headers: they would replace signed ones)
swd() {
	local file=$1
	shift
	out=$(timeout 60 swaks --server 127.0.0.1 --port 25 --timeout 30 \
		--data "$file" "$@" 2>&1)
	rc=$?
}
# txt NAME VALUE - a dnsmasq TXT line, the value in strings of 250
txt() {
	local v=$2 line="txt-record=$1"
	while [ -n "$v" ]; do
		line="$line,\"${v:0:250}\""
		v=${v:250}
	done
	printf '%s\n' "$line"
}

t0=$(date +%s)
sandbox_init
K="$SB/dkim"
mkdir -p "$K"
rsa2048=$($SIGN key rsa2048 "$K/rsa2048.key")
rsa1024=$($SIGN key rsa1024 "$K/rsa1024.key")
ed=$($SIGN key ed25519 "$K/ed.key")
# our own signing keys, made by forgeguard-keygen for the daemon's user
"$BUILD/forgeguard-keygen" -d ours.example -s e2e1 -D "$K" -u nobody >/dev/null &&
	"$BUILD/forgeguard-keygen" -d ours.example -s e2e2 -t ed25519 -D "$K" \
		-u nobody >/dev/null || { echo "forgeguard-keygen failed"; exit 1; }
sign1=$(tr -d '\n\t"()' < "$K/e2e1.txt" | sed 's/^.*IN TXT *//; s/ *$//')
sign2=$(tr -d '\n\t"()' < "$K/e2e2.txt" | sed 's/^.*IN TXT *//; s/ *$//')
printf 'ours.example e2e1 %s/e2e1.private\nours.example e2e2 %s/e2e2.private\nexample.org e2e1 %s/e2e1.private\n' \
	"$K" "$K" "$K" > "$K/sign.keys"
chmod 644 "$K/sign.keys"
chmod 755 "$K"
# _dmarc.quar.example.net comes in two TXT strings: the held message of
# the quarantine scenario shows they are joined (RFC 9989 4.7)
SB_DNS_EXTRA="$(txt s2048._domainkey.example.org "$rsa2048")
$(txt s1024._domainkey.example.org "$rsa1024")
$(txt ed._domainkey.example.org "$ed")
$(txt gone._domainkey.example.org "v=DKIM1; p=")
$(txt news._domainkey.ours.example "$rsa2048")
$(txt arc._domainkey.lists.example.net "$rsa2048")
$(txt arc._domainkey.fwd.example.com "$rsa2048")
$(txt _dmarc.reject.example.net "v=DMARC1; p=reject; rua=mailto:dmarc-reports@ours.example")
$(txt reject.example.net._report._dmarc.ours.example "v=DMARC1")
txt-record=_dmarc.quar.example.net,\"v=DMARC1; \",\"p=quarantine\"
$(txt _dmarc.none.example.net "v=DMARC1; p=none")
$(txt s2048._domainkey.news.example.com "$rsa2048")
$(txt _dmarc.example.com "v=DMARC1; p=reject")
$(txt e2e1._domainkey.ours.example "$sign1")
$(txt e2e2._domainkey.ours.example "$sign2")
$(txt e2e1._domainkey.example.org "$sign1")"
export SB_DNS_EXTRA
dns_start || exit 1
fg_start || exit 1
pf_start || exit 1
good=(--xclient-addr 192.0.2.10 --xclient-name mail.example.org
	--helo mail.example.org)
stranger=(--xclient-addr 203.0.113.5 --xclient-name unknown
	--helo client.example.net)

# message FROM FILE - a message from FROM to bob@ours.example, with
# trailing blanks and a folded Subject that simple keeps as they are
message() {
	printf '%s\r\n' "From: Alice <$1>" "To: Bob <bob@ours.example>" \
		"Subject: the quarterly figures," "	folded on two lines" \
		"Date: $(date -R)" "Message-ID: <$(date +%s%N)@example.org>" \
		"" "Hello Bob,  " "" "the figures are attached.	" "" "" > "$2"
}
# signed KEY SEL DOMAIN ALG CANON OUT [FROM] - a message signed by them
signed() {
	message "${7:-alice@example.org}" "$SB/plain.eml"
	$SIGN sign "$1" "$2" "$3" "$4" "$5" "$SB/plain.eml" "$6"
}

begin "rsa-2048 simple/simple: pass, and Postfix leaves the signature intact"
signed "$K/rsa2048.key" s2048 example.org rsa-sha256 simple/simple "$SB/m1.eml"
count_delivered bob@ours.example
swd "$SB/m1.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_log 'stage=eom .*dkim=example.org/s2048:pass findings=dkim:pass'
want_delivered bob@ours.example \
	'^	dkim=pass header.d=example.org header.i=@example.org header.s=s2048$' \
	'header.a=rsa-sha256 header.b='
f=$(captured bob@ours.example)
$PY - "$f" "$rsa2048" <<'PY'
import sys, dkim
msg = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
rec = sys.argv[2].encode()
ok = dkim.verify(msg, dnsfunc=lambda name, timeout=5: rec)
sys.exit(0 if ok else 1)
PY
check $? "the delivered copy no longer verifies with python3-dkim"
end

begin "ed25519 and rsa-1024 relaxed/relaxed on one message: both pass"
signed "$K/rsa1024.key" s1024 example.org rsa-sha256 relaxed/relaxed "$SB/m2a.eml"
$SIGN sign "$K/ed.key" ed example.org ed25519-sha256 relaxed/relaxed \
	"$SB/m2a.eml" "$SB/m2.eml"
count_delivered bob@ours.example
swd "$SB/m2.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_log 'stage=eom .*dkim=example.org/ed:pass,example.org/s1024:pass '
want_delivered bob@ours.example 'dkim=pass header.d=example.org header.i=@example.org header.s=ed$' \
	'header.a=ed25519-sha256' 'header.s=s1024$'
end

begin "the body altered after signing: fail, body hash mismatch"
signed "$K/rsa2048.key" s2048 example.org rsa-sha256 relaxed/simple "$SB/m3.eml"
sed -i 's/figures are attached/figures are ATTACHED/' "$SB/m3.eml"
count_delivered bob@ours.example
swd "$SB/m3.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_log 'stage=eom .*dkim=example.org/s2048:fail findings=dkim:fail detail="dkim: body hash mismatch'
want_delivered bob@ours.example 'dkim=fail reason="body hash mismatch"'
end

begin "no key record: permerror"
signed "$K/rsa2048.key" nokey example.org rsa-sha256 relaxed/relaxed "$SB/m4.eml"
count_delivered bob@ours.example
swd "$SB/m4.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_log 'dkim=example.org/nokey:permerror findings=dkim:permerror detail="dkim: no key record'
want_delivered bob@ours.example 'dkim=permerror reason="no key record"'
end

begin "a revoked key (empty p=): permerror"
signed "$K/rsa2048.key" gone example.org rsa-sha256 relaxed/relaxed "$SB/m5.eml"
count_delivered bob@ours.example
swd "$SB/m5.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_delivered bob@ours.example 'dkim=permerror reason="key revoked \(empty p=\)"'
end

begin "rsa-sha1: policy (RFC 8301), never a pass"
signed "$K/rsa2048.key" s2048 example.org rsa-sha1 relaxed/relaxed "$SB/m6.eml"
count_delivered bob@ours.example
swd "$SB/m6.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_delivered bob@ours.example 'dkim=policy reason="rsa-sha1 is not acceptable \(RFC 8301\)"'
end

begin "our domain signed by our key from a stranger: delivered (local_forgery exempt)"
signed "$K/rsa2048.key" news ours.example rsa-sha256 relaxed/relaxed "$SB/m7.eml" news@ours.example
count_delivered bob@ours.example
swd "$SB/m7.eml" "${stranger[@]}" --from bounce@esp.example.net --to bob@ours.example
want_rc 0
want_log 'stage=eom .*dkim=ours.example/news:pass findings=dkim:pass action=accept'
want_delivered bob@ours.example 'dkim=pass header.d=ours.example'
end

begin "the same unsigned: refused after DATA, 550 5.7.1 header.local_forgery"
message news@ours.example "$SB/m8.eml"
swd "$SB/m8.eml" "${stranger[@]}" --from bounce@esp.example.net --to bob@ours.example
want_rc 26
want_reply '<\*\* +550 5.7.1 From: address news@ours.example is in a local domain'
want_log 'stage=eom .*findings=dkim:none,header.local_forgery:forged .*action=reject'
end

begin "the key's DNS refused: temperror; tempfail where configured"
signed "$K/rsa2048.key" sel elsewhere.test rsa-sha256 relaxed/relaxed "$SB/m9.eml"
count_delivered bob@ours.example
swd "$SB/m9.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_delivered bob@ours.example 'dkim=temperror reason="key lookup failed" header.d=elsewhere.test'
fg_conf "action.dkim.temperror = tempfail"
kill -HUP "$SB_FG"
sleep 0.3
swd "$SB/m9.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 26
want_reply '<\*\* +451 4.7.20 DKIM key of d=elsewhere.test s=sel could not be fetched'
end

# sealed MSG OUT - MSG forwarded by the list, then by a forwarder
sealed() {
	$SIGN arc "$K/rsa2048.key" arc lists.example.net mx.lists.example.net \
		192.0.2.10 none "$1" "$SB/hop1.eml" &&
		$SIGN arc "$K/rsa2048.key" arc fwd.example.com mx.fwd.example.com \
			192.0.2.11 pass "$SB/hop1.eml" "$2"
}

begin "an ARC chain of two sets sealed by python3-dkim: pass, in its trail"
signed "$K/rsa2048.key" s2048 example.org rsa-sha256 relaxed/relaxed "$SB/a0.eml"
sealed "$SB/a0.eml" "$SB/a1.eml"
count_delivered bob@ours.example
swd "$SB/a1.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_log 'stage=eom .*arc="1:lists.example.net/arc:pass/pass:none,2:fwd.example.com/arc:pass/pass:pass;oldest-pass=0" findings=dkim:pass,arc:pass,arc.trail:pass'
want_delivered bob@ours.example \
	'^	arc=pass \(sealed by lists.example.net fwd.example.com\)$' \
	'^	smtp.remote-ip=192.0.2.10 header.oldest-pass=0;$'
end

begin "the same chain, the body altered after the last seal: fail"
sed 's/figures are attached/figures are ATTACHED/' "$SB/a1.eml" > "$SB/a2.eml"
count_delivered bob@ours.example
swd "$SB/a2.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_log 'findings=dkim:fail,arc:fail detail=.*arc: ARC-Message-Signature i=2: body hash mismatch'
want_delivered bob@ours.example 'arc=fail reason="ARC-Message-Signature i=2: body hash mismatch"'
end

begin "forwarded, SPF fails; the trusted list's record is kept as the override reason"
fg_conf "arc_trusted_sealers = lists.example.net
action.spf.mailfrom.fail = tag"
kill -HUP "$SB_FG"
sleep 0.3
count_delivered bob@ours.example
swd "$SB/a1.eml" "${stranger[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_log 'stage=mail .*findings=.*spf.mailfrom:fail'
want_log 'stage=eom .*;trusted=1:lists.example.net:\+spf=pass\+dkim=pass\+dmarc=pass" findings=dkim:pass,arc:pass'
want_delivered bob@ours.example 'spf=fail' \
	'^	\(trusted sealer lists.example.net i=1 says spf=pass dkim=pass dmarc=pass\)$'
end

# plain FROM OUT - an unsigned message from FROM
plain() {
	message "$1" "$2"
}

begin "DMARC p=reject, the author domain spoofed: refused after DATA"
plain ceo@reject.example.net "$SB/d1.eml"
swd "$SB/d1.eml" "${stranger[@]}" --from bounce@bulk.example.net --to bob@ours.example
want_rc 26
want_reply '<\*\* +550 5.7.1 Message from reject.example.net fails its DMARC policy of reject'
want_log 'stage=eom .*dmarc="reject.example.net:p=reject:dis=reject" findings=.*dmarc:reject'
end

begin "DMARC p=quarantine: held in Postfix's hold queue"
plain a@quar.example.net "$SB/d2.eml"
held0=$(find "$SB/pf/queue/hold" -type f 2>/dev/null | wc -l)
swd "$SB/d2.eml" "${stranger[@]}" --from bounce@bulk.example.net --to bob@ours.example
want_rc 0
want_log 'stage=eom .*dmarc="quar.example.net:p=quarantine:dis=quarantine" .*action=quarantine'
sleep 0.5
held1=$(find "$SB/pf/queue/hold" -type f 2>/dev/null | wc -l)
[ "$held1" -gt "$held0" ]
check $? "no message in the hold queue ($held0 -> $held1)"
end

begin "DMARC p=none: delivered, tagged dmarc=fail"
plain a@none.example.net "$SB/d3.eml"
count_delivered bob@ours.example
swd "$SB/d3.eml" "${stranger[@]}" --from bounce@bulk.example.net --to bob@ours.example
want_rc 0
want_delivered bob@ours.example '^	dmarc=fail \(p=none dis=none\) header.from=none.example.net'
end

begin "forwarded (SPF fails), DKIM aligned relaxed: DMARC pass"
signed "$K/rsa2048.key" s2048 news.example.com rsa-sha256 relaxed/relaxed "$SB/d4.eml" ceo@example.com
count_delivered bob@ours.example
swd "$SB/d4.eml" "${stranger[@]}" --from ceo@example.com --to bob@ours.example
want_rc 0
want_log 'stage=eom .*dmarc="example.com:p=reject:dis=none" findings=dkim:pass,dmarc:pass'
want_delivered bob@ours.example '^	dmarc=pass \(p=reject dis=none\) header.from=example.com'
end

begin "a trusted forwarder: the fail is recorded, the policy not applied"
fg_conf "dmarc_trusted_forwarders = 203.0.113.0/24"
kill -HUP "$SB_FG"
sleep 0.3
count_delivered bob@ours.example
swd "$SB/d1.eml" "${stranger[@]}" --from bounce@bulk.example.net --to bob@ours.example
want_rc 0
want_log 'dmarc="reject.example.net:p=reject:dis=none:override=trusted_forwarder"'
want_delivered bob@ours.example '^	\(trusted_forwarder: the client is in dmarc_trusted_forwarders\)$'
end

begin "the DMARC policy cannot be fetched: 451, never 550"
plain ceo@elsewhere.test "$SB/d6.eml"
fg_conf ""
kill -HUP "$SB_FG"
sleep 0.3
swd "$SB/d6.eml" "${stranger[@]}" --from bounce@bulk.example.net --to bob@ours.example
want_rc 26
want_reply '<\*\* +451 4.7.1 DMARC policy of elsewhere.test could not be fetched'
end

# --- signing: our own mail leaves signed --------------------------------
fg_conf "dkim_sign_keys = $K/sign.keys"
kill -HUP "$SB_FG"
sleep 0.3
inside=(--xclient-addr 10.0.0.7 --xclient-name ws7.ours.example
	--helo ws7.ours.example)

# both_verified FILE - python3-dkim verifies both signatures FILE has
# (the keys in $SB/sign.zone)
both_verified() {
	$PY - "$1" "$SB/sign.zone" <<'PY'
import sys, dkim
msg = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
recs = dict(l.split(" ", 1) for l in open(sys.argv[2]).read().splitlines())
dns = lambda name, timeout=5: recs.get(name.decode().rstrip("."), "").encode()
d = dkim.DKIM(msg)
n = msg.split(b"\r\n\r\n")[0].lower().count(b"\r\ndkim-signature:") + \
    msg.lower().startswith(b"dkim-signature:")
ok = n == 2 and all(d.verify(idx=i, dnsfunc=dns) for i in range(n))
sys.exit(0 if ok else 1)
PY
}

begin "a trusted client's mail leaves signed (rsa and ed25519); python3-dkim and Mail::DKIM verify the delivered copy"
message alice@ours.example "$SB/s1.eml"
count_delivered carol@example.net
swd "$SB/s1.eml" "${inside[@]}" --from alice@ours.example --to carol@example.net
want_rc 0
want_log 'stage=summary .*sign=ours.example/e2e1,ours.example/e2e2 '
want_delivered carol@example.net '^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=ours.example;' \
	'^DKIM-Signature: v=1; a=ed25519-sha256; ' 'h=from:from:date:message-id:subject:to;'
f=$(captured carol@example.net)
printf 'e2e1._domainkey.ours.example %s\ne2e2._domainkey.ours.example %s\n' \
	"$sign1" "$sign2" > "$SB/sign.zone"
both_verified "$f"
check $? "python3-dkim does not verify both signatures of the delivered copy"
perl -e '
use Mail::DKIM::Verifier; use Net::DNS;
my ($zone, $in) = @ARGV; my %z;
open(my $zf, "<", $zone) or die;
while (<$zf>) { chomp; my ($n, $v) = split / /, $_, 2; $z{lc $n} = $v; }
no warnings "redefine";
*Mail::DKIM::DNS::query = sub { my ($d) = @_; my $v = $z{lc $d};
  return () unless defined $v;
  return (Net::DNS::RR->new(name => $d, type => "TXT", txtdata => [unpack("(a255)*", $v)])) };
my $m = do { open(my $fh, "<", $in) or die; local $/; <$fh> };
$m =~ s/\r?\n/\r\n/g;
my $v = Mail::DKIM::Verifier->new; $v->PRINT($m); $v->CLOSE;
my ($rsa) = grep { $_->selector eq "e2e1" } $v->signatures;
exit($rsa && $rsa->result eq "pass" ? 0 : 1);' "$SB/sign.zone" "$f"
check $? "Mail::DKIM does not verify the RSA signature of the delivered copy"
end

begin "an authenticated submission from outside (XCLIENT LOGIN) leaves signed; python3-dkim verifies it"
message alice@ours.example "$SB/s3.eml"
count_delivered carol@example.net
swd "$SB/s3.eml" --xclient-addr 203.0.113.77 --xclient-login alice \
	--helo laptop.example.net --from alice@ours.example --to carol@example.net
want_rc 0
want_log 'stage=summary .*sign=ours.example/e2e1,ours.example/e2e2 '
both_verified "$(captured carol@example.net)"
check $? "python3-dkim does not verify the authenticated submission's signatures"
end

begin "mail from an outside client is not signed, though its domain has a key"
message alice@example.org "$SB/s2.eml"
count_delivered bob@ours.example
swd "$SB/s2.eml" "${good[@]}" --from alice@example.org --to bob@ours.example
want_rc 0
want_delivered bob@ours.example '^Subject: the quarterly figures'
no_delivered_line bob@ours.example '^DKIM-Signature:'
end
# --- ARC sealing: mail this site forwards leaves sealed --------------
fg_conf "dkim_sign_keys = $K/sign.keys
arc_seal_domain = ours.example
arc_seal_recipient_domains = lists.ours.example
arc_seal_clients = 10.0.0.0/8"
kill -HUP "$SB_FG"
sleep 0.3
printf 'e2e1._domainkey.ours.example %s\ns2048._domainkey.example.org %s\narc._domainkey.lists.example.net %s\narc._domainkey.fwd.example.com %s\n' \
	"$sign1" "$rsa2048" "$rsa2048" "$rsa2048" > "$SB/arc.zone"
# arc_ok FILE I CV - python3-dkim's arc_verify passes FILE's chain, whose
# newest set is instance I with cv=CV, sealed by ours.example
arc_ok() {
	$PY - "$1" "$SB/arc.zone" "$2" "$3" <<'PY'
import re, sys, dkim
msg = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
recs = dict(l.split(" ", 1) for l in open(sys.argv[2]).read().splitlines())
dns = lambda name, timeout=5: recs.get(name.decode().rstrip("."), "").encode()
head = msg.split(b"\r\n\r\n")[0].decode()
seal = re.search(r"^ARC-Seal: (.*(?:\r\n[ \t].*)*)", head, re.M).group(1)
want = f"cv={sys.argv[4]}; d=ours.example; i={sys.argv[3]}; s=e2e1;"
cv, _, why = dkim.arc_verify(msg, dnsfunc=dns)
sys.exit(0 if cv == b"pass" and want in seal else print(cv, why, seal) or 1)
PY
}

begin "mail to a list domain leaves sealed (i=1, cv=none); python3-dkim's arc_verify passes it"
signed "$K/rsa2048.key" s2048 example.org rsa-sha256 relaxed/relaxed "$SB/l1.eml"
count_delivered list@lists.ours.example
swd "$SB/l1.eml" "${good[@]}" --from alice@example.org --to list@lists.ours.example
want_rc 0
want_log 'stage=summary .*arc_seal="i=1:cv=none:ours.example/e2e1"'
want_delivered list@lists.ours.example '^ARC-Authentication-Results: i=1; mx.ours.example;$' \
	'^	dkim=pass header.d=example.org'
arc_ok "$(captured list@lists.ours.example)" 1 none
check $? "python3-dkim does not pass the sealed copy"
end

begin "a chain of two sets received for a list: continued as i=3, cv=pass"
count_delivered list@lists.ours.example
swd "$SB/a1.eml" "${good[@]}" --from alice@example.org --to list@lists.ours.example
want_rc 0
want_log 'stage=summary .*arc_seal="i=3:cv=pass:ours.example/e2e1"'
arc_ok "$(captured list@lists.ours.example)" 3 pass
check $? "python3-dkim does not pass the continued chain"
end

begin "the list re-injects it with a footer: i=4 carries the results recorded at receipt"
f=$(captured list@lists.ours.example)
# what the list sends on: its copy, a footer added to the body
{ sed -n '/^Return-Path:/d; /^Delivered-To:/d; /^X-Original-To:/d; p' "$f"
  printf 'list footer: unsubscribe at lists.ours.example\n'; } > "$SB/l2.eml"
count_delivered carol@example.net
swd "$SB/l2.eml" "${inside[@]}" --from list-bounces@lists.ours.example --to carol@example.net
want_rc 0
want_log 'stage=summary .*arc_seal="i=4:cv=pass:ours.example/e2e1"'
want_delivered carol@example.net '^ARC-Authentication-Results: i=4; mx.ours.example; spf=pass'
arc_ok "$(captured carol@example.net)" 4 pass
check $? "python3-dkim does not pass the chain after the list's footer"
end

begin "a chain that already failed gets no set"
# the newest seal (i=2, on top) made to say cv=fail
sed '0,/cv=pass/s//cv=fail/' "$SB/a1.eml" > "$SB/l3.eml"
grep -q 'cv=fail' "$SB/l3.eml"
check $? "could not make the failed chain"
count_delivered list@lists.ours.example
swd "$SB/l3.eml" "${good[@]}" --from alice@example.org --to list@lists.ours.example
want_rc 0
want_log 'stage=summary .*arc_seal="none:the chain already failed \(cv=fail at i=2\)"'
end
fg_conf ""
kill -HUP "$SB_FG"
sleep 0.3

begin "the day's DMARC records become an RFC 9990 report that Postfix delivers"
printf '#!/bin/sh\nexec /usr/sbin/sendmail -C %s "$@"\n' "$SB/pf" > "$SB/sendmail"
chmod 755 "$SB/sendmail"
count_delivered dmarc-reports@ours.example
rout=$("$BUILD/forgeguard-report" -c "$SB/fg.conf" --org "Ours" \
	--email postmaster@ours.example --receiver mx.ours.example \
	--out "$SB" --send --sendmail "$SB/sendmail" "$SB/fg.log" 2>&1)
check $? "forgeguard-report failed: $rout"
printf '%s\n' "$rout" | grep -q '^reject.example.net: 2 messages'
check $? "no report of 2 messages for reject.example.net: $rout"
printf '%s\n' "$rout" | grep -q 'mailto:dmarc-reports@ours.example: sent'
check $? "the report was not sent: $rout"
want_delivered dmarc-reports@ours.example \
	'^Subject: Report Domain: reject.example.net Submitter: mx.ours.example' \
	'filename="mx.ours.example!reject.example.net![0-9]+![0-9]+![0-9]+.xml.gz"'
f=$(captured dmarc-reports@ours.example)
$PY - "$f" "$here/../data/dmarc/aggregate-report.xsd" <<'PY'
import email, gzip, subprocess, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"))
parts = [p for p in msg.walk() if p.get_content_type() == "application/gzip"]
xml = gzip.decompress(parts[0].get_payload(decode=True))
assert b"<disposition>reject</disposition>" in xml, xml
assert b"<type>trusted_forwarder</type>" in xml, xml
sys.exit(subprocess.run(["xmllint", "--noout", "--schema", sys.argv[2], "-"],
                        input=xml, capture_output=True).returncode)
PY
check $? "the delivered report does not hold a valid RFC 9990 report"
end

[ "$fail" -eq 0 ] || tail -8 "$SB/fg.log"
secs=$(( $(date +%s) - t0 ))
echo "e2e-dkim: $pass passed, $fail failed (${secs}s)"
[ "$fail" -eq 0 ]
