#!/usr/bin/python3
"""bench/dkimcorpus.py DIR - the DKIM-signed benchmark corpus.

Writes into DIR, with fresh keys (openssl for RSA, python3-nacl for
ed25519) and Debian's python3-dkim as the signer, relaxed/relaxed:
  rsa2048-10k.eml rsa2048-100k.eml ed25519-10k.eml ed25519-100k.eml
  arc2-10k.eml arc2-100k.eml  the rsa2048 messages forwarded through
               two ARC sealers (python3-dkim's arc_sign, relaxed/relaxed,
               the same key under lists.example.net and fwd.example.com)
  spaces-100k.eml  unsigned, blanks and tabs on every line: the worst
               case of relaxed canonicalisation
  zone.txt     one "NAME RECORD" line per key (bench/dkim, libopendkim's
               file query method)
  dnsmasq.txt  the same records as dnsmasq txt-record= options, and
               _dmarc.example.org (p=none)
The bodies are text with trailing blanks, runs of spaces and tabs, so
that relaxed canonicalisation has work to do, as in real mail.
"""
import base64, os, subprocess, sys
import dkim
import nacl.signing

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def body(size):
    """Mail as it comes: paragraphs of text (single spaces, an empty
    line between paragraphs, now and then a blank at the end of a line
    or two blanks after a full stop, a tab in a signature), then a
    base64 attachment in 76-column lines, about a third and two thirds."""
    words = ("the report for the third quarter is attached as promised and "
             "the figures match what we discussed on the phone last week so "
             "please check the totals before Friday").split()
    lines, n, i = [], 0, 0
    while n < size // 3:
        line = " ".join(words[(i * 5 + k) % len(words)] for k in range(11))
        if i % 13 == 3:
            line += " "
        if i % 17 == 5:
            line = line.replace(" ", ".  ", 1)
        if i % 6 == 5:
            lines.append("")
        lines.append(line)
        n += len(line) + 2
        i += 1
    lines += ["", "--\tAlice, accounts", "", ""]
    blob = base64.b64encode(bytes((i * 131 + 7) % 256
                                  for i in range((size - n) * 3 // 4))).decode()
    lines += [blob[k:k + 76] for k in range(0, len(blob), 76)]
    return ("\r\n".join(lines) + "\r\n").encode()


def spaces(size):
    """The worst case for relaxed: blanks, tabs and trailing blanks on
    every line."""
    words = ("word\tand  more   spaces  here ").split(" ")
    lines, n, i = [], 0, 0
    while n < size:
        line = " ".join(words[(i + k) % len(words)] for k in range(12)) + "  "
        lines.append(line)
        n += len(line) + 2
        i += 1
    return ("\r\n".join(lines) + "\r\n").encode()


def message(size, tag, make=body):
    return (b"Received: from mail.example.org (mail.example.org [192.0.2.25])\r\n"
            b"\tby relay.example.org with ESMTPS id 4Vx; Tue, 1 Dec 2026 10:00:00 +0000\r\n"
            b"From: Alice <alice@example.org>\r\n"
            b"To: Bob <bob@ours.example>\r\n"
            b"Subject: the " + tag.encode() + b" benchmark message\r\n"
            b"Date: Tue, 1 Dec 2026 10:00:00 +0000\r\n"
            b"Message-ID: <" + tag.encode() + b".bench@example.org>\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"\r\n" + make(size))


HDRS = [b"from", b"to", b"subject", b"date", b"message-id", b"mime-version",
        b"content-type"]
records = []

rsa_path = os.path.join(out, "rsa2048.pem")
subprocess.run(["openssl", "genrsa", "-traditional", "-out", rsa_path,
                "2048"], check=True, capture_output=True)
rsa_pem = open(rsa_path, "rb").read()
der = subprocess.run(["openssl", "rsa", "-in", rsa_path, "-pubout",
                      "-outform", "DER"], check=True,
                     capture_output=True).stdout
records.append(("rsa._domainkey.example.org",
                "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()))

seed = os.urandom(32)
ed_key = base64.b64encode(seed)
pub = bytes(nacl.signing.SigningKey(seed).verify_key)
records.append(("ed._domainkey.example.org",
                "v=DKIM1; k=ed25519; p=" + base64.b64encode(pub).decode()))

for alg, sel, key, name in ((b"rsa-sha256", b"rsa", rsa_pem, "rsa2048"),
                            (b"ed25519-sha256", b"ed", ed_key, "ed25519")):
    for size, tag in ((10000, "10k"), (100000, "100k")):
        msg = message(size, name + "-" + tag)
        sig = dkim.sign(msg, sel, b"example.org", key,
                        canonicalize=(b"relaxed", b"relaxed"),
                        signature_algorithm=alg, include_headers=HDRS)
        with open(os.path.join(out, name + "-" + tag + ".eml"), "wb") as f:
            f.write(sig + msg)

# the rsa2048 messages through two ARC sealers: a list, then a forwarder
for n, dom in ((1, b"lists.example.net"), (2, b"fwd.example.com")):
    records.append(("rsa._domainkey." + dom.decode(), records[0][1]))
for tag in ("10k", "100k"):
    msg = open(os.path.join(out, "rsa2048-" + tag + ".eml"), "rb").read()
    for n, dom in ((1, b"lists.example.net"), (2, b"fwd.example.com")):
        srv = b"mx." + dom
        msg = (b"Received: from mx.prev.example (mx.prev.example "
               b"[192.0.2.%d])\r\n\tby %s with ESMTPS id A%d; "
               b"Tue, 1 Dec 2026 10:0%d:00 +0000\r\n"
               b"Authentication-Results: %s; arc=%s; dkim=pass "
               b"header.d=example.org\r\n" % (
                   n, srv, n, n, srv, b"none" if n == 1 else b"pass")) + msg
        msg = b"".join(dkim.arc_sign(msg, b"rsa", dom, rsa_pem, srv)) + msg
    with open(os.path.join(out, "arc2-" + tag + ".eml"), "wb") as f:
        f.write(msg)

# the relaxed worst case, for the throughput line only (bench/dkim -w)
with open(os.path.join(out, "spaces-100k.eml"), "wb") as f:
    f.write(message(100000, "spaces", spaces))

with open(os.path.join(out, "zone.txt"), "w") as f:
    for n, r in records:
        f.write(n + " " + r + "\n")
# example.org publishes a DMARC policy, so the bench runs DMARC's whole
# path (discovery, alignment); p=none: nothing in the runs changes fate
dns_only = [("_dmarc.example.org", "v=DMARC1; p=none")]
with open(os.path.join(out, "dnsmasq.txt"), "w") as f:
    for n, r in records + dns_only:
        # dnsmasq: a TXT record of several strings, each under 256 bytes
        parts = [r[i:i + 250] for i in range(0, len(r), 250)]
        f.write("txt-record=" + n + "," +
                ",".join('"' + p + '"' for p in parts) + "\n")
