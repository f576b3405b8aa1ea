#!/usr/bin/python3
"""tests/e2e/dkimsign.py - sign a message with python3-dkim (Debian), a
real third-party signer, for the tests.

  dkimsign.py key KIND FILE        make a key (rsa1024, rsa2048, rsa4096,
                                   ed25519) into FILE; print its TXT record
  dkimsign.py sign KEYFILE SEL DOMAIN ALG CANON IN OUT [HEADERS]
                                   ALG rsa-sha256 | rsa-sha1 | ed25519-sha256,
                                   CANON like relaxed/simple; HEADERS a
                                   colon list (default from:to:subject:date)
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


if __name__ == "__main__":
    a = sys.argv
    if a[1] == "key":
        print(key(a[2], a[3]))
    else:
        sign(*a[2:9], a[9] if len(a) > 9 else "from:to:subject:date")
