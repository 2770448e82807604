"""Rate limits on public forms (ASVS 2.4.1): per client address and per e-mail address.

One Flask-Limiter per app, so that tests and several apps in one process never share counters;
storage comes from `RATELIMIT_STORAGE_URI` (memory for one process, `redis://…` when several
instances serve the same site). Limits are attached to endpoints after their blueprint is
registered, so blueprints stay free of the limiter object. E-mail addresses are hashed before
they become keys: the limiter's store never holds personal data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

EXTENSION = "portal_limiter"


def init_app(app: Flask) -> Limiter:
    """Create this app's limiter from its settings."""
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        strategy="moving-window",
        headers_enabled=False,
        # Several deployments (or test sessions) may share one Redis: RATELIMIT_KEY_PREFIX
        # keeps their counters apart.
        key_prefix=app.config.get("RATELIMIT_KEY_PREFIX") or "seloste",
    )
    app.extensions[EXTENSION] = limiter
    return limiter


def limit_endpoint(
    app: Flask,
    endpoint: str,
    setting: str,
    *,
    key_func: Callable[[], str] | None = None,
    methods: Sequence[str] = ("POST",),
    scope: str | None = None,
) -> None:
    """Limit `endpoint` to the rate named by the setting `setting` (e.g. "10 per hour")."""
    limiter: Limiter = app.extensions[EXTENSION]
    view = app.view_functions[endpoint]
    limited = limiter.limit(
        lambda: current_app.config[setting],
        key_func=key_func,
        methods=list(methods),
        scope=scope or f"{endpoint}:{setting}",
    )(view)
    app.view_functions[endpoint] = limited


def email_key() -> str:
    """Return a key for the posted e-mail address: a hash, never the address itself."""
    email = (request.form.get("email") or "").strip().casefold()
    salt = current_app.secret_key or ""
    digest = hashlib.sha256(f"{salt}\0{email}".encode()).hexdigest()
    return f"email:{digest[:32]}"
