"""The read-back detectors find what they are for, on planted text, and pass clean documents."""

from __future__ import annotations

import re

import pytest

from tests import readback

CLEAN = {
    "fi": (
        "Olemme käsitelleet pyyntösi, joka saapui 4. joulukuuta 2026. Saat tiedot liitteenä, ja "
        "voit tehdä valituksen tietosuojavaltuutetulle, jos et ole tyytyväinen vastaukseen."
    ),
    "sv": (
        "Vi har behandlat din begäran som kom in den 4 december 2026. Du får uppgifterna som "
        "bilaga och du kan klaga hos dataombudsmannen om du inte är nöjd med svaret."
    ),
    "en": (
        "We have handled your request, received on 4 December 2026. You find the data attached, "
        "and you can complain to the Data Protection Ombudsman if you are not satisfied."
    ),
}


@pytest.mark.parametrize("lang", sorted(CLEAN))
def test_a_clean_letter_has_no_problems(lang: str) -> None:
    assert readback.problems(CLEAN[lang], lang) == []


@pytest.mark.parametrize(
    ("planted", "what"),
    [
        ("Tiedot: name={'fi': 'Etu- ja sukunimi', 'sv': 'Namn'} retention=None", "dict repr"),
        ("Tiedot: name={1: 2}", "key=value repr"),
        ("provision=<ProvisionRequirement.contract_prerequisite: 'x'>", "enum repr"),
        ("<portal.core.models.DataRequest object at 0x7f3a2b1c>", "object repr"),
        ("Säilytysaika: None", "None"),
        ("Hei %(name)s, pyyntösi on vastaanotettu.", "placeholder"),
        ("Hei {name}, pyyntösi on vastaanotettu.", "placeholder"),
        ('Traceback (most recent call last):\n  File "x.py", line 3', "traceback"),
        ("Lue **tärkeä** tieto", "Markdown bold"),
        ("katso [tietosuoja](https://tietosuoja.fi)", "Markdown link"),
        ("## Rekisterinpitäjä", "Markdown heading"),
        ("saapui datetime.date(2026, 12, 4)", "datetime repr"),
    ],
)
def test_each_artefact_is_found(planted: str, what: str) -> None:
    found = readback.problems(CLEAN["fi"] + "\n" + planted, "fi")
    assert any(problem.startswith(what + ":") for problem in found), found


def test_none_in_prose_is_not_an_artefact() -> None:
    assert readback.artefacts("None of your data is shared. Lähde: rekisteröity itse.") == []


def test_an_english_sentence_in_a_finnish_letter_is_found() -> None:
    text = CLEAN["fi"] + "\n\nThe data categories kept for another period are listed below for you."
    found = readback.problems(text, "fi")
    assert found == [
        "in en, not fi: 'The data categories kept for another period are listed below for you.'"
    ]


def test_a_swedish_sentence_in_an_english_letter_is_found() -> None:
    assert readback.other_language(CLEAN["en"] + "\n\n" + CLEAN["sv"], "en")[0].startswith(
        "in sv, not en:"
    )


def test_text_the_person_wrote_may_be_in_any_language() -> None:
    quote = "Please send me all the data that you have about me and my family."
    assert readback.other_language(CLEAN["fi"] + "\n" + quote, "fi", allowed=[quote]) == []


def test_an_untranslated_catalog_message_is_found() -> None:
    msgid, translation = next(
        (m, t) for m, t in readback._catalog("fi").items() if len(m.split()) >= 4 and "%(" not in m
    )
    assert readback.untranslated(f"{CLEAN['fi']} {msgid}", "fi") == [
        f"untranslated: {' '.join(msgid.split())[:100]!r}"
    ]
    assert readback.untranslated(f"{CLEAN['fi']} {translation}", "fi") == []


def test_digits_in_the_emoji_font_are_found() -> None:
    from weasyprint import HTML

    html = (
        "<p style=\"font-family: 'Noto Sans'\">Päivitetty 4. joulukuuta</p>"
        "<p style=\"font-family: 'Noto Color Emoji'\">2026</p>"
    )
    pdf = HTML(string=html).write_pdf()
    runs = readback.fonts_of_text(pdf)
    assert any("Emoji" in font for font, _ in runs), runs
    assert [p for p in readback.font_problems(pdf) if "2026" in p]
    clean = HTML(string="<p style=\"font-family: 'Noto Sans'\">4. joulukuuta 2026</p>").write_pdf()
    assert readback.font_problems(clean) == []
    assert "4. joulukuuta 2026" in readback.pdf_text(clean)


def test_text_pushed_beyond_the_page_is_found() -> None:
    from weasyprint import HTML

    pushed = HTML(
        string="<div style='display: grid; grid-template-columns: max-content 1fr'>"
        "<b>" + "Yhteystiedot ja asiakkuuteen liittyvät tiedot " * 6 + "</b>"
        "<span>Sinulta itseltäsi</span></div>"
    ).write_pdf()
    (problem,) = [p for p in readback.off_page(pushed) if "Sinulta" in p]
    # pypdf may hand the value over as one run or word by word.
    assert re.fullmatch(r"page 1: 'Sinulta( itseltäsi)?' at x=\d+ of 595", problem), problem
    wrapped = HTML(
        string="<div style='display: grid; grid-template-columns: fit-content(16rem) 1fr'>"
        "<b>" + "Yhteystiedot ja asiakkuuteen liittyvät tiedot " * 6 + "</b>"
        "<span>Sinulta itseltäsi</span></div>"
    ).write_pdf()
    assert readback.off_page(wrapped) == []
