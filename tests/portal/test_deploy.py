"""The deployment guide's files work: nginx accepts the site file, and behind it the portal, run
by gunicorn exactly as the systemd unit runs it, sees each client's own address.

docs/deploy/nginx-seloste.conf and docs/deploy/systemd/seloste-portal.service are used as shipped;
only host-specific paths and ports are replaced (certificate, socket, site folder, listen ports).
Two clients on different loopback addresses (127.0.0.2 and 127.0.0.3) post to the rate-limited
verify page through nginx over TLS: with `PORTAL_PROXY_FIX=1` each has its own limit, and a
client's own `X-Forwarded-For` does not buy it a fresh one.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import secrets
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests import REPO_ROOT
from tests.portal.support.mailserver import free_port
from tests.portal.support.web import content_with_portal_url, page_token

DEPLOY = REPO_ROOT / "docs" / "deploy"
HOST = "tietosuoja.example.fi"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
"""Installed by `make test` (scripts/debian-packages.txt); a missing nginx fails, never skips."""


def self_signed(folder: Path) -> tuple[Path, Path]:
    """Write a self-signed certificate for HOST and its key; return their paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Nginx:
    """An nginx configuration made from the shipped site file, ready to test or run."""

    conf: Path
    prefix: Path
    https_port: int

    def command(self, *args: str) -> list[str]:
        """Return the nginx command line for this configuration."""
        return [NGINX, "-p", str(self.prefix), "-c", str(self.conf), *args]


def nginx_config(tmp_path: Path, socket: Path, site: Path) -> Nginx:
    """Return an nginx.conf that includes the shipped site file with this host's paths."""
    cert, key = self_signed(tmp_path)
    https_port, http_port = free_port(), free_port()
    text = (DEPLOY / "nginx-seloste.conf").read_text(encoding="utf-8")
    replacements = {
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(cert),
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(key),
        "/run/seloste/gunicorn.sock": str(socket),
        "/srv/seloste/site": str(site),
        "listen 443 ssl": f"listen 127.0.0.1:{https_port} ssl",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
    }
    for old, new in replacements.items():
        assert old in text, f"the shipped nginx file no longer has {old!r}"
        text = text.replace(old, new)
    (tmp_path / "seloste.conf").write_text(text, encoding="utf-8")
    (tmp_path / "logs").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/logs/error.log;\n"
        "user root;\n"
        "events {}\n"
        "http {\n"
        f"  access_log {tmp_path}/logs/access.log;\n"
        f"  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {tmp_path}/seloste.conf;\n"
        "}\n",
        encoding="utf-8",
    )
    return Nginx(conf, tmp_path, https_port)


