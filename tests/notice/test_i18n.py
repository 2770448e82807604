"""Catalogs are current and complete in every language; dates and pages follow the language."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from bs4 import BeautifulSoup

from notice.build import build_site
from notice.i18n import (
    TRANSLATIONS_DIR,
    compile_catalogs,
    extract_messages,
    format_date,
    language_name,
    po_path,
    translations,
    update_catalogs,
)
from notice.model import SUPPORTED_LANGUAGES
from tests import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def msgids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def test_template_catalog_is_current() -> None:
    extracted = msgids(extract_messages())
    committed = msgids(read(TRANSLATIONS_DIR / "messages.pot"))
    new, gone = sorted(map(str, extracted - committed)), sorted(map(str, committed - extracted))
    assert extracted == committed, (
        f"messages.pot is stale (new {new}, gone {gone}); run `python -m notice.i18n update`"
    )


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_language_translates_every_message(lang: str) -> None:
    catalog = read(po_path(lang), lang)
    assert msgids(catalog) == msgids(extract_messages()), f"{lang} catalog is not up to date"
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]
    assert untranslated == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_translations_keep_their_placeholders(lang: str) -> None:
    for message in read(po_path(lang), lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {part for text in ids for part in _placeholders(text)}
        for text in strings:
            assert _placeholders(text) == wanted, (lang, message.id)


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)s", text))


def test_stale_catalogs_are_compiled_and_fresh_ones_left_alone(tmp_path: Path) -> None:
    directory = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS_DIR, directory, ignore=shutil.ignore_patterns("*.mo"))
    assert len(compile_catalogs(directory)) == len(SUPPORTED_LANGUAGES)
    assert compile_catalogs(directory) == []
    po = po_path("fi", directory)
    later = po.with_suffix(".mo").stat().st_mtime + 10
    os.utime(po, (later, later))
    assert compile_catalogs(directory) == [po.with_suffix(".mo")]


def test_update_merges_new_messages_and_keeps_translations(tmp_path: Path) -> None:
    directory = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS_DIR, directory, ignore=shutil.ignore_patterns("*.mo"))
    fi = po_path("fi", directory)
    catalog = read(fi, "fi")
    catalog.delete("Consent")
    catalog.add("A message nobody uses any more", "Vanha viesti")
    with fi.open("wb") as handle:
        write_po(handle, catalog)
    (directory / "en" / "LC_MESSAGES" / "messages.po").unlink()
    update_catalogs(directory)
    for lang in SUPPORTED_LANGUAGES:
        assert msgids(read(po_path(lang, directory), lang)) == msgids(extract_messages())
    updated = read(fi, "fi")
    assert updated["Consent"].string == ""  # new: waits for a translator
    assert updated["Right to object"].string == "Vastustamisoikeus"
    english = read(po_path("en", directory), "en")
    assert english["Right to object"].string == "Right to object"
    assert english[("%(count)s month", "%(count)s months")].string == (
        "%(count)s month",
        "%(count)s months",
    )
    # The same messages at the same places; the header (Babel's own version, dates) may differ.
    assert _entries(read(directory / "messages.pot")) == _entries(
        read(TRANSLATIONS_DIR / "messages.pot")
    )


def _entries(catalog: Catalog) -> list[tuple[object, ...]]:
    return [
        (message.id, tuple(message.locations), tuple(sorted(message.flags)))
        for message in catalog
        if message.id
    ]


@pytest.mark.parametrize(
    ("lang", "heading", "expected"),
    [
        ("fi", "Right to object", "Vastustamisoikeus"),
        ("en", "Right to object", "Right to object"),
        ("sv", "Right to object", "Rätt att göra invändningar"),
    ],
)
def test_translations_load_per_language(lang: str, heading: str, expected: str) -> None:
    assert translations(lang).gettext(heading) == expected


def test_a_read_only_installation_compiles_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(directory: Path = TRANSLATIONS_DIR) -> list[Path]:
        raise PermissionError(directory)

    monkeypatch.setattr("notice.i18n.compile_catalogs", read_only)
    translations.cache_clear()
    try:
        assert translations("sv").gettext("Consent") == "Samtycke"
    finally:
        translations.cache_clear()


def test_unsupported_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        translations("de")


@pytest.mark.parametrize(
    ("lang", "expected", "name"),
    [
        ("fi", "3. lokakuuta 2019", "suomi"),
        ("en", "3 October 2019", "English"),
        ("sv", "3 oktober 2019", "svenska"),
    ],
)
def test_dates_and_language_names_follow_the_locale(lang: str, expected: str, name: str) -> None:
    assert format_date(dt.date(2019, 10, 3), lang) == expected
    assert language_name(lang) == name


def test_finnish_pages_show_no_english_fixed_strings(tmp_path: Path) -> None:
    build_site(FIXTURE, tmp_path / "site", pdf=False, jobs=1)
    english = {str(message.id) for message in read(po_path("en"), "en") if message.id}
    same_in_both = {"Google Analytics"}
    for page in (tmp_path / "site" / "fi").rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag in soup.find_all(["h1", "h2", "h3", "th", "dt", "caption", "nav"]):
            text = tag.get_text(" ", strip=True)
            assert text in same_in_both or text not in english, (page, text)


def test_a_swedish_site_uses_the_swedish_catalog(tmp_path: Path) -> None:
    # The fixture with `sv` in place of `en`: content stays English, fixed strings turn Swedish.
    content = tmp_path / "content"
    for source in FIXTURE.rglob("*.yaml"):
        target = content / source.relative_to(FIXTURE)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8").replace("en:", "sv:")
        target.write_text(text.replace("languages: [fi, en]", "languages: [sv, fi]"), "utf-8")
    build_site(content, tmp_path / "site", pdf=False, jobs=1)
    page = tmp_path / "site" / "sv" / "customer-register" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    assert soup.html["lang"] == "sv"
    headings = [h.get_text(strip=True) for h in soup.find_all(["h2", "h3"])]
    assert "Personuppgiftsansvarig" in headings
    assert "Rätt att göra invändningar" in headings
    assert soup.find("time", datetime="2019-10-03").get_text() == "3 oktober 2019"
    root = BeautifulSoup((tmp_path / "site" / "index.html").read_text("utf-8"), "lxml")
    assert root.html["lang"] == "sv"
