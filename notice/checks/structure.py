"""Structure rules: reason over what the register declares (recipients, countries, bases, data).

Where the content says a thing as structure (a recipient's country, a category's Art 9 condition,
a decision's logic), the rule reads the structure. Where a v1 file or an author gives it only as
words (a category called "Health data", a purpose about analytics cookies), the rule recognises
the words in fi, sv and en and asks for the structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from notice import countries
from notice.checks import datafiles, lexicon
from notice.checks import language as morphology
from notice.checks.context import Context
from notice.checks.findings import UI_LANGUAGES, Hit
from notice.checks.memo import per_run
from notice.checks.prefilter import prefiltered
from notice.checks.walk import TextItem, localized, quote, sentences
from notice.model import (
    CookieCategory,
    LegalBasis,
    Register,
    Right,
    RightExtent,
    SpecialCategory,
    TransferMechanism,
)

_CONSENT_ONLY = {CookieCategory.analytics, CookieCategory.marketing}


# --- transfers -----------------------------------------------------------------------------------


def _transfer_key(key_path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Return where a transfer's safeguards are given: on the recipient or the transfer entry."""
    return (*key_path, "transfer") if key_path[0] == "recipients" else key_path


def _country_param(code: str | None) -> dict[str, str]:
    return {lang: countries.name(code, lang) if code else "?" for lang in UI_LANGUAGES}


def transfer_without_mechanism(ctx: Context, register: Register) -> Iterator[Hit]:
    """A recipient or transfer in a third country names no Chapter V mechanism."""
    yield from transfer_in_words_without_mechanism(ctx, register)
    for transfer in register.third_country_transfers:
        if transfer.safeguards is None or not transfer.safeguards.all_mechanisms:
            yield Hit(
                transfer.key_path,
                params={
                    "recipient": _first(transfer.recipient),
                    "country": _country_param(transfer.country),
                },
            )


def _grounded_in_prose(ctx: Context, register: Register) -> set[str]:
    """Return the countries a sentence of the register names together with a transfer ground."""
    found: set[str] = set()
    for item in ctx.localized_texts(register.id):
        for sentence in sentences(item.text):
            if lexicon.has("transfer_ground", item.language, sentence):
                found |= set(_mentioned(sentence, item.language or "en"))
    return found


@per_run
def _mentioned(text: str, language: str) -> tuple[str, ...]:
    """Return `countries.mentioned` (remembered per run: registers share their texts)."""
    return tuple(countries.mentioned(text, language))


def _placed_by_words(ctx: Context, register: Register) -> Iterator[tuple[int, str, str]]:
    """Yield (index, name, country) of recipients without `country` whose texts name one.

    A transfer stated in prose (a sentence naming the country and its ground, as format 1
    notices do) counts as stated: only the structure is missing, not the information.
    """
    candidates: list[tuple[int, str, list[str]]] = []
    texts: dict[object, list[TextItem]] = {}  # each recipient's localized texts, in walk order
    for item in ctx.localized_in(register.id, "recipients"):
        texts.setdefault(item.key_path[1], []).append(item)
    for index, recipient in enumerate(register.recipients):
        if recipient.country is not None or recipient.transfer is not None:
            continue
        for item in texts.get(index, ()):
            found = list(_mentioned(item.text, item.language or "en"))
            if found:
                candidates.append(
                    (index, recipient.name.get(item.language or "", item.text), found)
                )
                break
    if not candidates:
        return
    listed = {t.country for t in register.third_country_transfers}
    if register.website and ctx.site.analytics is not None:
        listed |= {t.country for t in ctx.site.analytics.transfers}
    listed |= _grounded_in_prose(ctx, register)
    for index, recipient_name, found in candidates:
        unlisted = [code for code in found if code not in listed]
        if unlisted:
            yield index, recipient_name, unlisted[0]


def transfer_in_words_without_mechanism(ctx: Context, register: Register) -> Iterator[Hit]:
    """A recipient described as being in a third country, with no transfer given for it."""
    for index, recipient_name, country in _placed_by_words(ctx, register):
        yield Hit(
            ("recipients", index),
            params={"recipient": recipient_name, "country": _country_param(country)},
        )


