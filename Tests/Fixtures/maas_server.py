"""A loopback MAAS region for tests: the boot-resource handlers of MAAS API 2.0
(src/maasserver/api/boot_resources.py) with their rules, and every request's OAuth header checked
with Debian's python3-oauthlib (PLAINTEXT, consumer/token known, the 300 s timestamp window,
nonces used once). Also serves the API description python-libmaas reads.

Usage: maas_server.py DIR KEY [--fail-put N:STATUS] [--drop-after-store N]
  KEY: consumer:token:secret (read from the file DIR/key, not argv, when KEY is '-').
  --fail-put N:STATUS     the Nth PUT is answered STATUS without storing anything.
  --drop-after-store N    the Nth PUT is stored, then the connection is closed with no answer.
Writes DIR/port when listening; logs one JSON line per request to DIR/requests.log; stores each
file's bytes in DIR/files/<id>.
"""
import hashlib
from email.parser import BytesParser
from email.policy import HTTP
import http.server
import json
import os
import re
import sys
import threading
import time

from oauthlib.oauth1.rfc5849 import signature, utils

root = sys.argv[1]
key = sys.argv[2] if sys.argv[2] != "-" else open(os.path.join(root, "key")).read().strip()
consumer, token, secret = key.split(":")
fail_put, drop_after = {}, set()
args = sys.argv[3:]
while args:
    flag, value = args[0], args[1]
    args = args[2:]
    if flag == "--fail-put":
        n, status = value.split(":")
        fail_put[int(n)] = int(status)
    elif flag == "--drop-after-store":
        drop_after.add(int(value))
os.makedirs(os.path.join(root, "files"), exist_ok=True)
lock = threading.Lock()
resources, nonces, counters = {}, set(), {"put": 0}
FILETYPES = {"tgz", "tbz", "txz", "ddtgz", "ddtbz", "ddtxz", "ddtar", "ddbz2", "ddgz", "ddxz", "ddraw"}
API = "/MAAS/api/2.0/"


def log(entry):
    with open(os.path.join(root, "requests.log"), "a") as f:
        f.write(json.dumps(entry) + "\n")


def file_dict(resource):
    f = resource["file"]
    held = os.path.getsize(f["path"])
    entry = {"filename": f["filename"], "filetype": f["filetype"], "sha256": f["sha256"], "size": f["size"],
             "complete": held == f["size"] and f["verified"]}
    if not entry["complete"]:
        entry["progress"] = 100.0 * held / f["size"]
        entry["upload_uri"] = "%sboot-resources/%d/upload/%d/" % (API, resource["id"], f["id"])
    return entry


def resource_dict(resource):
    return {"id": resource["id"], "type": "Uploaded", "name": resource["name"], "architecture": resource["architecture"],
            "resource_uri": "%sboot-resources/%d/" % (API, resource["id"]),
            "sets": {"20261201": {"version": "20261201", "label": "uploaded", "size": resource["file"]["size"],
                                  "complete": file_dict(resource)["complete"],
                                  "files": {resource["file"]["filename"]: file_dict(resource)}}}}


