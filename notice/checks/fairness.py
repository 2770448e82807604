"""Rules on conditions a notice may not set (LEGAL.md §8): fees, barriers, bundling, children.

- Art 12(5): requests are free; a notice may not make them cost money, require a visit in person
  or demand a copy of an identity document by default (Art 12(6), EDPB Guidelines 01/2022).
- Art 7(4): consent to advertising inside the terms of use is not free.
- Art 8 and 1050/2018 s 5: in Finland a child of 13 consents; below that a parent does, and a
  self-ticked "my parent agrees" box does not verify it.
- Art 5(1)(e), 13(2)(a): "kept permanently" needs the law that requires it; "as long as
  necessary" is no period (WP260 rev.01, para 43).
- Art 13(2)(d), 77: complaints go to a supervisory authority, not to the controller's own body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from notice.checks import lexicon
from notice.checks.consistency import _FINNISH_AUTHORITY
from notice.checks.context import Context
from notice.checks.findings import Hit
from notice.checks.memo import per_run
from notice.checks.walk import TextItem, any_sentence, localized, quote, sentences
from notice.model import LegalBasis, Register, Right, all_urls

_REQUEST_SECTIONS = frozenset({"rights", "restrictions", "summary", "contact"})


def _request_texts(
    ctx: Context, register: Register, predicate: Callable[[str | None, str], bool]
) -> Iterator[TextItem]:
    """Yield the texts that tell a person how to use their rights, if any says `predicate`."""
    # Only a text with a sentence that satisfies the predicate can be reported.
    if register.id not in ctx.owners_with(any_sentence(predicate), sections=_REQUEST_SECTIONS):
        return
    for item in ctx.localized_texts(register.id):
        if item.key_path[0] in _REQUEST_SECTIONS:
            yield item


def _names_a_right(language: str | None, sentence: str) -> bool:
    """Return whether a sentence names using a right (a request, an objection, another right)."""
    return any(
        lexicon.has(concept, language, sentence)
        for concept in ("request", "other_rights", "objection")
    )


def _first_sentence(
    item: TextItem, predicate: Callable[[str | None, str], bool], *, rights_only: bool = False
) -> str | None:
    # With `rights_only`, a sentence counts in a rights text, or elsewhere when it names a right.
    must_name_a_right = rights_only and item.key_path[0] != "rights"
    return _first_of(predicate, item.language, item.text, must_name_a_right)


@per_run
def _first_of(
    predicate: Callable[[str | None, str], bool],
    language: str | None,
    text: str,
    must_name_a_right: bool,
) -> str | None:
    """Return the first sentence of `text` that satisfies `predicate` (remembered per run)."""
    for sentence in sentences(text):
        if must_name_a_right and not _names_a_right(language, sentence):
            continue
        if predicate(language, sentence):
            return sentence
    return None


def _texts_saying(
    ctx: Context, register: Register, predicate: Callable[[str | None, str], bool]
) -> tuple[TextItem, ...]:
    """Return the register's localized texts, or none when no sentence of them says `predicate`."""
    if register.id not in ctx.owners_with(any_sentence(predicate)):
        return ()
    return ctx.localized_texts(register.id)


_AMOUNT = re.compile(r"\d+([.,]\d+)?\s*(€|e\b|eur\b|euro)|€\s*\d", re.IGNORECASE)


def _charges(language: str | None, sentence: str) -> bool:
    # A fee for a request, or an amount: "membership fee records" in an erasure text is data.
    return (
        lexicon.has("fee", language, sentence)
        and (lexicon.has("request", language, sentence) or bool(_AMOUNT.search(sentence)))
        and not lexicon.has("free_of_charge", language, sentence)
    )


