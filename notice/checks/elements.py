"""Completeness rules: each GDPR Art 13/14 element (LEGAL.md §1) is present in every language."""

from __future__ import annotations

from collections.abc import Iterator

from notice import presence
from notice.checks import language as morphology
from notice.checks import lexicon, structure
from notice.checks.context import Context, empty_languages
from notice.checks.findings import UI_LANGUAGES, Hit, listed, named_item
from notice.checks.walk import sentences
from notice.loader import KeyPath, format_key
from notice.model import LegalBasis, Register

_LABELS = {
    "name": {"en": "name", "fi": "nimi", "sv": "namn"},
    "contact": {
        "en": "e-mail, phone or address",
        "fi": "sähköposti, puhelin tai osoite",
        "sv": "e-post, telefon eller adress",
    },
    "street_address": {"en": "street address", "fi": "katuosoite", "sv": "gatuadress"},
    "postal_code": {"en": "postal code", "fi": "postinumero", "sv": "postnummer"},
    "city": {"en": "city", "fi": "postitoimipaikka", "sv": "postanstalt"},
}


def _missing_text(
    text: dict[str, str] | None, key_path: KeyPath, languages: list[str]
) -> Iterator[Hit]:
    """Report a text that is absent (once) or blank in some languages (once per language)."""
    if text is None:
        yield Hit(key_path)
        return
    for lang in empty_languages(text, languages):
        yield Hit((*key_path, lang), language=lang)


def controller_identity(ctx: Context) -> Iterator[Hit]:
    """E01: the controller has a name and at least one way to reach it."""
    controller = ctx.site.controller
    if not controller.name.strip():
        yield Hit(("controller", "name"), params={"what": _LABELS["name"]})
    if not any((controller.email, controller.phone, controller.street_address)):
        yield Hit(("controller",), params={"what": _LABELS["contact"]})


def controller_address(ctx: Context) -> Iterator[Hit]:
    """E01: a company's postal address is complete (street, postal code, city)."""
    controller = ctx.site.controller
    missing = [f for f in ("street_address", "postal_code", "city") if not getattr(controller, f)]
    if missing:
        what = {lang: listed([_LABELS[f][lang] for f in missing], lang) for lang in UI_LANGUAGES}
        # Finnish puts the verb in the message's parameter: "postinumero puuttuu", but
        # "postinumero ja postitoimipaikka puuttuvat".
        names = [_LABELS[f]["fi"] for f in missing]
        what["fi"] = f"{listed(names, 'fi')} {'puuttuvat' if len(names) > 1 else 'puuttuu'}"
        # The hint names the keys to add, only the missing ones: `postal_code` and `city`.
        keys = [f"`{f}`" for f in missing]
        fields = {lang: listed(keys, lang) for lang in UI_LANGUAGES}
        yield Hit(("controller",), params={"what": what, "fields": fields})


def business_id(ctx: Context) -> Iterator[Hit]:
    """E01: a company names its business id."""
    if not (ctx.site.controller.business_id or "").strip():
        yield Hit(("controller",))


def representative(ctx: Context) -> Iterator[Hit]:
    """E02: the site says whether an EU representative exists."""
    if ctx.site.representative is None:
        yield Hit(("controller",))


def dpo(ctx: Context) -> Iterator[Hit]:
    """E03: a DPO is named or explicitly `none`."""
    if ctx.site.dpo is None:
        yield Hit(("controller",))


def purposes(ctx: Context, register: Register) -> Iterator[Hit]:
    """E04: there is at least one purpose and each is described in every language."""
    if not register.purposes:
        yield Hit(("purposes",))
    for index, purpose in enumerate(register.purposes):
        yield from _missing_text(
            purpose.description, ("purposes", index, "description"), ctx.languages
        )


def legal_basis(ctx: Context, register: Register) -> Iterator[Hit]:
    """E05: every purpose names its Art 6(1) basis."""
    for index, purpose in enumerate(register.purposes):
        if not purpose.bases:
            yield Hit(
                ("purposes", index),
                params={"purpose": named_item(purpose.description, ("purposes", index))},
            )


def legitimate_interest(ctx: Context, register: Register) -> Iterator[Hit]:
    """E06: a purpose on legitimate interests states the interest."""
    for index, purpose in enumerate(register.purposes):
        if LegalBasis.legitimate_interests in purpose.bases:
            yield from _missing_text(
                purpose.legitimate_interest,
                ("purposes", index, "legitimate_interest"),
                ctx.languages,
            )


def data_categories(ctx: Context, register: Register) -> Iterator[Hit]:
    """E07: the categories of personal data are listed, none blank."""
    if not register.data_categories:
        yield Hit(("data_categories",))
    for index, category in enumerate(register.data_categories):
        yield from _missing_text(category.name, ("data_categories", index), ctx.languages)


