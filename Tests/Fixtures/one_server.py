#!/usr/bin/env python3
"""A loopback OpenNebula XML-RPC front-end for the tests (there is no OpenNebula server in Debian or
on PyPI). It enforces what OpenNebula's API does for the calls an image publish makes: the session
as the first parameter ("user:password", else [False, message, 0x0100]), answers as
[success, value, error code], XML documents shaped like OpenNebula's (IMAGE, IMAGE_POOL,
DATASTORE_POOL, VMTEMPLATE_POOL), unique names per user, images LOCKED until the front-end has
copied them (the PATH must hold a VMDK folder of a descriptor and its extents, or a file), then
READY, or ERROR with the message in TEMPLATE/ERROR.

Usage: one_server.py DIR [--ready-after N] [--fail-image NAME]   (the session "user:password" in DIR/auth)
Writes DIR/port when listening; logs each call to DIR/calls.log as JSON (the session as
"<session>", the parameters with their XML-RPC types). Ends when its parent does.
"""
import argparse
import json
import os
import re
import threading
import time
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

parser = argparse.ArgumentParser()
parser.add_argument("dir")
parser.add_argument("--ready-after", type=int, default=2)
parser.add_argument("--fail-image", default="")
args = parser.parse_args()
with open(os.path.join(args.dir, "auth")) as f:
    args.auth = f.read().strip()
lock = threading.Lock()
images, templates = {}, {}
counters = {"image": 0, "template": 100}
DATASTORES = [(0, "system", 1), (1, "default", 0), (2, "files", 2), (100, "vcenter-ds (IMG)", 0)]
AUTH, AUTHZ, NO_EXISTS, ACTION, API = 0x0100, 0x0200, 0x0400, 0x0800, 0x1000


def log(method, params):
    def typed(value):
        kind = "boolean" if isinstance(value, bool) else "int" if isinstance(value, int) else "string"
        return {"type": kind, "value": value}
    entry = {"method": method, "params": [{"type": "session", "value": "<session>"}] + [typed(p) for p in params[1:]]}
    with lock, open(os.path.join(args.dir, "calls.log"), "a") as f:
        f.write(json.dumps(entry) + "\n")


def attribute(template, key):
    m = re.search(r'^\s*%s\s*=\s*"((?:[^"\\]|\\.)*)"' % key, template, re.M)
    if m:
        return re.sub(r"\\(.)", r"\1", m.group(1))
    m = re.search(r"^\s*%s\s*=\s*([^\n\[]*)$" % key, template, re.M)
    return m.group(1).strip() if m else None


