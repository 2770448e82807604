"""HTTP security of every response, set in one place (OWASP ASVS 5.0 §3.3, §3.4, §14.3).

The CSP allows nothing inline and nothing from another host: portal pages need no script at all
and style comes from `static/portal.css`. Every response that is not a public file (the notice
site, static assets) is `no-store`, because nearly every portal page shows or accepts personal
data and a cache that keeps one by mistake is worse than one that keeps none.
"""

from __future__ import annotations

from flask import Flask, Response, request

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
PUBLIC_ENDPOINTS = frozenset({"static", "portal_static", "site.page"})
"""Endpoints that serve public files: cacheable; everything else is `no-store`."""


def init_app(app: Flask) -> None:
    """Configure the session cookie and add the security headers to every response."""
    secure = bool(app.config["SECURE_COOKIES"])
    app.config.update(
        # __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/).
        SESSION_COOKIE_NAME="__Host-session" if secure else "session",
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_DOMAIN=None,
        DEBUG=False,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    app.after_request(add_headers)


def add_headers(response: Response) -> Response:
    """Add the security headers, and `no-store` unless this is a public file."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in PUBLIC_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
