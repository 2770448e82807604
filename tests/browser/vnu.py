"""Validate HTML files with the Nu Html Checker (vnu.jar), one JVM start for a whole batch."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.tools import VNU_JAR, require_file, require_java


@dataclass(frozen=True)
class VnuMessage:
    """One message from the checker."""

    type: str
    """`error`, `info` (with sub_type `warning` for warnings) or `non-document-error`."""
    sub_type: str | None
    file: str
    line: int | None
    column: int | None
    message: str
    extract: str

    @property
    def is_error(self) -> bool:
        """Return True for messages that make a document invalid (or that it could not be read)."""
        return self.type in ("error", "non-document-error") or self.sub_type == "fatal"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        label = self.sub_type or self.type
        return f"{where}: {label}: {self.message}  [{self.extract.strip()[:120]}]"


def run_vnu(files: Iterable[Path], timeout: float = 300) -> list[VnuMessage]:
    """Check `files` as HTML and return every message (errors and warnings)."""
    paths = [str(path) for path in files]
    if not paths:
        raise ValueError("run_vnu needs at least one file")
    jar = require_file(VNU_JAR, "vnu.jar (node_modules/vnu-jar)")
    # --stdout keeps the JSON apart from the JVM's own messages on stderr; the exit status says
    # nothing with --exit-zero-always, so failure to run shows up as unparseable output instead.
    command = [require_java(), "-jar", str(jar), "--format", "json", "--exit-zero-always"]
    result = subprocess.run(
        [*command, "--stdout", *paths],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"vnu.jar gave no JSON (exit {result.returncode}): {result.stderr[-2000:]}",
            pytrace=False,
        )
    return [_message(raw) for raw in report.get("messages", [])]


def _message(raw: dict) -> VnuMessage:
    url = str(raw.get("url", ""))
    return VnuMessage(
        type=str(raw.get("type", "")),
        sub_type=raw.get("subType"),
        file=url.removeprefix("file:"),
        line=raw.get("lastLine"),
        column=raw.get("firstColumn"),
        message=str(raw.get("message", "")),
        extract=str(raw.get("extract", "")),
    )


def assert_valid_html(messages: Sequence[VnuMessage], root: Path | None = None) -> None:
    """Fail listing every error; warnings are only printed (they show with `pytest -rA`/`-s`)."""
    warnings = [m for m in messages if not m.is_error]
    for warning in warnings:
        print(_relative(warning, root))
    errors = [m for m in messages if m.is_error]
    if errors:
        listing = "\n".join(_relative(error, root) for error in errors)
        pytest.fail(f"{len(errors)} HTML validation error(s):\n{listing}", pytrace=False)


def _relative(message: VnuMessage, root: Path | None) -> str:
    text = str(message)
    return text.replace(f"{root}/", "") if root else text
