"""A loopback HTTP server for tests: serves a folder on 127.0.0.1 (a free port, written to a
file) and appends every request path to a log."""
import functools
import http.server
import sys

folder, port_file, log_file = sys.argv[1], sys.argv[2], sys.argv[3]


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        with open(log_file, "a") as log:
            log.write(self.command + " " + self.path + "\n")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=folder))
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