def transfers_none_contradicted(ctx: Context, register: Register) -> Iterator[Hit]:
    """`transfers: none` while a recipient is in a third country."""
    if register.transfers != "none":
        return
    for transfer in register.third_country_transfers:
        yield Hit(
            ("transfers",),
            params={
                "recipient": _first(transfer.recipient),
                "country": _country_param(transfer.country),
            },
        )


def transfer_mechanism_fit(ctx: Context, register: Register) -> Iterator[Hit]:
    """Adequacy for a country without a decision; a derogation without its Art 49 ground."""
    for transfer in register.third_country_transfers:
        safeguards = transfer.safeguards
        if safeguards is None:
            continue
        mechanisms = safeguards.all_mechanisms
        key = _transfer_key(transfer.key_path)
        if (
            TransferMechanism.adequacy in mechanisms
            and transfer.country not in countries.ADEQUATE
            and len(mechanisms) == 1
        ):
            yield Hit(
                key,
                params={
                    "detail": {
                        "en": f"{countries.name(transfer.country or '?', 'en')} has no "
                        "adequacy decision",
                        "sv": f"{countries.name(transfer.country or '?', 'sv')} har inget "
                        "beslut om adekvat skyddsnivå",
                        "fi": f"{countries.name(transfer.country or '?', 'fi')}: ei "
                        "tietosuojan riittävyyttä koskevaa päätöstä",
                    }
                },
            )
        if TransferMechanism.derogation in mechanisms and safeguards.derogation_ground is None:
            yield Hit(
                key,
                params={
                    "detail": {
                        "en": "a derogation needs its Art 49(1) ground (`derogation_ground`)",
                        "sv": "ett undantag kräver sin grund i artikel 49.1 (`derogation_ground`)",
                        "fi": "poikkeus tarvitsee 49 artiklan 1 kohdan perusteen "
                        "(`derogation_ground`)",
                    }
                },
            )


# --- cookies and trackers ------------------------------------------------------------------------


def cookie_basis(ctx: Context, register: Register) -> Iterator[Hit]:
    """Analytics or marketing cookies rest on a basis other than consent (917/2014 §205)."""
    for index, purpose in enumerate(register.purposes):
        others = [b for b in purpose.bases if b != LegalBasis.consent]
        if not others:
            continue
        if set(purpose.cookies) & _CONSENT_ONLY or _speaks_of_tracking(purpose.description):
            yield Hit(
                ("purposes", index, "legal_bases" if purpose.legal_bases else "legal_basis"),
                params={"basis": ", ".join(b.value for b in others)},
            )


def site_cookie_basis(ctx: Context) -> Iterator[Hit]:
    """A cookie in the analytics or marketing category is given a basis other than consent."""
    for index, cookie in enumerate(ctx.site.cookies):
        if cookie.category in _CONSENT_ONLY and cookie.legal_basis not in (
            None,
            LegalBasis.consent,
        ):
            basis = cookie.legal_basis.value if cookie.legal_basis else ""
            yield Hit(("cookies", index, "legal_basis"), params={"basis": basis})


def _speaks_of_tracking(text: dict[str, str]) -> bool:
    """Return whether a purpose is about analytics or advertising cookies, pixels or trackers."""
    return any(_tracking_in(lang, value) for lang, value in text.items())


@per_run
def _tracking_in(lang: str, value: str) -> bool:
    # "We use no advertising cookies, but we use Hotjar": the contrast ends the denial's scope.
    for sentence in sentences(value):
        for clause in morphology.clauses(sentence):
            if lexicon.has("necessary_cookies", lang, clause):
                continue
            if lexicon.has("negation", lang, clause):
                continue
            on_device = lexicon.has("device_tracking", lang, clause) and lexicon.has(
                "analytics_or_ads", lang, clause
            )
            if on_device or _tracker_pattern().search(clause):
                return True
    return False


@dataclass(frozen=True)
class Tracker:
    """A tracking product: how a notice names it, and the company that must be a recipient."""

    id: str
    label: str
    cookies: tuple[re.Pattern[str], ...]
    names: re.Pattern[str]
    vendor: re.Pattern[str]


@cache
def trackers() -> tuple[Tracker, ...]:
    """Return the tracking products of `data/trackers.yaml`."""
    raw = datafiles.read("trackers.yaml")
    return tuple(
        Tracker(
            key,
            entry["label"],
            tuple(re.compile(p) for p in entry["cookies"]),
            re.compile("|".join(f"(?:{_inflected(p)})" for p in entry["names"]), re.I),
            re.compile(entry["vendor"], re.I),
        )
        for key, entry in raw.items()
    )


