"""The portal's Swedish words: it says "kakor", as the site and its banner do
("Kakinställningar"), and names itself one way, "tjänsten för dataskyddsbegäranden"."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

OTHER_NAMES = re.compile(r"portal|begärandetjänst|begäranstjänst|begärandeportal", re.IGNORECASE)


def swedish_strings(repo_root: Path) -> list[str]:
    """Every translation in the portal's Swedish catalog (each plural form apart)."""
    path = repo_root / "portal/translations/sv/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    return [
        text
        for message in catalog
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
    ]


def test_no_swedish_message_says_cookie(repo_root: Path) -> None:
    strings = swedish_strings(repo_root)
    assert [text for text in strings if "cookie" in text.lower()] == []
    assert "Kakbannern" in strings and "Kakinställningarna" in strings


def test_no_swedish_message_names_the_service_another_way(repo_root: Path) -> None:
    strings = swedish_strings(repo_root)
    assert [text for text in strings if OTHER_NAMES.search(text)] == []
    assert "Dataskyddsbegäranden" in strings  # the title stays
