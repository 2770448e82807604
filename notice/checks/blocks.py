"""Rules over the register blocks of format 2.1: each reads the structured field where it is given
and falls back to the register's words only where the block is absent.

- A register's own controller and each joint controller must be reachable (Art 13(1)(a), 26(1));
  a DPO must have contact details (Art 13(1)(b), 37(7)); a register with its own controller says
  whether that controller has a DPO, since the site's DPO is not that controller's.
- Research (Art 89(1); Data Protection Act 1050/2018 s 31): rights under Art 15, 16, 18 and 21 may
  be derogated only on an appropriate research plan, with safeguards (pseudonymisation where it
  serves) and the data protection impact assessment the Act requires before such processing.
- Health care (Act on the Processing of Client Data in Healthcare and Social Welfare 784/2021):
  a patient may refuse disclosure through the Kanta services and may see who used their data.
- Camera surveillance (Art 13, 5(1)(c); 1050/2018; Criminal Code 39/1889 ch 24 s 5): the notice
  says which areas are watched and how they are signposted; recording sound is eavesdropping
  unless there is a specific ground.
- Children (Art 8(1)-(2); 1050/2018 s 5): below 13 a parent consents and the controller makes
  reasonable efforts to verify it.
- Direct marketing (Information Society Code 917/2014 ss 200-202; Art 21(2)-(4)): e-mail, text
  and push messages to consumers need prior consent, except to an own customer; every message can
  be refused free of charge.
- Storage (917/2014 s 205): a localStorage entry or an SDK identifier is stored on the device like
  a cookie, so analytics and marketing ones need consent like cookies do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from notice.checks import language as morphology
from notice.checks import lexicon
from notice.checks.context import Context
from notice.checks.findings import Hit, named_item
from notice.checks.walk import localized, quote, sentences
from notice.model import (
    Art9Condition,
    Cookie,
    CookieCategory,
    DirectMarketing,
    Dpo,
    LawRef,
    LegalBasis,
    MarketingBasis,
    MarketingChannel,
    Register,
    Right,
    SpecialCategory,
    StorageType,
)

# --- controllers and DPOs ------------------------------------------------------------------------


def _name(controller: object) -> str:
    return str(getattr(controller, "name", "") or "?")


def register_controller_contact(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 13(1)(a), 26(1): a register's own controller and each joint controller are reachable."""
    controller = register.controller
    if controller is not None and not any(
        (controller.email, controller.phone, controller.street_address)
    ):
        yield Hit(("controller",), params={"name": _name(controller), "field": "controller"})
    for index, joint in enumerate(register.joint_controllers):
        if not any((joint.email, joint.phone, joint.street_address)):
            yield Hit(
                ("joint_controllers", index),
                params={"name": _name(joint), "field": f"joint_controllers.{index}"},
            )


