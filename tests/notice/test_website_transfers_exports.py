"""A website register's analytics transfer is told in its JSON export and in the records of
processing, not only on its notice page.

The content is the default content's, with the register's own Google LLC entry taken out, so that
site.yaml's `analytics.transfers` is the only statement of the transfer (`tests.website_content`).
Before, `registers/<id>.json` and every format of `notice records` (Art 30(1)(e)) told only the
register's own transfers: the record of the analytics activity said the register transferred
nothing. The records are read back as a reader would read them: the XLSX with openpyxl, the PDF
with pypdf, the CSV with csv, the HTML with BeautifulSoup, the JSON-LD with json.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from notice import countries, export
from notice.build import build_site
from notice.i18n import translations
from notice.loader import Content, load_content
from notice.model import TransferMechanism
from notice.records.output import render_records
from notice.records.tabular import csv_delimiter
from notice.render import TRANSFER_MECHANISMS
from tests import REPO_ROOT
from tests.website_content import (
    ANALYTICS_PURPOSE,
    DECISION,
    RECIPIENT,
    REGISTER,
    website_content,
)

LANGUAGES = ("fi", "sv", "en")
TODAY = dt.date(2026, 12, 4)
FORMATS = ("xlsx", "pdf", "csv", "html")
TRANSFERS_HEADER = "Transfers to third countries and safeguards"


@pytest.fixture(scope="module")
def website(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(website_content(tmp_path_factory.mktemp("website") / "content"))


@pytest.fixture(scope="module")
def website_none(tmp_path_factory: pytest.TempPathFactory) -> Content:
    dest = tmp_path_factory.mktemp("website-none") / "content"
    return load_content(website_content(dest, transfers="none"))


@pytest.fixture(scope="module")
def default() -> Content:
    return load_content(REPO_ROOT / "content")


def _register(content: Content) -> Any:
    return next(r for r in content.registers if r.id == REGISTER)


def said(lang: str) -> str:
    """The line the records give the analytics transfer, as a reader of `lang` reads it."""
    gettext = translations(lang).gettext
    mechanism = gettext(TRANSFER_MECHANISMS[TransferMechanism.adequacy])
    where = f"{countries.name('US', lang)}; {gettext('Google Analytics')}"
    return f"{RECIPIENT} ({where}): {mechanism}; {DECISION}"


# --- registers/<id>.json ---------------------------------------------------------------------


def test_the_json_export_adds_the_analytics_transfer_beside_the_register_as_written(
    website: Content, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    build_site(website.root, out, pdf=False, jobs=1, allow_errors=True)
    data = json.loads((out / "registers" / f"{REGISTER}.json").read_text(encoding="utf-8"))
    # The register's own keys are as written: no Google LLC among its recipients, no transfers.
    assert RECIPIENT not in json.dumps(data["recipients"])
    assert "transfers" not in data
    [transfer] = data[export.WEBSITE_TRANSFERS]
    assert transfer["recipient"] == RECIPIENT
    assert transfer["country"] == "US"
    assert transfer["mechanisms"] == ["adequacy"]
    assert transfer["decision"] == DECISION
    assert "Data Privacy Framework" in transfer["details"]["en"]
    # The register without `website: true` has none.
    other = json.loads((out / "registers" / "tietosuojapyynnot.json").read_text(encoding="utf-8"))
    assert export.WEBSITE_TRANSFERS not in other


def test_the_json_export_keeps_transfers_none_as_written(website_none: Content) -> None:
    data = json.loads(export.register_json(website_none.site, _register(website_none)))
    assert data["transfers"] == "none"
    assert [t["recipient"] for t in data[export.WEBSITE_TRANSFERS]] == [RECIPIENT]


def test_a_site_yaml_change_rewrites_the_json_export(website: Content, tmp_path: Path) -> None:
    """site.yaml is an input of the JSON now: a cached build does not keep the old transfer."""
    content = Path(website.root)
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    copy = tmp_path / "content"

    shutil.copytree(content, copy)
    site = copy / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace(DECISION, "(EU) 2099/1"), encoding="utf-8"
    )
    build_site(copy, out, pdf=False, jobs=1, allow_errors=True)
    data = json.loads((out / "registers" / f"{REGISTER}.json").read_text(encoding="utf-8"))
    assert data[export.WEBSITE_TRANSFERS][0]["decision"] == "(EU) 2099/1"


def test_the_default_registers_json_has_no_second_google(default: Content) -> None:
    for register in default.registers:
        data = json.loads(export.register_json(default.site, register))
        assert export.WEBSITE_TRANSFERS not in data, register.id
        assert json.dumps(data["recipients"]).count(f'"{RECIPIENT}"') <= 3  # fi, sv, en names


# --- the records of processing (Art 30(1)(e)) -------------------------------------------------


def rows(content: Content, fmt: str, lang: str) -> dict[str, str]:
    """Return each activity's transfers cell, keyed by activity id, as read back from `fmt`."""
    data = render_records(content, fmt, lang, today=TODAY)[0]
    header = translations(lang).gettext(TRANSFERS_HEADER)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        table = [list(line) for line in sheet.iter_rows(values_only=True)]
        return _by_activity(table, header)
    if fmt == "csv":
        text = io.StringIO(data.decode("utf-8-sig"))
        return _by_activity(list(csv.reader(text, delimiter=csv_delimiter(lang))), header)
    if fmt == "html":
        soup = BeautifulSoup(data, "html.parser")
        found = {}
        for table in soup.find_all("table")[1:]:  # the overview first, then one per activity
            caption = table.find("caption").get_text(" ", strip=True)
            cells = {
                th.get_text(" ", strip=True): th.find_next_sibling("td")
                for th in table.find_all("th")
            }
            cell = cells[header]
            found[caption] = " ".join(cell.get_text("\n", strip=True).split()) if cell else ""
        return found
    # PDF: the activities' tables in order; a cell's lines are joined, hyphenation undone.
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return {"": " ".join(text.replace("\u2010\n", "").split())}


