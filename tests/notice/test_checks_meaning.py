"""The meaning predicates behind the rules, row by row, in Finnish, English and Swedish."""

from __future__ import annotations

import pytest

from notice.checks.consistency import (
    is_transfer_statement,
    outdated_contact_values,
    says_consent_not_needed,
)
from notice.checks.cookies import cookie_names_in
from notice.checks.walk import list_items, paragraphs, sentences


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("fi", "Suostumusta ei tarvita.", True),
        ("fi", "Evästeiden käyttö ei edellytä suostumustasi.", True),
        ("fi", "Käsittely perustuu sopimukseen, joten suostumusta ei kysytä.", True),
        ("en", "Consent is not required.", True),
        ("en", "We don't need your consent to use cookies.", True),
        ("sv", "Samtycke behövs inte.", True),
        ("fi", "Välttämättömät evästeet eivät tarvitse suostumusta.", False),
        ("fi", "Muu käsittely ei edellytä suostumusta.", False),
        ("fi", "Voit perua suostumuksesi, eikä se vaikuta aiempaan käsittelyyn.", False),
        ("en", "Strictly necessary cookies do not need consent.", False),
        ("en", "All other processing needs no consent.", False),
        ("en", "We ask for your consent before storing analytics cookies.", False),
    ],
)
def test_consent_not_needed_by_meaning(language: str, sentence: str, expected: bool) -> None:
    assert says_consent_not_needed(language, sentence) is expected


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        ("fi", "Henkilötietoja ei siirretä Euroopan unionin ulkopuolelle.", True),
        ("fi", "Tietoja ei luovuteta EU:n tai ETA:n ulkopuolelle.", True),
        ("fi", "Tietoja voidaan siirtää kolmansiin maihin.", True),
        ("en", "Data is transferred to the United States under the Data Privacy Framework.", True),
        ("sv", "Uppgifter överförs inte utanför EES.", True),
        ("fi", "Tietoja ei luovuteta yrityksen ulkopuolelle.", False),
        ("en", "Data is not disclosed outside the company.", False),
        ("en", "Staff transfer paper files to a locked cabinet.", False),
    ],
)
def test_transfer_statement_by_meaning(language: str, sentence: str, expected: bool) -> None:
    assert is_transfer_statement(language, sentence) is expected


@pytest.mark.parametrize(
    ("text", "outdated"),
    [
        ("PL 800, Ratapihantie 9, 00521 Helsinki p. 029 56 66700", ["Ratapihantie 9", "00521"]),
        ("Lintulahdenkuja 4, 00530 Helsinki; PL 800, 00531 Helsinki; 029 566 6700", []),
        ("tietosuoja@om.fi, +358 29 566 6700", []),
        (
            "puh. 010 36 66700, tietosuojavaltuutettu@om.fi",
            ["010 36 66700", "tietosuojavaltuutettu@om.fi"],
        ),
    ],
)
def test_outdated_authority_contact_values(text: str, outdated: list[str]) -> None:
    assert outdated_contact_values(text) == outdated


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Eväste `_ga` ja `_ga_ABC123` sekä _gid.", {"_ga", "_ga_ABC123", "_gid"}),
        ("Markdown _emphasis_ and `code with spaces` are not cookies.", set()),
        ("Facebook sets _fbp; Hotjar sets _hjSession.", {"_fbp", "_hjSession"}),
        ("Click `Hyväksy` in the banner; `NID` is set by Google.", {"NID"}),
        ("The NID cookie, not NIDX.", {"NID"}),
    ],
)
def test_cookie_names_in_text(text: str, names: set[str]) -> None:
    assert cookie_names_in(text, known=["NID"]) == names


def test_html_and_markdown_split_alike() -> None:
    html = "<p>Eka kappale. Toinen lause.</p> <p>- vierailijan selain - muuta?</p>"
    markdown = "Eka kappale. Toinen lause.\n\n- vierailijan selain\n- muuta?"
    assert paragraphs(html)[0] == paragraphs(markdown)[0] == "Eka kappale. Toinen lause."
    assert list_items(html) == list_items(markdown) == ["vierailijan selain", "muuta?"]
    assert sentences(markdown) == ("Eka kappale.", "Toinen lause.", "vierailijan selain", "muuta?")
