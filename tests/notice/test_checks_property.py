"""Random and randomly corrupted content never makes the loader or the checker crash."""

from __future__ import annotations

import copy
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from notice.checks import run_checks
from notice.checks.report import format_json, format_text
from notice.loader import ContentError, load_content
from tests import REPO_ROOT
from tests.notice.fixtures_checks import REGISTER, SITE, write_content

SEED_SITE = yaml.safe_load(
    (REPO_ROOT / "tests/fixtures/seed-original/site.yaml").read_text("utf-8")
)
SEED_REGISTER = yaml.safe_load(
    (REPO_ROOT / "tests/fixtures/seed-original/registers/asiakasrekisteri.yaml").read_text("utf-8")
)

# Fragments that steer texts into the rules' vocabulary, so corruption reaches every rule.
FRAGMENTS = [
    "Suostumusta ei tarvita.",
    "Consent is not needed.",
    "ellei",
    "unless",
    "EU:n ulkopuolelle",
    "siirretään",
    "transferred outside the EU",
    "<p>",
    "</p>",
    "<ul style='x'>",
    "- muuta?",
    "(s-postiosoite)",
    "[name]",
    "TODO",
    "Ratapihantie 9, 00521 Helsinki",
    "029 56 66700",
    "tietosuojavaltuutetun ratkaistavaksi",
    "Tietosuojavaltuutettu",
    "allekirjoitettava pyyntö",
    "kirjallinen todistus",
    "`_gid`",
    "_ga_ABC",
    "https://example.fi/x",
    "a@b.fi",
    "IP-osoite",
    "ei voida tunnistaa",
    "Demographics",
    "Chrome-lisäosa",
    "selaimen asetuksista",
    "Universal Analytics",
    "Asiakassuhde",
    "jne",
    "voidaan",
    "may",
    "Yhteys henkilö",
    "yrityk-",
    "\n\n",
    "\n- ",
    "?",
    "{",
    "}",
    "{quote}",
    "`",
    "_",
    "…",
    "\t",
    "",
]
texts = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(FRAGMENTS), max_size=8).map(" ".join),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 3000), texts, st.dates().map(dt.date.isoformat)
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["fi", "en", "sv", "name", "x"]), inner, max_size=3),
    ),
    max_leaves=6,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Return every key path in a parsed YAML tree."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def corrupt(data: st.DataObject, tree: dict[str, Any], steps: int) -> dict[str, Any]:
    """Apply `steps` random deletions, replacements and text edits to a copy of `tree`."""
    tree = copy.deepcopy(tree)
    for _ in range(steps):
        path = data.draw(st.sampled_from(paths(tree)[1:]))
        parent: Any = tree
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["delete", "replace", "text", "append"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = data.draw(values)
        elif action == "text":
            parent[path[-1]] = f"{parent[path[-1]]} {data.draw(texts)}"
        elif isinstance(parent[path[-1]], list):
            parent[path[-1]].append(data.draw(values))
    return tree


def check_never_crashes(root: Path) -> None:
    """Load and check `root`; content errors are fine, anything else fails the test."""
    try:
        content = load_content(root, allow_html=True)
    except ContentError as exc:
        assert exc.errors
        return
    findings = run_checks(content, today=dt.date(2026, 11, 24))
    for finding in findings:
        assert finding.format("en") and finding.format("fi")
        assert finding.line >= 1
    format_text(findings, content, "fi")
    format_json(findings, content)


@given(
    st.data(),
    st.sampled_from(["clean", "seed"]),
    st.integers(0, 6),
    st.booleans(),
)
def test_corrupted_content_never_crashes(
    data: st.DataObject, base: str, steps: int, mangle_yaml: bool
) -> None:
    site, register = (SITE, REGISTER) if base == "clean" else (SEED_SITE, SEED_REGISTER)
    site, register = corrupt(data, site, steps // 2), corrupt(data, register, steps)
    with tempfile.TemporaryDirectory() as folder:
        root = write_content(Path(folder), site, [register])
        if mangle_yaml:  # raw damage the dumper would never produce: tabs, colons, brackets
            (path,) = (root / "registers").glob("*.yaml")
            text = path.read_text(encoding="utf-8")
            at = data.draw(st.integers(0, len(text)))
            junk = data.draw(st.sampled_from(["\t", ":", "[", "- ", "\n  x: y", "&a", "*a", "%"]))
            path.write_text(text[:at] + junk + text[at:], encoding="utf-8")
        check_never_crashes(root)


@given(st.text(max_size=300), st.sampled_from(["fi", "en", "sv"]))
def test_any_text_in_any_field_never_crashes(text: str, language: str) -> None:
    site = copy.deepcopy(SITE)
    register = copy.deepcopy(REGISTER)
    for key in ("sources", "retention", "consent", "transfers_note", "data_subjects"):
        register[key] = {"fi": text, "en": text}
    site["cookie_intro"] = {"fi": text, "en": text}
    register["rights"] = {"objection": {"fi": text, "en": text}}
    with tempfile.TemporaryDirectory() as folder:
        check_never_crashes(write_content(Path(folder), site, [register]))


def test_ci_runs_a_thousand_examples() -> None:
    expected = 1000 if os.environ.get("CI") else 60
    assert settings.default.max_examples == expected
