"""The records of processing say things in their own words, not in the notice's.

The records are the controller's internal document, for the supervisory authority (Art 30(4)).
Two things they took from the notice did not read there:

- the grounds the notice words to the person it informs ("your explicit consent", "a contract
  with you", "data you have made public": Art 9(2), 22(2), 49(1)): the records name the data
  subject instead, in fi, sv and en;
- the website analytics' activity gave no retention of its own, only the register's sentence
  written for the page ("... are listed below"): it now says how long the analytics keeps what
  it collects, from site.yaml (the event-data retention set in the service, each analytics
  cookie's lifetime), in a line that needs no page around it.

Every format is read back as a reader reads it: XLSX with openpyxl, CSV with csv, HTML with
BeautifulSoup, the PDF with pypdf, the JSON-LD with json.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from notice.i18n import translations
from notice.loader import Content, load_content
from notice.records.output import render_records
from tests import REPO_ROOT
from tests.notice.records_content import REGISTER, SITE, records_text, write_content

TODAY = dt.date(2026, 12, 4)
LANGUAGES = ("fi", "sv", "en")
FORMATS = ("xlsx", "csv", "html", "pdf")

ANALYTICS_RETENTION = {
    "en": "Google Analytics: event data 2 months (the retention set in the service); "
    "cookie _ga 2 years; cookie _ga_<container-id> 2 years",
    "fi": "Google Analytics: tapahtumatiedot 2 kuukautta (palveluun asetettu säilytysaika); "
    "eväste _ga 2 vuotta; eväste _ga_<container-id> 2 vuotta",
    "sv": "Google Analytics: händelsedata 2 månader (lagringstiden som ställts in i tjänsten); "
    "kakan _ga 2 år; kakan _ga_<container-id> 2 år",
}


def _cells(data: bytes, column: str) -> dict[str, str]:
    """Each activity's cell of `column` (a header as the XLSX has it), by activity id."""
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    index = [str(c) for c in table[0]].index(column)
    return {
        str(row[0]).splitlines()[-1]: " ".join(str(row[index] or "").split())
        for row in table[1:]
        if row[0]
    }


# --- the website analytics' retention --------------------------------------------------------


