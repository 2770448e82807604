"""Letters to the person: receipt, information request, extension notice, the new time limit
after a pause (a request by post: `pause_ended`), decision and Art 19 notice.

A letter is rendered from `templates/letters/<kind>.html` in the request's language, to HTML and to
a tagged PDF/UA-1 through the notice's PDF pipeline (`notice.pdf.render_pdf`: local files only, the
notice's fonts and font check), and kept as sent (`Letter`) with the SHA-256 of the PDF. The
receipt PDF carries the JSON receipt as an embedded file, so the one document a person keeps is
also the one a verifier needs; its text is for the person (what was received, when, the due date,
how to follow and check it, and the receipt's short fingerprint), never the signed JSON itself.

Letters use their own Jinja environment per language, not Flask-Babel's per-request locale: a
letter is in the *person's* language even when a staff member working in another language, a CLI
command or a worker issues it, and it renders the same without any request context. The fixed
strings are gettext messages (English msgids) of the portal's one catalog (`portal.catalogs`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html import unescape
from typing import Any

from babel.dates import format_date, format_time
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from notice import theme
from notice.i18n import locale_of
from notice.loader import Content
from notice.pdf import pdf_style, render_pdf
from portal import catalogs
from portal.core import content as portal_content
from portal.core import duedates, files, labels, links, seal
from portal.core.models import DataRequest, Letter, utcnow
from portal.core.paths import PUBLIC_KEY_PATH, STATIC_DIR, TEMPLATES_DIR

LANGUAGES: tuple[str, ...] = catalogs.LANGUAGES
KINDS: tuple[str, ...] = (
    "receipt",
    "info_request",
    "pause_ended",
    "extension",
    "decision",
    "art19",
)
ART19_RIGHTS = frozenset({"rectification", "erasure", "restriction"})

LETTERS_CSS = STATIC_DIR / "css" / "letters.css"
"""The letters' stylesheet on disk, as the PDF uses it."""
WEB_STYLESHEET = "/static/css/letters.css"
"""Stylesheet of the stored HTML, as the portal serves it (CSP-friendly: no inline style)."""


class LetterError(ValueError):
    """A letter cannot be rendered from what the request and the context hold."""


@dataclass(frozen=True)
class RenderedLetter:
    """A letter as HTML and as PDF, with the SHA-256 hex digest of the PDF (what is sent)."""

    html: str
    pdf: bytes
    sha256: str


def translations(lang: str) -> Any:
    """Return the portal's compiled gettext catalog of `lang` (a letter in an unknown one fails)."""
    if lang not in LANGUAGES:
        raise LetterError(f"no letters in language {lang!r}")
    return catalogs.translations(lang)


