"""The portal's own icon: `/favicon.ico`, which browsers ask for on every page of the origin.

Portal pages link `static/favicon.svg` (`templates/portal/base.html`); a browser that wants an
icon the page does not name, and every browser on the notice site's pages, asks for
`/favicon.ico` at the root of the origin. That file (`static/favicon.ico`, drawn by
`scripts/favicon.py`) is answered here, public and cached for a day, instead of a 404 in the log
on every page. It is our own file: no request goes to another host.
"""

from __future__ import annotations

from flask import Flask, Response, send_from_directory

from portal.core.paths import STATIC_DIR

ICON_MAX_AGE = 86400
"""Seconds a browser or proxy keeps the icon (a day: a new icon shows by the next day)."""
ICON_TYPE = "image/vnd.microsoft.icon"


def init_app(app: Flask) -> None:
    """Answer `/favicon.ico` at the root of the origin, before the notice site's catch-all."""
    app.add_url_rule("/favicon.ico", endpoint="favicon", view_func=icon)


def icon() -> Response:
    """Serve `static/favicon.ico`, public and cached for ICON_MAX_AGE."""
    response = send_from_directory(
        STATIC_DIR, "favicon.ico", mimetype=ICON_TYPE, max_age=ICON_MAX_AGE
    )
    response.cache_control.public = True
    return response