def request_fee(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 12(5): a request is made to cost money."""
    for item in _request_texts(ctx, register, _charges):
        sentence = _first_sentence(item, _charges, rights_only=True)
        if sentence:
            yield Hit(item.key_path, item.language, {"quote": quote(sentence)})


def _in_person_only(language: str | None, sentence: str) -> bool:
    return lexicon.has("in_person", language, sentence) and lexicon.has("only", language, sentence)


def request_in_person(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 12(2): requests only in person (a visit) make using the rights hard."""
    for item in _request_texts(ctx, register, _in_person_only):
        sentence = _first_sentence(item, _in_person_only, rights_only=True)
        if sentence:
            yield Hit(item.key_path, item.language, {"quote": quote(sentence)})


def _demands_id_copy(language: str | None, sentence: str) -> bool:
    return lexicon.has("id_copy", language, sentence) and not lexicon.has(
        "reasonable_doubt", language, sentence
    )


def request_id_copy(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 12(6): an identity document demanded by default, not on reasonable doubt."""
    for item in _request_texts(ctx, register, _demands_id_copy):
        sentence = _first_sentence(item, _demands_id_copy, rights_only=True)
        if sentence:
            yield Hit(item.key_path, item.language, {"quote": quote(sentence)})


def complaint_not_authority(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 77: a complaint text that names no supervisory authority routes complaints elsewhere."""
    override = register.rights.get(Right.complaint)
    for item in localized(override, ("rights", "complaint")):
        if item.text.strip() and not lexicon.has("supervisory_authority", item.language, item.text):
            yield Hit(item.key_path, item.language, {"quote": quote(item.text)})


# --- Art 7(4) bundling ---------------------------------------------------------------------------


def _bundles(language: str | None, sentence: str) -> bool:
    # "By accepting the terms you also agree to advertising": terms, marketing, acceptance and
    # the word that ties them together; "separately", "only with your consent" say otherwise.
    return (
        lexicon.has("terms", language, sentence)
        and lexicon.has("marketing", language, sentence)
        and lexicon.has("accept", language, sentence)
        and lexicon.has("bundle", language, sentence)
        and not lexicon.has("negation", language, sentence)
        and not lexicon.has("separate", language, sentence)
    )


def consent_bundled(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 7(4): advertising consent inside the terms; direct marketing resting on the contract."""
    for item in _texts_saying(ctx, register, _bundles):
        sentence = _first_sentence(item, _bundles)
        if sentence:
            yield Hit(item.key_path, item.language, {"quote": quote(sentence)})
    for index, purpose in enumerate(register.purposes):
        if purpose.direct_marketing and purpose.bases == [LegalBasis.contract]:
            key = "legal_bases" if purpose.legal_bases else "legal_basis"
            text = next(iter(purpose.description.values()), "")
            yield Hit(("purposes", index, key), params={"quote": quote(text)})


# --- children ------------------------------------------------------------------------------------

FINLAND_CONSENT_AGE = 13
_OTHER_AGE = re.compile(r"\b(1[4-8])\b")


def _finnish(ctx: Context) -> bool:
    """Return whether Finnish law governs the site: a Finnish notice or the Finnish authority."""
    authority = ctx.site.supervisory_authority
    if authority is not None:
        urls = all_urls(authority.url)
        named = " ".join([*authority.name.values(), authority.email or "", *urls])
        return bool(_FINNISH_AUTHORITY.search(named))
    return "fi" in ctx.languages


# An age range says who the users are ("users aged 9 to 15", "9–15-vuotiaat"), not from which age
# a child consents.
_AGE_RANGE = re.compile(r"\b\d+\s*(?:[–—-]|to|till|och)\s*\d+\b")


def _wrong_age(language: str | None, s: str) -> bool:
    # Art 8 is about online services; "under-18s need a guardian's consent for the camp" is not.
    return (
        # The cheap search first: an age left once ranges are taken out stood there before (a
        # range starts and ends at a word boundary, so an age beside it is no word of its own).
        bool(_OTHER_AGE.search(s))
        and bool(_OTHER_AGE.search(_AGE_RANGE.sub(" ", s)))
        and lexicon.has("child", language, s)
        and lexicon.has("online", language, s)
        and (lexicon.has("consent", language, s) or lexicon.has("parent", language, s))
    )


def children_consent_age(ctx: Context, register: Register) -> Iterator[Hit]:
    """1050/2018 s 5: in Finland a child's own consent counts from 13, not from another age."""
    if not _finnish(ctx):
        return
    children = register.children
    if children is not None and children.consent_age != FINLAND_CONSENT_AGE:
        yield Hit(
            ("children", "consent_age"), params={"quote": f"consent_age: {children.consent_age}"}
        )
    for item in _texts_saying(ctx, register, _wrong_age):
        sentence = _first_sentence(item, _wrong_age)
        if sentence:
            yield Hit(item.key_path, item.language, {"quote": quote(sentence)})


def _self_declared(language: str | None, sentence: str) -> bool:
    return (
        lexicon.has("parent", language, sentence)
        and lexicon.has("self_ticked", language, sentence)
        and not lexicon.has("verified", language, sentence)
    )


def children_parental_verification(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 8(2): a parent's consent "verified" by the child's own ticked box is not verified."""
    for item in _texts_saying(ctx, register, _self_declared):
        sentence = _first_sentence(item, _self_declared)
        if sentence:
            yield Hit(item.key_path, item.language, {"quote": quote(sentence)})


# --- retention -----------------------------------------------------------------------------------


def _retention_texts(ctx: Context, register: Register) -> Iterator[TextItem]:
    # `retention`, then each data category's `retention`, from the walk already made.
    yield from ctx.localized_in(register.id, "retention")
    for item in ctx.localized_in(register.id, "data_categories"):
        if item.key_path[2:3] == ("retention",):
            yield item


_DIGIT = re.compile(r"\d")


def retention_vague(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 13(2)(a), WP260: "as long as necessary" or "until further notice" is no period."""
    for item in _retention_texts(ctx, register):
        # A number, a duration or a law in the text gives the period the phrase stands beside.
        if _DIGIT.search(item.text) or any(
            lexicon.has(concept, item.language, item.text)
            for concept in ("duration_unit", "law_reference")
        ):
            continue
        for sentence in sentences(item.text):
            if lexicon.has("as_long_as_necessary", item.language, sentence):
                yield Hit(item.key_path, item.language, {"quote": quote(sentence)})
                break


def retention_permanent(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 5(1)(e): data kept permanently without the law that requires it."""
    for item in _retention_texts(ctx, register):
        if lexicon.has("law_reference", item.language, item.text):
            continue
        for sentence in sentences(item.text):
            if (
                lexicon.has("permanent", item.language, sentence)
                and not lexicon.has("negation", item.language, sentence)
                and not lexicon.has("deletion", item.language, sentence)
            ):
                yield Hit(item.key_path, item.language, {"quote": quote(sentence)})
                break