def _inflected(name_pattern: str) -> str:
    """Let a product name take a Finnish or Swedish case ending: "Hotjaria", "Google Analyticsin".

    A name is a brand, which no stemmer knows; the ending (up to five letters, after an optional
    colon as in "Hotjar:n") follows the name directly.
    """
    if name_pattern.endswith(r"\b"):
        return name_pattern[:-2] + r"(?::?\w{0,5})\b"
    return name_pattern


@cache
def _tracker_pattern() -> re.Pattern[str]:
    """Return one pattern that names every tracker, a named group per tracker."""
    names = "|".join(f"(?P<{t.id}>{t.names.pattern})" for t in trackers())
    return prefiltered(re.compile(names, re.IGNORECASE))


@per_run
def trackers_named(language: str | None, text: str) -> frozenset[str]:
    """Return the ids of the trackers a text names in clauses that do not deny them.

    "We do not use Google Ads, but we use the Meta pixel" denies one and names the other: a
    contrast ends the scope of the negation.
    """
    pattern = _tracker_pattern()
    if not pattern.search(text):
        return frozenset()
    found: set[str] = set()
    for sentence in sentences(text):
        for clause in morphology.clauses(sentence):
            if lexicon.has("negation", language, clause):
                continue
            found |= {match.lastgroup or "" for match in pattern.finditer(clause)}
    return frozenset(found)


def tracker_not_recipient(ctx: Context, register: Register) -> Iterator[Hit]:
    """A tracker named in the cookies or texts whose company is not among the recipients."""
    if not register.website and register.id not in ctx.owners_with(_names_a_tracker):
        return  # no text names a tracker, and no cookies are the register's
    names = [text for r in register.recipients for text in r.name.values()]
    names += [text for t in register.third_country_transfers for text in t.recipient.values()]
    first_naming: dict[str, TextItem] = {}
    for text in ctx.localized_texts(register.id):
        for tracker_id in trackers_named(text.language, text.text):
            first_naming.setdefault(tracker_id, text)
    cookie_names = [c.name for c in ctx.site.cookies] if register.website else []
    named_vendors = _vendors_among(tuple(names))
    for tracker in trackers():
        if tracker.id == "google_analytics" and register.website and ctx.uses_google_analytics():
            continue  # E08-google-not-named says it for the site's own analytics
        if tracker.id in named_vendors:
            continue
        cookie = next((c for c in cookie_names if any(p.search(c) for p in tracker.cookies)), None)
        item = first_naming.get(tracker.id)
        if item is not None:
            yield Hit(item.key_path, item.language, {"tracker": tracker.label})
        elif cookie is not None:
            yield Hit(("website",), params={"tracker": f"{tracker.label} ({cookie})"})


def _names_a_tracker(language: str | None, text: str) -> bool:
    return bool(trackers_named(language, text))


@per_run
def _vendors_among(names: tuple[str, ...]) -> frozenset[str]:
    """Return the ids of the trackers whose company one of the recipient names is."""
    return frozenset(t.id for t in trackers() if any(t.vendor.search(name) for name in names))


# --- automated decisions -------------------------------------------------------------------------

_DECISION_PARTS = {
    "logic": {"en": "logic", "fi": "logiikka", "sv": "logik"},
    "significance": {"en": "significance", "fi": "merkitys", "sv": "betydelse"},
    "consequences": {"en": "consequences", "fi": "seuraukset", "sv": "följder"},
}


def _denies(text: dict[str, str]) -> bool:
    """Return whether a prose description denies automated decisions (v1 "we make none").

    Every language's text must deny. A text denies when every sentence does, or when it opens
    by denying automated decisions ("We make no decisions based solely on automated
    processing.") and no later clause affirms one without a negation: what follows then
    describes the human review, not an automated decision. A contrast ("…, but we profile")
    ends the scope of the negation.
    """
    return bool(text) and all(_denies_in(lang, value) for lang, value in text.items())


