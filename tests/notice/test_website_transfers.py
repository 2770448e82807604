"""The transfers section (Art 13(1)(f)) of a register with `website: true` lists the website's
analytics transfers too (site.yaml `analytics.transfers`: Google LLC in the United States), with
their ground and decision, in every language; the JSON-LD says the same. Before, the transfer was
given only in the analytics section, and its `decision` was printed nowhere.

The content is the default content's, with the register's own Google LLC entry taken out (the
checker accepts the site's analytics transfer as the statement, E09-ga-us-transfer); pages are
read back with BeautifulSoup.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from notice import countries
from notice.build import build_site
from notice.i18n import translations
from notice.model import TransferMechanism
from notice.render import TRANSFER_MECHANISMS
from tests import REPO_ROOT
from tests.website_content import DECISION, website_content

LANGUAGES = ("fi", "sv", "en")
SLUGS = {"fi": "asiakasrekisteri", "sv": "kundregister", "en": "customer-register"}


def _build(tmp_path: Path, transfers: str | None) -> Path:
    content = website_content(tmp_path / "content", transfers=transfers)
    site_file = content / "site.yaml"
    site = yaml.safe_load(site_file.read_text(encoding="utf-8"))
    [transfer] = site["analytics"]["transfers"]
    assert transfer["decision"] == DECISION
    del transfer["details"]  # they named the decision; now only `decision` does
    site_file.write_text(
        yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    return out


def _section(out: Path, lang: str, section: str) -> Tag:
    page = out / lang / SLUGS[lang] / "index.html"
    found = BeautifulSoup(page.read_bytes(), "lxml").find("section", id=section)
    assert found is not None, (lang, section)
    return found


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split()).replace(" .", ".").replace(" :", ":")


def _google_items(section: Tag) -> list[str]:
    return [_text(li) for li in section.find_all("li") if "Google LLC" in li.get_text()]


@pytest.mark.parametrize("transfers", [None, "none"], ids=["transfers-unset", "transfers-none"])
def test_the_transfers_section_lists_the_analytics_transfer_with_its_decision(
    tmp_path: Path, transfers: str | None
) -> None:
    out = _build(tmp_path, transfers)
    for lang in LANGUAGES:
        gettext = translations(lang).gettext
        section = _section(out, lang, "transfers")
        [item] = _google_items(section)
        assert item.startswith(f"Google LLC, {countries.name('US', lang)}"), item
        assert f"({gettext('Google Analytics')})" in item, item
        assert gettext(TRANSFER_MECHANISMS[TransferMechanism.adequacy]) in item, item
        assert f"{gettext('Decision')}: {DECISION}." in item, item
        said = _text(section)
        nothing = gettext(
            "We do not transfer personal data outside the European Economic Area (EEA)."
        )
        assert nothing not in said, lang  # it would deny the transfer listed above it
        if transfers == "none":
            msgid = "We transfer no other personal data outside the European Economic Area (EEA)."
            other = gettext(msgid)
            assert other in said, said
            assert lang == "en" or other != msgid, f"{lang}: not translated"
        # The analytics section names the decision as well.
        [analytics] = _google_items(_section(out, lang, "analytics"))
        assert f"{gettext('Decision')}: {DECISION}." in analytics, analytics
    node = json.loads((out / "registers" / "asiakasrekisteri.jsonld").read_text(encoding="utf-8"))
    google = [r for r in node["dpv:hasRecipient"] if r.get("dpv:hasName") == "Google LLC"]
    assert google == [
        {
            "@type": "dpv:Recipient",
            "dpv:hasName": "Google LLC",
            "dpv:hasCountry": {"@id": "loc:US"},
            "dpv:hasLegalBasis": {"@id": "eu-gdpr:A45-3"},  # Art 45(3): adequacy
            "dct:references": DECISION,
            # Marked as the website analytics' transfer, as the records' JSON-LD marks it.
            "dpv:isImplementedUsingTechnology": {
                "@type": "dpv:Technology",
                "dct:title": "Google Analytics",
            },
        }
    ]


def test_a_transfer_the_register_gives_itself_is_listed_once(tmp_path: Path) -> None:
    """The default register lists Google LLC as its own sub-processor in the United States: the
    site's analytics transfer to the same recipient and country is not listed a second time."""
    out = tmp_path / "site"
    build_site(REPO_ROOT / "content", out, pdf=False, jobs=1, allow_errors=True)
    for lang in LANGUAGES:
        assert len(_google_items(_section(out, lang, "transfers"))) == 1, lang
    node = json.loads((out / "registers" / "asiakasrekisteri.jsonld").read_text(encoding="utf-8"))
    names = [str(r.get("dpv:hasName")) for r in node["dpv:hasRecipient"]]
    assert sum("Google LLC" in name for name in names) == 1, names
