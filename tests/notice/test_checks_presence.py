"""`notice.presence`: the one place that decides whether a register gives an element (issue 23).

The checker and the page both ask these functions, so each is tested on the structure a format-2
register gives and on the format-1 prose it may give instead.
"""

from __future__ import annotations

from typing import Any

import pytest

from notice import presence
from notice.model import Register, Site

BASE: dict[str, Any] = {
    "id": "kirjasto",
    "slug": {"fi": "kirjasto"},
    "name": {"fi": "Kirjaston asiakasrekisteri"},
    "prepared": "2026-01-01",
}


def register(**fields: Any) -> Register:
    return Register.model_validate({**BASE, **fields})


def category(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": {"fi": name}, **fields}


def test_retention_in_prose_or_on_every_category() -> None:
    assert presence.retention_present(register(retention={"fi": "Kolme vuotta."}))
    every = register(
        data_categories=[
            category("Lainat", retention={"fi": "Palautukseen asti."}),
            category("Maksut", retention={"fi": "Kuusi vuotta."}),
        ]
    )
    assert presence.retention_present(every) and presence.retention_per_category(every)
    some = register(
        data_categories=[category("Lainat", retention={"fi": "Palautukseen asti."}), category("X")]
    )
    assert not presence.retention_present(some)
    assert presence.categories_without_retention(some) == [1]
    assert not presence.retention_present(register(retention={"fi": "  "}))
    assert not presence.retention_present(register())


def test_sources_in_prose_or_per_category() -> None:
    own = register(data_categories=[category("Nimi", sources=["data_subject"])])
    assert presence.sources_present(own) and not presence.collected_from_others(own)
    named = register(
        data_categories=[
            category("Nimi", sources=["data_subject"]),
            category(
                "Osoite",
                sources=[{"name": {"fi": "Väestötietojärjestelmä"}, "publicly_accessible": False}],
            ),
            category("Lainat"),
        ]
    )
    assert presence.sources_present(named) and presence.collected_from_others(named)
    assert [s.name["fi"] for s in presence.named_sources(named.data_categories[1])] == [
        "Väestötietojärjestelmä"
    ]
    assert presence.categories_without_source(named) == [2]
    prose = register(sources={"fi": "Sinulta itseltäsi."}, data_categories=[category("Lainat")])
    assert presence.sources_present(prose) and presence.categories_without_source(prose) == []
    assert not presence.sources_present(register(data_categories=[category("Lainat")]))


def test_provision_in_prose_or_on_every_category() -> None:
    assert presence.provision_present(register(provision_requirement={"fi": "Vapaaehtoista."}))
    every = register(data_categories=[category("Nimi", provision="contract_prerequisite")])
    assert presence.provision_present(every)
    some = register(data_categories=[category("Nimi", provision="statutory"), category("X")])
    assert not presence.provision_present(some)


@pytest.mark.parametrize(
    ("fields", "stated"),
    [
        ({}, False),
        ({"transfers": "none"}, True),
        (
            {
                "recipients": [
                    {"name": {"fi": "Tilitoimisto"}, "role": "processor", "country": "FI"}
                ]
            },
            True,
        ),
        ({"recipients": [{"name": {"fi": "Tilitoimisto"}, "role": "processor"}]}, False),
        ({"recipients": [{"name": {"fi": "Sisäinen"}, "role": "internal"}]}, False),
        ({"recipients": [{"name": {"fi": "X Inc"}, "country": "US"}]}, True),
    ],
)
def test_transfers_stated(fields: dict[str, Any], stated: bool) -> None:
    assert presence.transfers_stated(register(**fields)) is stated


def test_automated_decisions_and_the_authority() -> None:
    assert presence.automated_decisions_present(register(automated_decisions="none"))
    assert not presence.automated_decisions_present(register())
    site = {
        "languages": ["fi"],
        "base_url": "https://example.fi/",
        "controller": {"name": "Kirjasto"},
    }
    assert not presence.complaint_authority_present(Site.model_validate(site))
    authority = {"name": {"fi": "Tietosuojavaltuutetun toimisto"}}
    with_authority = Site.model_validate({**site, "supervisory_authority": authority})
    assert presence.complaint_authority_present(with_authority)
