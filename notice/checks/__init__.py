"""`notice check`: GDPR Art 13/14 rules that find what a privacy notice lacks (LEGAL.md §1–3).

Public API: `run_checks(content) -> list[Finding]`, `Finding.format(lang)`, and `RULES`, the one
table that drives the checker, `notice check --list-rules` and `docs/checks.md`.
"""

from notice.checks.engine import run_checks
from notice.checks.findings import Finding, Severity
from notice.checks.rules import RULES, Rule

__all__ = ["RULES", "Finding", "Rule", "Severity", "run_checks"]
