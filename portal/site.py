"""What the portal knows about the notice: registers from `content/`, and the built site.

Registers come only through `notice.loader.load_content`, the same validated model the notice is
built from, so a form can offer exactly the registers the notice describes and nothing else. The
content is loaded once per app. When `SITE_DIR` names a built notice site, it is served under `/`
(the demo's single origin); production serves it from any web server or CDN instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, redirect, send_from_directory, url_for
from flask.typing import ResponseReturnValue

from notice.loader import Content, load_content

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = "portal_content"
CHOICES_EXTENSION = "portal_register_choices"
"""Per-app cache of each language's register choices, derived from the once-loaded content."""

bp = Blueprint("site", __name__)


@dataclass(frozen=True)
class RegisterChoice:
    """A register as a form offers it: id and name in one language."""

    id: str
    name: str


def resolve(path_value: str) -> Path:
    """Resolve a configured folder: absolute, relative to the working directory, or the repo."""
    path = Path(path_value)
    if path.is_absolute() or path.exists():
        return path.resolve()
    return (ROOT / path).resolve()


def content() -> Content:
    """Return the app's content (site and registers), loading it on first use."""
    app = current_app
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = load_content(resolve(app.config["CONTENT_DIR"]))
    return app.extensions[EXTENSION]


def text(value: dict[str, str] | None, lang: str) -> str:
    """Return a localized text in `lang`, or in the content's first language when it lacks one."""
    if not value:
        return ""
    if lang in value:
        return value[lang]
    first = [str(code) for code in content().site.languages]
    for code in [*first, *value]:
        if code in value:
            return value[code]
    return ""


def register_choices(lang: str) -> Sequence[RegisterChoice]:
    """Return every register of the content, named in `lang`, in the content's order.

    The content never changes while the app runs, so each language's list is built once and
    shared (as an immutable tuple): every form view and status page asks for it.
    """
    cache: dict[str, tuple[RegisterChoice, ...]] = current_app.extensions.setdefault(
        CHOICES_EXTENSION, {}
    )
    choices = cache.get(lang)
    if choices is None:
        choices = cache[lang] = tuple(
            RegisterChoice(r.id, text(r.name, lang)) for r in content().registers
        )
    return choices


def register_name(register_id: str, lang: str) -> str:
    """Return a register's name in `lang` (its id when the content no longer has it)."""
    for choice in register_choices(lang):
        if choice.id == register_id:
            return choice.name
    return register_id


def controller_name() -> str:
    """Return the controller's name as the content gives it."""
    return content().site.controller.name


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
