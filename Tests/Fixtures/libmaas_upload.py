"""python-libmaas (PyPI 0.6.8), the ecosystem's own client, uploads FILE as boot resource NAME
to MAAS_URL with MAAS_API_KEY (both from the environment); prints the resource id.

Usage: libmaas_upload.py FILE NAME
"""
import os
import sys

from maas.client import connect
import types

# 0.6.8's BootResourceFileType has no ddgz; create() sends only its value.
DDGZ = types.SimpleNamespace(value="ddgz")
client = connect(os.environ["MAAS_URL"], apikey=os.environ["MAAS_API_KEY"])
with open(sys.argv[1], "rb") as content:
    resource = client.boot_resources.create(
        sys.argv[2], "amd64/generic", content, title=sys.argv[2], filetype=DDGZ)
print(resource.id)
