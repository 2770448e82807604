"""Where the repository's shared folders are: defined once for the notice and the portal."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""Repository root: templates/ and static/ are shared by the notice generator and the portal."""

TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"
FONTS_DIR = STATIC_DIR / "fonts"

RESERVED_SLUGS = frozenset({"cookies", "cookie-settings", "static", "registers"})
"""Slugs that would collide with other pages of the site (`notice.render`'s address scheme)."""

NOT_FOUND_PATH = "404.html"
"""The page a web server answers an unknown address with (static hosts look for this name);
each language has its own too, at `<lang>/404.html`."""


def not_found_page(site_dir: Path, url_path: str) -> str | None:
    """Return the built site's not-found page for the unknown `url_path` (from the site's root).

    Under `/<lang>/` it is that language's `<lang>/404.html`, elsewhere the root `404.html` (in
    the default language); None when the site has neither. Shared by `notice serve` and the
    demo's site blueprint, and what docs/deploy/nginx-seloste.conf does with `error_page`.
    """
    first = url_path.lstrip("/").split("/", 1)[0]
    if len(first) == 2 and first.isascii() and first.isalpha():
        own = f"{first}/{NOT_FOUND_PATH}"
        if (site_dir / own).is_file():
            return own
    return NOT_FOUND_PATH if (site_dir / NOT_FOUND_PATH).is_file() else None
