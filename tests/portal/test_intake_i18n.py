"""The intake catalogs: current with the sources, complete in each language, placeholders kept."""

from __future__ import annotations

import re

import pytest

from portal.i18n import LANGUAGES, extract_messages, read_catalog

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    return {str(message.id) for message in extract_messages() if message.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_current_with_the_sources(extracted: set[str], lang: str) -> None:
    catalog = {str(message.id) for message in read_catalog(lang) if message.id}
    assert not extracted - catalog, "run `python -m portal.i18n update`: new messages"
    assert not catalog - extracted, "run `python -m portal.i18n update`: stale messages"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(lang: str) -> None:
    for message in read_catalog(lang):
        if not message.id:
            continue
        assert message.string, f"{lang}: no translation for {message.id!r}"
        assert "fuzzy" not in message.flags, f"{lang}: fuzzy translation of {message.id!r}"
        assert set(PLACEHOLDER.findall(str(message.string))) == set(
            PLACEHOLDER.findall(str(message.id))
        ), f"{lang}: placeholders differ in {message.id!r}"
