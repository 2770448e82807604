"""What a check reports: a located finding with its message and fix hint in every UI language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from notice.loader import KeyPath, format_key

UI_LANGUAGES: tuple[str, ...] = ("en", "fi", "sv")
"""Languages the checker's own messages and hints are written in."""


class Severity(StrEnum):
    """How bad a finding is: errors stop `notice build`, warnings fail only `--strict`."""

    error = "error"
    warning = "warning"
    info = "info"


_AND = {"en": "and", "fi": "ja", "sv": "och"}


def listed(items: list[str], lang: str) -> str:
    """Return items as a list in a UI language: `a`, `a and b`, `a, b and c`."""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {_AND[lang]} {items[-1]}"


_QUOTES = {"en": ("\u201c", "\u201d"), "fi": ("\u201d", "\u201d"), "sv": ("\u201d", "\u201d")}


def named_item(text: Mapping[str, str] | None, key_path: KeyPath) -> dict[str, str]:
    """Name a list item in each UI language as a YAML author finds it: its text in quotes (that
    language's, else the first there is), then its key as the loader writes it, counted from 0:
    `“Customer service” (purposes.1)`. An item without a text is named by its key alone."""
    from notice.checks.walk import quote

    key = format_key(key_path)
    texts = {lang: value for lang, value in (text or {}).items() if value and value.strip()}
    first = next(iter(texts.values()), "")
    named: dict[str, str] = {}
    for lang in UI_LANGUAGES:
        words = quote(texts.get(lang) or first, 60)
        opening, closing = _QUOTES[lang]
        named[lang] = f"{opening}{words}{closing} ({key})" if words else key
    return named


SEVERITY_ORDER = {Severity.error: 0, Severity.warning: 1, Severity.info: 2}

Param = str | Mapping[str, str]
"""A message parameter: the same in every language, or one value per UI language."""


@dataclass(frozen=True)
class Hit:
    """What a rule function reports; the rule adds severity, message and location."""

    key_path: KeyPath
    language: str | None = None
    params: Mapping[str, Param] = field(default_factory=dict)
    owner: str | None = None
    """`"site"` or a register id; None means the owner the rule was run for."""


@dataclass(frozen=True)
class Finding:
    """One problem in the content, located by file, line and key path."""

    rule_id: str
    severity: Severity
    owner: str
    key_path: KeyPath
    path: Path
    line: int
    language: str | None
    message: dict[str, str]
    hint: dict[str, str]

    def format(self, lang: str = "en") -> str:
        """Return the finding as one linter line: `path:line: SEVERITY rule-id: message (hint)`."""
        ui = lang if lang in UI_LANGUAGES else UI_LANGUAGES[0]
        where = f"[{self.language}] " if self.language else ""
        hint_word = {"en": "hint", "fi": "vihje", "sv": "tips"}[ui]
        # A finding made elsewhere (`notice scan`) may lack a language: English stands in.
        message = self.message.get(ui) or self.message["en"]
        hint = self.hint.get(ui) or self.hint["en"]
        return (
            f"{_display_path(self.path)}:{self.line}: {self.severity.value.upper()} "
            f"{self.rule_id}: {where}{message} ({hint_word}: {hint})"
        )

    def as_json(self) -> dict[str, object]:
        """Return the finding as a JSON-ready mapping."""
        return {
            "rule_id": self.rule_id,
            "severity": self.severity.value,
            "owner": self.owner,
            "key_path": list(self.key_path),
            "key": format_key(self.key_path),
            "path": str(self.path),
            "line": self.line,
            "language": self.language,
            "message": dict(self.message),
            "hint": dict(self.hint),
        }

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order findings by file, line, severity and rule."""
        return (str(self.path), self.line, SEVERITY_ORDER[self.severity], self.rule_id)


def _display_path(path: Path) -> str:
    # Relative paths are what editors and terminals turn into links; absolute ones only if outside.
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