def esc(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def image_xml(image):
    # The front-end copies the image meanwhile: LOCKED, then READY or ERROR.
    if image["state"] == 4:
        image["polls"] += 1
        if image["polls"] >= args.ready_after:
            problem = check_path(image["path"]) if image["name"] != args.fail_image else "Error copying image in the datastore: cannot read the VMDK descriptor"
            image["state"], image["error"] = (5, problem) if problem else (1, None)
    error = "<ERROR><![CDATA[%s]]></ERROR>" % image["error"] if image["error"] else ""
    return ("<IMAGE><ID>%d</ID><UID>0</UID><GID>0</GID><UNAME>%s</UNAME><GNAME>oneadmin</GNAME><NAME>%s</NAME>"
            "<PERMISSIONS><OWNER_U>1</OWNER_U><OWNER_M>1</OWNER_M><OWNER_A>0</OWNER_A><GROUP_U>0</GROUP_U><GROUP_M>0</GROUP_M>"
            "<GROUP_A>0</GROUP_A><OTHER_U>0</OTHER_U><OTHER_M>0</OTHER_M><OTHER_A>0</OTHER_A></PERMISSIONS>"
            "<TYPE>0</TYPE><DISK_TYPE>0</DISK_TYPE><PERSISTENT>0</PERSISTENT><REGTIME>%d</REGTIME><SOURCE><![CDATA[]]></SOURCE>"
            "<PATH><![CDATA[%s]]></PATH><FORMAT><![CDATA[vmdk]]></FORMAT><FS><![CDATA[]]></FS><SIZE>%d</SIZE><STATE>%d</STATE>"
            "<PREV_STATE>0</PREV_STATE><RUNNING_VMS>0</RUNNING_VMS><CLONING_OPS>0</CLONING_OPS><CLONING_ID>-1</CLONING_ID>"
            "<TARGET_SNAPSHOT>-1</TARGET_SNAPSHOT><DATASTORE_ID>%d</DATASTORE_ID><DATASTORE>%s</DATASTORE><VMS></VMS><CLONES></CLONES>"
            "<APP_CLONES></APP_CLONES><TEMPLATE><DEV_PREFIX><![CDATA[sd]]></DEV_PREFIX>%s</TEMPLATE><SNAPSHOTS><ALLOW_ORPHANS><![CDATA[NO]]>"
            "</ALLOW_ORPHANS><CURRENT_BASE><![CDATA[-1]]></CURRENT_BASE><NEXT_SNAPSHOT><![CDATA[0]]></NEXT_SNAPSHOT></SNAPSHOTS></IMAGE>") % (
        image["id"], esc(user), esc(image["name"]), image["time"], image["path"], image["size"], image["state"],
        image["ds"], esc(dict((d[0], d[1]) for d in DATASTORES)[image["ds"]]), error)


def check_path(path):
    """What the front-end's copy would refuse: no such path, or a folder that is not one VMDK."""
    if not path or not os.path.exists(path):
        return "Error copying image in the datastore: %s does not exist" % path
    if os.path.isdir(path):
        names = sorted(os.listdir(path))
        descriptors = [n for n in names if n.endswith(".vmdk") and not re.search(r"-s\d{3}\.vmdk$", n)]
        if len(descriptors) != 1 or any(not n.endswith(".vmdk") for n in names):
            return "Error copying image in the datastore: %s is not a VMDK folder (%s)" % (path, ", ".join(names))
    return None


def call(method, handler):
    def wrapped(*params):
        log(method, params)
        if not params or params[0] != args.auth:
            return [False, "[%s] User couldn't be authenticated, aborting call." % method, AUTH]
        try:
            with lock:
                return handler(*params[1:])
        except TypeError:
            return [False, "[%s] wrong parameters" % method, API]
    return wrapped


def datastorepool():
    body = "".join("<DATASTORE><ID>%d</ID><NAME>%s</NAME><TYPE>%d</TYPE></DATASTORE>" % (i, esc(n), t) for i, n, t in DATASTORES)
    return [True, "<DATASTORE_POOL>%s</DATASTORE_POOL>" % body, 0]


def imagepool(who, start, end):
    return [True, "<IMAGE_POOL>%s</IMAGE_POOL>" % "".join(image_xml(i) for i in images.values()), 0]


def image_allocate(template, ds, *rest):
    name = attribute(template, "NAME")
    if not name:
        return [False, "[one.image.allocate] No NAME in template.", ACTION]
    if ds not in [d[0] for d in DATASTORES if d[2] == 0]:
        return [False, "[one.image.allocate] Error getting datastore [%d]." % ds, NO_EXISTS]
    taken = [i for i in images.values() if i["name"] == name]
    if taken:
        return [False, "[one.image.allocate] NAME is already taken by IMAGE %d." % taken[0]["id"], ACTION]
    counters["image"] += 1
    path = attribute(template, "PATH") or ""
    size = sum(os.path.getsize(os.path.join(path, n)) for n in os.listdir(path)) if os.path.isdir(path) else 0
    images[counters["image"]] = {"id": counters["image"], "name": name, "path": path, "ds": ds, "state": 4, "polls": 0,
                                 "error": None, "time": int(time.time()), "size": size >> 20, "template": template}
    with open(os.path.join(args.dir, "image-%d.one" % counters["image"]), "w") as f:
        f.write(template)
    return [True, counters["image"], 0]


def image_info(iid, *rest):
    if iid not in images:
        return [False, "[one.image.info] Error getting image [%d]." % iid, NO_EXISTS]
    return [True, image_xml(images[iid]), 0]


def image_delete(iid, *rest):
    if images.pop(iid, None) is None:
        return [False, "[one.image.delete] Error getting image [%d]." % iid, NO_EXISTS]
    return [True, iid, 0]


def image_rename(iid, name):
    if iid not in images:
        return [False, "[one.image.rename] Error getting image [%d]." % iid, NO_EXISTS]
    images[iid]["name"] = name
    return [True, iid, 0]


def templatepool(who, start, end):
    body = "".join("<VMTEMPLATE><ID>%d</ID><UID>0</UID><GID>0</GID><UNAME>%s</UNAME><GNAME>oneadmin</GNAME><NAME>%s</NAME>"
                   "<REGTIME>0</REGTIME><TEMPLATE></TEMPLATE></VMTEMPLATE>" % (t["id"], esc(user), esc(t["name"])) for t in templates.values())
    return [True, "<VMTEMPLATE_POOL>%s</VMTEMPLATE_POOL>" % body, 0]


def template_allocate(template):
    name = attribute(template, "NAME")
    if any(t["name"] == name for t in templates.values()):
        return [False, "[one.template.allocate] NAME is already taken by TEMPLATE.", ACTION]
    counters["template"] += 1
    templates[counters["template"]] = {"id": counters["template"], "name": name, "template": template}
    with open(os.path.join(args.dir, "template-%d.one" % counters["template"]), "w") as f:
        f.write(template)
    return [True, counters["template"], 0]


def template_delete(tid, *rest):
    return [True, tid, 0] if templates.pop(tid, None) else [False, "[one.template.delete] Error getting template [%d]." % tid, NO_EXISTS]


def template_rename(tid, name):
    if tid not in templates:
        return [False, "[one.template.rename] Error getting template [%d]." % tid, NO_EXISTS]
    templates[tid]["name"] = name
    return [True, tid, 0]


class Handler(SimpleXMLRPCRequestHandler):
    rpc_paths = ("/RPC2",)

    def log_message(self, *a):
        pass


user = args.auth.split(":", 1)[0]
server = SimpleXMLRPCServer(("127.0.0.1", 0), requestHandler=Handler, allow_none=False, logRequests=False)
for name, fn in [("one.datastorepool.info", datastorepool), ("one.imagepool.info", imagepool), ("one.image.allocate", image_allocate),
                 ("one.image.info", image_info), ("one.image.delete", image_delete), ("one.image.rename", image_rename),
                 ("one.templatepool.info", templatepool), ("one.template.allocate", template_allocate),
                 ("one.template.delete", template_delete), ("one.template.rename", template_rename)]:
    server.register_function(call(name, fn), name)
parent = os.getppid()


def watch():
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


threading.Thread(target=watch, daemon=True).start()
with open(os.path.join(args.dir, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(args.dir, "port.tmp"), os.path.join(args.dir, "port"))
server.serve_forever()
