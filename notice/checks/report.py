"""Present findings and rules: linter text, JSON, the `--list-rules` table and `docs/checks.md`."""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from notice.checks.findings import SEVERITY_ORDER, UI_LANGUAGES, Finding, Severity
from notice.checks.rules import RULES, Rule
from notice.loader import Content, LoadError

_WORDS = {
    "en": {
        "summary": "{counts}; checked site.yaml and {registers}",
        "clean": "no findings; checked site.yaml and {registers}",
        "not_loaded": "; not checked (did not load): {files}",
        "site": "site",
        "register": "register",
    },
    "fi": {
        "summary": "{counts}; tarkistettu site.yaml ja {registers}",
        "clean": "ei havaintoja; tarkistettu site.yaml ja {registers}",
        "not_loaded": "; ei tarkistettu (ei latautunut): {files}",
        "site": "sivusto",
        "register": "rekisteri",
    },
    "sv": {
        "summary": "{counts}; kontrollerade site.yaml och {registers}",
        "clean": "inga fynd; kontrollerade site.yaml och {registers}",
        "not_loaded": "; inte kontrollerat (kunde inte läsas in): {files}",
        "site": "webbplats",
        "register": "register",
    },
}

_COUNTED = {
    "en": {
        "error": ("error", "errors"),
        "warning": ("warning", "warnings"),
        "info": ("info", "info"),
        "register": ("register", "registers"),
    },
    "fi": {
        "error": ("virhe", "virhettä"),
        "warning": ("varoitus", "varoitusta"),
        "info": ("huomautus", "huomautusta"),
        "register": ("rekisteri", "rekisteriä"),
    },
    "sv": {
        "error": ("fel", "fel"),
        "warning": ("varning", "varningar"),
        "info": ("anmärkning", "anmärkningar"),
        "register": ("register", "register"),
    },
}
"""How each language counts a thing: its word after 1, and after any other number (fi takes
the partitive after 0 and 2 or more: 1 virhe, 2 virhettä, 0 rekisteriä)."""


def counted(count: int, thing: str, lang: str = "en") -> str:
    """Return `count` and `thing` (error, warning, info, register) in `lang`: "1 error"."""
    one, many = _COUNTED[_ui(lang)][thing]
    return f"{count} {one if count == 1 else many}"


def _ui(lang: str) -> str:
    return lang if lang in UI_LANGUAGES else UI_LANGUAGES[0]


def summary(
    findings: list[Finding],
    registers: int,
    lang: str = "en",
    *,
    load_errors: int = 0,
    not_loaded: Sequence[str] = (),
) -> str:
    """Return the one-line count of findings by severity and of the files checked.

    The files are named, not the findings' owners counted: "2 warnings in 2 registers" read
    as if both registers had a warning when both were in site.yaml. Load errors (printed on
    stderr) count as errors, and the files that did not load are named as not checked.
    """
    words = _WORDS[_ui(lang)]
    counts = Counter(f.severity for f in findings)
    counts[Severity.error] += load_errors
    checked = counted(registers, "register", lang)
    if not findings and not load_errors:
        return words["clean"].format(registers=checked)
    parts = [counted(counts[s], s.value, lang) for s in Severity if counts[s]]
    line = words["summary"].format(counts=", ".join(parts), registers=checked)
    return line + (words["not_loaded"].format(files=", ".join(not_loaded)) if not_loaded else "")


def format_text(
    findings: list[Finding],
    content: Content,
    lang: str = "en",
    *,
    load_errors: int = 0,
    not_loaded: Sequence[str] = (),
) -> str:
    """Return findings as linter lines grouped by owner (site, then each register) and a summary
    (which counts `load_errors` and names the files `not_loaded`, see `summary`)."""
    words = _WORDS[_ui(lang)]
    owners = ["site", *(r.id for r in content.registers)]
    lines: list[str] = []
    for owner in owners:
        group = [f for f in findings if f.owner == owner]
        if not group:
            continue
        label = words["site"] if owner == "site" else f"{words['register']} {owner}"
        lines.append(f"== {label}")
        lines.extend(f.format(lang) for f in group)
        lines.append("")
    count = len(content.registers)
    lines.append(summary(findings, count, lang, load_errors=load_errors, not_loaded=not_loaded))
    return "\n".join(lines) + "\n"


