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
    found = {s.key: s.lines for s in art15.sections(reg, lang, LANGUAGES)}
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
