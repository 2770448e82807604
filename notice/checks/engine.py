"""Run every rule over the content and turn what the rules report into located findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from notice.checks.context import Context
from notice.checks.findings import UI_LANGUAGES, Finding, Hit, Param
from notice.checks.rules import RULES, Rule
from notice.loader import Content


def run_checks(content: Content, *, today: dt.date | None = None) -> list[Finding]:
    """Return every finding of every rule on the site and each register, in file order."""
    ctx = Context(content, today or dt.date.today())
    findings: list[Finding] = []
    seen: set[tuple[str, str, tuple[object, ...], str | None]] = set()
    for rule in RULES:
        if rule.scope == "site":
            batches = [("site", rule.check(ctx))]
        else:
            batches = [(r.id, rule.check(ctx, r)) for r in content.registers]
        for owner, hits in batches:
            for hit in hits:
                finding = _finding(content, rule, hit.owner or owner, hit)
                # A rule may reach one spot by two paths (e.g. two sentences); say it once.
                key = (rule.id, finding.owner, finding.key_path, finding.language)
                if key not in seen:
                    seen.add(key)
                    findings.append(finding)
    return sorted(findings, key=Finding.sort_key)


def _finding(content: Content, rule: Rule, owner: str, hit: Hit) -> Finding:
    path, line = content.locate(owner, hit.key_path)
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        owner=owner,
        key_path=hit.key_path,
        path=path,
        line=line,
        language=hit.language,
        message={lang: _fill(rule.message[lang], hit.params, lang) for lang in UI_LANGUAGES},
        hint=dict(rule.hint),
    )


def _fill(template: str, params: Mapping[str, Param], lang: str) -> str:
    values = {k: v if isinstance(v, str) else v[lang] for k, v in params.items()}
    return template.format(**values)
