"""Run every rule over the content and turn what the rules report into located findings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from notice.checks import memo
from notice.checks.context import Context
from notice.checks.findings import UI_LANGUAGES, Finding, Hit, Param
from notice.checks.rules import RULES, Rule
from notice.file_paths import file_key_path
from notice.loader import Content

_RULE_INDEX = {rule.id: index for index, rule in enumerate(RULES)}


def run_checks(content: Content, *, today: dt.date | None = None) -> list[Finding]:
    """Return every finding of every rule on the site and each register, in file order."""
    return in_order(collect(content, today=today) + across_registers(content, today=today))


ACROSS_RULE_IDS = frozenset(rule.id for rule in RULES if rule.scope == "across")
"""Rules that compare registers with each other (`across`): `collect` leaves them out."""


def across_registers(content: Content, *, today: dt.date | None = None) -> list[Finding]:
    """Return the findings of the rules that compare registers with each other (`across`).

    They run after the others, over every register at once: a register's finding here depends
    on the other registers, so `notice.buildcache` never keeps it with the register's own
    findings but runs this step over the whole content every time (it only compares names).
    """
    ctx = Context(content, today or dt.date.today())
    findings = []
    for rule in RULES:
        if rule.scope == "across":
            findings += [
                _finding(content, rule, hit.owner or "site", hit) for hit in rule.check(ctx)
            ]
    return findings


def in_order(findings: list[Finding]) -> list[Finding]:
    """Sort findings as `run_checks` does: by file, line, severity and rule.

    Findings that tie keep the order `collect` made them in, rule by rule, so findings collected
    by separate runs (and cached, see `notice.buildcache`) sort exactly as one run's would, as
    long as each run kept one owner's findings of one rule in their order.
    """
    by_rule = sorted(findings, key=lambda finding: _RULE_INDEX.get(finding.rule_id, -1))
    return sorted(by_rule, key=Finding.sort_key)


def collect(content: Content, *, today: dt.date | None = None) -> list[Finding]:
    """Return every finding of every rule, unsorted: rule by rule, in the order rules report.

    A register's findings depend on the site and that register only, except that the site's own
    findings and those of website registers (`website: true`) may depend on every website
    register (the site's cookie texts are checked together with theirs). `notice.buildcache`
    relies on this to check only changed registers; a rule that compares registers otherwise
    must change that module's grouping too.
    """
    with memo.fresh_run():
        return _collect(content, today or dt.date.today())


def _collect(content: Content, today: dt.date) -> list[Finding]:
    ctx = Context(content, today)
    findings: list[Finding] = []
    seen: set[tuple[str, str, tuple[object, ...], str | None]] = set()
    for rule in RULES:
        if rule.scope == "across":  # `across_registers`, after the rest
            continue
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
    return findings


def _finding(content: Content, rule: Rule, owner: str, hit: Hit) -> Finding:
    # A v1 file spells some paths differently from the model; point where the file does.
    key_path = file_key_path(hit.key_path, content.sources[owner].lines)
    path, line = content.locate(owner, key_path)
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        owner=owner,
        key_path=key_path,
        path=path,
        line=line,
        language=hit.language,
        message={lang: _fill(rule.message[lang], hit.params, lang) for lang in UI_LANGUAGES},
        hint={lang: _fill_hint(rule.hint[lang], hit.params, lang) for lang in UI_LANGUAGES},
    )


def _values(params: Mapping[str, Param], lang: str) -> dict[str, str]:
    return {k: v if isinstance(v, str) else v.get(lang, v["en"]) for k, v in params.items()}


def _fill(template: str, params: Mapping[str, Param], lang: str) -> str:
    return template.format(**_values(params, lang))


_HINT_PARAM = re.compile(r"\{(\w+)\}")


def _fill_hint(template: str, params: Mapping[str, Param], lang: str) -> str:
    """Fill a hint's `{name}` parameters; YAML braces (`{mechanisms: [...]}`) stay as written."""
    if not params:
        return template
    values = _values(params, lang)
    return _HINT_PARAM.sub(lambda match: values.get(match[1], match[0]), template)
