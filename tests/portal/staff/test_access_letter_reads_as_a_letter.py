"""The access (Art 15) letter reads right for the person it is sent to, in fi, sv and en.

Its Art 15 lines come from the register's texts, written for the notice page: one purpose ended
"(see Cookies and Google Analytics)", a section the letter does not have, and one category spoke
of "the person" to the very person the letter is addressed to. The letter now drops pointers to
page sections (a citation with a number stays) and the category speaks to its reader.
Read as the person gets it: the decision PDF through pypdf.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from notice.loader import load_content
from portal.core import art15
from tests.portal.support.decisions import decided
from tests.portal.support.mailserver import SmtpServer
from tests.portal.support.staff import StaffActions

READS = {
    "fi": (
        "sivuston kehittämiseksi ja markkinoinnin suunnittelemiseksi. Oikeusperuste: Suostumus",
        "Yritys tai yhteisö, jota edustat",
        ("(ks. Evästeet", "henkilö edustaa"),
    ),
    "sv": (
        "utveckla webbplatsen och planera vår marknadsföring. Rättslig grund: Samtycke",
        "Företag eller organisation som du företräder",
        ("(se Kakor", "personen företräder"),
    ),
    "en": (
        "develop the site and plan our marketing. Legal basis: Consent",
        "Company or organisation you represent",
        ("(see Cookies", "the person represents"),
    ),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_access_letter_points_to_no_page_section_and_speaks_to_its_reader(
    app: Flask, smtp_server: SmtpServer, staff: StaffActions, repo_root: Path, lang: str
) -> None:
    content = load_content(repo_root / "content")
    register = content.register("asiakasrekisteri")
    every_line = [
        line_id
        for section in art15.sections(register, lang, content.site.languages, site=content.site)
        for line_id, _text in section.lines
    ]
    copies = decided(
        app,
        smtp_server,
        staff,
        right="access",
        lang=lang,
        email=f"access.{lang}@example.fi",
        decision="granted",
        art15_keep=every_line,  # type: ignore[arg-type] # the form's checkboxes, all ticked
        actions="Kopio tiedoistasi lähetettiin kirjattuna kirjeenä osoitteeseesi.",
    )
    purpose, category, absent = READS[lang]
    letter = copies.pdf_text
    assert purpose in letter
    assert category in letter
    for words in absent:
        assert words not in letter, (words, letter)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Analytics (see Cookies and Google Analytics).", "Analytics."),
        ("Analytiikka (ks. Evästeet ja Google Analytics).", "Analytiikka."),
        ("Analys (se Kakor och Google Analytics).", "Analys."),
        ("Analytics (See below) for details.", "Analytics for details."),
        ("Payroll (see Article 6(1)(c)).", "Payroll (see Article 6(1)(c))."),
        ("Seasonal offers (seen by everyone).", "Seasonal offers (seen by everyone)."),
    ],
)
def test_only_pointers_to_page_sections_are_dropped(text: str, expected: str) -> None:
    assert art15._plain(text, "en") == expected