def _denies_in(language: str, value: str) -> bool:
    parts = sentences(value)
    if not parts:
        return False
    if all(lexicon.has("negation", language, s) for s in parts):
        return all(
            lexicon.has("negation", language, clause)
            or not lexicon.has("automated", language, clause)
            for s in parts
            for clause in morphology.clauses(s)
        )
    opening = morphology.clauses(parts[0])
    if not (
        lexicon.has("negation", language, opening[0])
        and lexicon.has("automated", language, opening[0])
    ):
        return False
    rest = [clause for s in parts[1:] for clause in morphology.clauses(s)] + opening[1:]
    return not any(
        lexicon.has("automated", language, clause) and not lexicon.has("negation", language, clause)
        for clause in rest
    )


def automated_details(ctx: Context, register: Register) -> Iterator[Hit]:
    """An automated decision without its logic, significance or consequences (Art 13(2)(f))."""
    decisions = register.automated_decisions
    if not isinstance(decisions, list):
        return
    for index, decision in enumerate(decisions):
        parts = {"logic": decision.logic, "significance": decision.significance}
        parts["consequences"] = decision.consequences
        missing = [name for name, text in parts.items() if not text]
        blank = not all((text or "").strip() for text in decision.description.values())
        if not missing or blank or not decision.solely_automated or _denies(decision.description):
            continue  # Art 13(2)(f) asks the details of solely automated decisions (Art 22)
        if decision.logic is None and not any(
            (decision.significance, decision.consequences, decision.ground, decision.safeguards)
        ):
            key: tuple[str | int, ...] = ("automated_decisions", index, "description")
        else:
            key = ("automated_decisions", index)
        what = {lang: ", ".join(_DECISION_PARTS[m][lang] for m in missing) for lang in UI_LANGUAGES}
        yield Hit(key, params={"what": what})


def automated_safeguards(ctx: Context, register: Register) -> Iterator[Hit]:
    """A solely automated decision without its Art 22(2) ground or Art 22(3) safeguards."""
    decisions = register.automated_decisions
    if not isinstance(decisions, list):
        return
    for index, decision in enumerate(decisions):
        if not decision.solely_automated or _denies(decision.description):
            continue
        if decision.logic is None and decision.ground is None and decision.safeguards is None:
            continue  # a bare v1 description: E15-automated-details asks for the structure first
        if decision.ground is None:
            what = {
                "en": "Art 22(2) ground",
                "fi": "22 artiklan 2 kohdan peruste",
                "sv": "grund enligt artikel 22.2",
            }
            yield Hit(("automated_decisions", index), params={"what": what})
        elif decision.ground.value != "law" and decision.safeguards is None:
            what = {
                "en": "Art 22(3) safeguards",
                "fi": "22 artiklan 3 kohdan suojatoimet",
                "sv": "skyddsåtgärder enligt artikel 22.3",
            }
            yield Hit(("automated_decisions", index), params={"what": what})


# --- sources ---------------------------------------------------------------------------------


def _unnamed(language: str | None, sentence: str) -> bool:
    return (
        lexicon.has("unnamed_source", language, sentence)
        and not lexicon.has("negation", language, sentence)
        and not lexicon.has("named_example", language, sentence)
        and not lexicon.has("legal_entity", language, sentence)
    )


def sources_unnamed(ctx: Context, register: Register) -> Iterator[Hit]:
    """An Art 14 register gives its sources only as "third parties" or "partners"."""
    for index, category in enumerate(register.data_categories):
        for position, source in enumerate(category.sources):
            if source == "data_subject":
                continue
            for item in localized(
                source.name, ("data_categories", index, "sources", position, "name")
            ):
                if _unnamed(item.language, item.text):
                    yield Hit(item.key_path, item.language, {"quote": quote(item.text)})
    for item in localized(register.sources, ("sources",)):
        for sentence in sentences(item.text):
            if _unnamed(item.language, sentence):
                yield Hit(item.key_path, item.language, {"quote": quote(sentence)})
                break


# --- special categories and criminal data --------------------------------------------------------


