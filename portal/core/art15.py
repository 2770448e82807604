"""The Art 15(1)(a)–(h) information of an access decision, written from the register's content.

Each point is a section of lines; each line has a stable id (`purposes-0`, `recipients-2`…) so
staff can strike a line before the letter is sent, and add their own. Only the register's content
is read, through `portal.core.content.localized` (the portal's one fallback rule), and every field
is read defensively (`getattr`, text or list or mapping), so that a richer content model (for
example recipients with countries, retention per category) adds lines without changes here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from portal import catalogs
from portal.core.content import localized


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction only"
    """Mark a message for the catalog; it is translated where the letter's language is known."""
    return message


BASES: dict[str, str] = {
    "consent": N_("consent (Article 6(1)(a) GDPR)"),
    "contract": N_("a contract with you or steps before one (Article 6(1)(b) GDPR)"),
    "legal_obligation": N_("a legal obligation (Article 6(1)(c) GDPR)"),
    "vital_interests": N_("vital interests (Article 6(1)(d) GDPR)"),
    "public_task": N_("a task in the public interest or official authority (Article 6(1)(e) GDPR)"),
    "legitimate_interests": N_("legitimate interests (Article 6(1)(f) GDPR)"),
}
ROLES: dict[str, str] = {
    "processor": N_("processes the data on our behalf"),
    "controller": N_("an independent controller"),
    "authority": N_("an authority"),
}

POINTS: tuple[str, ...] = (
    "purposes",
    "categories",
    "recipients",
    "retention",
    "rights",
    "complaint",
    "source",
    "automated",
)
"""Art 15(1)(a)–(h), in order."""


@dataclass
class Section:
    """One point of Art 15(1): its key and lines as (id, text)."""

    key: str
    lines: list[tuple[str, str]] = field(default_factory=list)


def _text(value: Any, lang: str, languages: Iterable[object]) -> str:
    if value is None:
        return ""
    if isinstance(value, str | Mapping):
        return localized(value, lang, languages).strip()
    return str(value).strip()


def _items(value: Any) -> list[Any]:
    if value is None or value == "none":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def sections(register: Any, lang: str, languages: Iterable[object]) -> list[Section]:
    """Return the Art 15(1)(a)–(h) sections of `register` in `lang`, as lines with ids."""
    languages = tuple(languages)
    _ = catalogs.translations(lang).gettext

    def say(value: Any) -> str:
        return _text(value, lang, languages)

    found = {key: Section(key) for key in POINTS}
    for index, purpose in enumerate(_items(getattr(register, "purposes", None))):
        line = say(getattr(purpose, "description", purpose))
        basis = str(getattr(purpose, "legal_basis", "") or "")
        if basis in BASES:
            line += " — " + _("legal basis: %(basis)s") % {"basis": _(BASES[basis])}
        interest = say(getattr(purpose, "legitimate_interest", None))
        if interest:
            line += " " + _("(our legitimate interest: %(interest)s)") % {"interest": interest}
        found["purposes"].lines.append((f"purposes-{index}", line))
    for index, category in enumerate(_items(getattr(register, "data_categories", None))):
        found["categories"].lines.append((f"categories-{index}", say(category)))
    for index, recipient in enumerate(_items(getattr(register, "recipients", None))):
        role = str(getattr(recipient, "role", "") or "")
        if role == "internal":
            continue
        line = say(getattr(recipient, "name", recipient))
        details = [_(ROLES[role])] if role in ROLES else []
        country = say(getattr(recipient, "country", None))
        if country:
            details.append(country)
        why = say(getattr(recipient, "purpose", None))
        if why:
            details.append(why)
        if details:
            line += " (" + "; ".join(details) + ")"
        found["recipients"].lines.append((f"recipients-{index}", line))
    for index, transfer in enumerate(_items(getattr(register, "transfers", None))):
        line = _("Transfer to %(recipient)s in %(country)s (safeguard: %(mechanism)s)") % {
            "recipient": say(getattr(transfer, "recipient", "")),
            "country": say(getattr(transfer, "country", "")),
            "mechanism": str(getattr(transfer, "mechanism", "")),
        }
        found["recipients"].lines.append((f"transfers-{index}", line))
    retention = say(getattr(register, "retention", None))
    if retention:
        found["retention"].lines.append(("retention-0", retention))
    found["rights"].lines.append(
        (
            "rights-0",
            _(
                "You may ask us to rectify or erase your data, to restrict its processing, "
                "and object to its processing (Articles 16–18 and 21 GDPR)."
            ),
        )
    )
    found["complaint"].lines.append(
        (
            "complaint-0",
            _("You may lodge a complaint with the supervisory authority (see below)."),
        )
    )
    source = say(getattr(register, "sources", None))
    if source:
        found["source"].lines.append(("source-0", source))
    automated = getattr(register, "automated_decisions", None)
    if automated in (None, "none"):
        no_decisions = _("We make no decisions about you based solely on automated processing.")
        found["automated"].lines.append(("automated-0", no_decisions))
    else:
        found["automated"].lines.append(("automated-0", say(automated)))
    return [found[key] for key in POINTS if found[key].lines]


def chosen(
    all_sections: list[Section], keep: Iterable[str] | None, extra: str | None
) -> list[Section]:
    """Return the sections with only the kept lines, plus staff's own lines as `extra`."""
    kept = None if keep is None else set(keep)
    result = [
        Section(s.key, [(i, t) for i, t in s.lines if kept is None or i in kept])
        for s in all_sections
    ]
    result = [s for s in result if s.lines]
    added = [line.strip() for line in (extra or "").splitlines() if line.strip()]
    if added:
        result.append(Section("extra", [(f"extra-{n}", t) for n, t in enumerate(added)]))
    return result