def register_controller_own_contact(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 13(1)(a): a register with a controller of its own says who answers for it.

    Without its own `contact` the notice gives the controller's details, never the site
    owner's contact person, who does not speak for this controller.
    """
    if register.controller is not None and register.contact is None:
        yield Hit(("controller",), params={"name": _name(register.controller)})


def _dpo_unreachable(dpo: Dpo) -> bool:
    return not any((dpo.email, dpo.phone, dpo.street_address, dpo.url))


def dpo_contact(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 13(1)(b), 37(7): a DPO named for the register or a joint controller can be reached."""
    if isinstance(register.dpo, Dpo) and _dpo_unreachable(register.dpo):
        yield Hit(("dpo",), params={"field": "dpo"})
    for index, joint in enumerate(register.joint_controllers):
        if joint.dpo is not None and _dpo_unreachable(joint.dpo):
            yield Hit(
                ("joint_controllers", index, "dpo"),
                params={"field": f"joint_controllers.{index}.dpo"},
            )


def register_controller_dpo(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 13(1)(b): a register's own controller says whether it has a DPO.

    The site's `dpo` (an officer or `none`) is the site owner's answer, not this controller's,
    so the register must give its own. A public task is left to `public_authority_dpo`, which
    says more: one finding for one missing answer.
    """
    if (
        register.controller is not None
        and register.dpo is None
        and LegalBasis.public_task not in register.bases
    ):
        yield Hit(("controller",), params={"name": _name(register.controller)})


def public_authority_dpo(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 37(1)(a): processing for a public task is a public authority's, which needs a DPO."""
    if LegalBasis.public_task in register.bases and not isinstance(register.dpo_for(ctx.site), Dpo):
        index = next(
            i for i, p in enumerate(register.purposes) if LegalBasis.public_task in p.bases
        )
        path: tuple[str | int, ...] = ("dpo",) if register.dpo is not None else ("purposes", index)
        yield Hit(path)


# --- research ------------------------------------------------------------------------------------

_RESEARCH_RIGHTS = {Right.access, Right.rectification, Right.restriction, Right.objection}
_SECTION_31 = re.compile(r"1050/2018\D{0,40}\b31\b|\b31\s*§\D{0,40}1050/2018", re.IGNORECASE)


def _law_text(law: LawRef | None) -> str:
    if law is None:
        return ""
    return law if isinstance(law, str) else " ".join(law.values())


def _section_31(register: Register) -> list[int]:
    """Return the indexes of restrictions that cite 1050/2018 s 31 (research and statistics)."""
    return [
        index
        for index, restriction in enumerate(register.restrictions)
        if _SECTION_31.search(_law_text(restriction.law))
    ]


def _research_restrictions(register: Register) -> list[int]:
    """Return the indexes of the Art 15/16/18/21 restrictions a research register makes."""
    cited = set(_section_31(register))
    if register.research is None:
        return sorted(cited)
    return [
        index
        for index, restriction in enumerate(register.restrictions)
        if index in cited or restriction.right in _RESEARCH_RIGHTS
    ]


def _format_21(register: Register) -> bool:
    """Return whether the file is format 2.1, where the register blocks exist."""
    return register.version is not None and register.version >= 2.1


def _words_say(ctx: Context, register: Register, concept: str) -> bool:
    """Return whether any text of the register says `concept` (the fallback for format 2)."""
    return register.id in ctx.owners_with(_says(concept))


@cache
def _says(concept: str) -> Callable[[str | None, str], bool]:
    """Return a text test: whether a text says `concept` (one function per concept)."""

    def test(language: str | None, text: str) -> bool:
        return lexicon.has(concept, language, text)

    return test


def research_plan(ctx: Context, register: Register) -> Iterator[Hit]:
    """1050/2018 s 31(1): a restriction under s 31 rests on a research plan the notice describes.

    Format 2.1 says so in `research.plan`; a format-2 file only in words ("research plan").
    """
    if register.research is not None:
        return
    if not _format_21(register) and _words_say(ctx, register, "research_plan"):
        return
    for index in _section_31(register):
        yield Hit(("restrictions", index, "law"))


def research_impact_assessment(ctx: Context, register: Register) -> Iterator[Hit]:
    """1050/2018 s 31: rights restricted for research without the impact assessment."""
    research = register.research
    if research is None or research.impact_assessment is not None:
        return
    if _research_restrictions(register):
        yield Hit(("research",))


def research_safeguards(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 89(1): rights restricted for research; no word on who holds the pseudonymisation key."""
    research = register.research
    if research is None or research.pseudonymisation_key is not None:
        return
    if _research_restrictions(register):
        yield Hit(("research",))


# --- health --------------------------------------------------------------------------------------

_HEALTH_FIELDS = ("kanta_refusal", "access_log")


def _health_care(register: Register) -> int | None:
    """Return the index of the first health category processed for health or social care."""
    for index, category in enumerate(register.data_categories):
        special = category.special
        if (
            special is not None
            and special.category == SpecialCategory.health
            and special.condition == Art9Condition.health_or_social_care
        ):
            return index
    return None


def health_patient_rights(ctx: Context, register: Register) -> Iterator[Hit]:
    """784/2021: a patient register says how to refuse Kanta disclosure and get the access log."""
    health = register.health
    if health is not None:
        for field in _HEALTH_FIELDS:
            if getattr(health, field) is None:
                yield Hit(("health",), params={"field": f"`health.{field}`"})
        return
    # A format-2 file cannot give the block; its words about Kanta are no reliable stand-in.
    index = _health_care(register)
    if index is not None and _format_21(register):
        yield Hit(
            ("data_categories", index, "special"),
            params={"field": "`health.kanta_refusal`, `health.access_log`"},
        )


# --- camera surveillance -------------------------------------------------------------------------


def cctv_undeclared(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 13, 1050/2018: camera surveillance in words, no `cctv` block with areas and signs.

    A format-2 file cannot give the block: there the words must at least say how the areas are
    signposted.
    """
    if register.cctv is not None or not register.structured:
        return
    if not _format_21(register) and _words_say(ctx, register, "camera_sign"):
        return
    candidates = [*localized(register.name, ("name",))]
    for index, purpose in enumerate(register.purposes):
        candidates += localized(purpose.description, ("purposes", index, "description"))
    for item in candidates:
        for sentence in sentences(item.text):
            if lexicon.has("camera", item.language, sentence) and not lexicon.has(
                "negation", item.language, sentence
            ):
                yield Hit(item.key_path, item.language, {"quote": quote(sentence)})
                return


def cctv_audio(ctx: Context, register: Register) -> Iterator[Hit]:
    """Criminal Code 39/1889 ch 24 s 5, Art 5(1)(c): camera surveillance that records sound."""
    if register.cctv is not None and register.cctv.audio:
        yield Hit(("cctv", "audio"))


# --- children ------------------------------------------------------------------------------------


def children_parental_consent(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 8(2): a service on consent that admits children under the consent age says how a
    parent's consent is given and verified."""
    children = register.children
    if children is None or children.minimum_age is None or children.parental_consent is not None:
        return
    if children.minimum_age < children.consent_age and LegalBasis.consent in register.bases:
        yield Hit(
            ("children", "minimum_age"),
            params={"age": str(children.minimum_age), "consent_age": str(children.consent_age)},
        )


# --- direct marketing ----------------------------------------------------------------------------

_ELECTRONIC = {MarketingChannel.email, MarketingChannel.sms, MarketingChannel.push}


def marketing_electronic_consent(ctx: Context, register: Register) -> Iterator[Hit]:
    """917/2014 s 200: e-mail, text or push marketing to consumers on opt-out alone."""
    marketing = register.marketing
    if not isinstance(marketing, DirectMarketing):
        return
    for index, message in enumerate(marketing.channels):
        if message.channel in _ELECTRONIC and message.basis == MarketingBasis.opt_out:
            yield Hit(
                ("marketing", "channels", index, "basis"), params={"channel": message.channel.value}
            )


def marketing_refusal(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 21(2)-(4), 917/2014 s 200(2): the register says how to refuse direct marketing."""
    marketing = register.marketing
    if isinstance(marketing, DirectMarketing) and marketing.refusal is None:
        yield Hit(("marketing",))


def marketing_none_contradicted(ctx: Context, register: Register) -> Iterator[Hit]:
    """`marketing: none` while a purpose is direct marketing."""
    if register.marketing != "none":
        return
    for index, purpose in enumerate(register.purposes):
        if purpose.direct_marketing:
            named = named_item(purpose.description, ("purposes", index))
            yield Hit(("marketing",), params={"purpose": named})
            return


# --- cookies and other storage -------------------------------------------------------------------

_CONSENT_ONLY = {CookieCategory.analytics, CookieCategory.marketing}


def storage_basis(ctx: Context, register: Register) -> Iterator[Hit]:
    """917/2014 s 205: a register's analytics or marketing cookie, localStorage entry or SDK
    identifier rests on a basis other than consent."""
    for index, cookie in enumerate(register.cookies):
        if cookie.category in _CONSENT_ONLY and cookie.legal_basis not in (
            None,
            LegalBasis.consent,
        ):
            storage = cookie.storage.value if cookie.storage else "cookie"
            basis = cookie.legal_basis.value if cookie.legal_basis else ""
            yield Hit(
                ("cookies", index, "legal_basis"),
                params={"name": cookie.name, "storage": storage, "basis": basis},
            )


def _stored_not_as_cookies(ctx: Context) -> list[Cookie]:
    """Return the non-necessary entries of the site and its website registers kept on the device
    in another way than a cookie (localStorage, sessionStorage, an SDK identifier)."""
    entries = list(ctx.site.cookies)
    entries += [c for r in ctx.content.registers if r.website for c in r.cookies]
    return [
        c
        for c in entries
        if c.category != CookieCategory.necessary and c.storage not in (None, StorageType.cookie)
    ]


def _denies_tracking(language: str, text: str) -> bool:
    """Return whether every clause of a text that names cookies or tracking denies them."""
    naming = [
        (clause, lexicon.has("negation", language, clause))
        for sentence in sentences(text)
        for clause in morphology.clauses(sentence)
        if lexicon.has("device_tracking", language, clause)
    ]
    return bool(naming) and all(denied for _clause, denied in naming)


def storage_denied(ctx: Context) -> Iterator[Hit]:
    """917/2014 s 205: "we use no cookies" while a localStorage entry or an SDK identifier for
    analytics or marketing is stored on the device, which the same rule covers."""
    stored = _stored_not_as_cookies(ctx)
    if not stored or ctx.site.cookie_intro is None:
        return
    first = stored[0]
    storage = first.storage.value if first.storage else "cookie"
    for lang, text in ctx.site.cookie_intro.items():
        if _denies_tracking(lang, text):
            yield Hit(("cookie_intro", lang), lang, {"name": first.name, "storage": storage})
