"""Read the content model into processing activities: one per register and purpose.

This is the only module of `notice.records` that knows the content model's shape; the columns and
the writers see `Activity` alone. Texts stay localized (`{lang: text}`) so that one set of
activities serves every language and the JSON-LD, which carries them all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from notice import countries, i18n
from notice.loader import Content
from notice.model import (
    Contact,
    Controller,
    CookieCategory,
    Dpo,
    Purpose,
    Register,
    Safeguards,
    Site,
    address_line,
)
from notice.render import N_, analytics_title, cookie_name

Text = Mapping[str, str]
"""A localized text `{lang: text}`; a name that is the same in every language is `{"": name}`."""

NONE: Literal["none"] = "none"


@dataclass(frozen=True)
class Party:
    """A controller, joint controller, representative, DPO or contact person, and its contacts."""

    name: Text
    details: tuple[str, ...] = ()
    """Address, telephone, e-mail and web address, as written."""
    role: Text | None = None
    """A joint controller's part in the processing, or a named DPO's title."""
    essence: Text | None = None
    """The essence of a joint-controller arrangement (Art 26(2))."""
    dpo: Party | None = None
    """A joint controller's own data protection officer (format 2.1)."""


@dataclass(frozen=True)
class Receiver:
    """A recipient or category of recipients, with its role and country where known."""

    name: Text
    role: str | None = None
    """`RecipientRole` value: processor, sub_processor, controller, public_authority, internal."""
    country: str | None = None
    """ISO 3166-1 alpha-2 code."""

    @property
    def third_country(self) -> bool:
        """Whether the recipient is outside the EEA (a transfer under GDPR Chapter V)."""
        return countries.is_third_country(self.country)


@dataclass(frozen=True)
class Transfer:
    """A transfer to a third country and the Chapter V mechanisms it rests on."""

    recipient: Text
    country: str | None
    mechanisms: tuple[str, ...]
    """`TransferMechanism` values: adequacy, sccs, bcr, derogation, code_of_conduct, ... ."""
    decision: Text | None = None
    """The decision or safeguard by reference (`{"": ...}`: one string for every language)."""
    derogation_ground: str | None = None
    """`Art49Ground` value when a mechanism is a derogation."""
    details: Text | None = None
    """The decision or safeguard by name and where to get a copy."""
    scc_module: str | None = None
    """`SccModule` value when a mechanism is the standard contractual clauses."""
    impact_assessment: Text | None = None
    """The transfer impact assessment."""
    service: str | None = None
    """The website's analytics the transfer is made by, its name a gettext msgid (`Google
    Analytics`): set for a transfer of site.yaml `analytics.transfers`, None for the register's."""


@dataclass(frozen=True)
class Retention:
    """A time limit for erasure, for one category of data or (category None) for all."""

    period: Text
    category: Text | None = None


@dataclass(frozen=True)
class Special:
    """Special-category (Art 9) or criminal-offence (Art 10) data and what allows processing it."""

    category: Text
    kind: str
    """`SpecialCategory` value, or `criminal` for Art 10 data."""
    condition: str | None = None
    """`Art9Condition` value."""
    law: Text | None = None
    """The national law the condition or authorisation rests on."""


@dataclass(frozen=True)
class NamedSource:
    """A named source of a category of data (Art 14(2)(f))."""

    name: Text
    category: Text
    public: bool = False


@dataclass(frozen=True)
class Decision:
    """An automated decision or profiling, with what Art 13(2)(f) and 22 ask about it."""

    description: Text
    logic: Text | None = None
    significance: Text | None = None
    consequences: Text | None = None
    ground: str | None = None
    """`Art22Ground` value."""
    safeguards: Text | None = None


@dataclass(frozen=True)
class Measure:
    """A security measure: what it protects (a gettext msgid) and how."""

    label: str
    text: Text


