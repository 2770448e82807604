"""Cookie and Google Analytics rules (LEGAL.md §3): what the site's cookie texts must not say."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from functools import lru_cache

from notice.checks import language as morphology
from notice.checks import lexicon
from notice.checks.context import Context
from notice.checks.findings import Hit, Param
from notice.checks.memo import per_run
from notice.checks.walk import TextItem, quote, sentence_matches, sentences
from notice.model import AnalyticsService


def _owned_texts(ctx: Context) -> Iterator[tuple[str, TextItem]]:
    """Yield the site's cookie texts and every website register's texts, with their owner."""
    for item in ctx.site_texts():
        yield "site", item
    for register in ctx.content.registers:
        if register.website:
            for item in ctx.localized_texts(register.id):
                yield register.id, item


def _sentence_hits(ctx: Context, predicate: Callable[[str | None, str], bool]) -> Iterator[Hit]:
    for owner, item in _owned_texts(ctx):
        for _, sentence in sentence_matches([item], predicate):
            yield Hit(item.key_path, item.language, {"quote": quote(sentence)}, owner=owner)


def browser_settings(ctx: Context) -> Iterator[Hit]:
    """Find browser settings offered as the way to refuse cookies (they are not consent)."""
    if not ctx.uses_consent_cookies():
        return
    for owner, item in _owned_texts(ctx):
        # Beside a real consent mechanism, browser settings are an extra; as the control, an error.
        is_control = owner == "site" and item.key_path[:2] in {
            ("consent", "mechanism"),
            ("consent", "withdrawal"),
            ("analytics", "opt_out"),
        }
        if ctx.site.consent is not None and not is_control:
            continue
        for _, sentence in sentence_matches(
            [item], lambda lang, s: lexicon.has("browser_settings", lang, s)
        ):
            yield Hit(item.key_path, item.language, {"quote": quote(sentence)}, owner=owner)


def _collects_ip(ctx: Context) -> bool:
    analytics = ctx.site.analytics
    if analytics is not None and analytics.service == AnalyticsService.universal_analytics:
        return True  # Universal Analytics received full IP addresses
    for _, item in _owned_texts(ctx):
        for sentence in sentences(item.text):
            if lexicon.has("ip_address", item.language, sentence) and not lexicon.has(
                "negation", item.language, sentence
            ):
                return True
    return False


def identification_claim(ctx: Context) -> Iterator[Hit]:
    """Find "visitors cannot be identified" while IP addresses are collected."""
    if not _collects_ip(ctx):
        return
    yield from _sentence_hits(ctx, claims_not_identifiable)


def claims_not_identifiable(language: str | None, sentence: str) -> bool:
    """Return whether a sentence claims that visitors cannot be identified.

    The claim is about visitors, their devices or tracking ("visitors cannot be identified",
    "you remain anonymous", "anonymous cookies"); "anonymous survey answers that cannot be
    linked to you" says nothing about visitors.
    """
    about_visitors = lexicon.has("visitor", language, sentence) or lexicon.has(
        "device_tracking", language, sentence
    )
    if lexicon.has("not_identifiable", language, sentence) and about_visitors:
        return True
    return lexicon.has("anonymous_visitor", language, sentence) or (
        lexicon.has("anonymous", language, sentence)
        and lexicon.has("device_tracking", language, sentence)
    )


def ga_universal(ctx: Context) -> Iterator[Hit]:
    """Find a Universal-Analytics-era description (GA4 replaced it on 1 July 2023)."""
    analytics = ctx.site.analytics
    if analytics is not None and analytics.service == AnalyticsService.universal_analytics:
        yield Hit(("analytics", "service"), owner="site", params={"quote": "universal_analytics"})
    yield from _sentence_hits(ctx, lambda lang, s: lexicon.has("universal_analytics", lang, s))


def ga_demographics(ctx: Context) -> Iterator[Hit]:
    """Find "Demographics" described without Google signals, which now provides them."""
    if not ctx.uses_google_analytics():
        return
    yield from _sentence_hits(ctx, _demographics_without_signals)


def _demographics_without_signals(language: str | None, sentence: str) -> bool:
    # Words inside a proper name are not claims: "Digi- ja väestötietovirasto" is an agency.
    unnamed = morphology.mask_proper_names(sentence)
    return lexicon.has("demographics", language, unnamed) and not lexicon.has(
        "google_signals", language, sentence
    )


def ga_opt_out_addon(ctx: Context) -> Iterator[Hit]:
    """Find a browser add-on offered as the way to refuse Google Analytics."""
    if not ctx.uses_google_analytics():
        return
    no_consent = ctx.site.consent is None
    yield from _sentence_hits(
        ctx,
        lambda lang, s: (
            lexicon.has("add_on", lang, s) and (no_consent or lexicon.has("chrome", lang, s))
        ),
    )


# Cookie names as written in texts: `backticked`, or the well-known tracker prefixes.
_CODE = re.compile(r"`([^`\s]+)`")
_TRACKER = re.compile(r"(?<![\w/.@-])(?:_ga\w*|_gid|_gat\w*|_gcl\w*|_fbp|_hj\w*|__utm\w|_pk_\w+)")


def cookie_names_in(text: str, known: Collection[str] = ()) -> set[str]:
    """Return the cookie names a text mentions: trackers, known names, `code_with_underscores`."""
    return set(_cookie_names_in(text, tuple(known)))


@per_run
def _cookie_names_in(text: str, known: tuple[str, ...]) -> frozenset[str]:
    # A backticked word is a cookie name only if it looks like one: `Hyväksy` is a button.
    code = {m for m in _CODE.findall(text) if "_" in m or m in known} if "`" in text else set()
    # A known name that is also a word ("session", "fr") counts only when written as code.
    plain = {
        name
        for name in known
        # `in` first: a name not in the text at all is not in it alone either (and is the rule).
        if name in text and not _LOWER_WORD.fullmatch(name) and _written_alone(name).search(text)
    }
    trackers = set(_TRACKER.findall(text)) if "_" in text else set()  # each name has a "_"
    return frozenset(code | plain | trackers)


_LOWER_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1024)  # bounded: the names come from content, and `notice serve` lives long
def _written_alone(name: str) -> re.Pattern[str]:
    """Return the pattern of a cookie name not part of a longer word or name (compiled once)."""
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def _listed(name: str, inventory: list[str]) -> bool:
    for listed in inventory:
        prefix = listed.split("<", 1)[0]
        if name == listed or (
            "<" in listed and name.startswith(prefix) and len(name) > len(prefix)
        ):
            return True
    return False


def cookie_not_listed(ctx: Context) -> Iterator[Hit]:
    """Find cookies a text names that the cookie list lacks."""
    inventory = [cookie.name for cookie in ctx.site.cookies]
    for owner, item in _owned_texts(ctx):
        if item.key_path[:1] == ("cookies",):
            continue
        missing = sorted(n for n in cookie_names_in(item.text) if not _listed(n, inventory))
        if missing:
            yield Hit(item.key_path, item.language, {"names": ", ".join(missing)}, owner=owner)


# Google Analytics 4 names its session cookie after the property's measurement id (`G-ABC123`
# sets `_ga_ABC123`); a list may also write the varying part as `_ga_<container-id>` or `_ga_*`.
_GA4_SESSION = re.compile(r"_ga_(?P<id>.+)")
_GA4_PLACEHOLDER = re.compile(r"<[^<>]*>|\*")


def ga4_session_cookie(ctx: Context) -> Iterator[Hit]:
    """Find a GA4 cookie list without the `_ga_<id>` cookie of the declared measurement id.

    Only a list that declares Google Analytics (a `_ga…` cookie) and a GA4 `measurement_id` is
    checked: without the id the name cannot be known, and an empty list is E23-cookie-inventory's.
    """
    analytics = ctx.site.analytics
    if analytics is None or analytics.service != AnalyticsService.google_analytics_4:
        return
    measurement_id = (analytics.measurement_id or "").strip()
    if not measurement_id:
        return
    cookie = "_ga_" + measurement_id.removeprefix("G-")
    ga_index: int | None = None
    others: list[tuple[int, str]] = []
    for index, declared in enumerate(ctx.site.cookies):
        name = declared.name
        if name == "_ga" and ga_index is None:
            ga_index = index
        session = _GA4_SESSION.fullmatch(name)
        if session is None:
            continue
        if name == cookie or _GA4_PLACEHOLDER.search(session["id"]):
            return  # named exactly, or written with its varying part
        others.append((index, name))
    if others:
        index, name = others[0]
        detail = {
            "en": f"the cookie list names `{name}`, the cookie of another measurement id",
            "fi": f"evästeluettelossa on `{name}`, joka on toisen mittaustunnuksen eväste",
            "sv": f"kakförteckningen nämner `{name}`, som hör till ett annat mätnings-id",
        }
        yield Hit(("cookies", index, "name"), params=_ga4_params(cookie, measurement_id, detail))
    elif ga_index is not None:
        detail = {
            "en": "the cookie list does not name it",
            "fi": "evästeluettelo ei mainitse sitä",
            "sv": "kakförteckningen nämner den inte",
        }
        yield Hit(("cookies", ga_index), params=_ga4_params(cookie, measurement_id, detail))


def _ga4_params(cookie: str, measurement_id: str, detail: dict[str, str]) -> dict[str, Param]:
    return {"cookie": cookie, "id": measurement_id, "detail": detail}
