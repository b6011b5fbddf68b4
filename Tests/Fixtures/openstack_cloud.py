"""A real Keystone 30 and Glance 33 (PyPI, under gunicorn, sqlite, file store) on 127.0.0.1 for
the publish tests: bootstraps an admin, registers Glance in the catalog, and makes one project per
test with a member user and an application credential. Writes DIR/cloud.json when both answer,
then serves until SIGTERM (its servers end with it, even on SIGKILL: PR_SET_PDEATHSIG).

Usage: openstack_cloud.py VENV DIR PROJECTS
"""
import ctypes
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

venv, root, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(root, exist_ok=True)
log = open(os.path.join(root, "servers.log"), "a")
children = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent():
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def run(args, env=None):
    subprocess.run(args, check=True, stdout=log, stderr=log, env=env)


def serve(module, port, env, tls=None):
    wsgi = os.path.join(root, module + "_wsgi.py")
    with open(wsgi, "w") as f:
        # keystone's config parser reads sys.argv: gunicorn's arguments must not reach it.
        f.write("import sys\nsys.argv = sys.argv[:1]\nfrom %s.wsgi.api import application\n" % module)
    extra = ["--certfile", tls[0], "--keyfile", tls[1]] if tls else []
    children.append(subprocess.Popen(
        [venv + "/bin/gunicorn", "-b", "127.0.0.1:%d" % port, "-w", "1", "--timeout", "600", "--chdir", root] + extra
        + [module + "_wsgi:application"], stdout=log, stderr=log, env=env, preexec_fn=die_with_parent))


def wait(url):
    for _ in range(600):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except Exception:
            time.sleep(0.1)
    raise SystemExit("no answer from " + url)


def call(method, url, body=None, token=None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return response.headers.get("X-Subject-Token"), json.loads(text) if text else None


def token(keystone, user, password, project):
    scope = {"project": {"name": project, "domain": {"id": "default"}}}
    auth = {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "domain": {"id": "default"}, "password": password}}}, "scope": scope}
    return call("POST", keystone + "/v3/auth/tokens", {"auth": auth})[0]


def stop(*_):
    for child in children:
        child.terminate()
    for child in children:
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
kport, gport = free_port(), free_port()
keystone, glance = "http://127.0.0.1:%d" % kport, "http://127.0.0.1:%d" % gport
admin_password = secrets.token_urlsafe(16)

# Keystone: sqlite, fernet tokens, bootstrap.
kdir = os.path.join(root, "keystone")
os.makedirs(kdir + "/fernet", exist_ok=True)
os.makedirs(kdir + "/credential", exist_ok=True)
kconf = os.path.join(kdir, "keystone.conf")
with open(kconf, "w") as f:
    f.write("[database]\nconnection = sqlite:///%s/keystone.sqlite\n[token]\nprovider = fernet\n"
            "[fernet_tokens]\nkey_repository = %s/fernet\n[credential]\nkey_repository = %s/credential\n"
            # bcrypt's fewest rounds: 16 users and 16 application credentials are hashed at start,
            # and the default 12 rounds took minutes on a loaded 2-core CI machine.
            "[identity]\npassword_hash_rounds = 4\n"
            % (kdir, kdir, kdir))
manage = [venv + "/bin/keystone-manage", "--config-file", kconf]
run(manage + ["db_sync"])
run(manage + ["fernet_setup", "--keystone-user", "root", "--keystone-group", "root"])
run(manage + ["credential_setup", "--keystone-user", "root", "--keystone-group", "root"])
run(manage + ["bootstrap", "--bootstrap-password", admin_password, "--bootstrap-admin-url", keystone + "/v3",
              "--bootstrap-public-url", keystone + "/v3", "--bootstrap-internal-url", keystone + "/v3",
              "--bootstrap-region-id", "RegionOne"])
kenv = dict(os.environ, OS_KEYSTONE_CONFIG_FILES=kconf)
serve("keystone", kport, kenv)
# The same Keystone over TLS too, with a certificate from a CA of the test's own (127.0.0.1).
tport = free_port()
tls = os.path.join(root, "tls")
os.makedirs(tls, exist_ok=True)
run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=image-builder test CA",
     "-keyout", tls + "/ca.key", "-out", tls + "/ca.pem"])
run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", tls + "/server.key",
     "-out", tls + "/server.csr"])
with open(tls + "/ext.cnf", "w") as f:
    f.write("subjectAltName = IP:127.0.0.1\n")