@dataclass(frozen=True)
class Activity:
    """One processing activity (register × purpose) with every item of Art 30(1) and more."""

    id: str
    """`<register id>/<purpose id or number>`: stable while the purposes keep their ids."""
    register_id: str
    register_name: Text
    purpose: Text
    legal_bases: tuple[str, ...]
    """`LegalBasis` values (Art 6(1))."""
    national_law: Text | None
    """The law behind a legal obligation or public task (Art 6(3))."""
    legitimate_interest: Text | None
    special_categories: tuple[Special, ...]
    controller: Party
    joint_controllers: tuple[Party, ...]
    representative: Party | Literal["none"] | None
    dpo: Party | Literal["none"] | None
    contact: Party | None
    data_subjects: tuple[Text, ...]
    data_categories: tuple[Text, ...]
    sources: tuple[Text, ...]
    named_sources: tuple[NamedSource, ...]
    recipients: tuple[Receiver, ...]
    transfers: tuple[Transfer, ...] | Literal["none"] | None
    retention: tuple[Retention, ...]
    security: tuple[Measure, ...]
    automated_decisions: tuple[Decision, ...] | Literal["none"] | None
    systems: tuple[str, ...]
    review_date: dt.date | None

    @property
    def third_country_recipients(self) -> tuple[Receiver, ...]:
        """Recipients outside the EEA: those listed so, and every other transfer's recipient."""
        found = [r for r in self.recipients if r.third_country]
        if isinstance(self.transfers, tuple):
            named = {_key(r.name) for r in found}
            for transfer in self.transfers:
                if _key(transfer.recipient) not in named:
                    found.append(Receiver(transfer.recipient, None, transfer.country))
        return tuple(found)


def _key(text: Text) -> tuple[str, ...]:
    return tuple(sorted(set(text.values())))


def activities(content: Content) -> list[Activity]:
    """Return every processing activity of the content, register by register, purpose by purpose."""
    result: list[Activity] = []
    for register in content.registers:
        shared = _register_items(content.site, register)
        purposes: list[Purpose | None] = list(register.purposes) or [None]
        for number, purpose in enumerate(purposes, start=1):
            result.append(
                Activity(
                    id=f"{register.id}/{purpose.id if purpose and purpose.id else number}",
                    register_id=register.id,
                    register_name=register.name,
                    purpose=purpose.description if purpose else {},
                    legal_bases=tuple(b.value for b in purpose.bases) if purpose else (),
                    national_law=purpose.national_law if purpose else None,
                    legitimate_interest=purpose.legitimate_interest if purpose else None,
                    recipients=tuple(
                        Receiver(r.name, r.role.value if r.role else None, r.country)
                        for r in register.recipients
                        if _serves(purpose, r.purposes)
                    ),
                    transfers=_transfers(content.site, register, purpose),
                    **{
                        **shared,
                        **_purpose_items(register, purpose, shared),
                        "retention": (
                            *shared["retention"],  # type: ignore[misc] - a tuple of Retention
                            *_website_retention(content.site, register, purpose),
                        ),
                    },
                )
            )
    return result


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]])")
"""Characters of a cookie's name (`_ga_<container-id>`) that inline Markdown would read as
emphasis, code or a link (it shows `<` and `>` as they are: no raw HTML)."""

EVENT_DATA = N_("event data %(period)s (the retention set in the service)")
ANALYTICS_COOKIE = N_("cookie %(name)s %(duration)s")


def _website_retention(site: Site, register: Register, purpose: Purpose | None) -> list[Retention]:
    """Return how long the website's analytics keeps what it collects, for an activity it serves
    (as for its transfers, `_transfers`): the event-data retention set in the service and each
    analytics cookie's lifetime, from site.yaml. The notice shows them in its analytics and
    cookie sections; the record says them in its own cell, in words that need no page around."""
    analytics = site.analytics
    if not register.website or analytics is None:
        return []
    if not _serves(purpose, _analytics_purposes(site, register)):
        return []
    cookies = [c for c in site.cookies if c.category == CookieCategory.analytics]
    if not analytics.data_retention_months and not cookies:
        return []
    period: dict[str, str] = {}
    title: dict[str, str] = {}
    for language in site.languages:
        lang = language.value
        messages = i18n.translations(lang)
        parts = []
        months = analytics.data_retention_months
        if months:
            count = messages.ngettext("%(count)s month", "%(count)s months", months)
            parts.append(messages.gettext(EVENT_DATA) % {"period": count % {"count": months}})
        for cookie in cookies:
            duration = cookie.duration.get(lang) or next(iter(cookie.duration.values()), "")
            name = _MARKDOWN_SPECIALS.sub(r"\\\1", cookie_name(cookie.name, analytics))
            parts.append(messages.gettext(ANALYTICS_COOKIE) % {"name": name, "duration": duration})
        period[lang] = "; ".join(parts)
        title[lang] = messages.gettext(analytics_title(site))
    return [Retention(period, title)]


