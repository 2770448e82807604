"""Rate limits on public forms (ASVS 2.4.1): per client address and per e-mail address.

One Flask-Limiter per app, so that tests and several apps in one process never share counters;
storage comes from `RATELIMIT_STORAGE_URI` (memory for one process, `redis://…` when several
instances serve the same site). Limits are attached to endpoints after their blueprint is
registered, so blueprints stay free of the limiter object. When the store is down, limits are
counted in memory per process until it answers again: a request is never refused for it. E-mail
addresses are hashed before they become keys: the limiter's store never holds personal data.

`memory://` counts per process: under gunicorn with N workers every limit is N times looser, so
the start says so (a warning naming the worker count) unless the store is shared.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse

from portal.config import current_settings, settings_of

EXTENSION = "portal_limiter"
log = logging.getLogger(__name__)


def gunicorn_workers(argv: Sequence[str], environ: dict[str, str]) -> int:
    """Return how many gunicorn workers serve this app (1 when not under gunicorn).

    Workers are forks of the gunicorn master, so its command line is theirs; gunicorn reads
    `GUNICORN_CMD_ARGS` and, as the default worker count, `WEB_CONCURRENCY`.
    """
    if not argv or "gunicorn" not in os.path.basename(argv[0]):
        return 1
    workers = environ.get("WEB_CONCURRENCY", "1")
    words = [*shlex.split(environ.get("GUNICORN_CMD_ARGS", "")), *argv[1:]]
    for index, word in enumerate(words):
        if word in {"-w", "--workers"} and index + 1 < len(words):
            workers = words[index + 1]
        elif word.startswith("--workers="):
            workers = word.partition("=")[2]
        elif word.startswith("-w") and word[2:].isdigit():
            workers = word[2:]
    return int(workers) if workers.isdigit() else 1


def warn_if_not_shared(uri: str, workers: int) -> None:
    """Warn that per-process counting loosens every limit when several workers serve."""
    if uri.startswith("memory://") and workers > 1:
        log.warning(
            "rate limits are counted per process (RATELIMIT_STORAGE_URI=memory://) by %d "
            "gunicorn workers: each limit is %d times looser. Share one store: "
            "PORTAL_RATELIMIT_STORAGE_URI=redis://HOST:6379/0",
            workers,
            workers,
        )


STORAGE_TIMEOUT_SECONDS = 2
"""How long a request may wait for a shared limiter store (Redis) before counting in memory."""


def init_app(app: Flask) -> Limiter:
    """Create this app's limiter from its settings."""
    uri = settings_of(app).ratelimit_storage_uri
    options = {}
    if uri.startswith(("redis://", "rediss://", "redis+unix://")):
        options = {
            "socket_connect_timeout": STORAGE_TIMEOUT_SECONDS,
            "socket_timeout": STORAGE_TIMEOUT_SECONDS,
        }
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=uri,
        storage_options=options,
        strategy="moving-window",
        headers_enabled=False,
        # A limiter store that is down must not turn away people: limits are then counted in
        # this process's memory (Flask-Limiter logs the switch as a warning and the recovery),
        # and any other store error is logged and the request goes on.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        # Several deployments (or test sessions) may share one Redis: RATELIMIT_KEY_PREFIX
        # keeps their counters apart.
        key_prefix=app.config.get("RATELIMIT_KEY_PREFIX") or "seloste",
    )
    app.extensions[EXTENSION] = limiter
    warn_if_not_shared(uri, gunicorn_workers(sys.argv, dict(os.environ)))
    return limiter


def limit_endpoint(
    app: Flask,
    endpoint: str,
    setting: str,
    *,
    key_func: Callable[[], str] | None = None,
    methods: Sequence[str] = ("POST",),
    scope: str | None = None,
    deduct_when: Callable[[Response], bool] | None = None,
) -> None:
    """Limit `endpoint` to the rate named by the setting `setting` (e.g. "10 per hour").

    With `deduct_when`, only responses it accepts count (every request is still checked).
    """
    limiter: Limiter = app.extensions[EXTENSION]
    view = app.view_functions[endpoint]
    limited = limiter.limit(
        lambda: str(current_settings()[setting]),
        key_func=key_func,
        methods=list(methods),
        scope=scope or f"{endpoint}:{setting}",
        deduct_when=deduct_when,
    )(view)
    app.view_functions[endpoint] = limited


def take_attempt(setting: str, scope: str) -> Callable[[], None] | None:
    """Count one attempt from this client address against `setting`'s limit, before it is made.

    The count and the check are one atomic increment in the limiter's store, so parallel attempts
    cannot all pass a check made before any of them is counted. Returns a function that gives the
    attempt back (for one that succeeded: only failures use up the limit), or None when the limit
    is used up. A store that cannot be reached refuses nobody, and with the limits switched off
    (`RATELIMIT_ENABLED = False`, when Flask-Limiter makes no store at all) nothing is counted.
    """
    limiter: Limiter = current_app.extensions[EXTENSION]
    if not limiter.enabled:
        return lambda: None
    item = parse(str(current_settings()[setting]))
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "seloste"
    key = item.key_for(prefix, scope, get_remote_address())
    storage = limiter.storage
    try:
        count = storage.incr(key, item.get_expiry(), 1)
    except Exception:  # noqa: BLE001 - any store error: count nothing, refuse nobody
        log.warning("rate limit store unreachable: %s not counted", scope)
        return lambda: None
    if count > item.amount:
        _give_back(storage, key, item.get_expiry())
        return None
    return lambda: _give_back(storage, key, item.get_expiry())


def _give_back(storage: Any, key: str, expiry: int) -> None:
    try:
        storage.incr(key, expiry, -1)
    except Exception:  # noqa: BLE001 - the store went away: the count expires by itself
        log.warning("rate limit store unreachable: an attempt was not given back")


def accepted(response: Response) -> bool:
    """True for a form post that was taken (the redirect after it), not one sent back to fix."""
    return response.status_code in {302, 303}


def email_key() -> str:
    """Return a key for the posted e-mail address: a hash, never the address itself."""
    email = (request.form.get("email") or "").strip().casefold()
    salt = current_app.secret_key or ""
    digest = hashlib.sha256(f"{salt}\0{email}".encode()).hexdigest()
    return f"email:{digest[:32]}"
