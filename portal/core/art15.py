"""The Art 15(1)(a)–(h) and 15(2) information of an access decision, written from the register.

Each point is a section of lines; each line has a stable id (`purposes-0`, `recipients-2`…) so
staff can strike a line before the letter is sent, and add their own. The register is the notice's
typed `notice.model.Register`; its texts are read through `portal.core.content.localized` (the
portal's one fallback rule) and its coded values (legal bases, recipient roles, transfer
mechanisms, Art 49 grounds) are named with the notice renderer's own label tables and catalog,
so the letter says exactly what the published notice says. Countries are named in the letter's
language (`notice.countries`). Every line is plain text: content Markdown is reduced to its words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from html import unescape

from notice import countries
from notice import i18n as notice_i18n
from notice.markdown import render_inline
from notice.model import AutomatedDecision, Register, Site, Source, ThirdCountryTransfer
from notice.render import (
    ART49_GROUNDS,
    LEGAL_BASES,
    RECIPIENT_ROLES,
    SPECIAL_CATEGORIES,
    TRANSFER_MECHANISMS,
    analytics_title,
    role_repeats_name,
)
from portal import catalogs
from portal.core.content import localized

POINTS: tuple[str, ...] = (
    "purposes",
    "categories",
    "recipients",
    "transfers",
    "retention",
    "rights",
    "complaint",
    "source",
    "automated",
)
"""Art 15(1)(a)–(h) in order, with the Art 15(2) safeguards of transfers after the recipients."""

_TAG = re.compile(r"<[^>]+>")

_PAGE_REFERENCE = re.compile(r"\s*\((?:see|ks\.|katso|se)\s[^()\d]*\)", re.IGNORECASE)
"""A pointer to another section of the notice page, "(see Cookies and Google Analytics)", "(ks.
Evästeet ja Google Analytics)", "(se Kakor och Google Analytics)": it means nothing in a letter,
which has no such section. A pointer with a number ("(see Article 6)") is a citation and stays."""


@dataclass
class Section:
    """One point of Art 15: its key and lines as (id, text)."""

    key: str
    lines: list[tuple[str, str]] = field(default_factory=list)


@cache
def _notice_gettext(lang: str) -> Callable[[str], str]:
    """Return the notice catalog's gettext in `lang` (the labels the notice pages show)."""
    return notice_i18n.translations(lang).gettext


def _plain(text: str, lang: str) -> str:
    """Return a content text (Markdown allowed) as the words a reader of the letter sees, on one
    line, without pointers to sections of the notice page."""
    words = " ".join(unescape(_TAG.sub("", str(render_inline(text, lang)))).split())
    return _PAGE_REFERENCE.sub("", words)


