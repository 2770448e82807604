"""Read the content model into processing activities: one per register and purpose.

This is the only module of `notice.records` that knows the content model's shape; the columns and
the writers see `Activity` alone. Texts stay localized (`{lang: text}`) so that one set of
activities serves every language and the JSON-LD, which carries them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from notice.loader import Content
from notice.model import Contact, Register, Site
from notice.render import N_

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
    """What this party is responsible for (a joint controller's part of the arrangement)."""


@dataclass(frozen=True)
class Receiver:
    """A recipient or category of recipients, with its role and country where known."""

    name: Text
    role: str | None = None
    """`RecipientRole` value: processor, controller, authority, internal."""
    country: str | None = None
    third_country: bool = False
    """Whether the recipient is outside the EEA (a transfer under GDPR Chapter V)."""


@dataclass(frozen=True)
class Transfer:
    """A transfer to a third country and the Chapter V mechanisms it rests on."""

    recipient: Text
    country: str
    mechanisms: tuple[str, ...]
    """`TransferMechanism` values: adequacy, sccs, bcr, derogation."""
    details: Text | None = None
    """The decision or safeguard by name and where to get a copy."""


@dataclass(frozen=True)
class Retention:
    """A time limit for erasure, for one category of data or (category None) for all."""

    period: Text
    category: Text | None = None


@dataclass(frozen=True)
class Measure:
    """A security measure: what it protects (a gettext msgid) and how."""

    label: str
    text: Text


@dataclass(frozen=True)
class Activity:
    """One processing activity (register × purpose) with every item of Art 30(1) and more."""

    id: str
    """`<register id>/<purpose number>`, stable while the purposes keep their order."""
    register_id: str
    register_name: Text
    purpose: Text
    legal_bases: tuple[str, ...]
    """`LegalBasis` values (Art 6(1))."""
    legitimate_interest: Text | None
    special_categories: tuple[tuple[Text, str | None], ...]
    """Art 9 data categories, each with its Art 9(2) condition where given."""
    controller: Party
    joint_controllers: tuple[Party, ...]
    representative: Party | Literal["none"] | None
    dpo: Party | Literal["none"] | None
    contact: Party | None
    data_subjects: tuple[Text, ...]
    data_categories: tuple[Text, ...]
    sources: tuple[Text, ...]
    recipients: tuple[Receiver, ...]
    transfers: tuple[Transfer, ...] | Literal["none"] | None
    retention: tuple[Retention, ...]
    security: tuple[Measure, ...]
    automated_decisions: tuple[Text, ...] | Literal["none"] | None
    systems: tuple[str, ...]
    review_date: dt.date | None

    @property
    def third_country_recipients(self) -> tuple[Receiver, ...]:
        """Recipients outside the EEA: those marked so, and every transfer's recipient."""
        found = [r for r in self.recipients if r.third_country]
        if isinstance(self.transfers, tuple):
            named = {tuple(sorted(r.name.items())) for r in found}
            for transfer in self.transfers:
                if tuple(sorted(transfer.recipient.items())) not in named:
                    found.append(Receiver(transfer.recipient, None, transfer.country, True))
        return tuple(found)


def activities(content: Content) -> list[Activity]:
    """Return every processing activity of the content, register by register, purpose by purpose."""
    result: list[Activity] = []
    for register in content.registers:
        shared = _register_items(content.site, register)
        purposes = register.purposes or [None]
        for number, purpose in enumerate(purposes, start=1):
            result.append(
                Activity(
                    id=f"{register.id}/{number}",
                    register_id=register.id,
                    register_name=register.name,
                    purpose=purpose.description if purpose else {},
                    legal_bases=(purpose.legal_basis.value,)
                    if purpose and purpose.legal_basis
                    else (),
                    legitimate_interest=purpose.legitimate_interest if purpose else None,
                    **shared,
                )
            )
    return result


def _register_items(site: Site, register: Register) -> dict[str, object]:
    """Return what every activity of `register` shares (all but the purpose and its basis)."""
    transfers: tuple[Transfer, ...] | Literal["none"] | None
    if isinstance(register.transfers, list):
        transfers = tuple(
            Transfer({"": t.recipient}, t.country, (t.mechanism.value,), t.details)
            for t in register.transfers
        )
    else:
        transfers = register.transfers
    security = register.security
    measures = []
    if security is not None:
        if security.manual:
            measures.append(Measure(N_("Manual records"), security.manual))
        if security.electronic:
            measures.append(Measure(N_("Electronic records"), security.electronic))
    automated: tuple[Text, ...] | Literal["none"] | None
    if isinstance(register.automated_decisions, dict):
        automated = (register.automated_decisions,)
    else:
        automated = register.automated_decisions
    return {
        "special_categories": (),
        "controller": _party(site.controller),
        "joint_controllers": (),
        "representative": _party_or_none(site.representative),
        "dpo": _party_or_none(site.dpo),
        "contact": _party(register.contact or site.contact or site.controller),
        "data_subjects": (register.data_subjects,) if register.data_subjects else (),
        "data_categories": tuple(register.data_categories),
        "sources": (register.sources,) if register.sources else (),
        "recipients": tuple(
            Receiver(r.name, r.role.value if r.role else None) for r in register.recipients
        ),
        "transfers": transfers,
        "retention": (Retention(register.retention),) if register.retention else (),
        "security": tuple(measures),
        "automated_decisions": automated,
        "systems": (),
        "review_date": register.updated or register.prepared,
    }


def _party(contact: Contact) -> Party:
    town = " ".join(part for part in (contact.postal_code, contact.city) if part)
    address = ", ".join(part for part in (contact.street_address, town) if part)
    details = (address, contact.phone, contact.email, contact.url)
    return Party({"": contact.name}, tuple(d for d in details if d))


def _party_or_none(value: Contact | Literal["none"] | None) -> Party | Literal["none"] | None:
    return value if value is None or value == NONE else _party(value)
