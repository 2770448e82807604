"""The request pages name a register's own controller (format 2.1), not the site's.

The housing-company fixture's site is the property manager's; its one register, camera
surveillance, is the housing company's. The start page names the housing company in each
language (its localized name), and the pages about identification give its address.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from tests import REPO_ROOT
from tests.portal.support.web import https_client

HOUSING = REPO_ROOT / "tests" / "fixtures" / "registers-real" / "housing-company"

LEAD = {
    "fi": "Voit kysyä, mitä tietoja Asunto Oy Rantapääsky käsittelee sinusta ja miten, ja pyytää "
    "meitä korjaamaan, poistamaan, rajoittamaan tai luovuttamaan ne tai vastustaa niiden käyttöä. "
    "Valitse, mitä haluat tehdä.",
    "sv": "Du kan fråga Bostads Ab Rantapääsky vilka uppgifter vi har om dig och vad vi gör med "
    "dem, och be oss rätta, radera, begränsa eller lämna ut dem, eller invända mot att de används. "
    "Välj vad du vill göra.",
    "en": "You can ask Asunto Oy Rantapääsky what data we hold about you and what we do with it, "
    "and ask us to correct, erase, restrict or hand it over, or object to its use. Choose what you "
    "want to do.",
}


@pytest.fixture
def housing_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    content = Path(shutil.copytree(HOUSING, tmp_path / "content"))
    return make_app(CONTENT_DIR=str(content))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_start_page_names_the_registers_own_controller(housing_app: Flask, lang: str) -> None:
    page = BeautifulSoup(https_client(housing_app).get(f"/requests/{lang}/").text, "html.parser")
    lead = page.select_one("p.lead")
    assert lead is not None
    assert " ".join(lead.get_text(" ").split()) == LEAD[lang]
    assert "Rannikko" not in page.get_text()
