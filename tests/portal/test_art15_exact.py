"""Art 15 lines the clinic register of test_art15 does not reach: several named sources of one
data category, in the order the register names them, each marked when publicly accessible."""

from __future__ import annotations

from typing import Any

from notice.model import Register, model_context
from portal.core import art15

LANGUAGES = ("fi", "sv", "en")


def _t(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


def register(**changes: Any) -> Register:
    values: dict[str, Any] = {
        "id": "kirjasto",
        "slug": _t("kirjasto", "bibliotek", "library"),
        "name": _t("Lainaajarekisteri", "Låntagarregister", "Borrower register"),
        "prepared": "2024-01-01",
        "data_categories": [
            {
                "name": _t("Osoite", "Adress", "Address"),
                "sources": [
                    {
                        "name": _t("Väestötietojärjestelmä", "Befolkningsdatasystemet", "DVV"),
                        "publicly_accessible": True,
                    },
                    {"name": _t("Posti", "Posten", "Posti")},
                    "data_subject",
                ],
            }
        ],
        "transfers": "none",
        "automated_decisions": "none",
    }
    values.update(changes)
    return Register.model_validate(values, context=model_context(list(LANGUAGES)))


def source_lines(reg: Register, lang: str) -> list[tuple[str, str]]:
    found = {s.key: s.lines for s in art15.sections(reg, lang, LANGUAGES, site=None)}
    return found.get("source", [])


def test_every_named_source_of_a_category_is_listed_in_order() -> None:
    reg = register()
    assert source_lines(reg, "fi") == [
        ("source-1", "Osoite: Väestötietojärjestelmä (julkisesti saatavilla), Posti")
    ]
    assert source_lines(reg, "sv") == [
        ("source-1", "Adress: Befolkningsdatasystemet (allmänt tillgänglig), Posten")
    ]
    assert source_lines(reg, "en") == [("source-1", "Address: DVV (publicly accessible), Posti")]


def test_a_letter_in_a_language_the_register_lacks_reads_every_text_in_its_first() -> None:
    reg = Register.model_validate(
        {
            "id": "kerho",
            "slug": {"fi": "kerho", "sv": "klubb"},
            "name": {"fi": "Kerho", "sv": "Klubb"},
            "prepared": "2024-01-01",
            "data_categories": [
                {"name": {"fi": "Nimi", "sv": "Namn"}},
                {"name": {"fi": "Osoite", "sv": "Adress"}},
            ],
            "sources": {"fi": "Jäseneltä itseltään.", "sv": "Från medlemmen."},
            "transfers": "none",
            "automated_decisions": "none",
        },
        context=model_context(["fi", "sv"]),
    )
    # The register's languages as any iterable (here one that can be read only once).
    found = {s.key: s.lines for s in art15.sections(reg, "en", iter(["fi", "sv"]), site=None)}
    assert found["categories"] == [("categories-0", "Nimi"), ("categories-1", "Osoite")]
    assert found["source"] == [("source-0", "Jäseneltä itseltään.")]


def test_a_swedish_first_site_reads_every_text_in_swedish_even_from_a_one_shot_iterable() -> None:
    # The texts are written Finnish first, but the site's first language is Swedish: every line
    # (not only the first one read) falls back to Swedish, also when the languages come as an
    # iterator that can be read only once.
    reg = Register.model_validate(
        {
            "id": "forening",
            "slug": {"fi": "yhdistys", "sv": "forening"},
            "name": {"fi": "Yhdistys", "sv": "Förening"},
            "prepared": "2024-01-01",
            "data_categories": [
                {"name": {"fi": "Nimi", "sv": "Namn"}},
                {"name": {"fi": "Osoite", "sv": "Adress"}},
            ],
            "sources": {"fi": "Jäseneltä itseltään.", "sv": "Från medlemmen."},
            "transfers": "none",
            "automated_decisions": "none",
        },
        context=model_context(["sv", "fi"]),
    )
    found = {s.key: s.lines for s in art15.sections(reg, "en", iter(["sv", "fi"]), site=None)}
    assert found["categories"] == [("categories-0", "Namn"), ("categories-1", "Adress")]
    assert found["source"] == [("source-0", "Från medlemmen.")]
