"""The built notice site under `/`: the demo's single origin (production serves it elsewhere).

When `SITE_DIR` names a built notice site, its files are served as they are; production serves
the site from any web server or CDN instead.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, redirect, send_from_directory, url_for
from flask.typing import ResponseReturnValue

from portal.core.content import resolve

bp = Blueprint("site", __name__)


def init_app(app: Flask) -> None:
    """Serve the built notice site under `/` when `SITE_DIR` names an existing folder."""
    configured = app.config.get("SITE_DIR")
    if configured and resolve(configured).is_dir():
        app.config["SITE_ROOT"] = str(resolve(configured))
        app.register_blueprint(bp)


@bp.get("/", defaults={"path": ""})
@bp.get("/<path:path>")
def page(path: str) -> ResponseReturnValue:
    """Serve a file of the built site; a folder serves its index.html."""
    root = Path(current_app.config["SITE_ROOT"])
    if ".." in Path(path).parts:
        abort(404)
    if path and not path.endswith("/") and (root / path).is_dir():
        # Relative links in the folder's index.html resolve only from the folder's own URL.
        return redirect(url_for("site.page", path=path + "/"), code=308)
    if path == "" or path.endswith("/"):
        path += "index.html"
    return send_from_directory(root, path, max_age=300)
