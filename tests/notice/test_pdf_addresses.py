"""On paper a link's text and an e-mail address are never hyphenated, nor split where they need
not be: read back from the notice PDF as a reader gets it.

Two defects: a link in a list item's first paragraph (a purpose) was split mid-word at a line's
end ("pyyntöpal" / "velussamme") though it fitted the next line whole, and an e-mail address
written as text in a cookie table's hyphenated cell came out hyphenated ("priva‐ cy@…",
"tietosuojavastaa‐ va@…"; Swedish and English are hyphenated, Finnish has no dictionary). Texts
of many lengths put the words at every place of a line; the words are the default content's
own (its request-service link and contact address) and a long address of a generated register.
"""

from __future__ import annotations

import re

import pytest
import yaml

from notice.build import build_site
from notice.loader import load_content
from notice.render import pdf_path
from tests.notice.test_coverage import SOURCED, SOURCED_REGISTER
from tests.readback import pdf_text

LINK_WORD = "pyyntöpalvelussamme"
"""The default content's link text ("Tee pyyntö pyyntöpalvelussamme")."""
EMAILS = (
    "esa.kemppainen@proleader.fi",
    "tietosuojavastaava@kaupunginhallitus.example.fi",
    "privacy@proleader.fi",
)
"""The default content's contact address, a long one of a generated register, a short one."""
FILLER = "Käsittelemme tietojasi vastataksemme pyyntöösi ja osoittaaksemme sen. " * 5
LENGTHS = range(0, 280, 7)
HYPHENS = "\\u2010\\-\\xad"
"""Hyphens a line break may add, as a regular expression's character set."""


def description(length: int) -> str:
    return (
        f"{FILLER[:length]} Tee pyyntö [{LINK_WORD}](https://www.proleader.fi/) "
        f"tai kirjoita osoitteeseen {EMAILS[0]} zq{length}."
    )


def cookie(length: int) -> dict[str, object]:
    asks = {"fi": "Kysy", "sv": "Fråga", "en": "Ask"}
    texts = {
        lang: f"{FILLER[:length]} {ask} {EMAILS[1]} {EMAILS[2]} {EMAILS[0]} zq{length}."
        for lang, ask in asks.items()
    }
    return {
        "name": f"c{length}",
        "provider": "Esimerkki Oy",
        "party": "first",
        "category": "necessary",
        "purpose": texts,
        "duration": {"fi": "12 kuukautta", "sv": "12 månader", "en": "12 months"},
        "third_party_access": texts,
    }


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The text of each language's PDF, of a register with a purpose and a cookie of every
    length."""
    root = tmp_path_factory.mktemp("addresses")
    register = {
        **SOURCED_REGISTER,
        "controller": {"name": "Esimerkin kaupunki", "email": EMAILS[1]},
        "purposes": [
            {"description": {"fi": description(n), "sv": "Forskning", "en": "Research"}}
            for n in LENGTHS
        ],
        "cookies": [cookie(n) for n in LENGTHS],
    }
    content = root / "content"
    (content / "registers").mkdir(parents=True)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 100}
    (content / "site.yaml").write_text(yaml.safe_dump(SOURCED, **dump), "utf-8")
    (content / "registers" / "r.yaml").write_text(yaml.safe_dump(register, **dump), "utf-8")
    out = root / "site"
    build_site(content, out, jobs=1, allow_errors=True, cache_dir=root / "cache")
    loaded = load_content(content).registers[0]
    langs = ("fi", "sv", "en")
    return {lang: pdf_text((out / pdf_path(loaded, lang)).read_bytes()) for lang in langs}


def broken(text: str, word: str) -> list[str]:
    """Return each place where `word` is printed split over lines or with a hyphen added."""
    letters = [re.escape(letter) for letter in word]
    split = re.compile(f"[{HYPHENS}]?\\s*".join(letters))
    return [found for found in split.findall(text) if found != word]


def test_a_link_in_a_list_items_first_paragraph_is_never_split_mid_word(
    printed: dict[str, str],
) -> None:
    text = printed["fi"]
    # Each purpose is printed twice: in the first layer's list and in the purposes section.
    assert text.count(f"zq{LENGTHS[-1]}") >= 2
    assert broken(text, LINK_WORD) == []
    assert text.count(LINK_WORD) >= 2 * len(LENGTHS)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_no_e_mail_address_is_hyphenated(printed: dict[str, str], lang: str) -> None:
    text = printed[lang]
    hyphenated = [
        found
        for email in EMAILS
        for found in broken(text, email)
        if re.search(f"[{HYPHENS}]", found)
    ]
    assert hyphenated == []
    # In two cells of every cookie's row (and the contact's, the purposes' in Finnish).
    assert "".join(text.split()).count(EMAILS[1]) >= 2 * len(LENGTHS)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_e_mail_address_that_fits_its_cell_is_not_split(
    printed: dict[str, str], lang: str
) -> None:
    # The columns are as wide as the longest address: each is printed whole on its line.
    for email in EMAILS:
        assert broken(printed[lang], email) == []
