"""The optional vCenter join: MAAS puts vcenter_server, vcenter_username, vcenter_password and
vcenter_datacenter into the vendor-data of an ESXi deployment with vCenter registration on."""
import base64
import json
import ssl
import urllib.request


def vcenter_settings(vendor_data):
    """The `vcenter:` mapping of a cloud-config (two levels of YAML; ESXi has no PyYAML)."""
    settings, inside = {}, False
    for line in vendor_data.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith((" ", "\t")):
            inside = line.split(":", 1)[0].strip() == "vcenter"
            continue
        if inside and ":" in line:
            key, value = line.strip().split(":", 1)
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            settings[key.strip()] = value
    return settings if settings.get("vcenter_server") else None


def join(settings, hostname, user, password, log=print, opener=None):
    """Adds this host to the datacenter's host folder through vCenter's REST API, vCenter
    logging in to the host as `user` (a temporary local administrator made for the join)."""
    server = settings["vcenter_server"]
    context = ssl.create_default_context()
    if settings.get("vcenter_insecure", "").lower() in ("true", "yes", "1"):
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    opener = opener or urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))

    def call(method, path, body=None, session=None):
        request = urllib.request.Request("https://%s%s" % (server, path), method=method)
        if session:
            request.add_header("vmware-api-session-id", session)
        else:
            token = "%s:%s" % (settings["vcenter_username"], settings["vcenter_password"])
            request.add_header("Authorization", "Basic " + base64.b64encode(token.encode()).decode())
        if body is not None:
            request.data = json.dumps(body).encode()
            request.add_header("Content-Type", "application/json")
        with opener.open(request, timeout=60) as response:
            text = response.read().decode()
            return json.loads(text)["value"] if text else None

    session = call("POST", "/rest/com/vmware/cis/session")
    datacenters = call("GET", "/rest/vcenter/datacenter?filter.names=%s" % settings.get("vcenter_datacenter", ""), session=session)
    if not datacenters:
        raise RuntimeError("vCenter has no datacenter %r" % settings.get("vcenter_datacenter"))
    folders = call("GET", "/rest/vcenter/folder?filter.type=HOST&filter.datacenters=%s" % datacenters[0]["datacenter"], session=session)
    spec = {"spec": {
        "hostname": hostname, "user_name": user, "password": password, "folder": folders[0]["folder"],
        "thumbprint_verification": "NONE", "force_add": True}}
    host = call("POST", "/rest/vcenter/host", spec, session=session)
    log("joined vCenter %s as %s" % (server, host))
    return host
