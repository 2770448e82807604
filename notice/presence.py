"""Whether a register gives an Art 13/14 element, decided once for the checker and the page.

`notice check` reports an element as missing exactly when these functions say it is absent, and
the renderer shows a section exactly when they say it is present, so the two cannot disagree
(issue 23). Every function is pure over `notice.model` types: structured fields (format 2) count
first, the register-level prose where the structure is absent.
"""

from __future__ import annotations

from notice.model import DataCategory, Register, Site, Source


def filled(text: dict[str, str] | None) -> bool:
    """Return whether a localized text has words in at least one language."""
    return text is not None and any(value.strip() for value in text.values())


# --- retention (E10, Art 13(2)(a)) ---------------------------------------------------------------


def categories_without_retention(register: Register) -> list[int]:
    """Return the indexes of the data categories that give no retention of their own."""
    return [
        index
        for index, category in enumerate(register.data_categories)
        if not filled(category.retention)
    ]


def retention_per_category(register: Register) -> bool:
    """Return whether every data category (there is at least one) gives its own retention."""
    return bool(register.data_categories) and not categories_without_retention(register)


def retention_present(register: Register) -> bool:
    """Return whether the register says how long its data is kept: in prose or per category."""
    return filled(register.retention) or retention_per_category(register)


# --- sources (E16, Art 14(1)-(2)(f)) -------------------------------------------------------------


def named_sources(category: DataCategory) -> list[Source]:
    """Return a category's sources other than the person (`data_subject`)."""
    return [source for source in category.sources if isinstance(source, Source)]


def sources_declared(register: Register) -> bool:
    """Return whether any data category states its sources in structure (`sources:`)."""
    return any(category.sources for category in register.data_categories)


def collected_from_others(register: Register) -> bool:
    """Return whether some data comes from someone other than the person (Art 14 applies)."""
    return any(named_sources(category) for category in register.data_categories)


def sources_present(register: Register) -> bool:
    """Return whether the register says where its data comes from: prose or per category.

    A register whose categories all name `data_subject` only has said it too: the data comes
    from the person. The page shows the "Regular sources of data" section exactly when this is
    true.
    """
    return filled(register.sources) or sources_declared(register)


def disclosures_present(register: Register) -> bool:
    """Return whether the register describes regular disclosures (the page's optional section)."""
    return filled(register.disclosures)


def security_present(register: Register) -> bool:
    """Return whether the register describes how it is protected (manual or electronic records)."""
    security = register.security
    return security is not None and (filled(security.manual) or filled(security.electronic))


def categories_without_source(register: Register) -> list[int]:
    """Return the indexes of categories silent on their source while others state theirs.

    Only meaningful when the register uses structured sources and no prose: then a category
    without `sources` leaves the reader without the Art 14(2)(f) answer for that data.
    """
    if filled(register.sources) or not sources_declared(register):
        return []
    return [
        index for index, category in enumerate(register.data_categories) if not category.sources
    ]


# --- whether the data must be provided (E14, Art 13(2)(e)) ---------------------------------------


def provision_per_category(register: Register) -> bool:
    """Return whether every data category (there is at least one) says whether it must be given."""
    categories = register.data_categories
    return bool(categories) and all(category.provision is not None for category in categories)


def provision_present(register: Register) -> bool:
    """Return whether the register says if providing the data is required: prose or per category."""
    return filled(register.provision_requirement) or provision_per_category(register)


# --- automated decisions (E15), transfers (E09), complaint (E13) ---------------------------------


def automated_decisions_present(register: Register) -> bool:
    """Return whether the register says `none` or describes at least one decision."""
    value = register.automated_decisions
    return value == "none" or bool(value)


def transfers_stated(register: Register) -> bool:
    """Return whether the register says whether data leaves the EEA.

    `transfers: none`, a list of transfers, a recipient placed in a third country, or every
    external recipient placed by `country` (all of them in the EEA) each answer the question.
    """
    if register.transfers is not None or register.third_country_transfers:
        return True
    external = [r for r in register.recipients if r.role is None or r.role.value != "internal"]
    return bool(external) and all(r.country for r in external)


def complaint_authority_present(site: Site) -> bool:
    """Return whether the site names the supervisory authority that complaints go to."""
    return site.supervisory_authority is not None
