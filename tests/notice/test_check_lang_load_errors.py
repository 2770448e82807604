"""`notice check --lang fi|sv` reports content that does not load in the reader's language.

The lines keep `file:line: key: message`; only the message and the closing line are in Finnish
or Swedish, a YAML syntax error's too: it names the line to fix (the '[' left open, not the line
where the parser stopped) and the fix, with no word of the parser's own
(tests/notice/test_yaml_mistakes.py has the other YAML mistakes). The counts read as a person
writes them: "1 virhe", "1 varoitus", "1 rekisteri", "1 varning", "1 error, 2 warnings".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from notice.cli import main
from tests.notice.fixtures_checks import CASES, TODAY, build, write_content


def check(content: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["check", "--content", str(content), "--today", TODAY, "--no-cache", *args]
    )


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture
def bad(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """Content with one register of each kind of mistake: its folder and the lines they are on.

    - a.yaml: an unknown key with a typo (`nam`), a date that is not one, a duplicate key;
    - b.yaml: a required key missing (`slug`) and a text in a language site.yaml does not
      declare;
    - broken.yaml: a '[' never closed; vanha.yml: a register file with the wrong suffix.
    """
    site, register = build(lambda site, register: None)
    root = write_content(tmp_path / "content", site, [])
    dump = {"allow_unicode": True, "sort_keys": False}
    folder = root / "registers"
    a = yaml.safe_dump(register | {"id": "a", "slug": {"fi": "a", "en": "a"}}, **dump)
    a = a.replace("name:", "nam:", 1).replace("prepared: '2026-01-01'", "prepared: 3.1.2026")
    a = a.replace("website: true\n", "website: true\nid: a\n")
    (folder / "a.yaml").write_text(a, "utf-8")
    b_data = register | {"id": "b"}
    del b_data["slug"]
    b_data["sources"] = {"fi": "Sinulta.", "en": "From you.", "de": "Von Ihnen."}
    b = yaml.safe_dump(b_data, **dump)
    (folder / "b.yaml").write_text(b, "utf-8")
    (folder / "broken.yaml").write_text("slug: [fi, en\nid: broken\n", "utf-8")
    (folder / "vanha.yml").write_text("id: vanha\n", "utf-8")
    lines = {
        "nam": _line(a, "nam:"),
        "prepared": _line(a, "prepared:"),
        "id": _line(a, "\nid: a\n") + 1,
        "de": _line(b, "sources:"),
    }
    return root, lines


def test_load_errors_in_finnish(bad: tuple[Path, dict[str, int]]) -> None:
    root, at = bad
    r = root / "registers"
    result = check(root, "--lang", "fi")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{r}/a.yaml:1: name: pakollinen avain puuttuu",
        f"{r}/a.yaml:{at['nam']}: nam: tuntematon avain (tarkoititko 'name'?)",
        f"{r}/a.yaml:{at['prepared']}: prepared: '3.1.2026' ei ole päivämäärä; kirjoita se "
        "muodossa VVVV-KK-PP",
        f"{r}/a.yaml:{at['id']}: id: avain toistuu (se on määritelty ensin rivillä 1)",
        f"{r}/b.yaml:1: slug: pakollinen avain puuttuu",
        f"{r}/b.yaml:{at['de']}: sources: tuntematon kieli 'de'; site.yaml määrittelee "
        "kielet fi, en",
        f"{r}/broken.yaml:1: slug: tällä rivillä olevaa merkkiä '[' ei suljeta: lisää ']' "
        "viimeisen kohdan perään",
        f"{r}/vanha.yml:1: rekisteritiedoston nimen on päätyttävä .yaml, ei .yml",
        "Sisällössä on 8 virhettä.",
    ]


def test_load_errors_in_swedish(bad: tuple[Path, dict[str, int]]) -> None:
    root, at = bad
    r = root / "registers"
    result = check(root, "--lang", "sv")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{r}/a.yaml:1: name: en obligatorisk nyckel saknas",
        f"{r}/a.yaml:{at['nam']}: nam: okänd nyckel (menade du 'name'?)",
        f"{r}/a.yaml:{at['prepared']}: prepared: '3.1.2026' är inte ett datum; skriv det som "
        "ÅÅÅÅ-MM-DD",
        f"{r}/a.yaml:{at['id']}: id: nyckeln upprepas (den angavs första gången på rad 1)",
        f"{r}/b.yaml:1: slug: en obligatorisk nyckel saknas",
        f"{r}/b.yaml:{at['de']}: sources: okänt språk 'de'; site.yaml anger fi, en",
        f"{r}/broken.yaml:1: slug: tecknet '[' på den här raden stängs inte: lägg till ']' "
        "efter det sista ledet",
        f"{r}/vanha.yml:1: registerfilens namn ska sluta på .yaml, inte .yml",
        "Innehållet har 8 fel.",
    ]


def test_load_errors_in_english_are_the_loaders_own(bad: tuple[Path, dict[str, int]]) -> None:
    root, at = bad
    r = root / "registers"
    for args in ((), ("--lang", "en")):
        result = check(root, *args)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"{r}/a.yaml:1: name: required key is missing",
            f"{r}/a.yaml:{at['nam']}: nam: unknown key (did you mean 'name'?)",
            f"{r}/a.yaml:{at['prepared']}: prepared: '3.1.2026' is not a date; write YYYY-MM-DD",
            f"{r}/a.yaml:{at['id']}: id: duplicate key (first defined on line 1)",
            f"{r}/b.yaml:1: slug: required key is missing",
            f"{r}/b.yaml:{at['de']}: sources: unknown language 'de'; site.yaml declares fi, en",
            f"{r}/broken.yaml:1: slug: the '[' on this line is not closed: add ']' after its "
            "last item",
            f"{r}/vanha.yml:1: register files must end in .yaml, not .yml",
            "8 errors in content.",
        ]


def test_one_load_error_is_one_virhe_and_one_fel(tmp_path: Path) -> None:
    """One error and a site warning: singular in the closing line and in the summary."""
    site, register = build(CASES["E01-business-id"].trigger)
    other = register | {"id": "toinen", "slug": {"fi": "toinen", "en": "other"}}
    other["name"] = {"fi": "Toinen rekisteri", "en": "Other register"}
    root = write_content(tmp_path / "content", site, [register, other])
    path = root / "registers" / "asiakkaat.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("retention:", "retension:", 1), "utf-8")
    line = _line(text, "retention:")
    expected = {
        "fi": (
            f"{path}:{line}: retension: tuntematon avain (tarkoititko 'retention'?)",
            "Sisällössä on 1 virhe.",
            "1 virhe, 1 varoitus; tarkistettu site.yaml ja 1 rekisteri; "
            f"ei tarkistettu (ei latautunut): {path}",
        ),
        "sv": (
            f"{path}:{line}: retension: okänd nyckel (menade du 'retention'?)",
            "Innehållet har 1 fel.",
            "1 fel, 1 varning; kontrollerade site.yaml och 1 register; "
            f"inte kontrollerat (kunde inte läsas in): {path}",
        ),
        "en": (
            f"{path}:{line}: retension: unknown key (did you mean 'retention'?)",
            "1 error in content.",
            "1 error, 1 warning; checked site.yaml and 1 register; "
            f"not checked (did not load): {path}",
        ),
    }
    for lang, (error, closing, summary) in expected.items():
        result = check(root, "--lang", lang)
        assert result.exit_code == 1
        assert [error, closing] == result.stderr.splitlines()[-2:], lang
        assert result.stdout.splitlines()[-1] == summary, lang


def test_json_gives_the_message_in_every_language_as_a_finding_does(tmp_path: Path) -> None:
    site, register = build(lambda site, register: None)
    register["prepared"] = "3.1.2026"
    root = write_content(tmp_path / "content", site, [register])
    english = json.loads(check(root, "--format", "json").stdout)["findings"][0]
    assert "translated_message" not in english
    for lang, text in {
        "fi": "'3.1.2026' ei ole päivämäärä; kirjoita se muodossa VVVV-KK-PP",
        "sv": "'3.1.2026' är inte ett datum; skriv det som ÅÅÅÅ-MM-DD",
    }.items():
        (found,) = json.loads(check(root, "--format", "json", "--lang", lang).stdout)["findings"]
        assert found["message"] == english["message"]  # the same whatever --lang says
        assert found["message"]["en"] == "'3.1.2026' is not a date; write YYYY-MM-DD"
        assert found["message"][lang] == text
        assert found["translated_message"] == {"lang": lang, "text": text}


def test_records_speaks_its_lang_and_says_nothing_was_written(tmp_path: Path) -> None:
    site, register = build(lambda site, register: None)
    register["prepared"] = "3.1.2026"
    root = write_content(tmp_path / "content", site, [register])
    result = CliRunner().invoke(main, ["records", "--content", str(root), "--lang", "fi"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Sisällössä on 1 virhe; mitään ei kirjoitettu."
    swedish = CliRunner().invoke(main, ["records", "--content", str(root), "--lang", "sv"])
    assert swedish.stderr.splitlines()[-1] == "Innehållet har 1 fel; ingenting har skrivits."
    # `notice build` has no --lang: English, as before.
    out = str(tmp_path / "site")
    built = CliRunner().invoke(main, ["build", "--content", str(root), "--no-pdf", "--out", out])
    assert built.stderr.splitlines()[-1] == "1 error in content; nothing was written."


INDENTED = {
    "fi": "`legal_bases` on sisennetty kohdan `description` alle, jossa on teksti kullakin "
    "kielellä; sisennä `legal_bases` samalle tasolle kuin `description`",
    "sv": "`legal_bases` är indraget under `description`, som har en text på varje språk; dra in "
    "`legal_bases` lika långt som `description`",
    "en": "`legal_bases` is indented under `description`, which holds a text in each language; "
    "indent `legal_bases` as far as `description`",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_key_indented_under_a_text_is_told_as_indentation(tmp_path: Path, lang: str) -> None:
    # A newcomer indented `legal_bases` two spaces too far: the check said "put the value in
    # quotes", and quoted it said "unknown language 'legal_bases'". Neither named indentation.
    import shutil

    from tests import REPO_ROOT

    root = Path(shutil.copytree(REPO_ROOT / "content", tmp_path / "content"))
    path = root / "registers" / "tietosuojapyynnot.yaml"
    text = path.read_text("utf-8")
    wrong = text.replace("    legal_bases: [", "      legal_bases: [", 1)
    assert wrong != text
    path.write_text(wrong, "utf-8")
    line = _line(wrong, "      legal_bases: [")
    result = check(root, "--lang", lang)
    assert result.exit_code == 1
    key = "purposes.0.description.legal_bases"
    assert f"{path}:{line}: {key}: {INDENTED[lang]}" in result.stderr.splitlines()
