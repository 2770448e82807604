"""Consistency rules: what a notice says must agree with what it does (LEGAL.md §2)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from notice.checks import language as morphology
from notice.checks import lexicon
from notice.checks.context import Context, has_marketing_purpose
from notice.checks.findings import UI_LANGUAGES, Hit, Param, listed
from notice.checks.memo import per_run
from notice.checks.walk import (
    TextItem,
    any_sentence,
    host_of,
    localized,
    quote,
    sentence_matches,
    sentences,
)
from notice.loader import format_key
from notice.model import LegalBasis, ProvisionRequirement, Register, Right, all_urls


def _hits(matches: Iterator[tuple[TextItem, str]], owner: str | None = None) -> Iterator[Hit]:
    for item, sentence in matches:
        yield Hit(item.key_path, item.language, {"quote": quote(sentence)}, owner=owner)


def says_consent_not_needed(language: str | None, sentence: str) -> bool:
    """Return whether a sentence claims that consent is not needed."""
    # Meaning, not wording: consent + negation + need, unless it is about necessary cookies
    # (which indeed need no consent) or scoped to "other processing".
    return (
        lexicon.has("consent", language, sentence)
        and lexicon.has("negation", language, sentence)
        and lexicon.has("need", language, sentence)
        and not lexicon.has("necessary_cookies", language, sentence)
        and not lexicon.has("scoped", language, sentence)
    )


def consent_not_needed(ctx: Context) -> Iterator[Hit]:
    """Find "consent is not needed" while analytics or marketing cookies are used."""
    if not ctx.uses_consent_cookies():
        return
    yield from _hits(sentence_matches(ctx.site_texts(), says_consent_not_needed), "site")
    for register in ctx.content.registers:
        if register.website:
            matches = sentence_matches(ctx.localized_texts(register.id), says_consent_not_needed)
            yield from _hits(matches, register.id)


_WORD = re.compile(r"\w+")


def interest_is_relationship(ctx: Context, register: Register) -> Iterator[Hit]:
    """Find a legitimate interest that names a relationship instead of an interest."""
    for index, purpose in enumerate(register.purposes):
        for item in localized(
            purpose.legitimate_interest, ("purposes", index, "legitimate_interest")
        ):
            words = _WORD.findall(item.text)
            # A short phrase naming the relationship is the defect; a sentence explaining an
            # interest that arises from a relationship is fine.
            if 0 < len(words) <= 5 and lexicon.has("relationship", item.language, item.text):
                yield Hit(item.key_path, item.language, {"quote": quote(item.text)})


def interest_without_basis(ctx: Context, register: Register) -> Iterator[Hit]:
    """Find a legitimate interest on a purpose whose basis is not legitimate interests."""
    for index, purpose in enumerate(register.purposes):
        if purpose.legitimate_interest and LegalBasis.legitimate_interests not in purpose.bases:
            basis: Param = {"en": "not given", "fi": "antamatta", "sv": "inte angiven"}
            if purpose.bases:
                basis = ", ".join(b.value for b in purpose.bases)
            yield Hit(("purposes", index, "legitimate_interest"), params={"basis": basis})


_CONTRACT_PROVISIONS = {
    ProvisionRequirement.contractual: {
        "en": "required by contract",
        "fi": "sopimukseen perustuva vaatimus",
        "sv": "ett avtalsenligt krav",
    },
    ProvisionRequirement.contract_prerequisite: {
        "en": "needed to make a contract",
        "fi": "sopimuksen tekemisen edellytys",
        "sv": "en förutsättning för att ingå ett avtal",
    },
}


def provision_without_contract(ctx: Context, register: Register) -> Iterator[Hit]:
    """E14: a category said to be required by a contract, while no purpose rests on one.

    Art 13(2)(e) asks whether providing the data is a contractual requirement or one needed to
    enter into a contract: saying so is false when the register makes no contract with the person
    (no purpose's basis is `contract`), and the reader is told of an obligation they do not have.
    """
    if any(LegalBasis.contract in purpose.bases for purpose in register.purposes):
        return
    for index, category in enumerate(register.data_categories):
        said = _CONTRACT_PROVISIONS.get(category.provision) if category.provision else None
        if said is None:
            continue
        key = format_key(("data_categories", index))
        fallback = next((v for v in category.name.values() if v.strip()), key)
        name = {lang: category.name.get(lang) or fallback for lang in UI_LANGUAGES}
        yield Hit(
            ("data_categories", index, "provision"),
            params={"category": name, "provision": said},
        )


def law_one_string(ctx: Context, register: Register) -> Iterator[Hit]:
    """A restriction's `law` written once is shown as such in every language of the notice.

    "GDPR 17(3)(b), (e)" then stands in the Finnish and Swedish text as an English citation; a
    localized `law` reads "tietosuoja-asetuksen 17 artiklan 3 kohdan b alakohta" in Finnish.
    """
    if len(ctx.languages) < 2:
        return
    for index, restriction in enumerate(register.restrictions):
        if isinstance(restriction.law, str) and restriction.law.strip():
            yield Hit(("restrictions", index, "law"), params={"law": restriction.law})


def objection_content(ctx: Context, register: Register) -> Iterator[Hit]:
    """E20: an overridden objection text describes the right to object, not other rights."""
    override = register.rights.get(Right.objection)
    for item in localized(override, ("rights", "objection")):
        # The defect is a section about other rights; plain words for objecting are fine.
        if item.text.strip() and not lexicon.has("objection", item.language, item.text):
            others = lexicon.find_all("other_rights", item.language, item.text)
            if others:
                yield Hit(item.key_path, item.language, {"words": ", ".join(others)})


def objection_marketing(ctx: Context, register: Register) -> Iterator[Hit]:
    """E20: with direct marketing as a purpose, an overridden objection text names it."""
    if not has_marketing_purpose(register):
        return
    override = register.rights.get(Right.objection)
    for item in localized(override, ("rights", "objection")):
        if item.text.strip() and not _names_marketing_objection(item.language, item.text):
            yield Hit(item.key_path, item.language)


def _names_marketing_objection(language: str | None, text: str) -> bool:
    """Return whether a text names marketing, or refusing the messages marketing comes by.

    "You can forbid the e-mail about member benefits at any time" objects to the direct
    marketing those e-mails are, without the word.
    """
    if lexicon.has("marketing", language, text):
        return True
    return any(
        lexicon.has("objection", language, sentence)
        and lexicon.has("marketing_channel", language, sentence)
        for sentence in sentences(text)
    )


def _direct_marketing_objection(language: str | None, sentence: str) -> bool:
    return lexicon.has("marketing", language, sentence) and lexicon.has(
        "objection", language, sentence
    )


def objection_buried(ctx: Context, register: Register) -> Iterator[Hit]:
    """E20: the direct-marketing objection stands in another section instead of objection's."""
    override = register.rights.get(Right.objection)
    if override is None:
        return  # the standard objection text names direct marketing
    if any(_direct_marketing_objection(lang, text) for lang, text in override.items()):
        return
    # Buried means in another right's section; "objections to marketing" as a data category
    # or in the retention text is what is kept, not how to object.
    items = (
        item
        for item in ctx.localized_texts(register.id)
        if item.key_path[0] == "rights" and item.key_path[:2] != ("rights", "objection")
    )
    yield from _hits(sentence_matches(items, _direct_marketing_objection))


def is_transfer_statement(language: str | None, sentence: str) -> bool:
    """Return whether a sentence speaks of transfers outside the EEA (GDPR Chapter V)."""
    # A transfer to somewhere Chapter V cares about; "not disclosed outside the company" is not.
    places = ("eu", "eea", "abroad", "country_or_mechanism")
    return lexicon.has("transfer", language, sentence) and any(
        lexicon.has(place, language, sentence) for place in places
    )


def _transfer_prose(ctx: Context, register: Register) -> Iterator[tuple[TextItem, str]]:
    return sentence_matches(ctx.localized_texts(register.id), is_transfer_statement)


def _conditional_transfer(language: str | None, sentence: str) -> bool:
    # A text passes `any_sentence` of this as it passed "a transfer sentence of it with a
    # conditional word", sentence by sentence, so that each distinct sentence is asked once.
    return is_transfer_statement(language, sentence) and bool(
        lexicon.find("conditional", language, sentence)
    )


def transfers_conditional(ctx: Context, register: Register) -> Iterator[Hit]:
    """Find transfer statements made conditional ("unless necessary", "ellei", "tarvittaessa")."""
    if register.id not in ctx.owners_with(any_sentence(_conditional_transfer)):
        return
    for item, sentence in _transfer_prose(ctx, register):
        word = lexicon.find("conditional", item.language, sentence)
        if word:
            yield Hit(item.key_path, item.language, {"quote": quote(sentence), "word": word})


def _eu_not_eea(language: str | None, sentence: str) -> bool:
    about_eu = lexicon.has("eu", language, sentence) and lexicon.has("outside", language, sentence)
    return about_eu and not lexicon.has("eea", language, sentence)


def _eu_not_eea_transfer(language: str | None, sentence: str) -> bool:
    return is_transfer_statement(language, sentence) and _eu_not_eea(language, sentence)


def transfers_eu_not_eea(ctx: Context, register: Register) -> Iterator[Hit]:
    """Find transfer statements about the EU where the rule is about the EEA."""
    if register.id not in ctx.owners_with(any_sentence(_eu_not_eea_transfer)):
        return
    for item, sentence in _transfer_prose(ctx, register):
        if _eu_not_eea(item.language, sentence):
            yield Hit(item.key_path, item.language, {"quote": quote(sentence)})


def transfers_unspecified(ctx: Context, register: Register) -> Iterator[Hit]:
    """Find transfer prose without country or mechanism while Google Analytics sends data out."""
    if not (register.website and ctx.uses_google_analytics()):
        return
    if register.third_country_transfers:
        return
    # One text in three languages is one missing statement: one finding for each field.
    reported: set[tuple[str | int, ...]] = set()
    for item, sentence in _transfer_prose(ctx, register):
        # A localized text's path ends in its language: the field is the path without it.
        key = tuple(item.key_path)
        if key and key[-1] == item.language:
            key = key[:-1]
        if key in reported:
            continue
        if not lexicon.has("country_or_mechanism", item.language, item.text):
            reported.add(key)
            yield Hit(item.key_path, item.language, {"quote": quote(sentence)})


def ga_us_transfer(ctx: Context, register: Register) -> Iterator[Hit]:
    """Google Analytics on a website register needs a stated transfer to the United States."""
    if not (register.website and ctx.uses_google_analytics()):
        return
    stated = [t.country for t in ctx.site.analytics.transfers] if ctx.site.analytics else []
    stated += [t.country for t in register.third_country_transfers]
    if "US" not in stated:
        yield Hit(("transfers",) if register.transfers is not None else ("website",))


def recipients_vague(ctx: Context, register: Register) -> Iterator[Hit]:
    """Find vague recipients ("partners", "etc.", "where applicable")."""
    items = [*ctx.localized_in(register.id, "recipients")]
    items += ctx.localized_in(register.id, "disclosures")
    for item in items:
        words = _vague_words(item.language, item.text)
        if words:
            yield Hit(item.key_path, item.language, {"words": ", ".join(words)})


@per_run
def _vague_words(language: str | None, text: str) -> tuple[str, ...]:
    """Return the vague recipient words of a text, in order, each once (remembered per run)."""
    # "Kasvu Partners Oy" is a name, not a vague category of partners; "we disclose nothing
    # to third parties" names no recipient.
    unnamed = morphology.mask_proper_names(text)
    words = [
        word
        for sentence in sentences(unnamed)
        for clause in morphology.clauses(sentence)
        if not lexicon.has("negation", language, clause)
        for word in lexicon.find_all("vague", language, clause)
    ]
    return tuple(dict.fromkeys(words))


def recipients_google(ctx: Context, register: Register) -> Iterator[Hit]:
    """Google must be named as a recipient where Google Analytics is used."""
    if not (register.website and ctx.uses_google_analytics()):
        return
    names = [text for r in register.recipients for text in r.name.values()]
    names += [text for t in register.third_country_transfers for text in t.recipient.values()]
    if not any(lexicon.has("google", None, name) for name in names):
        yield Hit(("recipients",))


def _signed_request(language: str | None, sentence: str) -> bool:
    # "No signature is needed" / "pyyntöä ei tarvitse allekirjoittaa" says the opposite.
    return (
        lexicon.has("request", language, sentence)
        and lexicon.has("signed", language, sentence)
        and not lexicon.has("negation", language, sentence)
    )


def _signed_rights_request(language: str | None, sentence: str) -> bool:
    # Outside the rights texts only a sentence that names a right is about a request under it:
    # "a library card application needs a guardian's signature" is not.
    return _signed_request(language, sentence) and any(
        lexicon.has(concept, language, sentence) for concept in ("other_rights", "objection")
    )


_RIGHTS_SECTIONS = {"rights", "restrictions"}


def legacy_signed_request(ctx: Context, register: Register) -> Iterator[Hit]:
    """Find requests that must be signed (Personal Data Act 523/1999, repealed 2019)."""
    # A signed rights request is also a signed request: no such sentence, nothing to find.
    if register.id not in ctx.owners_with(any_sentence(_signed_request)):
        return
    texts = ctx.localized_texts(register.id)
    in_rights = [item for item in texts if item.key_path[0] in _RIGHTS_SECTIONS]
    elsewhere = [item for item in texts if item.key_path[0] not in _RIGHTS_SECTIONS]
    yield from _hits(sentence_matches(in_rights, _signed_request))
    yield from _hits(sentence_matches(elsewhere, _signed_rights_request))


def legacy_certificate(ctx: Context, register: Register) -> Iterator[Hit]:
    """Find a refusal given as a "written certificate" (Personal Data Act §28)."""
    if register.id not in ctx.owners_with(any_sentence(_written_certificate)):
        return
    yield from _hits(sentence_matches(ctx.localized_texts(register.id), _written_certificate))


# Module-level, not lambdas: `sentence_matches` remembers its answers per predicate and text.
def _written_certificate(language: str | None, sentence: str) -> bool:
    return lexicon.has("written_certificate", language, sentence) and not lexicon.has(
        "negation", language, sentence
    )


def legacy_ombudsman(ctx: Context, register: Register) -> Iterator[Hit]:
    """Find a refusal referred to the Ombudsman "for decision" (Personal Data Act §28)."""
    if register.id not in ctx.owners_with(any_sentence(_ombudsman_referral)):
        return
    yield from _hits(sentence_matches(ctx.localized_texts(register.id), _ombudsman_referral))


def _ombudsman_referral(language: str | None, sentence: str) -> bool:
    return lexicon.has("ombudsman_referral", language, sentence)


# Office of the Data Protection Ombudsman, checked at tietosuoja.fi (see LEGAL.md §2).
CURRENT_AUTHORITY = {
    "street": "lintulahdenkuja 4",
    "postal_codes": {"00530", "00531"},
    "phones": {"0295666700", "358295666700"},
    "email": "tietosuoja@om.fi",
    "host": "tietosuoja.fi",
}
_FINNISH_AUTHORITY = re.compile(
    r"tietosuojavaltuut|data protection ombudsman|dataombudsman|tietosuoja\.fi|@om\.fi", re.I
)
_POSTAL_CODE = re.compile(r"(?<![\d/.-])\d{5}(?![\d/.-])")
_STREET = re.compile(
    r"\b[A-ZÅÄÖ][a-zåäö]+(?:tie|katu|kuja|väylä|polku|tori|ranta|kaari|gatan|vägen|gränd)\s+\d+\b"
)
_PHONE = re.compile(r"(?:\+358|\b0)[\d\s-]{6,14}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def outdated_contact_values(text: str) -> list[str]:
    """Return the addresses, postal codes, phones and e-mails in `text` that are not current."""
    found: list[str] = []
    phones = _PHONE.findall(text)
    for phone in phones:
        text = text.replace(phone, " ")
    for street in _STREET.findall(text):
        if " ".join(street.lower().split()) != CURRENT_AUTHORITY["street"]:
            found.append(street)
    found += [c for c in _POSTAL_CODE.findall(text) if c not in CURRENT_AUTHORITY["postal_codes"]]
    for phone in phones:
        if re.sub(r"\D", "", phone) not in CURRENT_AUTHORITY["phones"]:
            found.append(phone.strip())
    found += [e for e in _EMAIL.findall(text) if e.lower() != CURRENT_AUTHORITY["email"]]
    return list(dict.fromkeys(found))


def _authority_passages(text: str) -> str:
    """Return the sentences that name the authority, each with the next (its address may follow).

    The controller's own phone or e-mail in the same text is not the authority's, so only these
    passages are compared with the current contact details.
    """
    parts = sentences(text)
    chosen: set[int] = set()
    for index, sentence in enumerate(parts):
        if _FINNISH_AUTHORITY.search(sentence):
            chosen |= {index, index + 1}
    return "\n".join(parts[i] for i in sorted(chosen) if i < len(parts))


def authority_outdated(ctx: Context) -> Iterator[Hit]:
    """Find outdated contact details of the Finnish supervisory authority."""
    authority = ctx.site.supervisory_authority
    if authority is not None and _FINNISH_AUTHORITY.search(
        " ".join([*authority.name.values(), authority.email or "", *all_urls(authority.url)])
    ):
        fields = {
            "street_address": authority.street_address,
            "postal_code": authority.postal_code,
            "postal_address": authority.postal_address,
            "phone": authority.phone,
            "email": authority.email,
        }
        for field, given in fields.items():
            # A place may be one string or a localized text: every language's name is checked.
            value = " ".join(given.values()) if isinstance(given, dict) else given
            old = outdated_contact_values(value or "")
            if field == "postal_code" and value and value.strip() not in {"00530"}:
                old = [value]
            if old:
                yield Hit(
                    ("supervisory_authority", field),
                    params={"values": ", ".join(old)},
                    owner="site",
                )
        # One address, or one per language: each must be the authority's own site.
        url = authority.url
        for lang, address in url.items() if isinstance(url, dict) else [(None, url)]:
            if address and not host_of(address).endswith(str(CURRENT_AUTHORITY["host"])):
                key_path = ("supervisory_authority", "url", *([lang] if lang else []))
                yield Hit(key_path, lang, params={"values": address}, owner="site")
    for register in ctx.content.registers:
        for item in localized(register.rights, ("rights",)):
            old = outdated_contact_values(_authority_passages(item.text))
            if old:
                params = {"values": ", ".join(old)}
                yield Hit(item.key_path, item.language, params, owner=register.id)


def _year_before(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def stale(ctx: Context, register: Register) -> Iterator[Hit]:
    """The notice was reviewed within the last 12 months."""
    last = register.updated or register.prepared
    if last < _year_before(ctx.today):
        key = "updated" if register.updated else "prepared"
        yield Hit((key,), params={"date": last.isoformat()})


def register_names_alike(ctx: Context) -> Iterator[Hit]:
    """Find registers with the same name in a language (case and spacing aside): the index lists
    them by name, so a reader cannot tell which notice is which. Reported at each such register's
    name in that language, naming all of them."""
    for lang in ctx.languages:
        by_name: dict[str, list[Register]] = {}
        for register in ctx.content.registers:
            name = register.name.get(lang, "")
            if name.strip():
                by_name.setdefault(" ".join(name.casefold().split()), []).append(register)
        for alike in by_name.values():
            if len(alike) < 2:
                continue
            ids = [f"'{register.id}'" for register in alike]
            registers = {ui: listed(ids, ui) for ui in UI_LANGUAGES}
            for register in alike:
                name = f'"{quote(register.name[lang])}"'
                params: dict[str, Param] = {"registers": registers, "name": name}
                yield Hit(("name", lang), lang, params, owner=register.id)