def description(base):
    def handler(name, path, actions, params):
        return {"name": name, "doc": name, "path": path, "uri": base + path, "params": params,
                "actions": [{"name": n, "method": m, "op": None, "restful": True, "doc": n} for n, m in actions]}
    resources = [
        {"name": "BootResourcesHandler", "anon": None,
         "auth": handler("BootResourcesHandler", API + "boot-resources/", [("read", "GET"), ("create", "POST")], [])},
        {"name": "BootResourceHandler", "anon": None,
         "auth": handler("BootResourceHandler", API + "boot-resources/{id}/", [("read", "GET"), ("delete", "DELETE")], ["id"])},
    ]
    return {"doc": "MAAS API", "hash": "test", "resources": resources, "handlers": [r["auth"] for r in resources], "anon": []}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def answer(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else (json.dumps(body) if content_type == "application/json" else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        header = self.headers.get("Authorization", "")
        if not header.startswith("OAuth "):
            return "no OAuth header"
        # Values as sent are percent-encoded (RFC 5849 3.5.1): decoded as oauthlib's Request does.
        params = {k: utils.unescape(v) for k, v in utils.parse_authorization_header(header)}
        if params.get("oauth_signature_method") != "PLAINTEXT" or params.get("oauth_version") != "1.0":
            return "not OAuth 1.0 PLAINTEXT"
        if params.get("oauth_consumer_key") != consumer or params.get("oauth_token") != token:
            return "unknown consumer or token"
        if not signature.verify_plaintext(type("R", (), {"signature": params.get("oauth_signature", "")})(), "", secret):
            return "bad signature"
        stamp = int(params.get("oauth_timestamp", "0"))
        if abs(time.time() - stamp) > 300:
            return "Expired timestamp: given %d and now %d has a greater difference than threshold 300" % (stamp, time.time())
        nonce = params.get("oauth_nonce", "")
        with lock:
            if not nonce or nonce in nonces:
                return "nonce used before"
            nonces.add(nonce)
        return None

    def body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length) if length else b""

    def handle_any(self, method):
        data = self.body()
        problem = self.authorized() if self.path != API + "describe/" else None
        entry = {"method": method, "path": self.path, "length": self.headers.get("Content-Length"), "received": len(data),
                 "auth": problem or "ok"}
        log(entry)
        if problem:
            return self.answer(401, problem, "text/plain")
        if method == "GET" and self.path == API + "describe/":
            return self.answer(200, description("http://%s" % self.headers.get("Host")))
        if method == "GET" and self.path == API + "version/":
            return self.answer(200, {"capabilities": ["networks-management"], "version": "3.5.0", "subversion": ""})
        if method == "GET" and self.path.rstrip("?") == API + "boot-resources/":
            return self.answer(200, [resource_dict(r) for r in resources.values()])
        if method == "POST" and self.path == API + "boot-resources/":
            return self.create(data)
        m = re.fullmatch(re.escape(API) + r"boot-resources/(\d+)/", self.path)
        if m and method == "GET":
            resource = resources.get(int(m.group(1)))
            return self.answer(200, resource_dict(resource)) if resource else self.answer(404, "No BootResource matches the given query.", "text/plain")
        m = re.fullmatch(re.escape(API) + r"boot-resources/(\d+)/upload/(\d+)/", self.path)
        if m and method == "PUT":
            return self.upload(int(m.group(1)), data)
        return self.answer(404, "Unknown API endpoint: %s %s" % (method, self.path), "text/plain")

    def create(self, data):
        # multipart/form-data as any client writes it (the email package parses MIME).
        fields = {}
        ctype = self.headers.get("Content-Type", "")
        if not ctype.startswith("multipart/form-data"):
            return self.answer(400, "Expected multipart/form-data", "text/plain")
        message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + data)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            fields[name] = payload.decode()
        missing = [k for k in ("name", "architecture", "sha256", "size") if not fields.get(k)]
        if missing:
            return self.answer(400, json.dumps({k: ["This field is required."] for k in missing}), "application/json")
        filetype = fields.get("filetype", "tgz")
        # The create's form (logged after its POST passed the OAuth check).
        log({"method": "FORM", "auth": "ok", "name": fields["name"], "title": fields.get("title", ""), "filetype": filetype,
             "architecture": fields["architecture"]})
        if filetype not in FILETYPES or "/" not in fields["name"] or "/" not in fields["architecture"]:
            return self.answer(400, json.dumps({"filetype": ["Select a valid choice."]}), "application/json")
        with lock:
            same = [r for r in resources.values() if r["name"] == fields["name"] and r["architecture"] == fields["architecture"]]
            resource = same[0] if same and same[0]["file"]["sha256"] == fields["sha256"] else None
            if resource is None:
                rid = len(resources) + 1
                path = os.path.join(root, "files", str(rid))
                open(path, "wb").close()
                resource = {"id": rid, "name": fields["name"], "architecture": fields["architecture"], "title": fields.get("title", ""),
                            "file": {"id": rid, "filename": "root-dd.gz" if filetype == "ddgz" else "root-" + filetype,
                                     "filetype": filetype, "sha256": fields["sha256"], "size": int(fields["size"]),
                                     "path": path, "verified": False}}
                resources[rid] = resource
        return self.answer(201, resource_dict(resource))

    def upload(self, rid, data):
        with lock:
            counters["put"] += 1
            n = counters["put"]
        resource = resources.get(rid)
        if resource is None:
            return self.answer(404, "Not Found", "text/plain")
        if n in fail_put:
            return self.answer(fail_put[n], "Injected failure", "text/plain")
        length = int(self.headers.get("Content-Length", "0"))
        if length == 0:
            return self.answer(400, "Missing data.", "text/plain")
        if length != len(data):
            return self.answer(400, "Content-Length doesn't equal size of received data.", "text/plain")
        f = resource["file"]
        held = os.path.getsize(f["path"])
        if held == f["size"]:
            return self.answer(400, "Cannot upload to a complete file.", "text/plain")
        if held + len(data) > f["size"]:
            return self.answer(400, "Too much data received.", "text/plain")
        with open(f["path"], "ab") as out:
            out.write(data)
        if held + len(data) == f["size"]:
            digest = hashlib.sha256(open(f["path"], "rb").read()).hexdigest()
            if digest != f["sha256"]:
                os.truncate(f["path"], 0)
                return self.answer(400, "Saved content does not match given SHA256 value.", "text/plain")
            f["verified"] = True
        if n in drop_after:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        return self.answer(200, "OK", "text/plain")

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(root, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(root, "port.tmp"), os.path.join(root, "port"))
server.serve_forever()
