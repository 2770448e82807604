"""The portal's languages: Flask-Babel catalogs, the locale of each request and the switch.

The language comes from the page's `lang` URL segment (or `?lang=`), then from the `lang` cookie,
then from the browser's Accept-Language among fi/en/sv, and Finnish otherwise: the URL wins so
that a link always opens in the language it was written in. msgids are English; each area has
its own catalog folder (`portal.catalogs.AREAS`) and Flask-Babel merges them. `.mo` files are
compiled from the `.po` files when the app starts, like the notice's.

`python -m portal.catalogs update` re-extracts every area's messages (see `portal.catalogs`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask import Flask, Response, current_app, has_request_context, request, url_for
from flask_babel import Babel, get_locale

from notice import i18n as notice_i18n
from portal import catalogs

LANGUAGES: tuple[str, ...] = catalogs.LANGUAGES
DEFAULT_LANGUAGE = "fi"
LANG_COOKIE = "lang"
LANGUAGE_NAMES = {"fi": "suomi", "en": "English", "sv": "svenska"}
"""Each language named in itself, as a language switch should."""


def translation_directories() -> list[Path]:
    """Return every area's catalog folder, intake's last.

    Flask-Babel merges them in order and a later catalog wins, so shared strings (the page frame,
    error pages) always read as the intake area translated them.
    """
    others = [a.directory for a in catalogs.AREAS.values() if a is not catalogs.INTAKE]
    return [*others, catalogs.INTAKE.directory]


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