def format_json(findings: list[Finding], content: Content) -> str:
    """Return findings and their counts as JSON."""
    counts = Counter(f.severity.value for f in findings)
    payload = {
        "findings": [f.as_json() for f in findings],
        "summary": {s.value: counts.get(s.value, 0) for s in Severity}
        | {"registers": len(content.registers)},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


LOAD_ERROR = "load-error"
"""The rule id `--format json` gives content that does not load (a YAML or format mistake)."""

_LOAD_ERROR_HINT = {
    "en": "correct the value as the message says; the file is checked once it loads",
    "fi": "korjaa arvo viestin mukaan; tiedosto tarkistetaan, kun se latautuu",
    "sv": "rätta värdet enligt meddelandet; filen kontrolleras när den kan läsas in",
}


def load_error_json(error: LoadError, lang: str | None = None) -> dict[str, object]:
    """Return a load error in a finding's JSON shape (`Finding.as_json`): rule `load-error`,
    severity error, its file, line and key. `message` holds it in every UI language, as a
    finding's does: the loader's English under `en` (what tools match on), and under `fi` and
    `sv` what `notice check --lang` prints (`notice.load_messages`). With `lang` fi or sv,
    `translated_message` also gives that language's: `{"lang": "fi", "text": ...}`."""
    from notice.load_messages import LANGUAGES, translate

    parts = error.key.split(".") if error.key else []
    found: dict[str, object] = {
        "rule_id": LOAD_ERROR,
        "severity": Severity.error.value,
        "owner": "site" if error.path.name == "site.yaml" else error.path.stem,
        "key_path": [int(part) if part.isdigit() else part for part in parts],
        "key": error.key,
        "path": str(error.path),
        "line": error.line,
        "language": None,
        "message": {
            ui: translate(error.message, ui) if ui in LANGUAGES else error.message
            for ui in UI_LANGUAGES
        },
    }
    if lang in LANGUAGES:
        found["translated_message"] = {"lang": lang, "text": translate(error.message, lang)}
    found["hint"] = dict(_LOAD_ERROR_HINT)
    return found


def format_load_errors(
    errors: list[LoadError],
    findings: Sequence[Finding] = (),
    content: Content | None = None,
    *,
    lang: str | None = None,
) -> str:
    """Return content that could not be loaded as `format_json` reports findings: each load
    error a finding of severity error (`load_error_json`, translated too with `lang` fi or sv),
    then `findings` (the site's, when site.yaml loaded), all counted; with `content` (what
    loaded) the registers checked too."""
    counts = Counter(f.severity.value for f in findings) + Counter({"error": len(errors)})
    summary: dict[str, int] = {s.value: counts.get(s.value, 0) for s in Severity}
    if content is not None:
        summary["registers"] = len(content.registers)
    payload = {
        "findings": [load_error_json(error, lang) for error in errors]
        + [f.as_json() for f in findings],
        "summary": summary,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def exit_code(findings: list[Finding], *, strict: bool = False) -> int:
    """Return 1 when any finding is an error (with `strict`, also a warning), else 0."""
    failing = {Severity.error, Severity.warning} if strict else {Severity.error}
    return 1 if any(f.severity in failing for f in findings) else 0


@dataclass(frozen=True)
class ScanRule:
    """A rule of `notice scan` (notice/scan.py), shown with the checker's rules."""

    id: str
    severity: Severity
    message: dict[str, str]
    hint: dict[str, str]
    element: str = "E23"
    source: str = "917/2014 §205; `notice scan`"
    scope: str = "scan"
    example: str = ""


def scan_rules() -> list[ScanRule]:
    """Return the rules of `notice scan` with their Swedish texts (scan.py has en and fi)."""
    from notice.checks.rules import swedish_messages
    from notice.scan import RULES as SCAN_RULES

    swedish = swedish_messages()
    return [
        ScanRule(
            rule.id,
            rule.severity,
            {**rule.message, "sv": swedish[rule.id]["message"]},
            {**rule.hint, "sv": swedish[rule.id]["hint"]},
        )
        for rule in SCAN_RULES.values()
    ]


_PLACEHOLDER = re.compile(r"\{\w+\}")
SEVERITY_WORDS = {
    "en": {"error": "error", "warning": "warning", "info": "info"},
    "fi": {"error": "virhe", "warning": "varoitus", "info": "huomio"},
    "sv": {"error": "fel", "warning": "varning", "info": "info"},
}
"""A rule's severity as each interface language says it."""


def shown(template: str) -> str:
    """Return a rule's message or hint as read outside a finding: `{what}` becomes `…`."""
    return _PLACEHOLDER.sub("…", template)


def rules_table(lang: str = "en") -> str:
    """Return every rule as one line: id, severity, element and message (for `--list-rules`).

    The rules of `notice scan` follow the checker's, marked as such.
    """
    ui = _ui(lang)
    scan = scan_rules()
    width = max(len(r.id) for r in [*RULES, *scan])
    ordered = sorted(RULES, key=lambda r: (r.element == "-", r.element, r.id))
    words = SEVERITY_WORDS[ui]
    lines = [
        f"{r.id:<{width}}  {words[r.severity.value]:<8}  {r.element:<3}  {shown(r.message[ui])}\n"
        for r in [*ordered, *scan]
    ]
    return "".join(lines)


def explain(rule_id: str, lang: str = "en") -> str:
    """Return what `notice check --explain RULE` prints: source, message, fix and an example."""
    ui = _ui(lang)
    by_id: dict[str, Rule | ScanRule] = {r.id.lower(): r for r in [*RULES, *scan_rules()]}
    found = by_id.get(rule_id.strip().lower())
    if found is None:
        close = difflib.get_close_matches(rule_id.lower(), sorted(by_id), n=3)
        if not close:
            raise KeyError(f"no rule {rule_id!r}; see --list-rules")
        names = ", ".join(by_id[c].id for c in close)
        raise KeyError(f"no rule {rule_id!r}; did you mean {names}?")
    labels = _EXPLAIN_LABELS[ui]
    example = "\n".join(f"    {line}" for line in found.example.splitlines()) or "    -"
    return (
        f"{found.id} ({SEVERITY_WORDS[ui][found.severity.value]}, "
        f"{labels['element']} {found.element})\n"
        f"{labels['source']}: {found.source}\n"
        f"{labels['message']}: {shown(found.message[ui])}\n"
        f"{labels['fix']}: {shown(found.hint[ui])}\n"
        f"{labels['example']}:\n{example}\n"
    )


_EXPLAIN_LABELS = {
    "en": {
        "element": "element",
        "source": "Legal source",
        "message": "Finding",
        "fix": "Fix",
        "example": "Example",
    },
    "fi": {
        "element": "kohta",
        "source": "Oikeuslähde",
        "message": "Havainto",
        "fix": "Korjaus",
        "example": "Esimerkki",
    },
    "sv": {
        "element": "punkt",
        "source": "Rättskälla",
        "message": "Fynd",
        "fix": "Åtgärd",
        "example": "Exempel",
    },
}


def rules_markdown() -> str:
    """Return `docs/checks.md`: every rule with its severity, element, source, message and hint."""
    ordered = sorted(RULES, key=lambda r: (r.element == "-", r.element, SEVERITY_ORDER[r.severity]))
    counts = Counter(r.severity for r in RULES)
    lines = [
        "# Notice checks",
        "",
        "<!-- Generated by `python -m notice.docs` from `notice/checks/rules.py`; do not edit. -->",
        "",
        "`notice check [--content DIR] [--format text|json] [--strict] [--lang en|fi|sv]` runs",
        "every rule below on the site and on every register, in every language of the notice, and",
        "prints `path:line: SEVERITY rule-id: [language] message (hint: fix)`, grouped by",
        "register. It exits 1 on any error (with `--strict`, on any warning too); `notice build`",
        "refuses to publish errors unless `--allow-errors` is given. `--list-rules` lists the",
        "rules; `--explain RULE` prints a rule's legal source, its fix and the example below;",
        "`--today YYYY-MM-DD` fixes the date that staleness is measured from. Content that does",
        "not load is reported as `file:line: key: message` on stderr, and with `--format json` on",
        "stdout as findings of severity `error` and rule id `load-error`; either way it exits 1.",
        "With `--lang fi` or `--lang sv` those messages are in Finnish or Swedish (in JSON,",
        "`message` holds each language's, as a finding's does, and `translated_message` gives",
        "`{lang, text}` of the one asked for).",
        "",
        "Elements E01–E23 are those of `LEGAL.md` §1 (GDPR Art 13/14); `-` marks rules on form",
        "and consistency. Words in `{braces}` are filled in from the content.",
        "",
        f"{len(RULES)} rules: " + ", ".join(f"{counts[s]} {s.value}" for s in Severity) + "; "
        "and the rules of `notice scan`, which compares the live site with the cookie list (the "
        "last rows).",
        "",
        "| rule | severity | element | source |",
        "|---|---|---|---|",
    ]
    scan = scan_rules()
    lines += [
        f"| [`{r.id}`](#{r.id.lower()}) | {r.severity.value} | {r.element} | {r.source} |"
        for r in [*ordered, *scan]
    ]
    scopes = {"site": "once over all content", "register": "per register",
              "across": "once across all registers, after the others",
              "scan": "by `notice scan` on the live site"}  # fmt: skip
    for rule in [*ordered, *scan]:
        scope = scopes[rule.scope]
        lines += [
            "",
            f"## {rule.id}",
            "",
            f"**{rule.severity.value}** · element {rule.element} · {rule.source} · runs {scope}",
            "",
            f"- **en:** {rule.message['en']} — *fix:* {rule.hint['en']}",
            f"- **fi:** {rule.message['fi']} — *korjaus:* {rule.hint['fi']}",
            f"- **sv:** {rule.message['sv']} — *åtgärd:* {rule.hint['sv']}",
        ]
        if rule.example:
            lines += ["", "```yaml", *rule.example.splitlines(), "```"]
    return "\n".join(lines) + "\n"
