"""Letters to the person: receipt, information request, extension notice and decision.

A letter is rendered from `templates/letters/<kind>.html` in the request's language, to HTML and to
a tagged PDF/UA-1 with the notice's Noto Sans fonts, and kept as sent (`Letter`) with the SHA-256
of the PDF. The PDF is made the way `notice.pdf.render_pdf` makes the notice's (local files only,
the same font check), with one addition: the receipt PDF carries the JSON receipt as an embedded
file, so the one document a person keeps is also the one a verifier needs.

Letters use their own Jinja environment per language, not Flask-Babel's per-request locale: a
letter is in the *person's* language even when a staff member working in another language, a CLI
command or a worker issues it, and it renders the same without any request context. The fixed
strings are gettext messages (English msgids) in this area's catalogs,
`portal/letters_translations/<lang>/LC_MESSAGES/messages.po`, which Flask-Babel also merges for the
verify page; `python -m portal.catalogs update letters` re-extracts them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from notice import i18n as notice_i18n
from notice.fonts import CSS_FAMILY
from notice.loader import Content
from notice.pdf import assert_font_embedded
from portal import catalogs, seal
from portal.models import DataRequest, Letter, utcnow

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"
TRANSLATIONS_DIR = catalogs.LETTERS.directory
LANGUAGES: tuple[str, ...] = catalogs.LANGUAGES
KINDS: tuple[str, ...] = ("receipt", "info_request", "extension", "decision")
HELSINKI = ZoneInfo("Europe/Helsinki")

WEB_STYLESHEET = "/static/css/letters.css"
"""Stylesheet of the stored HTML, as the portal serves it (CSP-friendly: no inline style)."""

KEY_PATH = ".well-known/seloste/receipt-key.pem"
"""Where the public key is published under the notice site's base URL."""

INFO_REASONS: tuple[str, ...] = ("identity", "clarification")
"""Reasons for an information request that have a standard explanation in the letter."""


class LetterError(ValueError):
    """A letter cannot be rendered from what the request and the context hold."""


@dataclass(frozen=True)
class RenderedLetter:
    """A letter as HTML and as PDF, with the SHA-256 hex digest of the PDF (what is sent)."""

    html: str
    pdf: bytes
    sha256: str


@cache
def translations(lang: str) -> Translations:
    """Return this area's compiled gettext catalog of `lang` (compiling stale catalogs first)."""
    if lang not in LANGUAGES:
        raise LetterError(f"no letters in language {lang!r}")
    try:
        notice_i18n.compile_catalogs(TRANSLATIONS_DIR)
    except OSError:  # a read-only installation: compile this catalog in memory instead
        with notice_i18n.po_path(lang, TRANSLATIONS_DIR).open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(fp=buffer, domain=notice_i18n.DOMAIN)
    loaded = Translations.load(str(TRANSLATIONS_DIR), [lang], notice_i18n.DOMAIN)
    if not isinstance(loaded, Translations):
        raise FileNotFoundError(f"no compiled letters catalog for {lang!r}")
    return loaded


@cache
def environment(lang: str) -> Environment:
    """Return the Jinja environment of letters in `lang`: autoescape, gettext, date filters."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    # Extraction trims whitespace in {% trans %} blocks; rendering must look them up the same way.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = lambda value: format_date(value, "long", locale=notice_i18n.LOCALES[lang])
    env.filters["datetime"] = lambda value: _format_datetime(value, lang)
    env.filters["paragraphs"] = paragraphs
    env.filters["text"] = lambda value: localized(value, lang)
    return env


def _format_datetime(value: dt.datetime, lang: str) -> str:
    """Format a moment in Finnish time, the time the controller's office and the person share."""
    if value.tzinfo is None:  # SQLite returns naive UTC
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(HELSINKI)
    locale = notice_i18n.LOCALES[lang]
    text = translations(lang).gettext("%(date)s at %(time)s Finnish time")
    return text % {
        "date": format_date(local.date(), "long", locale=locale),
        "time": format_time(local, "short", locale=locale),
    }


def localized(value: Mapping[str, str] | str | None, lang: str) -> str:
    """Return a content text in `lang`, else in English, else in its first language."""
    if value is None or isinstance(value, str):
        return value or ""
    for candidate in (lang, "en"):
        if value.get(candidate):
            return value[candidate]
    return next(iter(value.values()), "")


def paragraphs(text: str | None) -> Markup:
    """Turn staff-written plain text into escaped paragraphs (blank line = new paragraph)."""
    if not text:
        return Markup("")
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in b.split("\n")))
        for b in blocks
        if b
    )


def app_content() -> Content:
    """Return the current app's content: the same validated model its forms and notice use."""
    from portal import site

    return site.content()


def _app_links(lang: str) -> dict[str, str]:
    """Return the current app's verify page URL in `lang` and its letter stylesheet path."""
    from flask import current_app

    prefix = current_app.config["URL_PREFIX"]
    base = str(current_app.config["PUBLIC_URL"]).rstrip("/") + prefix
    # Under the portal's own prefix: a proxy may route only the prefix to the portal.
    return {"verify_url": f"{base}/{lang}/verify", "stylesheet": f"{prefix}{WEB_STYLESHEET}"}


