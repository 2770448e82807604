"""Content files as people and attackers save them: other encodings, alias bombs, deep nesting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from notice.cli import main
from notice.loader import MAX_DEPTH, MAX_VALUES, load_content
from tests.notice.test_loader import REGISTER, SITE, load_errors, write_content


def _content(tmp_path: Path, *, site: bytes | None = None, register: bytes | None = None) -> Path:
    root = write_content(tmp_path / "content", SITE, {"a.yaml": REGISTER})
    if site is not None:
        (root / "site.yaml").write_bytes(site)
    if register is not None:
        (root / "registers" / "a.yaml").write_bytes(register)
    return root


def _latin1_register() -> bytes:
    return (REGISTER + "retention: {fi: Säilytämme kolme vuotta, en: Three years}\n").encode(
        "latin-1"
    )


def test_a_register_saved_as_latin1_is_named_with_its_line(tmp_path: Path) -> None:
    root = _content(tmp_path, register=_latin1_register())
    assert load_errors(root) == [
        f"{root}/registers/a.yaml:5: the file is not UTF-8 (byte 0xE4, 'ä' in Latin-1 or "
        "Windows-1252); save it as UTF-8"
    ]


def test_a_site_file_saved_as_windows_1252_is_named_with_its_line(tmp_path: Path) -> None:
    site = (SITE + "  address: “Kauppakatu 1”\n").encode("cp1252")
    root = _content(tmp_path, site=site)
    errors = load_errors(root)
    assert errors[0].startswith(f"{root}/site.yaml:5: the file is not UTF-8 (byte 0x93")
    assert errors[0].endswith("; save it as UTF-8")


def test_a_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    root = _content(tmp_path, register=REGISTER.encode("utf-16"))
    assert load_errors(root) == [
        f"{root}/registers/a.yaml:1: the file is not UTF-8 (it is UTF-16); save it as UTF-8"
    ]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    root = _content(
        tmp_path,
        site=bom + SITE.encode(),
        register=bom + REGISTER.replace("Asiakkaat", "Äiti").encode(),
    )
    content = load_content(root)
    assert content.site.base_url.startswith("https://example.fi")
    assert content.register("asiakkaat").name["fi"] == "Äiti"
    assert content.locate("asiakkaat", ("name",))[1] == 3


@pytest.mark.parametrize("command", ["build", "check"])
def test_the_cli_says_so_and_exits_1_without_a_traceback(tmp_path: Path, command: str) -> None:
    root = _content(tmp_path, register=_latin1_register())
    args = [command, "--content", str(root)]
    if command == "build":
        args += ["--out", str(tmp_path / "site"), "--no-pdf"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "registers/a.yaml:5: the file is not UTF-8" in result.output
    assert not (tmp_path / "site").exists()


def _alias_bomb(levels: int = 9, width: int = 10) -> str:
    """Return YAML whose last key expands to width**levels values: a "billion laughs"."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_with_its_line_in_bounded_time_and_memory(
    repo_root: Path, tmp_path: Path
) -> None:
    bomb = _alias_bomb()
    root = _content(tmp_path, register=(REGISTER + "extra:\n" + _indent(bomb)).encode())
    # In a child process, so that its peak memory is measured alone.
    script = f"""
import re
from pathlib import Path
from notice.loader import ContentError, load_content
try:
    load_content({str(root)!r})
except ContentError as exc:
    print(exc)
# VmHWM is this process's own peak: ru_maxrss would also count the forking parent's memory
# (Linux carries it across exec), which in a long test run is the whole pytest process.
status = Path("/proc/self/status").read_text()
print(re.search("VmHWM:[ \t]+([0-9]+) kB", status).group(1))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=repo_root, timeout=60
    )
    assert result.returncode == 0, result.stderr
    message, peak_kib = result.stdout.strip().rsplit("\n", 1)
    assert message.startswith(f"{root}/registers/a.yaml:")
    assert f"expands to more than {MAX_VALUES} values" in message
    assert int(peak_kib) < 400_000, "far from the gigabytes the expansion would take"


def _indent(text: str) -> str:
    return "".join(f"  {line}\n" for line in text.splitlines())


def test_a_complex_key_made_of_aliases_is_never_expanded(tmp_path: Path) -> None:
    bomb = _alias_bomb()
    register = REGISTER + bomb + "? *a9\n: x\n"
    root = _content(tmp_path, register=register.encode())
    errors = load_errors(root)
    assert any("a key must be a plain word" in e or "expands to more" in e for e in errors)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 600, 990])
@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused_with_its_line(tmp_path: Path, depth: int, style: str) -> None:
    if style == "flow":
        nested = "extra: " + "[" * depth + "]" * depth + "\n"
        line = 5
    else:
        nested = "".join("  " * level + f"k{level}:\n" for level in range(depth))
        nested += "  " * depth + "x: 1\n"
        line = 5 + MAX_DEPTH + 1  # the value of the key one level too deep
    root = _content(tmp_path, register=(REGISTER + nested).encode())
    errors = load_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith(f"{root}/registers/a.yaml:{line}: ")
    assert f"nested more than {MAX_DEPTH} levels deep" in errors[0]


def test_a_control_character_is_named_with_its_line(tmp_path: Path) -> None:
    root = _content(tmp_path, register=(REGISTER + "retention: {fi: a\x07, en: b}\n").encode())
    assert load_errors(root) == [
        f"{root}/registers/a.yaml:5: invalid YAML: control characters are not allowed"
    ]


@pytest.mark.parametrize("value", ["!!int zz", "!!float x", "!!timestamp x", "!!bool maybe"])
def test_a_bad_explicit_tag_is_an_error_not_a_traceback(tmp_path: Path, value: str) -> None:
    root = _content(tmp_path, register=(REGISTER + f"extra: {value}\n").encode())
    errors = load_errors(root)
    assert errors and all(error.startswith(f"{root}/registers/a.yaml:") for error in errors)
