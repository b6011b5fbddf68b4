"""An independent reader of the test cloud (plain HTTP, not the code under test): signs in with
the OS_* environment (password; never argv) and prints, as JSON, every image of the project (any
status); or writes a new project-scoped token to FILE (0600), not to its output.

Usage: glance_images.py images | glance_images.py token FILE
"""
import json
import os
import sys
import urllib.request


def call(method, url, body=None, token=None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("X-Subject-Token"), json.loads(response.read() or b"null")


auth = {"identity": {"methods": ["password"], "password": {"user": {
    "name": os.environ["OS_USERNAME"], "domain": {"name": "Default"}, "password": os.environ["OS_PASSWORD"]}}},
    "scope": {"project": {"name": os.environ["OS_PROJECT_NAME"], "domain": {"name": "Default"}}}}
token, body = call("POST", os.environ["OS_AUTH_URL"] + "/auth/tokens", {"auth": auth})
if sys.argv[1] == "token":
    fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, token.encode())
    os.close(fd)
    sys.exit(0)
glance = [e["url"] for s in body["token"]["catalog"] if s["type"] == "image" for e in s["endpoints"] if e["interface"] == "public"][0]
images, url = [], glance + "/v2/images?limit=100"
while url:
    _, page = call("GET", url, token=token)
    images += page["images"]
    url = glance + page["next"] if page.get("next") else None
print(json.dumps(images))