@cache
def environment(lang: str, languages: tuple[str, ...] = ()) -> Environment:
    """Return the Jinja environment of letters in `lang`: autoescape, gettext, date filters.

    `languages` are the content's, in its order: a content text missing in `lang` is shown in
    the first of them that has it (`content.localized`, the portal's one fallback rule).
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    # Extraction trims whitespace in {% trans %} blocks; rendering must look them up the same way.
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    # Each date in two forms (`RUNNING_TEXT_ARTICLE`): a term's value ("We answer by: …") and a
    # date inside a sentence ("… we answer it by … at the latest"); only Swedish tells them apart.
    env.filters["date"] = lambda value: format_long_date(value, lang)
    env.filters["date_in_text"] = lambda value: format_long_date(value, lang, in_text=True)
    env.filters["datetime"] = lambda value: format_moment(value, lang)
    env.filters["datetime_in_text"] = lambda value: format_moment(value, lang, in_text=True)
    env.filters["received"] = lambda request: received_text(request, lang)
    env.filters["received_in_text"] = lambda request: received_text(request, lang, in_text=True)
    env.filters["paragraphs"] = paragraphs
    env.filters["address_lines"] = address_lines
    env.filters["filesize"] = lambda size: files.format_size(size, lang)
    env.filters["text"] = lambda value: portal_content.localized(value, lang, languages)
    env.filters["provider"] = lambda name: labels.provider_name(name, translations(lang).gettext)
    return env


RUNNING_TEXT_ARTICLE: dict[str, str] = {"sv": "den "}
"""What a language writes before a date inside a sentence: Swedish "Vi svarar senast den 7
januari 2027", "Vi tog emot din begäran den 7 december 2026 kl. 14.05". A date that is a term's
value in a list ("Vi svarar senast: 7 januari 2027", "Mottagen: 7 december 2026 kl. 14.05") and
the letter's date take none, as Swedish forms and letters write them. Finnish and English write a
date the same way in both places ("on" is in the English sentence)."""


def format_long_date(value: dt.date, lang: str, *, in_text: bool = False) -> str:
    """Format a date in the long form of `lang`: as a term's value ("7 januari 2027") or, with
    `in_text`, as it stands inside a sentence (sv "den 7 januari 2027")."""
    text = format_date(value, "long", locale=locale_of(lang))
    return (RUNNING_TEXT_ARTICLE.get(lang, "") + text) if in_text else text


def format_moment(value: dt.datetime, lang: str, *, in_text: bool = False) -> str:
    """Format a moment in Finnish time, the time the controller's office and the person share:
    "4. joulukuuta 2026 klo 14.05 Suomen aikaa", the same on the person's pages and letters;
    with `in_text`, as it stands inside a sentence (sv "den 4 december 2026 kl. 14.05 …")."""
    local = duedates.local_received(value)
    text = translations(lang).gettext("%(date)s at %(time)s Finnish time")
    return text % {
        "date": format_long_date(local.date(), lang, in_text=in_text),
        "time": format_time(local, "short", locale=locale_of(lang)),
    }


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction only"
    """Mark a message for the catalog; it is translated in the letter's language."""
    return message


CHANNEL_PHRASES: dict[str, str] = {
    "post": N_("%(date)s by post"),
    "phone": N_("%(date)s by telephone"),
    "email": N_("%(date)s by e-mail"),
    "in_person": N_("%(date)s in person"),
}
"""How a request entered by staff was received, after "received on" (see `received_text`)."""


def received_text(request: DataRequest, lang: str, *, in_text: bool = False) -> str:
    """Return when (and how) a request was received in `lang`: as the value of "Received:" or,
    with `in_text`, to follow "received on" in a sentence (sv "den …", `format_long_date`).

    A web request was received at a moment ("4 December 2026 at 14.05 Finnish time"); a request
    staff entered was received on a day, by a channel ("3 December 2026 by post"): its time of
    day is not known and is not invented.
    """
    phrase = CHANNEL_PHRASES.get(request.channel or "web")
    day = (request.details or {}).get("received_on")
    if phrase is None or not isinstance(day, str):
        if request.received_at is None:
            return ""
        return format_moment(request.received_at, lang, in_text=in_text)
    date = format_long_date(dt.date.fromisoformat(day), lang, in_text=in_text)
    return translations(lang).gettext(phrase) % {"date": date}


