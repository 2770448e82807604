"""The portal's languages: Flask-Babel catalogs, the locale of each request and the switch.

The language comes from the page's `lang` URL segment (or `?lang=`), then from the `lang` cookie,
then from the browser's Accept-Language among fi/en/sv, and Finnish otherwise: the URL wins so
that a link always opens in the language it was written in. msgids are English, in the portal's
one catalog (`portal.catalogs`), compiled at set-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask import Flask, Response, has_request_context, request, url_for
from flask_babel import Babel, get_locale

from notice import i18n as notice_i18n
from portal import catalogs
from portal.config import current_settings
from portal.core import content as site
from portal.core import duedates, labels, letters
from portal.core.models import DataRequest
from portal.core.paths import TRANSLATIONS_DIR

LANGUAGES: tuple[str, ...] = catalogs.LANGUAGES
DEFAULT_LANGUAGE = "fi"
LANG_COOKIE = "lang"
LANGUAGE_NAMES = {"fi": "suomi", "en": "English", "sv": "svenska"}
"""Each language named in itself, as a language switch should."""


def period(days: int) -> str:
    """Return a period of `days` as people say it in the page's language: "3 years", "1 week"."""
    from babel.units import format_unit

    for size, unit in ((365, "duration-year"), (7, "duration-week"), (1, "duration-day")):
        if days % size == 0:
            locale = notice_i18n.locale_of(current_language())
            return format_unit(days // size, unit, length="long", locale=locale)
    raise AssertionError("unreachable: every whole number of days is days")  # pragma: no cover


def init_app(app: Flask) -> None:
    """Install Flask-Babel on the portal's catalog and remember an explicitly chosen language."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    # People read times in Finnish time; the database keeps UTC.
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", duedates.HELSINKI.key)
    Babel(app, locale_selector=select_language)
    # Extraction trims whitespace in {% trans %} blocks; rendering must look them up the same way.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # A moment and a date on the person's pages and in e-mails read as in their letters: as a
    # term's value ("Mottagen: 7 december 2026 kl. 14.05 finsk tid", "Vi svarar senast: 7 januari
    # 2027") or, `_in_text`, inside a sentence (sv "… förlängde vi tidsfristen till den 8 mars").
    app.add_template_filter(_moment, "moment")
    app.add_template_filter(_moment_in_text, "moment_in_text")
    app.add_template_filter(_day, "day")
    app.add_template_filter(_day_in_text, "day_in_text")
    # When a request was received, in a sentence as its letters say it (letters/_direct_marketing).
    app.add_template_filter(_received_in_text, "received_in_text")
    app.jinja_env.globals.update(
        language_switch=language_switch,
        current_language=current_language,
        period=period,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        label=labels.label,
        provider_name=labels.provider_name,
        **labels.TABLES,
    )
    app.after_request(_remember_language)


def _moment(value: dt.datetime) -> str:
    return letters.format_moment(value, current_language())


def _moment_in_text(value: dt.datetime) -> str:
    return letters.format_moment(value, current_language(), in_text=True)


def _received_in_text(data_request: DataRequest) -> str:
    return letters.received_text(data_request, current_language(), in_text=True)


def _day(value: dt.date | dt.datetime | None, *, in_text: bool = False) -> str:
    """Return a date (a moment's Helsinki date) in the long form of the page's language."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = duedates.local_received(value).date()
    return letters.format_long_date(value, current_language(), in_text=in_text)


def _day_in_text(value: dt.date | dt.datetime | None) -> str:
    """Return a date as `_day` does, as it stands inside a sentence (sv "den 7 januari 2027")."""
    return _day(value, in_text=True)


def _explicit_language() -> str | None:
    """Return the language the URL asks for, if it is one of ours."""
    lang = (request.view_args or {}).get("lang") or request.args.get("lang")
    if lang is None:
        # A page that failed to route (404) still names its language: /requests/sv/…
        lang = next((part for part in request.path.split("/")[:4] if part in LANGUAGES), None)
    return lang if lang in LANGUAGES else None


def select_language() -> str:
    """Pick the locale of this request: URL, then cookie, then Accept-Language, then Finnish."""
    return notice_i18n.locale_of(_chosen_language())


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


PAGE_OF_POST: dict[str, tuple[str, tuple[str, ...]]] = {
    "staff.act": ("staff.detail", ("reference",)),
    "staff.accounts_add": ("staff.accounts_view", ()),
    "staff.account_reset": ("staff.accounts_view", ()),
    "staff.channels.create": ("staff.channels.new", ()),
    "staff_consent.lookup": ("staff_consent.page", ()),
    "staff_consent.export": ("staff_consent.page", ()),
}
"""The page a POST-only route answered from (endpoint, its URL arguments), for the language switch:
a staff member who previews a letter and switches language stays on the request, not the public
start page."""


def _page_url(lang: str) -> str | None:
    """Return this page's URL in `lang`, or None when the page cannot be opened by a link."""
    endpoint = request.endpoint
    view_args = dict(request.view_args or {})
    args = {k: v for k, v in request.args.items() if k in {"register"}}
    if not endpoint or endpoint == "static":
        return None
    if request.blueprint == "site":
        # The portal's error page for an unknown portal address that only the notice site's
        # catch-all route matched (the demo, `/requests/sv/nope`): a site file has no language
        # argument, so `?lang=fi` would show a Finnish page under /sv/. As for any unknown
        # portal address, the language's start page.
        return None
    if "lang" in view_args:
        return url_for(endpoint, **{**view_args, "lang": lang}, **args)
    rule = request.url_rule
    if request.method == "GET" or (rule is not None and "GET" in (rule.methods or ())):
        return url_for(endpoint, **view_args, **args, lang=lang)
    if endpoint in PAGE_OF_POST:
        page, names = PAGE_OF_POST[endpoint]
        return url_for(page, **{name: view_args[name] for name in names}, lang=lang)
    return None


def switch_order() -> tuple[str, ...]:
    """Return the portal's languages in the notice site's order (its `site.yaml` `languages`).

    A visitor who comes from the notice sees the languages in the same order in both; the
    portal's other languages follow.
    """
    published = [lang for lang in site.content().site.languages if lang in LANGUAGES]
    return (*published, *(lang for lang in LANGUAGES if lang not in published))


def language_switch() -> Iterator[tuple[str, str, str, bool]]:
    """Yield (code, name, url, is_current) for each language: this page in that language."""
    current = current_language()
    for lang in switch_order():
        url = _page_url(lang) or url_for("intake.start", lang=lang)
        yield lang, LANGUAGE_NAMES[lang], url, lang == current


def _remember_language(response: Response) -> Response:
    """Keep a language chosen through the URL for portal pages that have none (errors, the root).

    Not on the notice site's pages, which the demo serves from the same origin: the cookie is
    declared as the portal's, and a notice page names its language in its address anyway.
    """
    if request.blueprint == "site":
        return response
    explicit = _explicit_language()
    if explicit and request.cookies.get(LANG_COOKIE) != explicit:
        response.set_cookie(
            LANG_COOKIE,
            explicit,
            max_age=365 * 24 * 3600,
            secure=current_settings().secure_cookies,
            httponly=True,
            samesite="Lax",
        )
    return response
