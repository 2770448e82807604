"""A finding the real checks never make, added to every run of the checker: how the build tests
make the checks find an error (beside the rendering, in the checks' process too: a fork keeps the
patch)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

import notice.checks
from notice.checks import Finding, Severity


def an_error(
    message: str | Mapping[str, str],
    *,
    owner: str = "site",
    hint: Mapping[str, str] | None = None,
) -> Finding:
    """An error of rule `test-rule` in `owner`; a plain `message` stands in every language."""
    text = dict.fromkeys(("en", "fi", "sv"), message) if isinstance(message, str) else message
    path = Path("site.yaml" if owner == "site" else f"registers/{owner}.yaml")
    return Finding(
        "test-rule", Severity.error, owner, (), path, 1, None, dict(text), dict(hint or text)
    )


def add_findings(monkeypatch: pytest.MonkeyPatch, *findings: Finding) -> None:
    """Make every run of the checker find `findings` besides what it finds."""
    real = notice.checks.run_checks
    monkeypatch.setattr(
        notice.checks, "run_checks", lambda part, **kw: [*real(part, **kw), *findings]
    )
