"""Credentials over plain HTTP (cleartext-transport) and key / credential files left readable
by everyone (insecure-permissions), each with near misses that stay quiet. The line marked
`# <-` is where the finding belongs."""

import pytest

from tests.analysis.security.python.scanning import marked_line, scan

CLEARTEXT = {
    "basic-auth-tuple": """
        import requests
        def login(user, pw):
            return requests.post("http://api.partner.com/login", auth=(user, pw))  # <-
        """,
    "httpx-authorization-header": """
        import httpx
        def fetch(token):
            return httpx.get("http://api.partner.com/v1", headers={"Authorization": token})  # <-
        """,
    "header-dict-built-earlier": """
        import httpx
        def fetch(token):
            headers = {"Accept": "application/json", "X-Api-Key": token}
            return httpx.get("http://api.partner.com/v1/orders", headers=headers)  # <-
        """,
    "userinfo-in-the-url": """
        import requests
        def fetch():
            return requests.get("http://admin:hunter22@reports.partner.com/daily.csv")  # <-
        """,
    "token-parameter-on-a-constant-base": """
        import requests
        def fetch(token):
            base = "http://api.partner.com"  # <-
            return requests.get(base + "/items", params={"access_token": token})
        """,
    "password-in-a-session-form-post": """
        import requests
        def login(password):
            session = requests.Session()
            return session.post("http://portal.partner.com/login",  # <-
                                data={"username": "svc", "password": password})
        """,
    "client-with-http-base-url": """
        import httpx
        def client(token):
            return httpx.Client(base_url="http://api.partner.com",  # <-
                                headers={"Authorization": f"Bearer {token}"})
        """,
    "urllib-request": """
        import urllib.request
        def fetch(token):
            request = urllib.request.Request("http://api.partner.com/x",  # <-
                                             headers={"Authorization": token})
            return urllib.request.urlopen(request)
        """,
    "anchored-at-the-module-constant": """
        import requests
        PARTNER_API = "http://api.partner.com/v2"  # <-
        def push(token, payload):
            return requests.post(f"{PARTNER_API}/orders?token={token}", json=payload)
        """,
}

CLEARTEXT_NEAR_MISSES = {
    "https": """
        import requests
        def login(user, pw):
            return requests.post("https://api.partner.com/login", auth=(user, pw))
        """,
    "loopback-v4": """
        import requests
        def probe(user, pw):
            return requests.get("http://127.0.0.1:8000/health", auth=(user, pw))
        """,
    "loopback-v6": """
        import httpx
        def probe(token):
            return httpx.get("http://[::1]:8000/health", headers={"Authorization": token})
        """,
    "localhost-with-a-port": """
        import requests
        def probe(token):
            return requests.get(f"http://localhost:9200/_cat?token={token}")
        """,
    "in-cluster-service-name": """
        import requests
        def secret(token):
            return requests.get("http://vault:8200/v1/secret/app", headers={"X-Vault-Token": token})
        """,
    "private-network-address": """
        import requests
        def push(user, pw):
            return requests.post("http://10.20.0.7/api/import", auth=(user, pw))
        """,
    "plain-http-without-credentials": """
        import requests
        def mirror():
            return requests.get("http://mirror.partner.com/pkg.tar.gz", headers={"Accept": "*/*"})
        """,
    "auth-none": """
        import requests
        def mirror():
            return requests.get("http://mirror.partner.com/pkg.tar.gz", auth=None)
        """,
    "documentation-and-namespaces": """
        SVG_NS = "http://www.w3.org/2000/svg"
        HELP = "Call http://api.partner.com/items?token=YOUR_TOKEN to list items"
        def tag(name, password):
            return "{" + SVG_NS + "}" + name
        """,
}

