"""Swedish as a reader gets it: the rights texts on /sv/ pages and the checker's messages.

The notice says "lämna in ett klagomål", as the portal's letters and e-mails do (it said "inge
klagomål"); "Begränsade uppgifter lagras endast." has its verb in second place; and the checker
lists missing address parts with "och", as the Finnish message does with "ja".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from notice.build import build_site
from notice.cli import main
from tests import REPO_ROOT
from tests.notice.fixtures_checks import _DELETE, TODAY, S, _all, build, write_content


@pytest.fixture(scope="module")
def kundregister(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("sv-wording")
    content = Path(shutil.copytree(REPO_ROOT / "content", root / "content"))
    out = root / "out"
    build_site(content, out, pdf=False, jobs=1, cache_dir=root / "cache")
    page = (out / "sv" / "kundregister" / "index.html").read_text("utf-8")
    return " ".join(BeautifulSoup(page, "lxml").get_text().split())


def test_restricted_data_are_stored_only(kundregister: str) -> None:
    assert "Begränsade uppgifter lagras endast." in kundregister
    assert "endast lagras" not in kundregister


def test_a_complaint_is_lodged_in_the_portals_words(kundregister: str) -> None:
    assert "lämna in ett klagomål till en tillsynsmyndighet" in kundregister
    assert "inge klagomål" not in kundregister


@pytest.mark.parametrize(
    ("deleted", "sv", "en"),
    [
        (["postal_code", "city"], "postnummer och postanstalt saknas", "postal code and city"),
        (
            ["street_address", "postal_code", "city"],
            "gatuadress, postnummer och postanstalt saknas",
            "street address, postal code and city",
        ),
        (["city"], "ofullständig: postanstalt saknas", "incomplete: city missing"),
    ],
)
def test_missing_address_parts_are_listed_with_and(
    tmp_path: Path, deleted: list[str], sv: str, en: str
) -> None:
    site, register = build(_all(*(S(f"controller.{key}", _DELETE) for key in deleted)))
    folder = str(write_content(tmp_path / "content", site, [register]))
    for lang, expected in (("sv", sv), ("en", en)):
        result = CliRunner().invoke(
            main, ["check", "--today", TODAY, "--lang", lang, "--content", folder]
        )
        assert expected in result.output, result.output
