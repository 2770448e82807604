"""Which rights the portal offers for a register, and why it does not offer the others.

The register says what applies (`Register.applicable_rights`, the same decision the notice's
rights section is written from): portability only where processing rests on consent or a
contract (Art 20(1)(a)), objection only on public task, legitimate interests or direct marketing
(Art 21(1)–(2)), and any right the register declares not applicable with its reason and law. A
right that is restricted (not excluded) is offered, with the register's note on the restriction.
"""

from __future__ import annotations

from dataclasses import dataclass

from notice.model import Register, Right, RightExtent
from portal.core.content import text


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction only"
    """Mark a message for the catalog; it is translated where the page's language is known."""
    return message


DERIVED_REASONS: dict[Right, str] = {
    Right.portability: N_(
        "The right to data portability covers data processed on your consent or on a contract "
        "with you (Article 20(1) GDPR). This register's data is processed on other grounds."
    ),
    Right.objection: N_(
        "The right to object covers processing based on a task in the public interest, on "
        "legitimate interests or for direct marketing (Article 21 GDPR). This register's data "
        "is processed on other grounds."
    ),
}
"""Why a right the law limits to some legal bases is not offered, when the register says nothing."""


@dataclass(frozen=True)
class Offer:
    """A right as the portal offers it for one register."""

    right: str
    offered: bool
    restricted: bool = False
    reason: str = ""
    """In the page's language: the register's own reason, or a catalog msgid (translate it)."""
    reason_is_msgid: bool = False
    law: str = ""


def offer(register: Register, right: str, lang: str) -> Offer:
    """Return whether `register` offers `right` (a request right's value), and why not."""
    model_right = Right(right)
    extent = register.applicable_rights().get(model_right)
    if extent is None:
        return Offer(right, offered=True)
    declared = next((r for r in register.restrictions if r.right == model_right), None)
    restricted = extent == RightExtent.restricted
    if declared is not None:
        return Offer(
            right,
            offered=restricted,
            restricted=restricted,
            reason=text(declared.reason, lang),
            law=declared.law or "",
        )
    return Offer(
        right,
        offered=restricted,
        restricted=restricted,
        reason=DERIVED_REASONS.get(model_right, ""),
        reason_is_msgid=True,
    )


def offers(register: Register, rights: list[str], lang: str) -> list[Offer]:
    """Return the offer of each of `rights` for `register`, in order."""
    return [offer(register, right, lang) for right in rights]