@pytest.fixture(scope="module")
def default() -> Content:
    return load_content(REPO_ROOT / "content")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_analytics_activity_gives_the_analytics_retention(default: Content, lang: str) -> None:
    data = render_records(default, "xlsx", lang, today=TODAY)[0]
    header = translations(lang).gettext("Time limits for erasure")
    cells = _cells(data, header)
    assert ANALYTICS_RETENTION[lang] in cells["asiakasrekisteri/analytics"]
    # Only the activity the analytics serves; the register without `website: true` has none.
    assert "Google Analytics:" not in cells["asiakasrekisteri/credit"]
    assert "Google Analytics" not in cells["tietosuojapyynnot/requests"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_format_gives_the_analytics_retention(default: Content, fmt: str, lang: str) -> None:
    text = records_text(render_records(default, fmt, lang, today=TODAY)[0], fmt, lang)
    assert text.count(ANALYTICS_RETENTION[lang]) == 1


def test_the_json_ld_gives_the_analytics_retention_in_every_language(default: Content) -> None:
    graph = json.loads(render_records(default, "json", "en", today=TODAY)[0])["@graph"]
    [process] = [n for n in graph if str(n.get("@id", "")).endswith("asiakasrekisteri/analytics")]
    [told] = [
        s
        for s in process["dpv:hasStorageCondition"]
        if {"@value": "Google Analytics", "@language": "en"} in s.get("dct:subject", [])
    ]
    described = {t["@language"]: t["@value"] for t in told["dct:description"]}
    subject = {t["@language"]: t["@value"] for t in told["dct:subject"]}
    for lang in LANGUAGES:
        # Markdown, as every text of the JSON-LD: the cookie's `_` escaped.
        said = f"{subject[lang]}: {described[lang]}".replace("\\_", "_")
        assert said == ANALYTICS_RETENTION[lang]


def test_the_measurement_id_names_the_session_cookie(tmp_path: Path) -> None:
    content = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    site = content / "site.yaml"
    text = site.read_text("utf-8")
    assert "\n  google_signals: false\n" in text
    text = text.replace(
        "\n  google_signals: false\n", "\n  measurement_id: G-ABC123\n  google_signals: false\n", 1
    )
    site.write_text(text, "utf-8")
    data = render_records(load_content(content), "xlsx", "en", today=TODAY)[0]
    cell = _cells(data, "Time limits for erasure")["asiakasrekisteri/analytics"]
    assert "cookie _ga 2 years; cookie _ga_ABC123 2 years" in cell


# --- grounds worded to the data subject -------------------------------------------------------

WORDED: dict[str, Any] = {
    **REGISTER,
    "data_categories": [
        {
            "name": {"sv": "Hälsouppgifter", "en": "Health data"},
            "special": {"category": "health", "condition": "explicit_consent"},
        },
        {
            "name": {"sv": "Publicerade åsikter", "en": "Published opinions"},
            "special": {"category": "political_opinions", "condition": "made_public"},
        },
    ],
    "transfers": [
        {
            "recipient": "Bengaluru Support Pvt Ltd",
            "country": "IN",
            "mechanism": "derogation",
            "derogation_ground": "explicit_consent",
        },
        {
            "recipient": "Delhi Booking Pvt Ltd",
            "country": "IN",
            "mechanism": "derogation",
            "derogation_ground": "contract",
        },
        {
            "recipient": "Mumbai Gifts Pvt Ltd",
            "country": "IN",
            "mechanism": "derogation",
            "derogation_ground": "contract_in_interest",
        },
    ],
    "automated_decisions": [
        {"description": {"sv": "Kreditpoäng", "en": "Credit scoring"}, "ground": "contract"},
        {"description": {"sv": "Rabatt", "en": "Discount"}, "ground": "explicit_consent"},
    ],
}

SAID = {
    "en": [
        "Health data (the data subject's explicit consent (Article 9(2)(a)))",
        "(data manifestly made public by the data subject (Article 9(2)(e)))",
        "the data subject's explicit consent (Article 49(1)(a))",
        "performing a contract with the data subject (Article 49(1)(b))",
        "a contract made in the data subject's interest (Article 49(1)(c))",
        "necessary for a contract with the data subject (Article 22(2)(a))",
        "the data subject's explicit consent (Article 22(2)(c))",
    ],
    "fi": [
        "rekisteröidyn nimenomainen suostumus (9 artiklan 2 kohdan a alakohta)",
        "rekisteröity on itse saattanut julkisiksi (9 artiklan 2 kohdan e alakohta)",
        "rekisteröidyn nimenomainen suostumus (49 artiklan 1 kohdan a alakohta)",
        "rekisteröidyn kanssa tehdyn sopimuksen täytäntöönpano (49 artiklan 1 kohdan b alakohta)",
        "rekisteröidyn etujen mukaisesti tehty sopimus (49 artiklan 1 kohdan c alakohta)",
        "rekisteröidyn kanssa tehtävää sopimusta varten (22 artiklan 2 kohdan a alakohta)",
        "rekisteröidyn nimenomainen suostumus (22 artiklan 2 kohdan c alakohta)",
    ],
    "sv": [
        "den registrerades uttryckliga samtycke (artikel 9.2 a)",
        "har offentliggjorts av den registrerade (artikel 9.2 e)",
        "den registrerades uttryckliga samtycke (artikel 49.1 a)",
        "fullgörande av ett avtal med den registrerade (artikel 49.1 b)",
        "ett avtal som ingåtts i den registrerades intresse (artikel 49.1 c)",
        "nödvändigt för ett avtal med den registrerade (artikel 22.2 a)",
        "den registrerades uttryckliga samtycke (artikel 22.2 c)",
    ],
}

ADDRESSED = {
    "en": re.compile(r"\b(you|your)\b", re.IGNORECASE),
    "fi": re.compile(r"\b(suostumuksesi|kanssasi|etujesi|julkistamasi)\b", re.IGNORECASE),
    "sv": re.compile(r"\b(du|dig|ditt|din|dina)\b", re.IGNORECASE),
}
"""Words of the notice's grounds that address the reader."""


@pytest.fixture(scope="module")
def worded(tmp_path_factory: pytest.TempPathFactory) -> Content:
    site = {**SITE, "languages": ["sv", "en", "fi"]}
    register = json.loads(json.dumps(WORDED))
    for text in _texts(register):
        text.setdefault("fi", text["en"])
    register["slug"]["fi"] = "kirjakauppa"
    return load_content(write_content(tmp_path_factory.mktemp("worded"), site, register))


def _texts(value: Any) -> list[dict[str, str]]:
    if isinstance(value, dict):
        if set(value) == {"sv", "en"}:
            return [value]
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_grounds_name_the_data_subject(worded: Content, fmt: str, lang: str) -> None:
    text = records_text(render_records(worded, fmt, lang, today=TODAY)[0], fmt, lang)
    for said in SAID[lang]:
        assert said in text, said
    assert not ADDRESSED[lang].findall(text)


# --- the register's own texts in the record's words ------------------------------------------

NOTICE_RETENTION = "The categories kept for another period are listed below."
RECORD_RETENTION = {
    "fi": "Asiakas-, tilaus- ja laskutustiedot 10 vuotta asiakkuuden päättymisestä.",
    "sv": "Kund-, beställnings- och faktureringsuppgifter 10 år efter kundrelationens slut.",
    "en": "Customer, order and invoicing data: 10 years after the customer relationship ends.",
}
RECORD_SOURCES = {
    "fi": "Rekisteröidyltä itseltään, osoitepäivityspalveluista ja luottotietoyhtiöltä.",
    "sv": "Från den registrerade, adressuppdateringstjänster och kreditupplysningsföretaget.",
    "en": "From the data subject, address update services and the credit reference agency.",
}


def with_record(folder: Path, record: dict[str, Any] | None) -> Content:
    """Return the default content copied to `folder`, the customer register's `record` block
    replaced by `record` (None: without one, its records in the notice's words)."""
    content = Path(shutil.copytree(REPO_ROOT / "content", folder))
    register = content / "registers" / "asiakasrekisteri.yaml"
    data = yaml.safe_load(register.read_text("utf-8"))
    data.pop("record")
    if record is not None:
        data["record"] = record
    register.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return load_content(content)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Content:
    record = {"retention": RECORD_RETENTION, "sources": RECORD_SOURCES}
    return with_record(tmp_path_factory.mktemp("recorded") / "content", record)


@pytest.fixture(scope="module")
def unrecorded(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return with_record(tmp_path_factory.mktemp("unrecorded") / "content", None)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_record_block_gives_the_register_s_texts_in_the_record_s_words(
    recorded: Content, unrecorded: Content, fmt: str, lang: str
) -> None:
    before = records_text(render_records(unrecorded, fmt, lang, today=TODAY)[0], fmt, lang)
    if lang == "en":
        assert NOTICE_RETENTION in before and "We get the data mainly from you" in before
    text = records_text(render_records(recorded, fmt, lang, today=TODAY)[0], fmt, lang)
    assert text.count(RECORD_RETENTION[lang]) == 6  # each activity of the register
    assert text.count(RECORD_SOURCES[lang]) == 6
    if lang == "en":
        assert NOTICE_RETENTION not in text and "We get the data mainly from you" not in text
    # Each category's own period still follows, and the analytics' in its activity.
    assert ANALYTICS_RETENTION[lang] in text


def test_the_record_block_leaves_the_notice_as_it_was(
    recorded: Content, unrecorded: Content
) -> None:
    from notice import export

    register = recorded.register("asiakasrekisteri")
    assert register.retention == unrecorded.register("asiakasrekisteri").retention
    data = json.loads(export.register_json(recorded.site, register))
    assert "record" not in data and data["retention"]["en"].endswith(NOTICE_RETENTION)
