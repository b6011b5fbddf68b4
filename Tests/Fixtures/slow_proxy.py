"""A loopback proxy to a Glance for the interrupt test: forwards every request as it is, except
an image upload (PUT …/file), whose body it reads slowly (64 KiB every half second) and never
forwards, so an upload through it is still running when the test interrupts the client.
Logs `METHOD path` per request to DIR/requests.log; writes its port to DIR/port.

Usage: slow_proxy.py UPSTREAM DIR
"""
import http.client
import http.server
import os
import sys
import time
import urllib.parse

upstream, root = urllib.parse.urlsplit(sys.argv[1]), sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def relay(self, method):
        with open(os.path.join(root, "requests.log"), "a") as log:
            log.write("%s %s\n" % (method, self.path))
        length = int(self.headers.get("Content-Length", "0"))
        if method == "PUT" and self.path.endswith("/file"):
            while length > 0:
                chunk = self.rfile.read(min(65536, length))
                if not chunk:
                    return
                length -= len(chunk)
                time.sleep(0.5)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = self.rfile.read(length) if length else None
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        connection.request(method, self.path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.relay("GET")

    def do_POST(self):
        self.relay("POST")

    def do_PUT(self):
        self.relay("PUT")

    def do_DELETE(self):
        self.relay("DELETE")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(root, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(root, "port.tmp"), os.path.join(root, "port"))
server.serve_forever()
