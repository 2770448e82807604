"""A portal and the development OpenID Provider, each on its own local port, and a small browser.

The portal (relying party) and the provider talk real HTTP to each other: discovery, JWKS, the
token endpoint. `Browser` follows redirects with a cookie jar as a person's browser would, or
stops at each one (`follow=False`) so a test can tamper with the answer.
"""

from __future__ import annotations

import http.cookiejar
import socket
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from werkzeug.serving import make_server

from portal.dev_identity import DevProvider, jwks_from_url, provider_blueprint
from tests.portal.support.web import content_with_portal_url, set_portal_url

CLIENT_ID = "seloste-test"
PROVIDER_NAME = "Test broker"
REGISTER = "tietosuojapyynnot"
"""The content's register that asks for strong identification of access requests."""


def free_port() -> int:
    """Return a port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(app: Any, port: int) -> Iterator[None]:
    """Serve a WSGI app on 127.0.0.1:`port` in a thread while the block runs."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Page:
    status: int
    url: str
    text: str

    @property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "html.parser")

    def words(self) -> str:
        """Return the page's visible text with whitespace collapsed."""
        main = self.soup.find("main") or self.soup
        return " ".join(main.get_text(" ").split())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """Cookies and redirects, as a person's browser (no JavaScript needed by these pages)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.following = urllib.request.build_opener(cookies)
        self.stepping = urllib.request.build_opener(cookies, _NoRedirect())

    def open(self, url: str, data: dict[str, str] | None = None, *, follow: bool = True) -> Page:
        opener = self.following if follow else self.stepping
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with opener.open(url, data=body, timeout=30) as response:
                return Page(response.status, response.url, response.read().decode())
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location", "")
            return Page(exc.code, location or url, exc.read().decode())


@dataclass
class Setup:
    portal: str
    """Base URL of the portal, no trailing slash."""
    provider: DevProvider
    app: Flask


@contextmanager
def portal_with_provider(make_app: Callable[..., Flask], **settings: Any) -> Iterator[Setup]:
    """Run the portal and the development provider on two local ports."""
    portal_port, provider_port = free_port(), free_port()
    portal = f"http://127.0.0.1:{portal_port}"
    issuer = f"http://127.0.0.1:{provider_port}/op"
    provider = DevProvider(
        issuer=issuer,
        client_id=CLIENT_ID,
        redirect_uri=portal + "/requests/identify/callback",
        client_jwks=jwks_from_url(portal + "/.well-known/jwks.json"),
        auto_approve="1",
    )
    op_app = Flask("dev_identity_test")
    op_app.register_blueprint(provider_blueprint(provider), url_prefix="/op")
    # One public URL: the content's portal_url names this local portal (a copy when not given).
    with tempfile.TemporaryDirectory() as scratch:
        given = settings.pop("CONTENT_DIR", None)
        if given is None:
            content = content_with_portal_url(Path(scratch) / "content", portal + "/requests/")
        else:
            content = set_portal_url(Path(given), portal + "/requests/")
        app = make_app(
            CONTENT_DIR=str(content),
            PUBLIC_URL=portal,
            SECURE_COOKIES=False,
            OIDC_ISSUER=issuer,
            OIDC_CLIENT_ID=CLIENT_ID,
            **({"OIDC_PROVIDER_NAME": PROVIDER_NAME} | settings),
        )
        with serve(app, portal_port), serve(op_app, provider_port):
            yield Setup(portal, provider, app)
