"""What the portal knows about the notice: registers and texts from `content/`.

Registers come only through `notice.loader.load_content`, the same validated model the notice is
built from, so a form can offer exactly the registers the notice describes and nothing else. The
content is loaded once per app. A localized text is read through `text`, the one fallback rule of
the portal's pages, e-mails and letters alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from notice.i18n import SOURCE_LANGUAGE
from notice.loader import Content, load_content
from notice.model import Controller
from portal.config import settings_of

EXTENSION = "portal_content"
CHOICES_EXTENSION = "portal_register_choices"
"""Per-app cache of each language's register choices, derived from the once-loaded content."""


@dataclass(frozen=True)
class RegisterChoice:
    """A register as a form offers it: id and name in one language."""

    id: str
    name: str


def content() -> Content:
    """Return the app's content (site and registers), loading it on first use."""
    app = current_app
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = load_content(settings_of(app).content_path)  # type: ignore[arg-type]
    return app.extensions[EXTENSION]


def organisation_hosts() -> list[str]:
    """Return the host names the organisation goes by: its notice site's and its controller's
    e-mail domain (`www.proleader.fi`, `proleader.fi`)."""
    site = content().site
    hosts = [urlsplit(str(site.base_url)).hostname or "", site.controller.email.rpartition("@")[2]]
    return [host for host in dict.fromkeys(hosts) if host]


def localized(value: Mapping[str, str] | str | None, lang: str, languages: Iterable[object]) -> str:
    """Return a text in `lang`, else in English, else in the first of the content's `languages`.

    The one fallback rule of the portal's pages, e-mails and letters. English comes second because
    it is what the portal's own fixed texts fall back to (their msgids): a page or letter whose
    frame falls back to English shows the content's texts in English too, not in a third language.
    """
    if value is None or isinstance(value, str):
        return value or ""
    for code in [lang, SOURCE_LANGUAGE, *(str(code) for code in languages), *value]:
        if value.get(code):
            return value[code]
    return ""


def text(value: Mapping[str, str] | str | None, lang: str) -> str:
    """Return a localized text of the app's content in `lang` (see `localized`)."""
    if not value:
        return ""
    return localized(value, lang, content().site.languages)


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


def contact_email() -> str | None:
    """Return the address people write to about their data: site.yaml's contact, else the
    controller's (None when neither gives one)."""
    site = content().site
    return next((p.email for p in (site.contact, site.controller) if p and p.email), None)


def register_controller(source: Content, register_id: str | None) -> Controller:
    """Return the controller of a register: its own (format 2.1 `controller`), else the site's.

    A housing company is the controller of its own camera surveillance even when its property
    manager publishes the notices: letters and e-mails about that register speak in its name.
    """
    if register_id is not None:
        try:
            own = source.register(register_id).controller
        except KeyError:
            own = None
        if own is not None:
            return own
    return source.site.controller


def controller_display_name(controller: Controller, lang: str, languages: Iterable[object]) -> str:
    """Return a controller's name in `lang`: its `localized_name` there, else its `name`."""
    return localized(controller.localized_name, lang, languages) or controller.name


def controller_name(register_id: str | None = None, lang: str | None = None) -> str:
    """Return the name of the controller of a register (the site's without one), in `lang`."""
    source = content()
    controller = register_controller(source, register_id)
    if lang is None:
        return controller.name
    return controller_display_name(controller, lang, source.site.languages)