def recipients(ctx: Context, register: Register) -> Iterator[Hit]:
    """E08: recipients or their categories are listed (mandatory when there are any)."""
    if not register.recipients:
        yield Hit(("recipients",))


def recipient_names(ctx: Context, register: Register) -> Iterator[Hit]:
    """E08: every listed recipient is named in every language."""
    for index, recipient in enumerate(register.recipients):
        yield from _missing_text(recipient.name, ("recipients", index, "name"), ctx.languages)


def transfers_stated(ctx: Context, register: Register) -> Iterator[Hit]:
    """E09: the register says `none`, lists its transfers, or gives every recipient's country."""
    if presence.transfers_stated(register):
        return
    yield Hit(("transfers_note",) if register.transfers_note else ())


def transfer_details(ctx: Context, register: Register) -> Iterator[Hit]:
    """E09: each transfer says which decision or safeguard applies and where to get a copy."""
    for transfer in register.third_country_transfers:
        if transfer.safeguards is not None:
            yield from _missing_text(
                transfer.safeguards.details,
                (
                    *transfer.key_path,
                    *(("transfer",) if transfer.key_path[0] == "recipients" else ()),
                    "details",
                ),
                ctx.languages,
            )
    analytics = ctx.site.analytics
    if register.website and analytics is not None:
        for index, transfer in enumerate(analytics.transfers):
            key = ("analytics", "transfers", index, "details")
            for hit in _missing_text(transfer.details, key, ctx.languages):
                yield Hit(hit.key_path, hit.language, owner="site")


def retention(ctx: Context, register: Register) -> Iterator[Hit]:
    """E10: the retention period or its criteria is given, for the register or every category."""
    for index, category in enumerate(register.data_categories):
        if category.retention is not None:
            key = ("data_categories", index, "retention")
            yield from _missing_text(category.retention, key, ctx.languages)
    if register.retention is not None:
        yield from _missing_text(register.retention, ("retention",), ctx.languages)
    elif not presence.retention_present(register):
        without = presence.categories_without_retention(register)
        if len(without) < len(register.data_categories):
            # Some categories give their own: the rest are the ones to fill.
            for index in without:
                yield Hit(("data_categories", index))
        else:
            yield Hit(("retention",))


def rights(ctx: Context, register: Register) -> Iterator[Hit]:
    """E11: an override of a standard rights text is not blank."""
    for right, text in register.rights.items():
        for lang in empty_languages(text, ctx.languages):
            yield Hit(("rights", right.value, lang), language=lang, params={"right": right.value})


def withdrawal(ctx: Context, register: Register) -> Iterator[Hit]:
    """E12: when cookies rest on consent, the notice says how to withdraw it.

    Purposes on consent are covered by the standard withdrawal text; a blanked override of it
    is an E11 finding.
    """
    if register.website and ctx.uses_consent_cookies():
        consent = ctx.site.consent
        if consent is None:
            yield Hit(("consent",) if register.consent else ("website",))
        else:
            for lang in empty_languages(consent.withdrawal, ctx.languages):
                yield Hit(("consent", "withdrawal", lang), lang, owner="site")


def complaint(ctx: Context, register: Register) -> Iterator[Hit]:
    """E13: the supervisory authority to complain to is named in site.yaml.

    A register's own complaint text does not stand in for it: the text may route complaints to
    the controller's own body (see `complaint-not-authority`), and the page links the authority.
    """
    if not presence.complaint_authority_present(ctx.site):
        yield Hit(("rights", "complaint") if "complaint" in register.rights else ())


def provision_requirement(ctx: Context, register: Register) -> Iterator[Hit]:
    """E14: the notice says whether providing the data is required and what follows if not.

    The register's prose, or `provision` on every data category, answers it.
    """
    if register.provision_requirement is not None or not presence.provision_present(register):
        yield from _missing_text(
            register.provision_requirement, ("provision_requirement",), ctx.languages
        )


def automated_decisions(ctx: Context, register: Register) -> Iterator[Hit]:
    """E15: automated decisions are described, or `none` is stated."""
    value = register.automated_decisions
    if not presence.automated_decisions_present(register):
        yield Hit(("automated_decisions",))
        return
    if not isinstance(value, list):
        return
    for index, decision in enumerate(value):
        yield from _missing_text(
            decision.description, ("automated_decisions", index, "description"), ctx.languages
        )


def sources(ctx: Context, register: Register) -> Iterator[Hit]:
    """E16: where the data comes from is stated, per category (`sources`) or in prose."""
    if register.sources is not None:
        yield from _missing_text(register.sources, ("sources",), ctx.languages)
    elif not presence.sources_present(register):
        yield Hit(("sources",))