_PER_PURPOSE = ("data_subjects", "data_categories", "automated_decisions")
"""Items a format-2.1 purpose narrows: its own data, people and automated decisions."""


def _purpose_items(
    register: Register, purpose: Purpose | None, shared: dict[str, object]
) -> dict[str, object]:
    """Return the data categories, data subjects and decisions of one purpose: its own where it
    names them, else the register's (`shared`)."""
    items = {key: shared[key] for key in _PER_PURPOSE}
    if purpose is None:
        return items
    if purpose.data_categories:
        items["data_categories"] = tuple(
            c.record_name for c in register.data_categories if c.id in purpose.data_categories
        )
    if purpose.data_subjects:
        items["data_subjects"] = (purpose.data_subjects,)
    decisions = items.get("automated_decisions")
    if isinstance(decisions, tuple) and isinstance(register.automated_decisions, list):
        kept = [
            decision
            for decision, source in zip(decisions, register.automated_decisions, strict=True)
            if _serves(purpose, source.purposes)
        ]
        items["automated_decisions"] = tuple(kept) if kept else NONE
    return items


def _serves(purpose: Purpose | None, ids: list[str]) -> bool:
    """Return whether a recipient serving purposes `ids` (none listed: every one) serves this."""
    return not ids or purpose is None or purpose.id in ids


def _transfers(
    site: Site, register: Register, purpose: Purpose | None
) -> tuple[Transfer, ...] | Literal["none"] | None:
    """Return the transfers of this purpose: of its recipients abroad, the listed ones, then the
    website analytics' that the notice lists for the register (`Register.website_transfers`)."""
    found = []
    for transfer in register.third_country_transfers:
        if transfer.key_path[0] == "recipients":
            recipient = register.recipients[int(transfer.key_path[1])]
            if not _serves(purpose, recipient.purposes):
                continue
        recipient = transfer.recipient
        if transfer.key_path[0] == "transfers":
            # A listed transfer names its recipient in one string, the same in every language
            # (the model repeats it per language): a name, in no language of its own.
            recipient = {"": next(iter(recipient.values()), "")}
        found.append(_transfer(recipient, transfer.country, transfer.safeguards))
    website = register.website_transfers(site)
    if website and _serves(purpose, _analytics_purposes(site, register)):
        service = analytics_title(site)
        for transfer in website:
            recipient = {"": next(iter(transfer.recipient.values()), "")}
            told = _transfer(recipient, transfer.country, transfer.safeguards)
            found.append(replace(told, service=service))
    if found:
        return tuple(found)
    # The register answers the question when it says `none` or names transfers of other purposes.
    answered = register.transfers == NONE or bool(register.third_country_transfers or website)
    return NONE if answered else None


def _analytics_purposes(site: Site, register: Register) -> list[str]:
    """Return the purposes the website's analytics serves in `register`: those of its recipient
    named as the analytics' provider (site.yaml `analytics.provider`), else none named (every
    purpose, as for a transfer the register lists without a recipient)."""
    provider = site.analytics.provider if site.analytics else None
    if not provider:
        return []
    for recipient in register.recipients:
        if provider.casefold() in {name.casefold() for name in recipient.name.values()}:
            return recipient.purposes
    return []


def _transfer(recipient: Text, country: str | None, safeguards: Safeguards | None) -> Transfer:
    if safeguards is None:
        return Transfer(recipient, country, ())
    decision = safeguards.decision
    return Transfer(
        recipient,
        country,
        tuple(m.value for m in safeguards.all_mechanisms),
        {"": decision} if isinstance(decision, str) else decision,
        safeguards.derogation_ground.value if safeguards.derogation_ground else None,
        safeguards.details,
        safeguards.scc_module.value if safeguards.scc_module else None,
        safeguards.impact_assessment,
    )


