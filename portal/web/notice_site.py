"""The built notice site under `/`: the demo's single origin (production serves it elsewhere).

When `SITE_DIR` names a built notice site, its files are served as they are; production serves
the site from any web server or CDN instead.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, redirect, send_from_directory, url_for
from flask.typing import ResponseReturnValue

from notice.paths import not_found_page
from portal.config import current_settings, settings_of

bp = Blueprint("site", __name__)


def init_app(app: Flask) -> None:
    """Serve the built notice site under `/` when `SITE_DIR` names an existing folder.

    Every portal page links to the privacy notices (its footer): a form that collects a name
    and an e-mail address says where the person reads how they are processed (Art 13).
    """
    app.context_processor(lambda: {"notice_url": notice_url})
    site = settings_of(app).site_path
    if site is not None and site.is_dir():
        app.register_blueprint(bp)


def notice_url(lang: str) -> str:
    """Return the address of the notice site's index in `lang` (site.yaml's base_url).

    An error page must render even when the content cannot be read: then there is no link.
    """
    from portal.core import content

    try:
        site = content.content().site
    except Exception:  # noqa: BLE001 - the page goes on without the link
        return ""
    langs = [str(code) for code in site.languages]
    return site.base_url.rstrip("/") + "/" + (lang if lang in langs else langs[0]) + "/"


@bp.get("/", defaults={"path": ""})
@bp.get("/<path:path>")
def page(path: str) -> ResponseReturnValue:
    """Serve a file of the built site; a folder serves its index.html."""
    root = current_settings().site_path
    if root is None:  # the blueprint is registered only with a site
        abort(404)
    if ".." in Path(path).parts:
        abort(404)
    if path and not path.endswith("/") and (root / path).is_dir():
        # Relative links in the folder's index.html resolve only from the folder's own URL.
        return redirect(url_for("site.page", path=path + "/"), code=308)
    if path == "" or path.endswith("/"):
        path += "index.html"
    missing = not (root / path).is_file() and not _portals(path)
    not_found = not_found_page(root, path) if missing else None
    if not_found is not None:
        # The notice site's own "page not found" (the language's under /<lang>/), as its web
        # server would answer in production.
        response = send_from_directory(root, not_found, max_age=0)
        response.status_code = 404
        return response
    return send_from_directory(root, path, max_age=300, mimetype=_media_type(path))


def _portals(path: str) -> bool:
    """Whether `path` is under the portal's prefix: its unknown pages get the portal's 404."""
    prefix = current_settings().url_prefix.strip("/")
    return bool(prefix) and (path == prefix or path.startswith(prefix + "/"))


MEDIA_TYPES = {".pem": "application/x-pem-file"}
"""Types Python guesses wrong for the site's files: `receipt-key.pem` is a bare public key, not
the certificate chain `mimetypes` takes every `.pem` for (as `notice.serve` serves it too)."""


def _media_type(path: str) -> str | None:
    return MEDIA_TYPES.get(Path(path).suffix.lower())