def _sentence(text: str) -> str:
    """Return a text ending as a sentence does (a full stop added unless it has one)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def sections(
    register: Register, lang: str, languages: Iterable[object], *, site: Site | None
) -> list[Section]:
    """Return the Art 15 sections of `register` in `lang`, as lines with ids.

    `site` is the content's site.yaml: a register with `website: true` tells the transfers of the
    website's analytics among its own, as its notice does (`Register.website_transfers`); None
    for a register read without one (it tells its own transfers only)."""
    languages = tuple(languages)
    _ = catalogs.translations(lang).gettext
    label = _notice_gettext(lang)

    def say(value: Mapping[str, str] | str | None) -> str:
        return _plain(localized(value, lang, languages), lang)

    found = {key: Section(key) for key in POINTS}

    # A purpose's line is sentences: "Reminders by text message. Legal basis: Legitimate
    # interests (…). Our legitimate interest: Fewer missed appointments." (it read "message. —
    # legal basis: … (our legitimate interest: Fewer missed appointments.)").
    for index, purpose in enumerate(register.purposes):
        line = _sentence(say(purpose.description))
        bases = "; ".join(label(LEGAL_BASES[basis]) for basis in purpose.bases)
        if bases:
            line += " " + _sentence(_("Legal basis: %(basis)s") % {"basis": bases})
        if purpose.legitimate_interest:
            interest = _("Our legitimate interest: %(interest)s") % {
                "interest": say(purpose.legitimate_interest)
            }
            line = _sentence(line) + " " + _sentence(interest)
        found["purposes"].lines.append((f"purposes-{index}", line))

    for index, category in enumerate(register.data_categories):
        line = say(category.name)
        if category.special is not None:
            line += f" ({label(SPECIAL_CATEGORIES[category.special.category])})"
        found["categories"].lines.append((f"categories-{index}", line))

    for index, recipient in enumerate(register.recipients):
        if recipient.role == "internal":
            continue
        # "Infosys BPM Ltd (India) — Sub-processor acting on our processor's behalf. Billing
        # support.": the country with the name, as the notice page gives it.
        line = say(recipient.name)
        if recipient.country:
            line += f" ({countries.name(recipient.country, lang)})"
        role = label(RECIPIENT_ROLES[recipient.role]) if recipient.role else None
        if role and not role_repeats_name(say(recipient.name), role):  # "Myndigheter, såsom …"
            line += " — " + role
        if recipient.purpose:
            line = _sentence(line) + " " + _sentence(say(recipient.purpose))
        found["recipients"].lines.append((f"recipients-{index}", line))

    # The website analytics' transfers come after the register's own, as on the notice page.
    website = register.website_transfers(site) if site is not None else []
    transfers = [*register.third_country_transfers, *website]
    for index, transfer in enumerate(transfers):
        # Said as the notice says it: "Google LLC, United States (Google Analytics): …".
        service = label(analytics_title(site)) if transfer.of_website_analytics and site else None
        found["transfers"].lines.append(
            (f"transfers-{index}", _transfer_line(transfer, lang, say, label, _, service))
        )

    if register.retention:
        found["retention"].lines.append(("retention-0", say(register.retention)))
    for index, category in enumerate(register.data_categories):
        if category.retention:
            line = f"{say(category.name)}: {say(category.retention)}"
            found["retention"].lines.append((f"retention-{index + 1}", line))

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

    if register.sources:
        found["source"].lines.append(("source-0", say(register.sources)))
    for index, category in enumerate(register.data_categories):
        named = [source for source in category.sources if isinstance(source, Source)]
        if named:
            line = f"{say(category.name)}: " + ", ".join(
                _source_name(source, say, _) for source in named
            )
            found["source"].lines.append((f"source-{index + 1}", line))

    if isinstance(register.automated_decisions, list) and register.automated_decisions:
        for index, decision in enumerate(register.automated_decisions):
            found["automated"].lines.append(
                (f"automated-{index}", _automated_line(decision, say, _))
            )
    else:
        no_decisions = _("We make no decisions about you based solely on automated processing.")
        found["automated"].lines.append(("automated-0", no_decisions))
    return [found[key] for key in POINTS if found[key].lines]


def _transfer_line(
    transfer: ThirdCountryTransfer,
    lang: str,
    say: Callable[[Mapping[str, str] | str | None], str],
    label: Callable[[str], str],
    _: Callable[[str], str],
    service: str | None = None,
) -> str:
    """One third-country transfer: recipient, country, safeguards and where to get a copy; a
    transfer of the website's analytics names the service it is made by (`service`)."""
    line = f"{say(transfer.recipient)}, {countries.name(transfer.country or '', lang)}"
    line += f" ({service}): " if service else ": "
    safeguards = transfer.safeguards
    if safeguards is None or not safeguards.all_mechanisms:
        return line + _(
            "the register names no safeguard for this transfer; ask us and we will tell you "
            "the safeguard and give you a copy of it (Article 15(2) GDPR)."
        )
    line += "; ".join(label(TRANSFER_MECHANISMS[m]) for m in safeguards.all_mechanisms) + "."
    decision = safeguards.decision_to_name(lang)  # None when the details already name it
    if decision:
        line += " " + _("Decision: %(decision)s.") % {"decision": decision}
    if safeguards.derogation_ground:
        ground = label(ART49_GROUNDS[safeguards.derogation_ground])
        line += " " + _("Ground: %(ground)s.") % {"ground": ground}
    if safeguards.details:
        line += " " + say(safeguards.details)
    else:
        line += " " + _("Ask us for a copy of the safeguard and we will send it to you.")
    return line


def _source_name(
    source: Source, say: Callable[[Mapping[str, str] | str | None], str], _: Callable[[str], str]
) -> str:
    name = say(source.name)
    return name + " " + _("(publicly accessible)") if source.publicly_accessible else name


def _automated_line(
    decision: AutomatedDecision,
    say: Callable[[Mapping[str, str] | str | None], str],
    _: Callable[[str], str],
) -> str:
    """One automated decision with its logic, significance and consequences (Art 15(1)(h))."""
    parts = [say(decision.description)]
    if decision.logic:
        parts.append(_("Logic: %(text)s") % {"text": say(decision.logic)})
    if decision.significance:
        parts.append(_("Significance: %(text)s") % {"text": say(decision.significance)})
    if decision.consequences:
        parts.append(_("Consequences: %(text)s") % {"text": say(decision.consequences)})
    return " ".join(parts)


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