def test_nginx_accepts_the_shipped_site_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    nginx = nginx_config(tmp_path, tmp_path / "gunicorn.sock", site)
    result = subprocess.run(nginx.command("-t"), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def gunicorn_command(socket: Path) -> list[str]:
    """Return the ExecStart of the shipped unit, with this checkout's venv and `socket`."""
    unit = (DEPLOY / "systemd" / "seloste-portal.service").read_text(encoding="utf-8")
    match = re.search(r"^ExecStart=(.*?)(?<!\\)$", unit.replace("\\\n", " "), re.M)
    assert match, "no ExecStart in seloste-portal.service"
    words = shlex.split(match.group(1))
    assert words[0] == "/opt/seloste/.venv/bin/gunicorn"
    words[0] = str(Path(sys.executable).parent / "gunicorn")
    bind = words.index("--bind")
    assert words[bind + 1] == "unix:/run/seloste/gunicorn.sock"
    words[bind + 1] = f"unix:{socket}"
    workers = words.index("--workers")
    words[workers + 1] = "2"  # the test machine's cores; the unit keeps its 4
    return words


def unit_environment() -> dict[str, str]:
    """Return the unit's Environment= lines."""
    unit = (DEPLOY / "systemd" / "seloste-portal.service").read_text(encoding="utf-8")
    return dict(
        line.removeprefix("Environment=").split("=", 1)
        for line in unit.splitlines()
        if line.startswith("Environment=")
    )


@pytest.fixture
def deployed(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Nginx]:
    """Run the portal under gunicorn behind nginx as the guide says; yield nginx.

    Indirect parameter: settings that differ from the guide's (to show what they change).
    """
    instance = tmp_path / "instance"
    socket = tmp_path / "gunicorn.sock"
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>Seloste</title>", encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>Sivua ei löydy</title>", "utf-8")
    for lang, title in NOT_FOUND_TITLES.items():
        (site / lang).mkdir()
        (site / lang / "404.html").write_text(f"<!doctype html><title>{title}</title>", "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env |= unit_environment()
    assert env["PORTAL_PROXY_FIX"] == "1"
    env |= {
        "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_PUBLIC_URL": f"https://{HOST}",
        "PORTAL_SITE_DIR": str(site),
        "PORTAL_RATELIMIT_VERIFY": "2 per minute",
        # Two workers share one count only through a shared store (the guide says so).
        "PORTAL_RATELIMIT_STORAGE_URI": os.environ.get(
            "PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"
        ),
        # One public URL: the content's portal_url is PORTAL_PUBLIC_URL + /requests/.
        "PORTAL_CONTENT_DIR": str(
            content_with_portal_url(tmp_path / "content", f"https://{HOST}/requests/")
        ),
    }
    env |= getattr(request, "param", {})
    portal = str(Path(sys.executable).parent / "portal")
    subprocess.run([portal, "init"], env=env, check=True, capture_output=True, cwd=REPO_ROOT)
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(gunicorn_command(socket), env=env, cwd=REPO_ROOT, stderr=log)
    nginx = nginx_config(tmp_path, socket, site)
    proxy = subprocess.Popen(nginx.command("-g", "daemon off;"))
    try:
        deadline = time.monotonic() + 60
        while not socket.exists():
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield nginx
    finally:
        proxy.send_signal(signal.SIGQUIT)
        server.send_signal(signal.SIGTERM)
        proxy.wait(timeout=30)
        server.wait(timeout=30)
        log.close()
        print((tmp_path / "gunicorn.log").read_text())


class Client:
    """A browser at its own loopback address, speaking TLS to nginx."""

    def __init__(self, nginx: Nginx, address: str) -> None:
        self.nginx = nginx
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """Send one request; keep the session cookie; return the status and the body."""
        context = ssl._create_unverified_context()  # noqa: S323 - our own test certificate
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.nginx.https_port,
            context=context,
            source_address=(self.address, 0),
            timeout=30,
        )
        sent = {"Host": HOST, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:  # as a browser posts a form: its type, and where it came from
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent.setdefault("Referer", f"https://{HOST}{path}")
            sent.setdefault("Origin", f"https://{HOST}")
        connection.request(method, path, body=body.encode(), headers=sent)
        response = connection.getresponse()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, cookie = value.split(";", 1)[0].partition("=")
            self.cookies[name] = cookie
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, text

    def check_receipt(self, headers: dict[str, str] | None = None) -> int:
        """Post the verify form (an empty receipt: refused, and counted by the limit)."""
        status, page = self.request("GET", "/requests/en/verify")
        assert status == 200, status
        token = page_token(page)
        status, _ = self.request(
            "POST", "/requests/en/verify", f"csrf_token={token}&receipt=", headers
        )
        return status


def two_clients(nginx: Nginx) -> tuple[Client, Client]:
    """Return two clients at addresses of this run only (the shared store outlives a run)."""
    net = f"127.{secrets.randbelow(250) + 2}.{secrets.randbelow(250) + 2}"
    return Client(nginx, f"{net}.2"), Client(nginx, f"{net}.3")


NOT_FOUND_TITLES = {"fi": "Sivua ei löydy", "sv": "Sidan hittades inte", "en": "Page not found"}
"""The per-language 404 pages the `deployed` site has, by their titles."""


def test_behind_nginx_an_unknown_address_gets_the_sites_own_404_page(deployed: Nginx) -> None:
    client = Client(deployed, "127.0.0.1")
    assert client.request("GET", "/no/such/page/") == (
        404,
        "<!doctype html><title>Sivua ei löydy</title>",
    )
    status, page = client.request("GET", "/requests/no-such-page")  # the portal's own
    # Both say "Sivua ei löydy" in Finnish; the portal's is its own page, with its stylesheet.
    assert status == 404 and "/requests/static/portal.css" in page
    # Under a language, that language's page; the portal's own addresses keep the portal's.
    for lang, title in NOT_FOUND_TITLES.items():
        for path in (f"/{lang}/no-such-page/", f"/{lang}/a/b.pdf"):
            assert client.request("GET", path) == (
                404,
                f"<!doctype html><title>{title}</title>",
            ), path
    status, page = client.request("GET", "/requests/en/no-such-page")
    assert status == 404 and "<title>Page not found</title>" not in page


def test_behind_nginx_each_client_has_its_own_limit(deployed: Nginx) -> None:
    first, second = two_clients(deployed)
    assert [first.check_receipt() for _ in range(3)][-1] == 429
    assert second.check_receipt() != 429
    # A header the client writes itself is not believed: nginx appends the real address.
    assert first.check_receipt({"X-Forwarded-For": "198.51.100.7"}) == 429
    status, page = first.request("GET", "/")
    assert status == 200 and "<title>Seloste</title>" in page


@pytest.mark.parametrize("deployed", [{"PORTAL_PROXY_FIX": "0"}], indirect=True)
def test_without_the_proxy_setting_every_client_shares_one_limit(deployed: Nginx) -> None:
    first, second = two_clients(deployed)
    assert [first.check_receipt() for _ in range(3)][-1] == 429
    assert second.check_receipt() == 429  # the proxy's address, shared by everyone
