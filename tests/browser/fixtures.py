"""Browser fixtures for every test folder (registered in tests/conftest.py as a plugin).

Fixtures:
    browser          session: Debian Chromium, headless, driven by Playwright (sync API).
    new_context      factory: `new_context(**playwright_context_options) -> BrowserContext`,
                     guarded (see below), `bypass_csp=True` unless told otherwise.
    context, page    a fresh guarded context and a page in it, for each test.
    request_guard    the test's RequestGuard; `.take()` returns and forgets blocked requests.
    static_server    session factory: `static_server(directory, headers=None) -> base URL`.
    wsgi_server      factory: `wsgi_server(app) -> base URL` (e.g. the Flask portal).
    served           the portal on a fresh SQLite file over plain HTTP on 127.0.0.1, its mail going
                     to a real local SMTP server: `Served(app, base, smtp)`. A test module changes
                     its settings by overriding `served_settings` (a dict merged over the
                     defaults), or extends it with its own `served` fixture that takes `served`.

`ContextFactory`, `StaticServer` and `WsgiServer` below type the three factories in test signatures.

Every context made through these fixtures aborts requests to hosts other than 127.0.0.1 and
localhost, and the test fails when the page tried any (`tests/browser/network.py`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from notice.banner import RECORD_ENDPOINT
from tests.browser.network import RequestGuard, is_local
from tests.browser.servers import serve_directory, serve_wsgi
from tests.browser.tools import CHROMIUM, require_file

if TYPE_CHECKING:
    from flask import Flask

    from tests.portal.support.mailserver import SmtpServer

CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium phones home at start; the closed network refuses it noisily.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
DEFAULT_TIMEOUT_MS = 15_000

_GUARD = pytest.StashKey[RequestGuard]()


class ContextFactory(Protocol):
    """Type of the `new_context` fixture, for annotating tests."""

    def __call__(self, **options: Any) -> BrowserContext: ...


class StaticServer(Protocol):
    """Type of the `static_server` fixture, for annotating tests."""

    def __call__(self, directory: Path, headers: Mapping[str, str] | None = None) -> str: ...


class WsgiServer(Protocol):
    """Type of the `wsgi_server` fixture, for annotating tests."""

    def __call__(self, app: Callable[..., Any]) -> str: ...


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test whose pages tried to reach another host, after its own assertions passed."""
    result = yield
    guard = item.stash.get(_GUARD, None)
    if guard is not None and guard.blocked:
        pytest.fail(guard.report(), pytrace=False)
    return result


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Launch Debian's Chromium once per session (never a downloaded browser)."""
    executable = require_file(CHROMIUM, "Debian chromium (apt package `chromium`)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def request_guard(request: pytest.FixtureRequest) -> RequestGuard:
    """Return the guard that records this test's requests to other hosts."""
    guard = RequestGuard()
    request.node.stash[_GUARD] = guard
    return guard


@pytest.fixture
def new_context(browser: Browser, request_guard: RequestGuard) -> Iterator[ContextFactory]:
    """Return a factory of guarded browser contexts, all closed when the test ends."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        # bypass_csp lets axe-core's script tag run on pages whose CSP forbids it; a test that
        # checks the CSP itself passes bypass_csp=False.
        options.setdefault("bypass_csp", True)
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        request_guard.watch(context)
        context.route("**/" + RECORD_ENDPOINT, _answer_remote_record)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _answer_remote_record(route: Route) -> None:
    """Answer a consent record posted to a built site's portal on another host (the sites'
    `portal_url`), which these tests do not run; a local portal gets the post itself
    (test_consent_records.py). Registered after the guard, so it is asked first."""
    if is_local(route.request.url):
        route.fallback()
        return
    route.fulfill(status=202, body='{"counted": true}', content_type="application/json")


@pytest.fixture
def context(new_context: ContextFactory) -> BrowserContext:
    """Return a fresh guarded browser context for this test."""
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """Return a page in this test's fresh context."""
    return context.new_page()


@pytest.fixture(scope="session")
def static_server() -> Iterator[StaticServer]:
    """Return `serve(directory, headers=None) -> base URL`; servers stop when the session ends."""
    servers: dict[tuple[Path, tuple[tuple[str, str], ...]], str] = {}
    with ExitStack() as stack:

        def serve(directory: Path, headers: Mapping[str, str] | None = None) -> str:
            key = (Path(directory).resolve(), tuple(sorted((headers or {}).items())))
            if key not in servers:
                servers[key] = stack.enter_context(serve_directory(key[0], headers))
            return servers[key]

        yield serve


@pytest.fixture
def wsgi_server() -> Iterator[WsgiServer]:
    """Return `serve(app) -> base URL`; the servers stop when the test ends."""
    with ExitStack() as stack:

        def serve(app: Callable[..., Any]) -> str:
            return stack.enter_context(serve_wsgi(app))

        yield serve


@dataclass
class Served:
    """The portal on a local origin, with the SMTP server its mail goes to."""

    app: Flask
    base: str
    smtp: SmtpServer


@pytest.fixture
def served_settings() -> dict[str, Any]:
    """Settings merged over `served`'s defaults; override it in a test module to change them."""
    return {}


@pytest.fixture
def served(
    tmp_path: Path, wsgi_server: WsgiServer, served_settings: dict[str, Any]
) -> Iterator[Served]:
    """Serve the portal over plain HTTP on 127.0.0.1 (a fresh SQLite file, its own instance
    folder), mail to a local SMTP server; the settings' `public_url` is the served base URL."""
    # Imported here: this plugin is loaded for every test, most of which never start the portal.
    from portal import create_app
    from portal.config import change_settings
    from portal.db import upgrade
    from tests.portal.support.mailserver import Collector, SmtpServer, free_port

    smtp = SmtpServer("127.0.0.1", free_port(), Collector())
    smtp.start()
    try:
        url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        upgrade(url)
        app = create_app(
            {
                "SECRET_KEY": secrets.token_hex(16),
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "DATABASE_URL": url,
                "SITE_DIR": "",
                "SECURE_COOKIES": False,
                "MAIL_SERVER": smtp.host,
                "MAIL_PORT": smtp.port,
                "RATELIMIT_SUBMIT": "1000 per hour",
            }
            | served_settings
        )
        try:
            base = wsgi_server(app).rstrip("/")
            change_settings(app, public_url=base)
            yield Served(app, base, smtp)
        finally:
            app.extensions["db_engine"].dispose()
    finally:
        smtp.stop()
