#!/usr/bin/env python3
"""One guest connection to a port on 127.0.0.1: qemu's `guestfwd=...-cmd:` runs this for each
connection the guest opens, with the connection on standard input and output. Only loopback.

Usage: loopback-relay.py PORT
"""
import os
import select
import socket
import sys


def main() -> int:
    port = int(sys.argv[1])
    upstream = socket.create_connection(("127.0.0.1", port), timeout=30)
    upstream.settimeout(None)
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    guest_open, host_open = True, True
    while guest_open or host_open:
        readable, _, _ = select.select([fd for fd, live in ((stdin, guest_open), (upstream, host_open)) if live], [], [], 600)
        if not readable:
            return 1
        if stdin in readable:
            data = os.read(stdin, 65536)
            if data:
                upstream.sendall(data)
            else:
                guest_open = False
                upstream.shutdown(socket.SHUT_WR)
        if upstream in readable:
            data = upstream.recv(65536)
            if data:
                os.write(stdout, data)
            else:
                host_open = False
                os.close(stdout)
                if guest_open:
                    guest_open = False
    return 0


if __name__ == "__main__":
    sys.exit(main())
