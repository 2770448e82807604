"""Run axe-core in a Playwright page and report its violations so a person can act on them.

axe is injected as a script element, which a strict CSP (no inline or foreign script) blocks: run it
in a context made with `bypass_csp=True` (the `page` fixture is).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.tools import AXE_JS, require_file

WCAG_22_AA: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
"""axe tags that together select the WCAG 2.2 level A and AA rules."""

Violation = dict[str, Any]
"""One axe violation as axe returns it: `id`, `impact`, `help`, `helpUrl`, `nodes`, ..."""

_RUN = """async (options) => {
    const results = await window.axe.run(document, options);
    return results.violations;
}"""


def run_axe(page: Page, tags: Sequence[str] = WCAG_22_AA) -> list[Violation]:
    """Inject axe-core into `page` (once per document) and return its violations for `tags`."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=require_file(AXE_JS, "axe-core (node_modules/axe-core)"))
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    return page.evaluate(_RUN, options)


def format_violations(violations: Iterable[Mapping[str, Any]], where: str = "") -> str:
    """Describe violations one per line: rule id, impact, help text and each failing element."""
    lines: list[str] = []
    prefix = f"{where}: " if where else ""
    for violation in violations:
        lines.append(
            f"{prefix}[{violation.get('impact') or 'n/a'}] {violation['id']}: "
            f"{violation.get('help', '')} ({violation.get('helpUrl', '')})"
        )
        for node in violation.get("nodes", []):
            target = " >> ".join(str(part) for part in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            lines.append(f"    {target}  {summary}")
            lines.append(f"      {node.get('html', '')[:200]}")
    return "\n".join(lines)


def assert_no_violations(violations: Sequence[Mapping[str, Any]], where: str = "") -> None:
    """Fail with a readable list when axe found any violation."""
    if violations:
        count = sum(len(v.get("nodes", [])) for v in violations)
        pytest.fail(
            f"{len(violations)} axe rule(s) violated on {count} element(s)\n"
            + format_violations(violations, where),
            pytrace=False,
        )
