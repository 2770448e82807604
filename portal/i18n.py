"""The portal's languages: Flask-Babel catalogs, the locale of each request and the switch.

The language comes from the page's `lang` URL segment (or `?lang=`), then from the `lang` cookie,
then from the browser's Accept-Language among fi/en/sv, and Finnish otherwise: the URL wins so
that a link always opens in the language it was written in. msgids are English; catalogs live in
`portal/translations` (intake and shared strings) and in every other `portal/*translations` folder
an area adds (the staff web's `portal/staff_translations`, the letters'); Flask-Babel merges
them. `.mo` files are compiled from the `.po` files when the app starts, like the notice's.

`python -m portal.i18n update` re-extracts this area's messages and merges them into its catalogs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask, Response, current_app, has_request_context, request, url_for
from flask_babel import Babel, get_locale

from notice import i18n as notice_i18n

PORTAL_DIR = Path(__file__).resolve().parent
ROOT = PORTAL_DIR.parent
TRANSLATIONS_DIR = PORTAL_DIR / "translations"
LANGUAGES: tuple[str, ...] = ("fi", "en", "sv")
DEFAULT_LANGUAGE = "fi"
LANG_COOKIE = "lang"
LANGUAGE_NAMES = {"fi": "suomi", "en": "English", "sv": "svenska"}
"""Each language named in itself, as a language switch should."""

# Sources of this area's messages (other areas extract their own into their own folders).
EXTRACT_MAP: list[tuple[str, str]] = [
    ("portal/intake.py", "python"),
    ("portal/forms.py", "python"),
    ("portal/mail.py", "python"),
    ("portal/i18n.py", "python"),
    ("portal/security.py", "python"),
    ("portal/site.py", "python"),
    ("templates/portal/base.html", "jinja2"),
    ("templates/portal/_*.html", "jinja2"),
    ("templates/portal/intake/**.html", "jinja2"),
    ("templates/portal/errors/**.html", "jinja2"),
    ("templates/email/confirm/**", "jinja2"),
    ("templates/email/receipt/**", "jinja2"),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
"""gettext's keywords plus the lazy ones that forms and labels use."""
EXTRACT_OPTIONS = {
    "templates/**": {"extensions": "jinja2.ext.i18n", "trimmed": "true", "silent": "false"}
}


def translation_directories() -> list[Path]:
    """Return every portal catalog folder: the other areas' folders, then this area's.

    Flask-Babel merges them in order and a later catalog wins, so shared strings (the page frame,
    error pages) always read as this area translated them.
    """
    others = sorted(p for p in PORTAL_DIR.glob("*translations") if p != TRANSLATIONS_DIR)
    return [*(p for p in others if p.is_dir()), TRANSLATIONS_DIR]


def init_app(app: Flask) -> None:
    """Compile stale catalogs, install Flask-Babel and remember an explicitly chosen language."""
    directories = translation_directories()
    for directory in directories:
        notice_i18n.compile_catalogs(directory)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(d) for d in directories)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    # People read times in Finnish time; the database keeps UTC.
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Helsinki")
    Babel(app, locale_selector=select_language)
    # Extraction trims whitespace in {% trans %} blocks; rendering must look them up the same way.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        language_switch=language_switch,
        current_language=current_language,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
    )
    app.after_request(_remember_language)


def _explicit_language() -> str | None:
    """Return the language the URL asks for, if it is one of ours."""
    lang = (request.view_args or {}).get("lang") or request.args.get("lang")
    if lang is None:
        # A page that failed to route (404) still names its language: /requests/sv/…
        lang = next((part for part in request.path.split("/")[:4] if part in LANGUAGES), None)
    return lang if lang in LANGUAGES else None


def select_language() -> str:
    """Pick the locale of this request: URL, then cookie, then Accept-Language, then Finnish."""
    return notice_i18n.LOCALES[_chosen_language()]


def _chosen_language() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    explicit = _explicit_language()
    if explicit:
        return explicit
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    """Return the language code of the current request or forced locale (`fi`, `en`, `sv`)."""
    locale = get_locale()
    lang = locale.language if locale is not None else DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> Iterator[tuple[str, str, str, bool]]:
    """Yield (code, name, url, is_current) for each language: this page in that language."""
    current = current_language()
    endpoint = request.endpoint
    view_args = dict(request.view_args or {})
    args = {k: v for k, v in request.args.items() if k in {"register"}}
    for lang in LANGUAGES:
        if endpoint and "lang" in view_args:
            url = url_for(endpoint, **{**view_args, "lang": lang}, **args)
        elif endpoint and request.method == "GET" and endpoint != "static":
            url = url_for(endpoint, **view_args, **args, lang=lang)
        else:
            url = url_for("intake.start", lang=lang)
        yield lang, LANGUAGE_NAMES[lang], url, lang == current


def _remember_language(response: Response) -> Response:
    """Keep a language chosen through the URL for pages that have none (errors, the root)."""
    explicit = _explicit_language()
    if explicit and request.cookies.get(LANG_COOKIE) != explicit:
        response.set_cookie(
            LANG_COOKIE,
            explicit,
            max_age=365 * 24 * 3600,
            secure=current_app.config["SECURE_COOKIES"],
            httponly=True,
            samesite="Lax",
        )
    return response


def extract_messages(root: Path = ROOT) -> Catalog:
    """Extract this area's messages from the sources in `EXTRACT_MAP`."""
    options = {pattern: opts for pattern, opts in EXTRACT_OPTIONS.items()}
    catalog = Catalog(project="seloste", domain=notice_i18n.DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), EXTRACT_MAP, options, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(lang: str, directory: Path = TRANSLATIONS_DIR) -> Catalog:
    """Read one language's catalog of this area."""
    with notice_i18n.po_path(lang, directory).open("rb") as handle:
        return read_po(handle, locale=lang)


def update_catalogs(directory: Path = TRANSLATIONS_DIR) -> None:
    """Write `messages.pot` from the sources and merge it into each language's catalog."""
    template = extract_messages()
    directory.mkdir(parents=True, exist_ok=True)
    notice_i18n._write(directory / f"{notice_i18n.DOMAIN}.pot", template)
    for lang in LANGUAGES:
        path = notice_i18n.po_path(lang, directory)
        if path.exists():
            catalog = read_catalog(lang, directory)
        else:
            catalog = Catalog(locale=lang, project="seloste", domain=notice_i18n.DOMAIN)
        catalog.update(template, update_header_comment=False)
        if lang == notice_i18n.SOURCE_LANGUAGE:
            for message in catalog:
                if message.id:
                    message.string = message.id
                    message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        notice_i18n._write(path, catalog)


if __name__ == "__main__":  # pragma: no cover - maintainer's commands
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "update":
        update_catalogs()
    elif command == "compile":
        for directory in translation_directories():
            for mo in notice_i18n.compile_catalogs(directory):
                print(mo)
    else:
        sys.exit(f"usage: python -m portal.i18n [update|compile], not {command!r}")
