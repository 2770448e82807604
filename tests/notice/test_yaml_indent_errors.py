"""A line indented less (or more) than its siblings, as `notice check` reports it in each language.

libyaml stops one line late on an under-indented `sv: text`: the text runs on into the next,
properly indented line, whose ': ' is "mapping values are not allowed". The report names the
line really out of place, the key path of the text it belongs to, and says it is indented too
little, when the lines parsed so far tell that for sure (a text's languages); otherwise it names
the key indented further than a key that already has its value, at the line libyaml names, with
the key path as parsed, and when a block of keys stands at its indentation just above, both fixes.
tests/notice/test_yaml_mistakes.py has the other YAML mistakes.
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

_TAB = {
    "en": "tab character in indentation; indent with spaces",
    "fi": "sisennyksessä on sarkainmerkki; sisennä välilyönneillä",
    "sv": "indraget innehåller ett tabbtecken; dra in med blanksteg",
}


def _under(own: int, theirs: int) -> dict[str, str]:
    """What `sv:` indented `own` spaces under a `fi:` at `theirs` is reported as."""
    return {
        "en": f"`sv:` is indented {own} spaces, less than `fi:` above it ({theirs}); indent it as "
        "far as `fi:`",
        "fi": f"`sv:` on sisennetty {own} välilyönnillä, vähemmän kuin sen yläpuolella oleva `fi:` "
        f"({theirs}); sisennä rivi samalle tasolle kuin `fi:`",
        "sv": f"`sv:` är indraget {own} blanksteg, mindre än `fi:` ovanför ({theirs}); dra in "
        "raden lika långt som `fi:`",
    }


def _deeper(key: str, above: str, line: int) -> dict[str, str]:
    """What `key:` indented further than `above:` (on `line`), which has a text, is reported as."""
    return {
        "en": f"`{key}:` is indented more than `{above}:` on line {line}, as if it belonged under "
        f"it, but `{above}:` already has its value: indent `{key}:` as far as `{above}:`",
        "fi": f"`{key}:` on sisennetty syvemmälle kuin rivin {line} `{above}:`, ikään kuin se "
        f"kuuluisi sen alle, mutta kohdalla `{above}:` on jo arvo: sisennä `{key}:` samalle "
        f"tasolle kuin `{above}:`",
        "sv": f"`{key}:` är längre indraget än `{above}:` på rad {line}, som om det låg under den, "
        f"men `{above}:` har redan ett värde: dra in `{key}:` lika långt som `{above}:`",
    }


SV_BELOW_FI = _under(4, 6)
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
        _under(0, 2),
    ),
    # `retention` may as well belong in the list item (the keys above it are at 4) as
    # `legal_bases` be indented too far: both fixes are named.
    "a list item's key under-indented to the top level": (
        _TEXT + "retention: x\n    legal_bases: [contract]\n",
        6,
        "retention",
        {
            "en": "`legal_bases:` is indented more than `retention:` on line 5, as if it belonged "
            "under it, but `retention:` already has its value: indent `retention:` as far as the "
            "keys above it (4 spaces), or `legal_bases:` as far as `retention:`",
            "fi": "`legal_bases:` on sisennetty syvemmälle kuin rivin 5 `retention:`, ikään kuin "
            "se kuuluisi sen alle, mutta kohdalla `retention:` on jo arvo: sisennä `retention:` "
            "samalle tasolle kuin sen yläpuolella olevat avaimet (4 välilyöntiä) tai "
            "`legal_bases:` samalle tasolle kuin `retention:`",
            "sv": "`legal_bases:` är längre indraget än `retention:` på rad 5, som om det låg "
            "under den, men `retention:` har redan ett värde: dra in `retention:` lika långt som "
            "nycklarna ovanför (4 blanksteg) eller `legal_bases:` lika långt som `retention:`",
        },
    ),
    # The keys at 6 above `legal_bases` are the description's languages: only one fix.
    "a key under-indented that is no language": (
        _TEXT + "    legal_bases: contract\n      retention: x\n",
        6,
        "purposes.0.legal_bases",
        _deeper("retention", "legal_bases", 5),
    ),
    "a language indented too far": (
        _TEXT + "        sv: Ett.\n      en: One.\n",
        5,
        "purposes.0.description.fi",
        _deeper("sv", "fi", 4),
    ),
    "a ': ' inside a value": (
        "purposes:\n  - id: a\n    description: Huom: tärkeä\n",
        3,
        "purposes.0.description",
        {
            "en": "the text of `description:` has ': ' in it (after `Huom`), which YAML reads as "
            "the start of a key: put the whole text in quotes ('…')",
            "fi": "kohdan `description:` tekstissä on ': ' (sanan `Huom` jälkeen), jonka YAML "
            "lukee avaimen aluksi: kirjoita koko teksti lainausmerkkeihin ('…')",
            "sv": "texten under `description:` innehåller ': ' (efter `Huom`), som YAML läser som "
            "början på en nyckel: sätt hela texten inom citattecken ('…')",
        },
    ),
    # The tab line stands under `sv:` as the parser read it (a key of the list item, with a text).
    "a tab in the line after an under-indented language": (
        _TEXT + "    sv: Ett.\n     \ten: One.\n",
        6,
        "purposes.0",
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