def _register_items(site: Site, register: Register) -> dict[str, object]:
    """Return what every activity of `register` shares (all but the purpose and its parties)."""
    security = register.security
    measures = []
    if security is not None:
        if security.manual:
            measures.append(Measure(N_("Manual records"), security.manual))
        if security.electronic:
            measures.append(Measure(N_("Electronic records"), security.electronic))
    if register.cctv is not None:
        measures.append(Measure(N_("Who may view the recordings"), register.cctv.viewers))
    if register.research is not None and register.research.pseudonymisation_key:
        measures.append(
            Measure(
                N_("Who holds the pseudonymisation key"), register.research.pseudonymisation_key
            )
        )
    record = register.record
    if record is not None and record.security_measures:
        measures.append(Measure(N_("In detail"), record.security_measures))
    automated: tuple[Decision, ...] | Literal["none"] | None
    if isinstance(register.automated_decisions, list):
        automated = tuple(
            Decision(
                d.description,
                d.logic,
                d.significance,
                d.consequences,
                d.ground.value if d.ground else None,
                d.safeguards,
            )
            for d in register.automated_decisions
        )
    else:
        automated = register.automated_decisions
    categories = register.data_categories
    special = [
        Special(
            c.record_name,
            c.special.category.value,
            _value(c.special.condition),
            c.special.national_law,
        )
        for c in categories
        if c.special is not None
    ]
    special += [
        Special(c.record_name, "criminal", None, c.criminal.authorisation)
        for c in categories
        if c.criminal is not None
    ]
    # What the record says in its own words (`record:`, a category's own `record:`) before the
    # notice's wording.
    retention_text = (record.retention if record else None) or register.retention
    sources = (record.sources if record else None) or register.sources
    retention = [Retention(retention_text)] if retention_text else []
    retention += [
        Retention(c.record_retention, c.record_name) for c in categories if c.record_retention
    ]
    return {
        "special_categories": tuple(special),
        "controller": _party(register.controller or site.controller),
        "joint_controllers": tuple(
            Party(_name(jc), _details(jc), jc.role, jc.essence, _joint_dpo(jc.dpo))
            for jc in register.joint_controllers
        ),
        "representative": _party_or_none(register.representative or site.representative),
        "dpo": _dpo(register.dpo_for(site)),
        "contact": _party(register.contact_for(site)),
        "data_subjects": (register.data_subjects,) if register.data_subjects else (),
        "data_categories": tuple(c.record_name for c in categories),
        "sources": (sources,) if sources else (),
        "named_sources": tuple(
            NamedSource(source.name, c.record_name, source.publicly_accessible)
            for c in categories
            for source in c.sources
            if not isinstance(source, str)
        ),
        "retention": tuple(retention),
        "security": tuple(measures),
        "automated_decisions": automated,
        "systems": tuple(record.systems) if record else (),
        "review_date": (record.review_date if record else None)
        or register.updated
        or register.prepared,
    }


def _value(member: object) -> str | None:
    return getattr(member, "value", None)


def _name(controller: Controller) -> Text:
    return controller.localized_name or {"": controller.name}


def _details(contact: Contact | Dpo) -> tuple[str, ...]:
    address = address_line(contact.street_address, contact.postal_code, contact.city)
    return tuple(d for d in (address, contact.phone, contact.email, contact.url) if d)


def _party(contact: Contact) -> Party:
    name = _name(contact) if isinstance(contact, Controller) else {"": contact.name}
    return Party(name, _details(contact))


def _party_or_none(value: Contact | Literal["none"] | None) -> Party | Literal["none"] | None:
    return value if value is None or value == NONE else _party(value)


def _joint_dpo(value: Dpo | None) -> Party | None:
    party = _dpo(value)
    return party if isinstance(party, Party) else None


def _dpo(value: Dpo | Literal["none"] | None) -> Party | Literal["none"] | None:
    if value is None or value == NONE:
        return value
    if value.name:
        return Party({"": value.name}, _details(value), value.title)
    return Party(value.title or {}, _details(value))