def _by_activity(table: list[list[Any]], header: str) -> dict[str, str]:
    heads = [str(cell) for cell in table[0]]
    column = heads.index(header)
    return {
        str(line[0]): " ".join(str(line[column] or "").split()) for line in table[1:] if line[0]
    }


def _activity(found: dict[str, str], activity: str) -> str:
    [cell] = [cell for key, cell in found.items() if f"{REGISTER}/{activity}" in key]
    return cell


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_format_of_the_records_lists_the_analytics_transfer(
    website: Content, fmt: str, lang: str
) -> None:
    found = rows(website, fmt, lang)
    if fmt == "pdf":
        [text] = found.values()
        assert said(lang) in text
        assert text.count(said(lang)) == 1  # only the analytics activity
        return
    cell = _activity(found, ANALYTICS_PURPOSE)
    assert said(lang) in cell, cell
    assert cell.count(RECIPIENT + " (") == 1, cell
    # The other activities of the register are not served by the analytics' provider.
    assert RECIPIENT not in _activity(found, "credit")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_register_that_sends_nothing_itself_records_the_analytics_transfer(
    website_none: Content, lang: str
) -> None:
    found = rows(website_none, "xlsx", lang)
    assert said(lang) in _activity(found, ANALYTICS_PURPOSE)
    nothing = translations(lang).gettext("No transfers outside the EEA")
    assert _activity(found, "credit") == nothing


def test_the_records_json_ld_lists_the_analytics_transfer_with_its_decision(
    website: Content,
) -> None:
    graph = json.loads(render_records(website, "json", "en", today=TODAY)[0])["@graph"]
    [process] = [n for n in graph if str(n.get("@id", "")).endswith(f"{REGISTER}/analytics")]
    [transfer] = process["dpv:hasProcessing"]
    assert transfer["dpv:hasRecipient"] == {"dpv:hasName": RECIPIENT}
    assert transfer["dpv:hasThirdCountry"] == {"@id": "loc:US"}
    assert transfer["dct:references"] == DECISION
    assert transfer["dpv:hasLegalBasis"] == [{"@id": "eu-gdpr:A45-3"}]


def test_the_records_json_ld_marks_the_analytics_transfer_as_the_notice_does(
    website: Content,
) -> None:
    """The register's JSON lists the analytics' transfers apart (`website_transfers`); both
    JSON-LDs mark them alike: made with the website's analytics, not the register's own."""
    graph = json.loads(render_records(website, "json", "en", today=TODAY)[0])["@graph"]
    [process] = [n for n in graph if str(n.get("@id", "")).endswith(f"{REGISTER}/analytics")]
    [transfer] = process["dpv:hasProcessing"]
    mark = {"@type": "dpv:Technology", "dct:title": "Google Analytics"}
    assert transfer["dpv:isImplementedUsingTechnology"] == mark
    notice = json.loads(export.register_jsonld(website.site, _register(website)))
    [google] = [r for r in notice["dpv:hasRecipient"] if r.get("dpv:hasName") == RECIPIENT]
    assert google["dpv:isImplementedUsingTechnology"] == mark
    # The same as the register's JSON puts under `website_transfers`: one transfer, this one.
    data = json.loads(export.register_json(website.site, _register(website)))
    assert [t["recipient"] for t in data[export.WEBSITE_TRANSFERS]] == [RECIPIENT]


def test_a_transfer_the_register_gives_itself_is_not_marked(default: Content) -> None:
    """The default register names Google LLC itself: its transfer is the register's own, in
    the records' JSON-LD and the notice's, so neither marks it as the analytics'."""
    graph = json.loads(render_records(default, "json", "en", today=TODAY)[0])["@graph"]
    for process in graph[1:]:
        for transfer in process.get("dpv:hasProcessing", []):
            assert "dpv:isImplementedUsingTechnology" not in transfer, process["@id"]
    notice = json.loads(export.register_jsonld(default.site, _register(default)))
    assert not [r for r in notice["dpv:hasRecipient"] if "dpv:isImplementedUsingTechnology" in r]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_default_records_list_google_once(default: Content, lang: str) -> None:
    """The default register gives the transfer itself: the site's is not added a second time."""
    found = rows(default, "xlsx", lang)
    cell = _activity(found, ANALYTICS_PURPOSE)
    assert cell.count(RECIPIENT + " (") == 1, cell
    assert "Google Analytics)" not in cell  # the register's own entry, not the site's