def category_sources(ctx: Context, register: Register) -> Iterator[Hit]:
    """E16: where categories state their sources, no category is silent on its own."""
    for index in presence.categories_without_source(register):
        category = register.data_categories[index]
        key = format_key(("data_categories", index))
        name = next((v for v in category.name.values() if v.strip()), key)
        yield Hit(("data_categories", index), params={"category": name})


def security(ctx: Context, register: Register) -> Iterator[Hit]:
    """E21: security measures are described (optional, recommended)."""
    if register.security is None or (register.security.manual, register.security.electronic) == (
        None,
        None,
    ):
        yield Hit(("security",) if register.security else ())


def register_name(ctx: Context, register: Register) -> Iterator[Hit]:
    """E22: the register is named in every language."""
    yield from _missing_text(register.name, ("name",), ctx.languages)


def cookie_inventory(ctx: Context) -> Iterator[Hit]:
    """E23: cookie prose or analytics without a cookie list; Google Analytics without `_ga`."""
    site = ctx.site
    naming = _intro_naming_trackers(ctx)
    if not site.cookies and naming:
        # "We use Hotjar": the list lacks what the text names, in the language that names it.
        for lang in naming:
            yield Hit(("cookie_intro", lang), lang, params={"detail": _EMPTY_LIST})
    elif not site.cookies and (
        site.analytics or _intro_uses_cookies(site.cookie_intro) or _tracker_named(ctx)
    ):
        key = ("cookie_intro",) if site.cookie_intro else ("analytics",)
        yield Hit(key, params={"detail": _EMPTY_LIST})
    elif site.cookies and ctx.uses_google_analytics():
        if not any(cookie.name.startswith("_ga") for cookie in site.cookies):
            yield Hit(
                ("cookies",),
                params={
                    "detail": {
                        "en": "Google Analytics is used but `_ga` is not listed",
                        "fi": "Google Analytics on käytössä, mutta `_ga` puuttuu luettelosta",
                        "sv": "Google Analytics används men `_ga` saknas i förteckningen",
                    }
                },
            )


_EMPTY_LIST = {"en": "the list is empty", "fi": "luettelo on tyhjä", "sv": "listan är tom"}


def _intro_uses_cookies(intro: dict[str, str] | None) -> bool:
    """Return whether a cookie text says cookies are used; "we set no cookies" says they are not.

    With no cookie and no analytics declared, a text whose every sentence about cookies denies
    them is the truth, and an empty list is the right list.
    """
    if intro is None:
        return False
    for lang, text in intro.items():
        for sentence in sentences(text):
            for clause in morphology.clauses(sentence):
                if lexicon.has("device_tracking", lang, clause) and not lexicon.has(
                    "negation", lang, clause
                ):
                    return True
    return False


def _intro_naming_trackers(ctx: Context) -> list[str]:
    """Return the languages whose site cookie text names a tracker it does not deny."""
    intro = ctx.site.cookie_intro or {}
    return [lang for lang, text in intro.items() if structure.trackers_named(lang, text)]


def _tracker_named(ctx: Context) -> bool:
    """Return whether a website register names a tracker (a pixel, a tag) it does not deny."""
    return any(
        structure.trackers_named(item.language, item.text)
        for register in ctx.content.registers
        if register.website
        for item in ctx.localized_texts(register.id)
    )


def cookie_fields(ctx: Context) -> Iterator[Hit]:
    """E23: every cookie states name, provider, purpose and duration in every language."""
    for index, cookie in enumerate(ctx.site.cookies):
        for field in ("name", "provider"):
            if not getattr(cookie, field).strip():
                yield Hit(("cookies", index, field), params={"field": field})
        for field in ("purpose", "duration"):
            for lang in empty_languages(getattr(cookie, field), ctx.languages):
                yield Hit(("cookies", index, field, lang), lang, params={"field": field})


def cookie_third_party_access(ctx: Context) -> Iterator[Hit]:
    """E23 (Planet49): a non-necessary cookie says whether third parties can access its data."""
    for index, cookie in enumerate(ctx.site.cookies):
        if cookie.category.value != "necessary" and cookie.third_party_access is None:
            yield Hit(("cookies", index), params={"name": cookie.name})


def consent_mechanism(ctx: Context) -> Iterator[Hit]:
    """E23: non-necessary cookies or analytics need a described consent mechanism."""
    if ctx.uses_consent_cookies() or _intro_naming_trackers(ctx):
        if ctx.site.consent is None:
            yield Hit(("cookie_intro",) if ctx.site.cookie_intro else ())
        else:
            for lang in empty_languages(ctx.site.consent.mechanism, ctx.languages):
                yield Hit(("consent", "mechanism", lang), lang)
