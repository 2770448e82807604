"""Links the portal sends out: absolute addresses on `PUBLIC_URL`, with or without a request.

E-mails and letters are made in a request (the intake), in a staff action, or in a CLI command
with no request at all; every one of them builds its links here, from the app's URL map and its
configured public address, never from the address a request happened to arrive on.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from portal.config import DEFAULT_PUBLIC_URL, current_settings, settings_of


def public_url(endpoint: str, **values: Any) -> str:
    """Return the absolute public address of `endpoint` (e.g. `intake.status`) with `values`."""
    app = current_app
    adapter = app.url_map.bind("portal.invalid", url_scheme="https")
    path = adapter.build(endpoint, values)
    return (settings_of(app).public_url or DEFAULT_PUBLIC_URL).rstrip("/") + path


def has_endpoint(endpoint: str) -> bool:
    """Return whether the app serves `endpoint` (a bare app may mount no intake)."""
    return endpoint in current_app.view_functions


def prefixed(path: str) -> str:
    """Return `path` (starting with `/`) under the portal's URL prefix, as the portal serves it."""
    return current_settings().url_prefix + path