# The Art 9(1) categories as the GDPR's English, Finnish and Swedish texts name them, shortened
# where the message already says "data" ("special-category data (health)").
_SPECIAL_NAMES: dict[SpecialCategory, dict[str, str]] = {
    SpecialCategory.racial_or_ethnic_origin: {
        "en": "racial or ethnic origin",
        "fi": "rotu tai etninen alkuperä",
        "sv": "ras eller etniskt ursprung",
    },
    SpecialCategory.political_opinions: {
        "en": "political opinions",
        "fi": "poliittiset mielipiteet",
        "sv": "politiska åsikter",
    },
    SpecialCategory.religious_or_philosophical_beliefs: {
        "en": "religious or philosophical beliefs",
        "fi": "uskonnollinen tai filosofinen vakaumus",
        "sv": "religiös eller filosofisk övertygelse",
    },
    SpecialCategory.trade_union_membership: {
        "en": "trade union membership",
        "fi": "ammattiliiton jäsenyys",
        "sv": "medlemskap i fackförening",
    },
    SpecialCategory.genetic: {
        "en": "genetic",
        "fi": "geneettiset tiedot",
        "sv": "genetiska uppgifter",
    },
    SpecialCategory.biometric: {
        "en": "biometric",
        "fi": "biometriset tiedot",
        "sv": "biometriska uppgifter",
    },
    SpecialCategory.health: {"en": "health", "fi": "terveystiedot", "sv": "hälsa"},
    SpecialCategory.sex_life: {
        "en": "sex life",
        "fi": "seksuaalinen käyttäytyminen",
        "sv": "sexualliv",
    },
    SpecialCategory.sexual_orientation: {
        "en": "sexual orientation",
        "fi": "seksuaalinen suuntautuminen",
        "sv": "sexuell läggning",
    },
}


def special_without_condition(ctx: Context, register: Register) -> Iterator[Hit]:
    """Special-category data (Art 9) without the Art 9(2) condition that allows it."""
    for index, category in enumerate(register.data_categories):
        if category.special is not None and category.special.condition is None:
            yield Hit(
                ("data_categories", index, "special"),
                params={"category": _SPECIAL_NAMES[category.special.category]},
            )


def special_undeclared(ctx: Context, register: Register) -> Iterator[Hit]:
    """A category named like special-category data that does not declare `special`."""
    for index, category in enumerate(register.data_categories):
        if category.special is not None:
            continue
        for item in localized(category.name, ("data_categories", index, "name")):
            # "Customer health scores" measure an account, not a person's health.
            text = lexicon.pattern("not_special", item.language).sub(" ", item.text)
            word = lexicon.find("special_category", item.language, text)
            if word and not lexicon.has("negation", item.language, item.text):
                yield Hit(item.key_path, item.language, {"word": word})
                break


def criminal_without_authorisation(ctx: Context, register: Register) -> Iterator[Hit]:
    """Criminal-offence data (Art 10) without the law that authorises it; or named, undeclared."""
    for index, category in enumerate(register.data_categories):
        if category.criminal is not None:
            if category.criminal.authorisation is None:
                yield Hit(("data_categories", index, "criminal"))
            continue
        for item in localized(category.name, ("data_categories", index, "name")):
            if lexicon.has("criminal_data", item.language, item.text) and not lexicon.has(
                "negation", item.language, item.text
            ):
                yield Hit(item.key_path, item.language)
                break


# --- consent -------------------------------------------------------------------------------------


def consent_without_withdrawal(ctx: Context, register: Register) -> Iterator[Hit]:
    """A purpose on consent, and the notice nowhere says how to withdraw it (Art 7(3))."""
    if register.applicable_rights().get(Right.withdraw_consent) is RightExtent.not_applicable:
        restricted = any(r.right == Right.withdraw_consent for r in register.restrictions)
        if restricted and LegalBasis.consent in register.bases:
            yield Hit(("restrictions",))
        return
    # Wherever the notice says how to withdraw (its consent text, a rights text, the purpose
    # itself), the reader finds it; only a notice silent on it is the defect.
    # Not `ctx.owners_with`: most registers say it early, and `any` stops there.
    register_level = any(
        lexicon.has("withdraw", None, item.text) for item in ctx.localized_texts(register.id)
    )
    site_consent = ctx.site.consent.withdrawal if ctx.site.consent else None
    for index, purpose in enumerate(register.purposes):
        if LegalBasis.consent not in purpose.bases:
            continue
        if purpose.withdrawal or register_level:
            continue
        cookies = set(purpose.cookies) & _CONSENT_ONLY or _speaks_of_tracking(purpose.description)
        if register.website and cookies and site_consent:
            continue  # the site's cookie settings are how cookie consent is withdrawn
        yield Hit(("purposes", index))


def _first(text: dict[str, str]) -> str:
    return next(iter(text.values()), "")