def letter_context(
    kind: str, request: DataRequest, language: str, context: Mapping[str, Any]
) -> dict[str, Any]:
    """Return everything a letter template sees: request, controller, register, links, dates."""
    if kind not in KINDS:
        raise LetterError(f"unknown letter kind {kind!r}; known: {', '.join(KINDS)}")
    values = dict(context)
    content: Content = values.pop("content", None) or app_content()
    if "verify_url" not in values:
        values.update(_app_links(language))
    site = content.site
    try:
        register_name = localized(content.register(request.register_id).name, language)
    except KeyError:
        register_name = request.register_id
    base = {
        "kind": kind,
        "lang": language,
        "request": request,
        "site": site,
        "controller": site.controller,
        "contact": site.contact or site.controller,
        "authority": site.supervisory_authority,
        "register_name": register_name,
        "issued_on": _helsinki_date(values.pop("now", None) or utcnow()),
        "due_on": request.extended_due_on or request.due_on,
        "key_url": site.base_url.rstrip("/") + "/" + KEY_PATH,
        "status_url": None,
        # Art 21(3): an objection to direct marketing takes effect on receipt, without a decision.
        "direct_marketing": request.right == "objection"
        and (request.details or {}).get("objection_direct_marketing") is True,
    }
    base.update(_kind_context(kind, request, values))
    base.setdefault("stylesheet", WEB_STYLESHEET)
    base.update(values)
    return base


def _helsinki_date(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(HELSINKI).date()


def _kind_context(kind: str, request: DataRequest, values: dict[str, Any]) -> dict[str, Any]:
    """Check what each kind needs and supply its defaults."""
    if kind == "receipt":
        if not (request.sealed_payload and request.seal_signature):
            raise LetterError("a receipt needs a sealed request")
        return {}
    if kind == "info_request":
        if not values.get("message") or not values.get("reason"):
            raise LetterError("an information request needs `message` and `reason`")
        return {"pause_clock": False, "reply_url": None}
    if kind == "extension":
        reasons = values.pop("reasons", None) or request.extension_reason
        if not request.extended_due_on or not reasons:
            raise LetterError("an extension notice needs `extended_due_on` and reasons")
        return {"reasons": reasons}
    if not request.decision:
        raise LetterError("a decision letter needs the request's decision")
    if request.decision != "granted" and not request.decision_reasons:
        raise LetterError("a refusal or partial decision needs reasons (Art 12(4))")
    return {"actions": None, "notifications": list(request.notifications)}


def render_html(kind: str, request: DataRequest, language: str, **context: Any) -> str:
    """Render the letter's HTML (as stored and shown on the web)."""
    values = letter_context(kind, request, language, context)
    return environment(language).get_template(f"letters/{kind}.html").render(values)


def render_letter(kind: str, request: DataRequest, language: str, **context: Any) -> RenderedLetter:
    """Render a letter in `language` to HTML and to a tagged PDF/UA-1."""
    values = letter_context(kind, request, language, context)
    template = environment(language).get_template(f"letters/{kind}.html")
    html = template.render(values)
    # The PDF is the same template; only the stylesheet link points at the local file.
    pdf_html = template.render(
        {**values, "stylesheet": (STATIC_DIR / "css" / "letters.css").as_uri()}
    )
    title = letter_title(kind, language, values["controller"].name)
    attachments = []
    if kind == "receipt":
        description = translations(language).gettext("Signed receipt (JSON)")
        receipt_file = (receipt_filename(request), seal.receipt_json(request), description)
        attachments.append(receipt_file)
    pdf = render_pdf(pdf_html, title=title, lang=language, attachments=attachments)
    return RenderedLetter(html=html, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest())


def receipt_filename(request: DataRequest) -> str:
    """Return the file name of a request's JSON receipt, e.g. `receipt-R7KQ2M9XW4HT.json`."""
    return f"receipt-{request.reference}.json"


def render_pdf(
    html: str, *, title: str, lang: str, attachments: Sequence[tuple[str, str, str]] = ()
) -> bytes:
    """Render letter HTML to PDF/UA-1 from local files only, embedding (name, text, description)."""
    from weasyprint import HTML, Attachment
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).render()
    document.metadata.title = title
    document.metadata.lang = lang
    files = [
        Attachment(string=text, name=name, description=description)
        for name, text, description in attachments
    ]
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, attachments=files)
    assert_font_embedded(pdf, CSS_FAMILY)
    return pdf


def letter_title(kind: str, language: str, controller_name: str) -> str:
    """Return the document title of a letter, as in its `<title>`."""
    module = environment(language).get_template("letters/_titles.html").module
    return f"{module.title(kind)} – {controller_name}"  # type: ignore[attr-defined]


def issue_letter(session: Session, request: DataRequest, kind: str, **context: Any) -> Letter:
    """Render a letter in the request's language and store it with the request (caller commits)."""
    rendered = render_letter(kind, request, request.language, **context)
    letter = Letter(
        kind=kind,
        language=request.language,
        html=rendered.html,
        pdf=rendered.pdf,
        sha256=rendered.sha256,
    )
    request.letters.append(letter)
    session.add(letter)
    session.flush()
    return letter


def letter_filename(letter: Letter, reference: str) -> str:
    """Return the file name of a letter's PDF, e.g. `receipt-R7KQ2M9XW4HT.pdf`."""
    return f"{letter.kind.replace('_', '-')}-{reference}.pdf"


def letter_attachment(letter: Letter, reference: str) -> tuple[str, str, bytes]:
    """Return a stored letter as a mail attachment (file name, MIME type, bytes)."""
    if letter.pdf is None:
        raise LetterError("the letter has no PDF")
    return (letter_filename(letter, reference), "application/pdf", letter.pdf)