run(["openssl", "x509", "-req", "-in", tls + "/server.csr", "-CA", tls + "/ca.pem", "-CAkey", tls + "/ca.key",
     "-CAcreateserial", "-days", "2", "-extfile", tls + "/ext.cnf", "-out", tls + "/server.pem"])
serve("keystone", tport, kenv, (tls + "/server.pem", tls + "/server.key"))

# Glance: keystone flavor, sqlite, file store.
gdir = os.path.join(root, "glance")
for sub in ("images", "staging", "tasks", "lock"):
    os.makedirs(os.path.join(gdir, sub), exist_ok=True)
with open(os.path.join(venv, "etc/glance/glance-api-paste.ini")) as source:
    paste = source.read()
with open(os.path.join(gdir, "glance-api-paste.ini"), "w") as f:
    f.write(paste)
with open(os.path.join(gdir, "glance-api.conf"), "w") as f:
    f.write("""[DEFAULT]
bind_host = 127.0.0.1
bind_port = {port}
workers = 1
enabled_backends = local:file
[paste_deploy]
flavor = keystone
config_file = {d}/glance-api-paste.ini
[database]
connection = sqlite:///{d}/glance.sqlite
[glance_store]
default_backend = local
[local]
filesystem_store_datadir = {d}/images/
[os_glance_staging_store]
filesystem_store_datadir = {d}/staging/
[os_glance_tasks_store]
filesystem_store_datadir = {d}/tasks/
[oslo_concurrency]
lock_path = {d}/lock
[keystone_authtoken]
www_authenticate_uri = {k}/v3
auth_url = {k}/v3
auth_type = password
username = admin
password = {pw}
project_name = admin
user_domain_id = default
project_domain_id = default
interface = public
""".format(port=gport, d=gdir, k=keystone, pw=admin_password))
genv = dict(os.environ, OS_GLANCE_CONFIG_DIR=gdir)
run([venv + "/bin/glance-manage", "--config-dir", gdir, "db_sync"], env=genv)
serve("glance", gport, genv)
wait(keystone + "/v3")

# The catalog: Glance as type image, every interface, RegionOne.
admin = token(keystone, "admin", admin_password, "admin")
_, service = call("POST", keystone + "/v3/services", {"service": {"type": "image", "name": "glance"}}, admin)
for interface in ("public", "internal", "admin"):
    call("POST", keystone + "/v3/endpoints", {"endpoint": {
        "service_id": service["service"]["id"], "interface": interface, "url": glance, "region_id": "RegionOne"}}, admin)
_, roles = call("GET", keystone + "/v3/roles?name=member", None, admin)
member = roles["roles"][0]["id"]
projects = []
for n in range(count):
    name, user, password = "ib-%d" % n, "publisher-%d" % n, secrets.token_urlsafe(16)
    _, project = call("POST", keystone + "/v3/projects", {"project": {"name": name, "domain_id": "default"}}, admin)
    _, account = call("POST", keystone + "/v3/users", {"user": {
        "name": user, "password": password, "domain_id": "default", "default_project_id": project["project"]["id"]}}, admin)
    pid, uid = project["project"]["id"], account["user"]["id"]
    call("PUT", keystone + "/v3/projects/%s/users/%s/roles/%s" % (pid, uid, member), None, admin)
    own = token(keystone, user, password, name)
    _, credential = call("POST", keystone + "/v3/users/%s/application_credentials" % uid,
                         {"application_credential": {"name": "ib-publish"}}, own)
    projects.append({"project": name, "project_id": pid, "user": user, "password": password,
                     "application_credential_id": credential["application_credential"]["id"],
                     "application_credential_secret": credential["application_credential"]["secret"]})
wait(glance + "/versions")
for _ in range(600):
    try:
        socket.create_connection(("127.0.0.1", tport), timeout=1).close()
        break
    except OSError:
        time.sleep(0.1)
with open(os.path.join(root, "cloud.json.tmp"), "w") as f:
    json.dump({"auth_url": keystone + "/v3", "tls_auth_url": "https://127.0.0.1:%d/v3" % tport, "ca_file": tls + "/ca.pem",
               "glance": glance, "region": "RegionOne", "glance_data": gdir + "/images",
               "admin_password": admin_password, "projects": projects}, f)
os.rename(os.path.join(root, "cloud.json.tmp"), os.path.join(root, "cloud.json"))
parent = os.getppid()
while True:
    # The test process that started this one is gone: so are the servers.
    if os.getppid() != parent:
        stop()
    for child in children:
        if child.poll() is not None:
            log.write("a server ended: %s\n" % child.args)
            log.flush()
            stop()
    time.sleep(0.5)
