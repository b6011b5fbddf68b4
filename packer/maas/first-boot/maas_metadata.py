"""The MAAS metadata service, read as the deployed machine (OAuth 1.0 PLAINTEXT, stdlib only).

The credentials come from the curtin configuration MAAS sent (its cloud-config's MAAS
datasource). Reading user-data is what tells MAAS the deployment finished.
"""
import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request


def datasource(config):
    """(metadata_url, consumer_key, token_key, token_secret) from the curtin configuration."""
    found = {}

    def walk(value):
        if isinstance(value, dict):
            for key in ("metadata_url", "consumer_key", "token_key", "token_secret"):
                if key in value and key not in found:
                    found[key] = value[key]
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)
        elif isinstance(value, str) and "metadata_url" in value and value.lstrip().startswith("{"):
            try:
                walk(json.loads(value))
            except ValueError:
                pass

    walk(config)
    if "metadata_url" not in found:
        return None
    return (found["metadata_url"], found.get("consumer_key", ""), found.get("token_key", ""), found.get("token_secret", ""))


def oauth_header(consumer_key, token_key, token_secret, now=None, nonce=None):
    """The Authorization header MAAS checks: PLAINTEXT, consumer secret empty."""
    params = [
        ("oauth_nonce", nonce or str(random.SystemRandom().getrandbits(64))),
        ("oauth_timestamp", str(int(now if now is not None else time.time()))),
        ("oauth_version", "1.0"),
        ("oauth_signature_method", "PLAINTEXT"),
        ("oauth_consumer_key", consumer_key),
        ("oauth_token", token_key),
        ("oauth_signature", "&" + urllib.parse.quote(token_secret, safe="")),
    ]
    return "OAuth " + ", ".join('%s="%s"' % (k, urllib.parse.quote(v, safe="")) for k, v in params)


class Metadata:
    def __init__(self, url, consumer_key, token_key, token_secret, timeout=30):
        self.url = url.rstrip("/") + "/"
        self.credentials = (consumer_key, token_key, token_secret)
        self.timeout = timeout

    def get(self, path):
        request = urllib.request.Request(self.url + path)
        request.add_header("Authorization", oauth_header(*self.credentials))
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return response.read()

    def text(self, path, default=""):
        try:
            return self.get(path).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return default
            raise

    def public_keys(self):
        return [k for k in self.text("latest/meta-data/public-keys").splitlines() if k.strip()]

    def hostname(self):
        return self.text("latest/meta-data/local-hostname").strip()

    def vendor_data(self):
        return self.text("latest/vendor-data")

    def user_data(self):
        try:
            return self.get("latest/user-data")
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return b""
            raise
