"""Every portal catalog area: current with its sources, complete in each language."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from portal import catalogs
from portal.i18n import translation_directories

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
AREA_NAMES = sorted(catalogs.AREAS)


def _ids(catalog) -> set[object]:  # type: ignore[no-untyped-def]
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


@pytest.fixture(scope="module", params=AREA_NAMES)
def area(request: pytest.FixtureRequest) -> catalogs.CatalogArea:
    return catalogs.AREAS[request.param]


@pytest.fixture(scope="module")
def extracted(area: catalogs.CatalogArea) -> set[object]:
    return _ids(area.extract_messages())


def test_template_is_current(area: catalogs.CatalogArea, extracted: set[object]) -> None:
    with (area.directory / "messages.pot").open("rb") as handle:
        stored = _ids(read_po(handle))
    assert extracted == stored, f"run `python -m portal.catalogs update {area.name}`"


@pytest.mark.parametrize("lang", catalogs.LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(
    area: catalogs.CatalogArea, extracted: set[object], lang: str
) -> None:
    catalog = area.read_catalog(lang)
    assert _ids(catalog) == extracted, f"{lang}: run `python -m portal.catalogs update {area.name}`"
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{area.name}/{lang}: no translation for {message.id!r}"
        assert "fuzzy" not in message.flags, f"{area.name}/{lang}: fuzzy {message.id!r}"
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, (area.name, lang, message.id)


def test_flask_babel_merges_every_area_with_intake_last() -> None:
    directories = translation_directories()
    assert set(directories) == {area.directory for area in catalogs.AREAS.values()}
    assert directories[-1] == catalogs.INTAKE.directory


def test_command_rejects_an_unknown_area(capsys: pytest.CaptureFixture[str]) -> None:
    assert catalogs.main(["update", "nosuch"]) == 2
    assert "usage" in capsys.readouterr().out


@pytest.mark.parametrize("lang", catalogs.LANGUAGES)
def test_a_message_shared_by_areas_reads_the_same_in_each(lang: str) -> None:
    # Flask-Babel merges the folders and the last one wins, so two wordings of one message would
    # make a letter and the e-mail announcing it disagree depending on the merge order.
    seen: dict[object, tuple[str, object]] = {}
    clashes = []
    for area in catalogs.AREAS.values():
        for message in area.read_catalog(lang):
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else tuple(message.id)
            first = seen.setdefault(key, (area.name, message.string))
            if first[1] != message.string:
                clashes.append(
                    f"{key!r}: {first[0]} {first[1]!r} vs {area.name} {message.string!r}"
                )
    assert not clashes, "\n".join(clashes)