PERMISSIONS = {
    "chmod-644-on-a-key-path": """
        import os
        def save(key_path, pem):
            os.chmod(key_path, 0o644)  # <-
        """,
    "chmod-literal-pem": """
        import os
        os.chmod("/etc/app/server.pem", 0o644)  # <-
        """,
    "path-chmod-on-an-ssh-key": """
        from pathlib import Path
        Path("~/.ssh/id_ed25519").expanduser().chmod(0o644)  # <-
        """,
    "path-joined-with-a-credentials-file": """
        from pathlib import Path
        def save(config_dir: Path, blob):
            target = config_dir / "credentials.json"
            target.write_text(blob)
            target.chmod(0o644)  # <-
        """,
    "os-open-with-a-token-file": """
        import os
        def save(token_file, data):
            fd = os.open(token_file, os.O_WRONLY | os.O_CREAT, 0o644)  # <-
            os.write(fd, data)
        """,
    "default-creation-mode-on-a-key": """
        import os
        def save(signing_key_file, pem):
            fd = os.open(signing_key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # <-
            os.write(fd, pem)
        """,
    "touch-a-key-file": """
        from pathlib import Path
        Path("/srv/app/server.key").touch(mode=0o644)  # <-
        """,
    "stat-constants": """
        import os, stat
        def save(secret_path):
            os.chmod(secret_path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)  # <-
        """,
    "group-writable-private-key": """
        import os
        def save(private_key_file):
            os.chmod(private_key_file, 0o660)  # <-
        """,
    "generic-path-in-a-key-writer": """
        import os
        def write_private_key(path, pem):
            with open(path, "wb") as handle:
                handle.write(pem)
            os.chmod(path, 0o644)  # <-
        """,
    "umask-zero": """
        import os
        os.umask(0)  # <-
        """,
    "world-writable-anything": """
        import os
        os.chmod("/srv/app/report.csv", 0o777)  # <-
        """,
}

PERMISSION_NEAR_MISSES = {
    "owner-only-key": """
        import os
        def save(key_path):
            os.chmod(key_path, 0o600)
        """,
    "read-only-key": """
        import os
        def save(key_path):
            os.chmod(key_path, 0o400)
        """,
    "ordinary-output-file": """
        import os
        os.chmod("report.csv", 0o644)
        """,
    "public-key": """
        import os
        def save(public_key_path):
            os.chmod(public_key_path, 0o644)
        """,
    "ssh-public-key-file": """
        from pathlib import Path
        Path("~/.ssh/id_ed25519.pub").expanduser().chmod(0o644)
        """,
    "certificate": """
        import os
        os.chmod("/etc/app/tls/fullchain.pem", 0o644)
        """,
    "group-readable-key": """
        import os
        def save(key_path):
            os.chmod(key_path, 0o640)
        """,
    "keys-directory": """
        import os
        def prepare(keys_dir):
            os.chmod(keys_dir, 0o755)
        """,
    "default-creation-mode-on-an-ordinary-file": """
        import os
        def save(path, data):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            os.write(fd, data)
        """,
    "usual-umask": """
        import os
        os.umask(0o022)
        """,
    "generic-path-in-a-report-writer": """
        import os
        def write_report(path, rows):
            os.chmod(path, 0o644)
        """,
}


@pytest.mark.parametrize("name", sorted(CLEARTEXT))
def test_credentials_over_plain_http(build, name):
    source = CLEARTEXT[name]
    hits = [(h.rule_id, h.line) for h in scan(build, source)]
    assert hits == [("cleartext-transport", marked_line(source))]


@pytest.mark.parametrize("name", sorted(PERMISSIONS))
def test_insecure_permissions(build, name):
    source = PERMISSIONS[name]
    hits = [(h.rule_id, h.line) for h in scan(build, source)]
    assert hits == [("insecure-permissions", marked_line(source))]


@pytest.mark.parametrize("name", sorted({**CLEARTEXT_NEAR_MISSES, **PERMISSION_NEAR_MISSES}))
def test_near_misses_stay_quiet(build, name):
    source = {**CLEARTEXT_NEAR_MISSES, **PERMISSION_NEAR_MISSES}[name]
    assert scan(build, source) == []


def test_url_constant_unchanged_keeps_the_finding_on_the_new_call(build):
    before = """
        import requests
        PARTNER_API = "http://api.partner.com/v2"
        """
    after = """
        import requests
        PARTNER_API = "http://api.partner.com/v2"
        def push(token):
            return requests.get(PARTNER_API + "/orders", headers={"Authorization": token})  # <-
        """
    hits = scan(build, after, before=before)
    assert [(h.rule_id, h.line) for h in hits] == [("cleartext-transport", marked_line(after))]
    assert "Authorization header" in hits[0].detail


def test_world_readable_key_detail_names_the_file(build):
    hits = scan(build, PERMISSIONS["chmod-644-on-a-key-path"])
    assert "0o644" in hits[0].detail and "key_path" in hits[0].detail
