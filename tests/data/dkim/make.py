#!/usr/bin/python3
"""tests/data/dkim/make.py - the signed messages of the DKIM replay.

Run once by hand (Debian's python3-dkim, openssl); the outputs are
committed, so the tests never sign anything themselves here: the
conformance tier does that at test time with fresh keys.  Writes
keys/ (test keys, public records in keys/*.txt) and
tests/replay/cases/21_*.eml, signed at a fixed time (t=1764547200).
"""
import base64, os, subprocess, sys, time
import dkim

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "..", "replay", "cases")
T = 1764547200
time.time = lambda: T  # a fixed t= for reproducible files


def rsa(name, bits):
    path = os.path.join(HERE, "keys", name + ".pem")
    if not os.path.exists(path):
        subprocess.run(["openssl", "genrsa", "-traditional", "-out", path,
                        str(bits)], check=True, capture_output=True)
    pem = open(path, "rb").read()
    der = subprocess.run(["openssl", "rsa", "-in", path, "-pubout",
                          "-outform", "DER"], check=True,
                         capture_output=True).stdout
    return pem, base64.b64encode(der).decode()


def ed25519(name):
    path = os.path.join(HERE, "keys", name + ".seed")
    if not os.path.exists(path):
        open(path, "wb").write(base64.b64encode(os.urandom(32)))
    seed = open(path, "rb").read().strip()
    import nacl.signing
    pub = nacl.signing.SigningKey(base64.b64decode(seed)).verify_key
    return seed, base64.b64encode(bytes(pub)).decode()


MSG = (b"Received: from mail.esp.example (mail.esp.example [198.51.100.80])\r\n"
       b"\tby relay.esp.example with ESMTP id 9; Mon, 1 Dec 2025 00:00:00 +0000\r\n"
       b"From: News <news@ours.example>\r\n"
       b"To: Bob <bob@ours.example>\r\n"
       b"Subject: the monthly letter\r\n"
       b"Date: Mon, 1 Dec 2025 00:00:00 +0000\r\n"
       b"Message-ID: <letter.1@ours.example>\r\n"
       b"\r\n"
       b"Hello Bob,\r\n\r\nthe letter of the month.  \r\n\r\n")


def signed(msg, sel, dom, key, alg=b"rsa-sha256", canon=(b"relaxed", b"relaxed"),
           length=False):
    return dkim.sign(msg, sel, dom, key, canonicalize=canon,
                     signature_algorithm=alg, length=length,
                     include_headers=[b"from", b"to", b"subject", b"date",
                                      b"message-id", b"from"]) + msg


def main():
    records = {}
    rsa_pem, rsa_pub = rsa("rsa2048", 2048)
    ed_seed, ed_pub = ed25519("ed25519")
    records["news._domainkey.ours.example"] = "v=DKIM1; k=rsa; p=" + rsa_pub
    records["ed._domainkey.example.org"] = "v=DKIM1; k=ed25519; p=" + ed_pub
    records["rsa._domainkey.example.org"] = "v=DKIM1; k=rsa; p=" + rsa_pub
    records["test._domainkey.example.org"] = "v=DKIM1; t=y; p=" + rsa_pub
    records["gone._domainkey.example.org"] = "v=DKIM1; k=rsa; p="
    out = {}
    out["21_pass.eml"] = signed(MSG, b"news", b"ours.example", rsa_pem)
    alt = out["21_pass.eml"].replace(b"of the month", b"of the MONTH")
    out["21_altered.eml"] = alt
    org = MSG.replace(b"news@ours.example", b"news@example.org")
    two = signed(org, b"rsa", b"example.org", rsa_pem,
                 canon=(b"simple", b"simple"))
    out["21_dual.eml"] = dkim.sign(two, b"ed", b"example.org", ed_seed,
                                   signature_algorithm=b"ed25519-sha256",
                                   canonicalize=(b"relaxed", b"relaxed"),
                                   include_headers=[b"from", b"subject"]) + two
    out["21_sha1.eml"] = signed(org, b"rsa", b"example.org", rsa_pem,
                                alg=b"rsa-sha1")
    out["21_length.eml"] = signed(org, b"rsa", b"example.org", rsa_pem,
                                  length=True) + b"Appended by someone else.\r\n"
    out["21_testing.eml"] = signed(org, b"test", b"example.org", rsa_pem)
    out["21_revoked.eml"] = signed(org, b"gone", b"example.org", rsa_pem)
    for name, data in out.items():
        open(os.path.join(CASES, name), "wb").write(data)
    with open(os.path.join(HERE, "keys", "records.txt"), "w") as f:
        for name, value in records.items():
            f.write(f"{name} {value}\n")


if __name__ == "__main__":
    main()
