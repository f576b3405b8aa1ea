#!/usr/bin/env python3
"""tests/e2e/smtp.py - a raw SMTP client for what swaks cannot send.

Reads a script on stdin, one command per line, and prints every reply
the server gave, one line each ("250 2.1.0 Ok"; multi-line replies are
joined with " | "):

  connect HOST PORT       open the connection and read the greeting
  send LINE               send LINE and CRLF, print the reply
  pipe LINE | LINE ...    send the lines back to back, then read a reply
                          for each (PIPELINING)
  data TEXT               send TEXT (\\n becomes CRLF) then ".", print the
                          reply (after "send DATA")
  drop                    close the socket without QUIT (e.g. mid-DATA)
  raw TEXT                send TEXT as is, no reply read
  sleep MS                wait

Escapes in LINE and TEXT: \\r, \\n, \\t, \\\\.  Every read gives up after
15 s and prints "timeout".
"""
import socket
import sys
import time


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"r": "\r", "n": "\n", "t": "\t"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


class Client:
    def __init__(self):
        self.sock = None
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            try:
                chunk = self.sock.recv(4096)
            except socket.timeout:
                return None
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("utf-8", "replace")

    def reply(self):
        parts = []
        while True:
            line = self.line()
            if line is None:
                print(" | ".join(parts + ["timeout or closed"]))
                return
            parts.append(line)
            if len(line) < 4 or line[3] != "-":
                break
        print(" | ".join(p[:3] + " " + p[4:] for p in parts))
        sys.stdout.flush()

    def send(self, data):
        self.sock.sendall(data.encode("utf-8", "surrogateescape"))


def main():
    c = Client()
    for raw in sys.stdin:
        raw = raw.rstrip("\n")
        if not raw or raw.startswith("#"):
            continue
        cmd, _, arg = raw.partition(" ")
        if cmd == "connect":
            host, port = arg.split()
            c.sock = socket.create_connection((host, int(port)), timeout=15)
            c.reply()
        elif cmd == "send":
            c.send(unescape(arg) + "\r\n")
            c.reply()
        elif cmd == "pipe":
            cmds = [unescape(x.strip()) for x in arg.split(" | ")]
            c.send("".join(x + "\r\n" for x in cmds))
            for _ in cmds:
                c.reply()
        elif cmd == "data":
            text = unescape(arg).replace("\r\n", "\n").replace("\n", "\r\n")
            if not text.endswith("\r\n"):
                text += "\r\n"
            c.send(text + ".\r\n")
            c.reply()
        elif cmd == "raw":
            c.send(unescape(arg))
        elif cmd == "drop":
            c.sock.close()
        elif cmd == "sleep":
            time.sleep(int(arg) / 1000)
        else:
            sys.exit(f"smtp.py: bad script line: {raw}")


if __name__ == "__main__":
    main()
