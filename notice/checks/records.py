"""Records of processing (Art 30): warn where a register's record would be incomplete.

The notice may leave out what Art 30(1) asks of the controller's records (security measures,
erasure time limits, where recipients are); these rules say so, so that `notice records` writes a
complete record. Their rows are `SPECS` (keyword arguments of the rule table's `_rule`), which
`notice.checks.rules` adds to the one rule table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from notice.checks.consistency import _year_before
from notice.checks.context import Context
from notice.checks.findings import UI_LANGUAGES, Hit, Severity
from notice.model import RecipientRole, Register

_EXTERNAL = {RecipientRole.processor, RecipientRole.sub_processor, RecipientRole.controller}
"""Recipients whose country the record must know: they may sit in a third country."""


def _named(text: dict[str, str]) -> dict[str, str]:
    """Return a name for each message language: its own text, else the first there is."""
    first = next(iter(text.values()), "")
    return {lang: text.get(lang) or first for lang in UI_LANGUAGES}


def security(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 30(1)(g): the record describes the security measures, in the notice or the record."""
    described = register.security is not None and (
        register.security.manual or register.security.electronic
    )
    detailed = register.record is not None and register.record.security_measures
    if not described and not detailed:
        yield Hit(("record",) if register.record is not None else ())


def retention(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 30(1)(f): every category has a time limit for erasure, its own or the register's."""
    if register.retention is not None:
        return
    for index, category in enumerate(register.data_categories):
        if category.retention is None:
            yield Hit(("data_categories", index), params={"category": _named(category.name)})


def _transfers_on_recipients(register: Register) -> bool:
    """Return whether every transfer outside the EEA is on a recipient placed in a third country.

    So the register says with `transfers: none`, or by placing recipients in third countries and
    listing no transfers of its own (then those recipients are the transfers, E09). A recipient
    with no `country` is then, by the controller's own statement of its transfers, none of them.
    """
    if isinstance(register.transfers, list):
        return False
    return register.transfers == "none" or bool(register.third_country_transfers)


def recipient_country(ctx: Context, register: Register) -> Iterator[Hit]:
    """Art 30(1)(d): a register that keeps its record here says where each recipient is.

    Art 30(1)(d) and (e) ask the record to name the recipients in third countries, not the
    country of every recipient: where the register's transfers are all on recipients placed in
    third countries (`_transfers_on_recipients`), the record names them, and a recipient without
    a `country` is not one of them. Only where the register lists transfers of its own (which
    recipient makes them is not said) can a recipient without a `country` be in a third country.
    """
    if register.record is None or _transfers_on_recipients(register):
        return
    for index, recipient in enumerate(register.recipients):
        if recipient.role in _EXTERNAL and recipient.country is None:
            yield Hit(("recipients", index), params={"recipient": _named(recipient.name)})


def review(ctx: Context, register: Register) -> Iterator[Hit]:
    """The record was reviewed within the last 12 months (accountability, Art 5(2), 24(1))."""
    record = register.record
    if record is not None and record.review_date and record.review_date < _year_before(ctx.today):
        yield Hit(("record", "review_date"), params={"date": record.review_date.isoformat()})


W = Severity.warning

SPECS: tuple[dict[str, Any], ...] = (
    {
        "rule_id": "R30-security",
        "severity": W,
        "element": "-",
        "source": "Art 30(1)(g), 32(1)",
        "scope": "register",
        "check": security,
        "message": (
            "the record of processing would have no description of security measures",
            "käsittelytoimien selosteesta puuttuisi turvatoimien kuvaus",
        ),
        "hint": (
            "describe them under `security`, or in more detail under `record.security_measures`",
            "kuvaa ne `security`-kohdassa tai tarkemmin `record.security_measures`-kohdassa",
        ),
        "example": """\
security:
  electronic:
    fi: Käyttäjätunnukset ja salaus.
    sv: Personliga användarkonton och kryptering.
    en: Personal accounts and encryption.
record:
  security_measures:
    fi: MFA, lokien tarkastus.
    sv: MFA, granskning av loggar.
    en: MFA, log review.""",
    },
    {
        "rule_id": "R30-retention",
        "severity": W,
        "element": "-",
        "source": "Art 30(1)(f)",
        "scope": "register",
        "check": retention,
        "message": (
            "the record of processing would give no time limit for erasure of {category}",
            "käsittelytoimien seloste ei kertoisi, milloin {category} poistetaan",
        ),
        "hint": (
            "give the register's `retention`, or the category's own `retention`",
            "anna rekisterin `retention` tai tietoryhmän oma `retention`",
        ),
        "example": """\
data_categories:
  - name: {fi: Tulotiedot, sv: Inkomstuppgifter, en: Income data}
    retention: {fi: 6 vuotta, sv: 6 år, en: 6 years}""",
    },
    {
        "rule_id": "R30-recipient-country",
        "severity": W,
        "element": "-",
        "source": "Art 30(1)(d)",
        "scope": "register",
        "check": recipient_country,
        "message": (
            "the record of processing cannot say whether the recipient “{recipient}” is in a "
            "third country",
            "käsittelytoimien seloste ei kerro, onko vastaanottaja ”{recipient}” "
            "kolmannessa maassa",
        ),
        "hint": (
            "give the recipient's `country` (ISO code, e.g. `FI`), or `transfers: none` when no "
            "data leaves the EEA",
            "anna vastaanottajan `country` (ISO-koodi, esim. `FI`) tai `transfers: none`, jos "
            "tietoja ei siirretä ETA:n ulkopuolelle",
        ),
        "example": """\
recipients:
  - name: {fi: Palvelinkeskus Oy, sv: Serverhallen Ab, en: Hosting Ltd}
    role: processor
    country: FI""",
    },
    {
        "rule_id": "R30-review",
        "severity": W,
        "element": "-",
        "source": "Art 5(2), 24(1)",
        "scope": "register",
        "check": review,
        "message": (
            "the record of processing was last reviewed on {date}, over 12 months ago",
            "käsittelytoimien seloste on tarkistettu viimeksi {date}, yli 12 kuukautta sitten",
        ),
        "hint": (
            "review the record and set `record.review_date`",
            "tarkista seloste ja päivitä `record.review_date`",
        ),
        "example": """\
record:
  review_date: 2026-10-01""",
    },
)
"""Rule rows as keyword arguments of `notice.checks.rules._rule`."""
