"""The theme of `site.yaml` on the portal's pages: display name, logo and colours.

The same model and stylesheet generator as the notice site (`notice.theme`), so the portal and
the notice cannot disagree. The generated stylesheet and the logo are served from the portal's
own origin under its prefix; an SVG logo was checked at load (no script, no external reference)
and is served with a policy that forbids it to run or fetch anything even when opened alone.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, url_for
from flask.typing import ResponseReturnValue

from notice import theme
from portal.core import content

bp = Blueprint("theme", __name__)

LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
"""The Content-Security-Policy of the logo itself: an image that runs nothing, loads nothing."""


def init_app(app: Flask) -> None:
    """Serve the theme's stylesheet and logo and give every template `page_theme(lang)`."""
    app.context_processor(lambda: {"page_theme": page_theme})
    app.register_blueprint(bp, url_prefix=app.config["URL_PREFIX"])


def page_theme(lang: str) -> dict[str, Any] | None:
    """Return what a page shows of the theme in `lang`, or None without a theme.

    An error page must render even when the content cannot be read: then it has no theme.
    """
    try:
        site = content.content().site
    except Exception:  # noqa: BLE001 - the page goes on in the default look
        return None
    if site.theme is None:
        return None
    logo = theme.logo_name(site.theme)
    has_css = site.theme.colors is not None
    return {
        "display_name": theme.display_name(site, lang),
        "logo": url_for("theme.logo", name=logo) if logo else None,
        "css": url_for("theme.stylesheet") if has_css else None,
    }


@bp.get("/theme/theme.css")
def stylesheet() -> ResponseReturnValue:
    """Serve the theme's colours as CSS custom properties of the portal's stylesheet."""
    css = theme.stylesheet(content.content().site.theme, theme.PORTAL_VARIABLES)
    if css is None:
        abort(404)
    response = Response(css, mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/theme/<name>")
def logo(name: str) -> ResponseReturnValue:
    """Serve the theme's logo from the content folder (`logo.svg` or `logo.png`)."""
    loaded = content.content()
    path = theme.logo_path(loaded.root, loaded.site.theme)
    if path is None or name != theme.logo_name(loaded.site.theme):
        abort(404)
    response = Response(path.read_bytes(), mimetype=theme.MEDIA_TYPES[path.suffix.lower()])
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.headers["Content-Security-Policy"] = LOGO_POLICY
    return response
