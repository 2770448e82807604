"""A line indented less (or more) than its siblings, as `notice check` reports it in each language.

libyaml stops one line late on an under-indented `sv: text`: the text runs on into the next,
properly indented line, whose ': ' is "mapping values are not allowed". The report names the
line really out of place, the key path of the text it belongs to, and says it is indented too
little, when the lines parsed so far tell that for sure; otherwise it keeps the general hint, at
the line libyaml names, with the key path as parsed. The parser's problem is translated too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notice.cli import main
from tests.notice.fixtures_checks import TODAY, build, write_content

_TEXT = "purposes:\n  - id: a\n    description:\n      fi: Yksi.\n"
"""The start of a register: a purpose whose description has a Finnish text."""

_IN_CONTEXT = {
    "en": "invalid YAML: mapping values are not allowed in this context",
    "fi": "virheellinen YAML: tässä kohdassa ei voi olla avainta ja arvoa (avain: arvo)",
    "sv": "ogiltig YAML: här kan det inte stå en nyckel med ett värde (nyckel: värde)",
}
_GENERAL_HINT = {
    "en": "(hint: a ': ' inside a value, or a line indented too far: put the value in quotes or "
    "check the indentation)",
    "fi": "(vihje: arvon sisällä on ': ' tai rivi on sisennetty liian syvälle: kirjoita arvo "
    "lainausmerkkeihin tai tarkista sisennys)",
    "sv": "(tips: ett ': ' inne i ett värde eller en rad som är för långt indragen: sätt värdet "
    "inom citattecken eller kontrollera indraget)",
}
_TAB = {
    "en": "tab character in indentation; indent with spaces",
    "fi": "sisennyksessä on sarkainmerkki; sisennä välilyönneillä",
    "sv": "indraget innehåller ett tabbtecken; dra in med blanksteg",
}


def _general(lang: str) -> str:
    return f"{_IN_CONTEXT[lang]} {_GENERAL_HINT[lang]}"


SV_BELOW_FI = {
    "en": f"{_IN_CONTEXT['en']} (hint: `sv:` is indented 4 spaces, less than `fi:` above "
    "it (6); indent it as far as `fi:`)",
    "fi": f"{_IN_CONTEXT['fi']} (vihje: `sv:` on sisennetty 4 välilyönnillä, vähemmän "
    "kuin sen yläpuolella oleva `fi:` (6); sisennä rivi samalle tasolle kuin `fi:`)",
    "sv": f"{_IN_CONTEXT['sv']} (tips: `sv:` är indraget 4 blanksteg, mindre än `fi:` "
    "ovanför (6); dra in raden lika långt som `fi:`)",
}
"""What `sv:` indented 4 spaces under a `fi:` at 6 is reported as, in each language."""


# shape → the register's text, and the line, key and message (en, fi, sv) reported for it
SHAPES: dict[str, tuple[str, int, str, dict[str, str]]] = {
    "a language under-indented in a list item's text": (
        _TEXT + "    sv: Ett.\n      en: One.\n",
        5,
        "purposes.0.description",
        SV_BELOW_FI,
    ),
    "a language under-indented after a blank line and a comment": (
        _TEXT + "\n    # Swedish\n    sv: Ett.\n      en: One.\n",
        7,
        "purposes.0.description",
        SV_BELOW_FI,
    ),
    "a language at the top level": (
        "id: a\nname:\n  fi: Nimi\nsv: Namn\n  en: Name\n",
        4,
        "name",
        {
            "en": f"{_IN_CONTEXT['en']} (hint: `sv:` is indented 0 spaces, less than `fi:` above "
            "it (2); indent it as far as `fi:`)",
            "fi": f"{_IN_CONTEXT['fi']} (vihje: `sv:` on sisennetty 0 välilyönnillä, vähemmän "
            "kuin sen yläpuolella oleva `fi:` (2); sisennä rivi samalle tasolle kuin `fi:`)",
            "sv": f"{_IN_CONTEXT['sv']} (tips: `sv:` är indraget 0 blanksteg, mindre än `fi:` "
            "ovanför (2); dra in raden lika långt som `fi:`)",
        },
    ),
    # `retention` may as well belong at the top and `legal_bases` be indented too far: not told.
    "a list item's key under-indented to the top level": (
        _TEXT + "retention: x\n    legal_bases: [contract]\n",
        6,
        "retention",
        {lang: _general(lang) for lang in _IN_CONTEXT},
    ),
    "a key under-indented that is no language": (
        _TEXT + "    legal_bases: contract\n      retention: x\n",
        6,
        "purposes.0.legal_bases",
        {lang: _general(lang) for lang in _IN_CONTEXT},
    ),
    "a language indented too far": (
        _TEXT + "        sv: Ett.\n      en: One.\n",
        5,
        "purposes.0.description.fi",
        {lang: _general(lang) for lang in _IN_CONTEXT},
    ),
    "a ': ' inside a value": (
        "purposes:\n  - id: a\n    description: Huom: tärkeä\n",
        3,
        "purposes.0.description",
        {lang: _general(lang) for lang in _IN_CONTEXT},
    ),
    "a tab in the line after an under-indented language": (
        _TEXT + "    sv: Ett.\n     \ten: One.\n",
        6,
        "purposes.0.sv",
        _TAB,
    ),
}


def content(tmp_path: Path, text: str) -> Path:
    """Write the clean site with one register of `text`; return the content folder."""
    site, _ = build(lambda site, register: None)
    root = write_content(tmp_path / "content", site, [])
    (root / "registers" / "a.yaml").write_text(text, "utf-8")
    return root


def check(root: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["check", "--content", str(root), "--today", TODAY, "--no-cache", *args]
    )


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_line_out_of_place_is_reported(tmp_path: Path, shape: str, lang: str) -> None:
    text, line, key, message = SHAPES[shape]
    root = content(tmp_path, text)
    result = check(root, "--lang", lang)
    assert result.exit_code == 1
    expected = f"{root}/registers/a.yaml:{line}: {key}: {message[lang]}"
    assert result.stderr.splitlines()[0] == expected


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_json_gives_the_line_key_and_translated_message(tmp_path: Path, lang: str) -> None:
    text, line, key, message = SHAPES["a language under-indented in a list item's text"]
    root = content(tmp_path, text)
    result = check(root, "--lang", lang, "--format", "json")
    assert result.exit_code == 1
    finding = json.loads(result.stdout)["findings"][0]
    assert (finding["line"], finding["key"], finding["key_path"]) == (
        line,
        key,
        ["purposes", 0, "description"],
    )
    assert finding["message"] == message
    assert finding["translated_message"] == {"lang": lang, "text": message[lang]}
