#!/usr/bin/python3
"""tests/e2e/dkimsign.py - sign a message with python3-dkim (Debian), a
real third-party signer, for the tests.

  dkimsign.py key KIND FILE        make a key (rsa1024, rsa2048, rsa4096,
                                   ed25519) into FILE; print its TXT record
  dkimsign.py sign KEYFILE SEL DOMAIN ALG CANON IN OUT [HEADERS]
                                   ALG rsa-sha256 | rsa-sha1 | ed25519-sha256,
                                   CANON like relaxed/simple; HEADERS a
                                   colon list (default from:to:subject:date)
  dkimsign.py arc KEYFILE SEL DOMAIN HOST IP CV IN OUT
                                   forward IN as HOST (sealing as DOMAIN):
                                   its Received: field (from IP), its
                                   Authentication-Results (arc=CV, spf,
                                   dkim and dmarc pass), then an ARC set
                                   (python3-dkim's arc_sign, RSA keys)
"""
import base64, os, subprocess, sys
import dkim


def key(kind, path):
    if kind == "ed25519":
        import nacl.signing
        seed = os.urandom(32)
        open(path, "wb").write(base64.b64encode(seed))
        pub = bytes(nacl.signing.SigningKey(seed).verify_key)
        return "v=DKIM1; k=ed25519; p=" + base64.b64encode(pub).decode()
    bits = kind[3:]
    subprocess.run(["openssl", "genrsa", "-traditional", "-out", path, bits],
                   check=True, capture_output=True)
    der = subprocess.run(["openssl", "rsa", "-in", path, "-pubout",
                          "-outform", "DER"], check=True,
                         capture_output=True).stdout
    return "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()


def sign(keyfile, sel, domain, alg, canon, src, dst, headers):
    msg = open(src, "rb").read()
    h, b = canon.encode().split(b"/")
    sig = dkim.sign(msg, sel.encode(), domain.encode(),
                    open(keyfile, "rb").read(), canonicalize=(h, b),
                    signature_algorithm=alg.encode(),
                    include_headers=[x.encode() for x in headers.split(":")])
    open(dst, "wb").write(sig + msg)


def arc(keyfile, sel, domain, host, ip, cv, src, dst):
    msg = open(src, "rb").read().replace(b"\r\n", b"\n")
    msg = msg.replace(b"\n", b"\r\n")
    stamp = ("Received: from upstream.example.org (upstream.example.org "
             f"[{ip}])\r\n\tby {host} with ESMTPS id A1;\r\n"
             "\tTue, 1 Dec 2026 10:00:00 +0000\r\n"
             f"Authentication-Results: {host}; arc={cv} smtp.remote-ip={ip};"
             "\r\n\tspf=pass smtp.mailfrom=example.org;\r\n"
             "\tdkim=pass header.d=example.org;\r\n"
             "\tdmarc=pass header.from=example.org\r\n").encode()
    msg = stamp + msg
    hdrs = dkim.arc_sign(msg, sel.encode(), domain.encode(),
                         open(keyfile, "rb").read(), host.encode())
    if not hdrs:
        sys.exit("arc_sign made no set")
    open(dst, "wb").write(b"".join(hdrs) + msg)


if __name__ == "__main__":
    a = sys.argv
    if a[1] == "key":
        print(key(a[2], a[3]))
    elif a[1] == "arc":
        arc(*a[2:10])
    else:
        sign(*a[2:9], a[9] if len(a) > 9 else "from:to:subject:date")
