"""The theme of `site.yaml`: display name, logo and colours for the notice site, portal and letters.

The colours become CSS custom properties in one small generated stylesheet (`theme/theme.css`),
loaded after the site's own: the pages keep their `style-src 'self'` policy, and without a theme
nothing is generated, so the default look is exactly the stylesheets'. The logo is copied into
the built site and served by the portal from the content folder, never from another host. An SVG
logo is refused when it could run code or fetch anything (scripts, event handlers, external
references), since it is served from the site's own origin.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from notice.model import Register, Site, Theme, ThemeColors

MAX_LOGO_BYTES = 512 * 1024
"""A logo larger than this is refused: it is sent with every page."""

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
CSS_PATH = "theme/theme.css"
"""Where the generated stylesheet lies in the built site."""

NOTICE_VARIABLES = {
    "--background": "background",
    "--text": "text",
    "--muted": "muted",
    "--link": "accent",
    "--link-visited": "accent",
    "--accent": "accent",
    "--on-accent": "on_accent",
    "--surface": "surface",
    "--border": "border",
    "--focus": "focus",
    "--error": "error",
}
"""The notice stylesheet's custom properties and the theme colour each takes."""

BANNER_VARIABLES = {
    "--cc-bg": "background",
    "--cc-primary-color": "text",
    "--cc-secondary-color": "muted",
    "--cc-link-color": "accent",
    "--cc-btn-primary-bg": "accent",
    "--cc-btn-primary-color": "on_accent",
    "--cc-btn-primary-border-color": "accent",
    "--cc-btn-primary-hover-bg": "accent",
    "--cc-btn-primary-hover-color": "on_accent",
    "--cc-btn-primary-hover-border-color": "text",
    "--cc-btn-secondary-bg": "surface",
    "--cc-btn-secondary-color": "text",
    "--cc-btn-secondary-border-color": "border",
    "--cc-btn-secondary-hover-bg": "surface",
    "--cc-btn-secondary-hover-color": "text",
    "--cc-btn-secondary-hover-border-color": "text",
    "--cc-toggle-on-bg": "accent",
}
"""The cookie banner's (vanilla-cookieconsent) custom properties on the notice's cookie settings
page: only pairs the theme checks (text, muted and links on background, text on surface, the
button label on the accent)."""

PORTAL_VARIABLES = {
    "--paper": "background",
    "--ink": "text",
    "--muted": "muted",
    "--accent": "accent",
    "--accent-hover": "accent",
    "--on-accent": "on_accent",
    "--soft": "surface",
    "--line": "border",
    "--focus": "focus",
    "--error": "error",
}
"""The portal stylesheet's custom properties (pages and letters) and the theme colour of each."""

_FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "audio", "video", "image", "use"}
)
_URL_REFERENCE = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def display_name(site: Site, lang: str) -> str:
    """Return the name shown in headers, letters and e-mails in `lang`."""
    text = site.theme.display_name if site.theme else None
    if text:
        return text.get(lang) or next(iter(text.values()))
    return site.controller.name


def register_owner_name(site: Site, register: Register, lang: str) -> str:
    """Return whose notice a register's page and PDF are, in `lang`.

    A register with a controller of its own is that controller's notice: its title and PDF
    letterhead name it; the site frame (header link, footer) still names the publisher.
    """
    controller = register.controller
    if controller is None:
        return display_name(site, lang)
    if controller.localized_name:
        return controller.localized_name.get(lang) or next(iter(controller.localized_name.values()))
    return controller.name


def logo_name(theme: Theme | None) -> str | None:
    """Return the file name the logo is published under (`logo.svg` or `logo.png`), or None."""
    if theme is None or theme.logo is None:
        return None
    return "logo" + PurePosixPath(theme.logo).suffix.lower()


def logo_path(root: Path, theme: Theme | None) -> Path | None:
    """Return the logo's file in the content folder `root`, or None without a logo."""
    if theme is None or theme.logo is None:
        return None
    return root / theme.logo


