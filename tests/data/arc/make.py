#!/usr/bin/python3
"""tests/data/arc/make.py - the ARC-sealed messages of the ARC replay.

Run once by hand (Debian's python3-dkim, which seals with RSA); the
outputs are committed, so the replay never seals anything itself: the
conformance tier does that at test time with fresh keys.  Seals with
tests/data/dkim/keys/rsa2048.pem at a fixed time (t=1764547200) and
writes tests/replay/cases/22_*.eml.  Each forwarder writes its Received:
field and Authentication-Results (arc= what it saw, and the address it
received from as smtp.remote-ip), then seals.
"""
import os, time
import dkim

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "..", "replay", "cases")
KEY = open(os.path.join(HERE, "..", "dkim", "keys", "rsa2048.pem"),
           "rb").read()
T = 1764547200
time.time = lambda: T

MSG = (b"Received: from laptop.origin.example (laptop.origin.example "
       b"[198.51.100.7])\r\n"
       b"\tby mail.origin.example with ESMTPSA id 1; Mon, 1 Dec 2025 00:00:00 +0000\r\n"
       b"From: Alice <alice@origin.example>\r\n"
       b"To: List <team@lists.example.net>\r\n"
       b"Subject: minutes of the meeting\r\n"
       b"Date: Mon, 1 Dec 2025 00:00:00 +0000\r\n"
       b"Message-ID: <minutes.1@origin.example>\r\n"
       b"\r\n"
       b"The minutes are attached.\r\n")


def hop(msg, by, dom, came_from, ip, cv, remote_ip=None):
    """The forwarder `by` (sealing as dom) receives msg from came_from
    [ip], stamps and seals it."""
    msg = (b"Received: from %s (%s [%s])\r\n\tby %s with ESMTPS id F; "
           b"Mon, 1 Dec 2025 00:01:00 +0000\r\n" % (came_from, came_from, ip,
                                                    by) +
           b"Authentication-Results: %s; arc=%s smtp.remote-ip=%s;\r\n"
           b"\tspf=pass smtp.mailfrom=origin.example;\r\n"
           b"\tdkim=pass header.d=origin.example;\r\n"
           b"\tdmarc=pass header.from=origin.example\r\n" % (
               by, cv, remote_ip or ip)) + msg
    return b"".join(dkim.arc_sign(msg, b"rsa", dom, KEY, by)) + msg


def main():
    out = {}
    # origin signs with DKIM; the list adds a footer (DKIM breaks) and
    # seals what it saw
    signed = dkim.sign(MSG, b"rsa", b"origin.example", KEY,
                       include_headers=[b"from", b"to", b"subject",
                                        b"date", b"message-id"]) + MSG
    footer = signed + b"--\r\nteam mailing list\r\n"
    listed = hop(footer, b"mx.lists.example.net", b"lists.example.net",
                 b"mail.origin.example", b"192.0.2.10", b"none")
    out["22_list.eml"] = listed
    out["22_altered.eml"] = listed.replace(b"minutes are attached",
                                           b"minutes are ATTACHED")
    # then a forwarder (an alias) seals it again
    out["22_two_hops.eml"] = hop(listed, b"mx.fwd.example.com",
                                 b"fwd.example.com",
                                 b"mx.lists.example.net", b"192.0.2.20",
                                 b"pass")
    # the list's chain replayed onto a message whose trail never passed
    # through the list: the list's Received: field removed
    lines = listed.split(b"\r\n")
    i = next(k for k, l in enumerate(lines)
             if l.startswith(b"Received: from mail.origin.example"))
    out["22_replayed.eml"] = b"\r\n".join(lines[:i] + lines[i + 2:])
    # a sealer that records another address than its hop received from
    out["22_remote_ip.eml"] = hop(footer, b"mx.lists.example.net",
                                  b"lists.example.net",
                                  b"mail.origin.example", b"192.0.2.10",
                                  b"none", remote_ip=b"203.0.113.66")
    for name, data in out.items():
        open(os.path.join(CASES, name), "wb").write(data)


if __name__ == "__main__":
    main()