def address_lines(name: str, postal_address: str) -> list[str]:
    """Return the lines of a postal address to print under the person's name in a letter's
    address window: without blank lines, and without a first line that repeats the name (staff
    type an address block as it is written on an envelope, name first)."""
    lines = [line.strip() for line in postal_address.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if lines and " ".join(lines[0].split()).casefold() == " ".join(name.split()).casefold():
        lines = lines[1:]
    return lines


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


def letter_context(
    kind: str, request: DataRequest, language: str, context: Mapping[str, Any]
) -> dict[str, Any]:
    """Return everything a letter template sees: request, controller, register, links, dates."""
    if kind not in KINDS:
        raise LetterError(f"unknown letter kind {kind!r}; known: {', '.join(KINDS)}")
    values = dict(context)
    content: Content = values.pop("content", None) or portal_content.content()
    if "verify_url" not in values:
        # Under the portal's own prefix: a proxy may route only the prefix to the portal.
        values["verify_url"] = links.public_url("verify.verify", lang=language)
        values["stylesheet"] = links.prefixed(WEB_STYLESHEET)
    site = content.site
    contact = site.contact or site.controller
    try:
        register = content.register(request.register_id)
    except KeyError:
        register_name = request.register_id
    else:
        register_name = portal_content.localized(register.name, language, site.languages)
        if register.controller is not None:
            contact = register.contact or register.controller
    controller = portal_content.register_controller(content, request.register_id)
    base = {
        "kind": kind,
        "lang": language,
        "request": request,
        "site": site,
        "controller": controller,
        "controller_name": portal_content.controller_display_name(
            controller, language, site.languages
        ),
        "contact": contact,
        "authority": site.supervisory_authority,
        "register_name": register_name,
        "issued_on": duedates.helsinki_today(values.pop("now", None) or utcnow()),
        "due_on": request.effective_due,
        "key_url": site.base_url.rstrip("/") + "/" + PUBLIC_KEY_PATH,
        "receipt_file": receipt_filename(request, language),
        # Art 21(3): an objection to direct marketing takes effect on receipt, without a decision.
        "direct_marketing": request.is_direct_marketing_objection,
        "theme": letter_theme(content, language),
    }
    base.update(_kind_context(kind, request, values))
    base.setdefault("stylesheet", WEB_STYLESHEET)
    base.update(values)
    return base


def letter_theme(content: Content, language: str) -> dict[str, str | None] | None:
    """Return the theme's display name and logo (a `data:` address) for a letterhead, or None.

    The logo is embedded: a stored letter is shown and made a PDF later, without the content.
    """
    site = content.site
    if site.theme is None:
        return None
    return {
        "display_name": theme.display_name(site, language),
        "logo": theme.logo_data_uri(content.root, site.theme),
    }


def _kind_context(kind: str, request: DataRequest, values: dict[str, Any]) -> dict[str, Any]:
    """Check what each kind needs and supply its defaults."""
    if kind == "receipt":
        if not (request.sealed_payload and request.seal_signature and request.seal_digest):
            raise LetterError("a receipt needs a sealed request")
        # The letter says what was received in words; the signed JSON travels as the PDF's
        # attached file (`letter_pdf`), and the fingerprint ties this text to that file.
        return {"fingerprint": seal.fingerprint(request.seal_digest)}
    if kind == "info_request":
        if not values.get("message") or not values.get("reason"):
            raise LetterError("an information request needs `message` and `reason`")
        return {"pause_clock": False}
    if kind == "pause_ended":
        if not isinstance(values.get("new_due_on"), dt.date):
            raise LetterError("the letter ending a pause needs `new_due_on`")
        return {"paused_days": 0}
    if kind == "extension":
        reasons = values.pop("reasons", None) or request.extension_reason
        if not request.extended_due_on or not reasons:
            raise LetterError("an extension notice needs `extended_due_on` and reasons")
        return {"reasons": reasons}
    if kind == "art19":
        if request.right not in ART19_RIGHTS or request.decision in (None, "refused"):
            raise LetterError("an Art 19 notice needs a rectification, erasure or restriction")
        if "outcomes" not in values:
            raise LetterError("an Art 19 notice needs `outcomes` (recipient, outcome, reason)")
        return {}
    if not request.decision:
        raise LetterError("a decision letter needs the request's decision")
    if request.decision != "granted" and not request.decision_reasons:
        raise LetterError("a refusal or partial decision needs reasons (Art 12(4))")
    return {
        "actions": request.decision_actions,
        "files": [],
        "download_days": 0,
        "art15": [],
        "objections": [],
    }


def _template(kind: str, language: str, values: Mapping[str, Any]) -> Any:
    languages = tuple(str(code) for code in values["site"].languages)
    return environment(language, languages).get_template(f"letters/{kind}.html")


def render_html(kind: str, request: DataRequest, language: str, **context: Any) -> str:
    """Render the letter's HTML (as stored and shown on the web)."""
    values = letter_context(kind, request, language, context)
    return _template(kind, language, values).render(values)


def render_letter(kind: str, request: DataRequest, language: str, **context: Any) -> RenderedLetter:
    """Render a letter in `language` to HTML and to a tagged PDF/UA-1."""
    html = render_html(kind, request, language, **context)
    pdf = letter_pdf(kind, html, language, request)
    return RenderedLetter(html=html, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest())


_STYLESHEET = re.compile(r'<link rel="stylesheet" href="[^"]*">')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def letter_pdf(kind: str, html: str, language: str, request: DataRequest) -> bytes:
    """Make the PDF of a letter from its stored HTML: the same page, with the local stylesheet.

    The PDF is made from what was stored, so it can be made after the action that issued the
    letter has committed (and again, if that failed) without the action's context.
    """
    # The link is replaced by the same stylesheet, parsed once per process with its fonts loaded.
    pdf_html, found = _STYLESHEET.subn("", html, count=1)
    title = _TITLE.search(html)
    if not found or title is None:
        raise LetterError("the stored letter has no stylesheet link or no title")
    attachments = []
    if kind == "receipt":
        description = translations(language).gettext("Signed receipt (JSON)")
        attachments.append(
            (receipt_filename(request, language), seal.receipt_json(request), description)
        )
    return render_pdf(
        pdf_html,
        STATIC_DIR.as_uri() + "/",
        title=unescape(title.group(1)),
        lang=language,
        attachments=attachments,
        style=pdf_style(LETTERS_CSS),
    )


FILE_STEMS: dict[str, dict[str, str]] = {
    "receipt": {"fi": "kuitti", "sv": "kvitto"},
    "info_request": {"fi": "lisatietopyynto", "sv": "begaran-om-uppgifter"},
    "pause_ended": {"fi": "uusi-maaraaika", "sv": "ny-tidsfrist"},
    "extension": {"fi": "maaraajan-jatkaminen", "sv": "forlangd-tidsfrist"},
    "decision": {"fi": "paatos", "sv": "beslut"},
    "art19": {"fi": "ilmoitus-vastaanottajille", "sv": "meddelande-till-mottagare"},
}
"""How a letter's files are named in Finnish and Swedish: ASCII (ä as a, ö as o, as Finnish and
Swedish addresses write them), so every mail program and file system keeps the name as it is. In
English, and in any other language, a file is named by its kind (`info-request`, `art19`)."""


def file_stem(kind: str, language: str) -> str:
    """Return the start of a letter file's name in `language`, e.g. `kuitti` for a receipt in fi."""
    return FILE_STEMS.get(kind, {}).get(language) or kind.replace("_", "-")


def receipt_filename(request: DataRequest, language: str | None = None) -> str:
    """Return the file name of a request's JSON receipt in `language` (default: the request's).

    E.g. `kuitti-R7KQ2M9XW4HT.json` in fi, `kvitto-…` in sv, `receipt-…` in en.
    """
    return f"{file_stem('receipt', language or request.language)}-{request.reference}.json"


def letter_title(kind: str, language: str, controller_name: str) -> str:
    """Return the document title of a letter, as in its `<title>`."""
    module = environment(language).get_template("letters/_titles.html").module
    return f"{module.title(kind)} – {controller_name}"  # type: ignore[attr-defined]


def issue_letter(session: Session, request: DataRequest, kind: str, **context: Any) -> Letter:
    """Store a letter's HTML in the request's language (caller commits; the PDF comes after)."""
    html = render_html(kind, request, request.language, **context)
    letter = Letter(kind=kind, language=request.language, html=html, pdf=None, sha256=None)
    request.letters.append(letter)
    session.add(letter)
    session.flush()
    return letter


def letter_body(html: str) -> Markup:
    """Return the inside of a stored letter's <body> (the letter as staff preview it on a page).

    The HTML is our own template's, autoescaped, so what is between the tags is safe markup.
    """
    start = html.find(">", html.find("<body")) + 1
    end = html.rfind("</body>")
    return Markup(html[start:end] if 0 < start <= end else "")


def letter_filename(letter: Letter, reference: str) -> str:
    """Return the file name of a letter's PDF in the letter's language, e.g. `kvitto-R7KQ….pdf`.

    The name is the same wherever the PDF goes: the e-mail, the person's and staff's pages.
    """
    return f"{file_stem(letter.kind, letter.language)}-{reference}.pdf"


def letter_attachment(letter: Letter, reference: str) -> tuple[str, str, bytes]:
    """Return a stored letter as a mail attachment (file name, MIME type, bytes)."""
    if letter.pdf is None:
        raise LetterError("the letter has no PDF")
    return (letter_filename(letter, reference), "application/pdf", letter.pdf)