def logo_problem(root: Path, logo: str) -> str | None:
    """Return why the logo file `logo` (relative to `root`) cannot be published, or None."""
    path = root / logo
    if not path.is_file():
        return f"{logo!r} is not a file in the content folder {root}"
    data = path.read_bytes()
    if len(data) > MAX_LOGO_BYTES:
        return f"{logo!r} is {-(-len(data) // 1024)} KiB; a logo may be at most 512 KiB"
    if path.suffix.lower() == ".png":
        if not data.startswith(PNG_SIGNATURE):
            return f"{logo!r} is not a PNG image (its first bytes are not a PNG signature)"
        return None
    return svg_problem(logo, data)


def svg_problem(name: str, data: bytes) -> str | None:
    """Return why an SVG cannot be published as a logo (unsafe or not SVG), or None."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return f"{name!r} declares a DOCTYPE or entities; save the SVG without them"
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return f"{name!r} is not a well-formed SVG file ({exc})"
    if _local(root.tag) != "svg":
        return f"{name!r} is not an SVG image (its root element is <{_local(root.tag)}>)"
    for element in root.iter():
        tag = _local(element.tag)
        if tag in _FORBIDDEN_ELEMENTS:
            return f"{name!r} contains <{tag}>; a logo may not run code or embed other files"
        if tag == "style" and (
            "@import" in (element.text or "") or _URL_REFERENCE.search(element.text or "")
        ):
            return f"{name!r} has a style that loads another file; a logo must be self-contained"
        for attribute, value in element.attrib.items():
            key = _local(attribute)
            if key.startswith("on"):
                return f"{name!r} has an event handler ({key}); a logo may not run code"
            if key in {"href", "src"} and not value.startswith("#"):
                return f"{name!r} refers to {value!r}; a logo must be self-contained"
            if _URL_REFERENCE.search(value):
                return f"{name!r} refers to another file in {key!r}; a logo must be self-contained"
    return None


def _local(tag: str) -> str:
    """Return an XML name without its namespace, lowercase."""
    return tag.rsplit("}", 1)[-1].lower()


def logo_data_uri(root: Path, theme: Theme | None) -> str | None:
    """Return the logo as a `data:` address (PDFs embed it; its bytes then key the PDF)."""
    path = logo_path(root, theme)
    if path is None:
        return None
    media = MEDIA_TYPES[path.suffix.lower()]
    return f"data:{media};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def variables(colors: ThemeColors, names: Mapping[str, str], selector: str = ":root") -> str:
    """Return `selector { ... }` setting each custom property of `names` from `colors`."""
    lines = [f"  {prop}: {getattr(colors, field)};" for prop, field in names.items()]
    return selector + " {\n" + "\n".join(lines) + "\n}\n"


def stylesheet(theme: Theme | None, names: Mapping[str, str]) -> str | None:
    """Return the theme's stylesheet for `names`' custom properties, or None without colours."""
    if theme is None or theme.colors is None:
        return None
    header = "/* Generated from site.yaml `theme.colors` (checked for WCAG 2.2 AA contrast). */\n"
    css = header + variables(theme.colors, names)
    if names is NOTICE_VARIABLES:
        # `html #cc-main` outranks the library's own `#cc-main`, which is linked after this file.
        css += variables(theme.colors, BANNER_VARIABLES, "html #cc-main")
    return css


def site_files(root: Path, site: Site) -> dict[str, bytes]:
    """Return the theme's files of the built notice site (path → bytes): stylesheet and logo."""
    files: dict[str, bytes] = {}
    css = stylesheet(site.theme, NOTICE_VARIABLES)
    if css is not None:
        files[CSS_PATH] = css.encode()
    path, name = logo_path(root, site.theme), logo_name(site.theme)
    if path is not None and name is not None:
        files[f"theme/{name}"] = path.read_bytes()
    return files
