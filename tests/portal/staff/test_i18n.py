"""The staff catalogs: current with the sources, complete in every language, used by the pages."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from portal import staff_i18n
from tests.portal.staff.conftest import STAFF, StaffActions

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _ids(catalog) -> set[object]:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def test_template_is_current() -> None:
    with (staff_i18n.TRANSLATIONS_DIR / "messages.pot").open("rb") as handle:
        stored = read_po(handle)
    assert _ids(staff_i18n.extract_messages()) == _ids(stored), (
        "run `python -m portal.staff_i18n update` and translate the new messages"
    )


@pytest.mark.parametrize("lang", staff_i18n.LANGUAGES)
def test_every_message_is_translated(lang: str) -> None:
    catalog = staff_i18n.read_catalog(lang)
    assert _ids(catalog) == _ids(staff_i18n.extract_messages())
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        assert all(strings), (lang, message.id)
        assert "fuzzy" not in message.flags, (lang, message.id)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, (lang, message.id)


@pytest.mark.parametrize(
    "lang,heading",
    [
        ("fi", "Kirjaudu pyyntöjen käsittelyyn"),
        ("sv", "Logga in till handläggningen av ärenden"),
        ("en", "Sign in to request handling"),
    ],
)
def test_login_page_speaks_the_language(staff: StaffActions, lang: str, heading: str) -> None:
    page = BeautifulSoup(staff.client.get(f"{STAFF}/login?lang={lang}").text, "html.parser")
    assert page.html["lang"] == lang
    assert page.h1.get_text(strip=True) == heading


def test_queue_in_finnish(staff: StaffActions) -> None:
    staff.login(staff.create("hanna"))
    page = BeautifulSoup(staff.client.get(f"{STAFF}/?lang=fi").text, "html.parser")
    assert page.h1.get_text(strip=True) == "Pyynnöt"
    assert page.find("label", attrs={"for": "filter-right"}).get_text(strip=True) == "Oikeus"
