"""Every valid register publishes (issue 17): generated content builds to HTML and PDF.

Content drawn from the model (`tests/notice/strategies.py`: every optional field, long lists and
texts, fi/sv/en, joint controllers, recipients abroad) never makes `notice check` or `notice
build` fail with a traceback; every PDF has its pages and its text, and every text of a register
is on its page, in its PDF and (the history) on its version archive.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pypdf import PdfReader

from notice.build import build_site
from notice.checks import run_checks
from notice.checks.report import format_json, format_text
from notice.loader import load_content
from notice.render import pdf_path
from tests.notice.strategies import contents, write_content
from tests.notice.test_coverage import missing_texts

Drawn = tuple[dict[str, Any], list[dict[str, Any]]]
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]


def drawing(environ: Mapping[str, str]) -> bool:
    """Whether the fuzz draws new examples (derandomize off) in this environment.

    CI (`CI` set) draws the same examples on every run, so a red build is always the commit's and
    never a new example's; locally, or with `SELOSTE_FUZZ_RANDOM=1` (a nightly job), every run
    draws new ones, and hypothesis' database (`.hypothesis/`) replays a failure until it is fixed.
    """
    return bool(environ.get("SELOSTE_FUZZ_RANDOM")) or not environ.get("CI")


DERANDOMIZE = not drawing(os.environ)


@settings(max_examples=20, deadline=None, suppress_health_check=HEALTH, derandomize=DERANDOMIZE)
@given(drawn=contents(max_registers=3))
def test_check_never_crashes_on_valid_content(drawn: Drawn) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = load_content(write_content(Path(folder), *drawn))
        findings = run_checks(content)
        for lang in ("fi", "sv", "en"):
            assert format_text(findings, content, lang).strip()
        assert format_json(findings, content).startswith("{")


@pytest.mark.slow
# About 10 s an example (up to a minute for 40 long categories in three languages).
@settings(max_examples=8, deadline=None, suppress_health_check=HEALTH, derandomize=DERANDOMIZE)
@given(drawn=contents(max_registers=1))
def test_generated_content_builds_pdfs_with_pages_and_every_text(drawn: Drawn) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_content(Path(folder) / "content", *drawn)
        out = Path(folder) / "site"
        report = build_site(root, out, jobs=1, allow_errors=True, cache_dir=Path(folder) / "c")
        content = load_content(root)
        languages = [lang.value for lang in content.site.languages]
        assert report.pdfs_rendered == len(content.registers) * len(languages)
        for register in content.registers:
            for lang in languages:
                pages = PdfReader(out / pdf_path(register, lang)).pages
                blank = [n for n, page in enumerate(pages, 1) if not page.extract_text().strip()]
                assert len(pages) >= 1 and blank == []
            assert missing_texts(out, register, languages, pdf=True) == []


@pytest.mark.parametrize(
    ("environ", "draws"),
    [
        ({}, True),
        ({"CI": "true"}, False),
        ({"CI": "true", "SELOSTE_FUZZ_RANDOM": "1"}, True),
    ],
)
def test_ci_draws_the_same_examples_every_run(environ: dict[str, str], draws: bool) -> None:
    assert drawing(environ) is draws
    # What this run's fuzz tests were given (hypothesis keeps it on the wrapped test).
    for test in (
        test_check_never_crashes_on_valid_content,
        test_generated_content_builds_pdfs_with_pages_and_every_text,
    ):
        given_settings = test._hypothesis_internal_use_settings  # type: ignore[attr-defined]
        assert given_settings.derandomize is not drawing(os.environ)
