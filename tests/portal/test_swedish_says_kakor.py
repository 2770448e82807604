"""The portal's Swedish says "kakor", as the site and its banner do ("Kakinställningar")."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po


def test_no_swedish_message_says_cookie(repo_root: Path) -> None:
    path = repo_root / "portal/translations/sv/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    strings = [
        text
        for message in catalog
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
    ]
    assert [text for text in strings if "cookie" in text.lower()] == []
    assert "Kakbannern" in strings and "Kakinställningarna" in strings
