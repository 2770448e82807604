"""`notice build` on YAML a person gets wrong: each problem is `file:line: key: message`, exit 1.

Wrong types, lists for maps, unknown keys, keys one level off, tabs, non-UTF-8 bytes, null and
date keys, empty texts: never a traceback, nothing written, and every line points into the file.
A byte-order mark and Windows line ends are no error at all.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notice.cli import main
from tests import REPO_ROOT

SMALL = REPO_ROOT / "tests" / "fixtures" / "small"
REGISTER = "registers/uutiskirje.yaml"


Change = Callable[[bytes], bytes]


def _edit(old: bytes, new: bytes) -> Change:
    return lambda data: data.replace(old, new, 1)


# (file, change of its bytes, the first error line after `<file>:`)
BAD = {
    "tab indentation": (
        REGISTER,
        _edit(b"\n  fi:", b"\n\tfi:"),
        "3: slug: tab character in indentation; indent with spaces",
    ),
    "Latin-1 bytes": (
        REGISTER,
        _edit("ä".encode(), b"\xe4"),
        "11: the file is not UTF-8 (byte 0xE4, 'ä' in Latin-1 or Windows-1252); save it as UTF-8",
    ),
    "a list for the whole file": (
        REGISTER,
        lambda data: b"- a\n- b\n",
        "1: expected a mapping of keys at the top",
    ),
    "a list for a map": (
        REGISTER,
        _edit(
            b"name:\n  fi: Uutiskirjeen tilaajat\n  en: Newsletter subscribers\n", b"name: [a]\n"
        ),
        "5: name: expected a mapping of keys",
    ),
    "a number for an id": (
        REGISTER,
        _edit(b"id: uutiskirje", b"id: 12"),
        "1: id: expected text, not 12; put the value in quotes",
    ),
    "an unknown key": (
        REGISTER,
        lambda data: data + b"frobnicate: 1\n",
        "59: frobnicate: unknown key",
    ),
    "a null key": (REGISTER, lambda data: data + b"~: 1\n", "59: a key must be a plain word"),
    "an empty text": (
        REGISTER,
        _edit(b"  fi: Uutiskirjeen tilaajat", b"  fi:"),
        "6: name.fi: the value is empty; write the text after the colon",
    ),
    "a key one level off": (
        "site.yaml",
        lambda data: data + b"logo: logo.svg\n",
        "97: logo: unknown key at this level; `logo` belongs at `theme.logo`",
    ),
    "a language listed twice": (
        "site.yaml",
        _edit(b"languages: [fi, en]", b"languages: [fi, en, fi]"),
        "2: languages: 'fi' is listed twice; list each language once",
    ),
}

LINE = re.compile(r"^\S+\.yaml:\d+: (?:[\w.\-…]+: )?\S.*$")
"""An error as an editor jumps to it: `file:line: key: message` (the key where there is one)."""


def _build(tmp_path: Path, rel: str, change: Change) -> tuple[Result, Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    target = content / rel
    target.write_bytes(change(target.read_bytes()))
    out = tmp_path / "site"
    args = ["build", "--content", str(content), "--out", str(out), "--no-pdf"]
    result = CliRunner().invoke(main, [*args, "--cache-dir", str(tmp_path / "cache")])
    return result, target, out


@pytest.mark.parametrize(("rel", "change", "first"), BAD.values(), ids=BAD.keys())
def test_bad_yaml_is_one_located_line_each_and_exit_1(
    tmp_path: Path, rel: str, change: Change, first: str
) -> None:
    result, target, out = _build(tmp_path, rel, change)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert "Traceback" not in result.output
    assert lines[0] == f"{target}:{first}"
    *errors, summary = lines
    assert all(LINE.match(line) for line in errors), errors
    errors_word = "error" if len(errors) == 1 else "errors"
    assert summary == f"{len(errors)} {errors_word} in content; nothing was written."
    assert not out.exists()


@pytest.mark.parametrize(
    "change",
    [lambda data: b"\xef\xbb\xbf" + data, lambda data: data.replace(b"\n", b"\r\n")],
    ids=["byte-order mark", "CRLF line ends"],
)
@pytest.mark.parametrize("rel", [REGISTER, "site.yaml"])
def test_a_bom_and_windows_line_ends_build(tmp_path: Path, rel: str, change: Change) -> None:
    result, _target, out = _build(tmp_path, rel, change)
    assert result.exit_code == 0, result.output
    assert (out / "fi" / "uutiskirje" / "index.html").is_file()
