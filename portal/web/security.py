"""HTTP security of every response, set in one place (OWASP ASVS 5.0 §3.3, §3.4, §14.3).

The CSP allows nothing inline and nothing from another host: portal pages need no script at all
and style comes from `static/portal.css`. Every response that is not a public file (the notice
site, static assets) is `no-store`, because nearly every portal page shows or accepts personal
data and a cache that keeps one by mistake is worse than one that keeps none.

A request whose `Host` is not the host of `PUBLIC_URL`, one of `TRUSTED_HOSTS` or a loopback name
is refused (400) before anything is routed: redirects such as `/requests` → `/requests/` are built
from the Host header, and a forged one must never come back in a `Location` (host-header
injection, ASVS 13.2 / WSTG-INPV-17).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request
from werkzeug.sansio.utils import host_is_trusted

from portal.config import Settings, current_settings, settings_of

log = logging.getLogger(__name__)
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")
"""Always answered: health checks and the demo call the portal by these names."""

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
PUBLIC_ENDPOINTS = frozenset(
    {"static", "portal_static", "site.page", "theme.stylesheet", "theme.logo", "favicon"}
)
"""Endpoints that serve public files: cacheable; everything else is `no-store`."""


def init_app(app: Flask) -> None:
    """Configure the session cookie and add the security headers to every response."""
    secure = settings_of(app).secure_cookies
    app.config.update(
        # __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/).
        SESSION_COOKIE_NAME="__Host-session" if secure else "session",
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_DOMAIN=None,
        DEBUG=False,
    )
    # The setting shares its name with Flask's own check, which refuses a host before the URL
    # adapter exists, so its 400 page could not be rendered: the portal checks in a hook instead
    # (the setting is kept on Settings only, never in app.config: config.NOT_IN_FLASK_CONFIG).
    app.config["TRUSTED_HOSTS"] = None
    app.before_request(refuse_untrusted_host)
    app.before_request(refuse_unnamed_parts)
    app.after_request(add_headers)


def trusted_hosts(settings: Settings) -> list[str]:
    """Return the host names the portal answers to: PUBLIC_URL's, TRUSTED_HOSTS, loopback."""
    names = [urlsplit(settings.public_url or "").hostname or ""]
    names += [name.strip() for name in settings.trusted_hosts.split(",")]
    return [name for name in dict.fromkeys([*names, *LOOPBACK_HOSTS]) if name]


def refuse_untrusted_host() -> None:
    """Answer 400 to a request for a host the portal is not (runs before routing redirects)."""
    # Read each time: PUBLIC_URL may be set after start (the demo learns its port late).
    if not host_is_trusted(request.host, trusted_hosts(current_settings())):
        log.info("request for untrusted host refused")
        abort(400)


def refuse_unnamed_parts() -> None:
    """Answer 400 to a form whose parts have no usable name (a forged multipart header).

    Runs before the CSRF check, which reads every field name as text and would crash on one.
    """
    if request.method == "POST" and not all(
        isinstance(name, str) for name in (*request.form.keys(), *request.files.keys())
    ):
        abort(400)


def add_headers(response: Response) -> Response:
    """Add the security headers, and `no-store` unless this is a public file."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in PUBLIC_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
