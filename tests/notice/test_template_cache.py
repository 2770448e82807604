"""Compiled templates kept on disk (`notice.template_cache`): used, per language, and only safely.

A build in a new process must read the templates' compiled code back instead of compiling them
again, make exactly the pages a build without the cache makes (the `trans` blocks are translated
when a template is compiled, so a Finnish page must never come from English code), and refuse a
folder that someone else could write code into.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from notice import template_cache
from tests import REPO_ROOT

BUILD_AND_COUNT = """
import sys
from pathlib import Path
from jinja2 import Environment
compiled = []
original = Environment.compile
def counting(self, source, name=None, *args, **kwargs):
    compiled.append(name)
    return original(self, source, name, *args, **kwargs)
Environment.compile = counting
from notice.build import build_site
build_site(Path(sys.argv[1]), Path(sys.argv[2]), pdf=False, jobs=1)
print(len(compiled))
"""


def _build(content: Path, out: Path, cache_home: Path) -> int:
    """Build `content` into `out` in a new process; return how many templates it compiled."""
    env = {**os.environ, "SELOSTE_CACHE_DIR": str(cache_home)}
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_COUNT, str(content), str(out)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(done.stdout.split()[-1])


def _pages(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.html"))}


def test_a_second_process_reads_compiled_templates_back_and_builds_the_same_pages(
    tmp_path: Path,
) -> None:
    content = REPO_ROOT / "content"  # fi, sv and en
    home = tmp_path / "cache"
    first = _build(content, tmp_path / "first", home)
    second = _build(content, tmp_path / "second", home)
    assert first > 20  # every template of every language, compiled once
    assert second == 0  # all read back
    assert len(list((home / "templates").glob("*.code"))) == first
    pages = _pages(tmp_path / "second")
    assert pages == _pages(tmp_path / "first")
    # Each language's pages are in their language, though their templates are the same files
    # (the skip link is a `trans` block, translated when its template was compiled).
    skip = {"fi": "Siirry sisältöön", "sv": "Hoppa till innehållet", "en": "Skip to content"}
    for lang, words in skip.items():
        page = pages[f"{lang}/index.html"].decode()
        assert f'<a class="skip-link" href="#main">{words}</a>' in page, lang


def test_each_language_and_catalog_has_its_own_compiled_code(tmp_path: Path) -> None:
    home = tmp_path / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SELOSTE_CACHE_DIR", str(home))
        fi, en = template_cache.template_code_cache("fi"), template_cache.template_code_cache("en")
        assert fi is not None and en is not None
        assert fi.get_cache_key("notice/register.html") != en.get_cache_key("notice/register.html")
        # A changed catalog changes what `trans` blocks compile to: another key.
        po = tmp_path / "messages.po"
        po.write_bytes(template_cache.i18n.po_path("fi").read_bytes() + b"\n# edited\n")
        patch.setattr(template_cache.i18n, "po_path", lambda lang: po)
        edited = template_cache.template_code_cache("fi")
        assert edited is not None
        assert edited.get_cache_key("notice/register.html") != fi.get_cache_key(
            "notice/register.html"
        )


def test_a_folder_writable_by_others_is_refused_even_for_its_owner(tmp_path: Path) -> None:
    home = tmp_path / "cache"
    (home / "templates").mkdir(parents=True)
    os.chmod(home / "templates", 0o757)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SELOSTE_CACHE_DIR", str(home))
        assert template_cache.template_code_cache("fi") is None
        os.chmod(home / "templates", 0o700)
        assert template_cache.template_code_cache("fi") is not None


def test_no_folder_to_be_had_means_compiling_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SELOSTE_CACHE_DIR", str(blocker))
        assert template_cache.template_code_cache("fi") is None
