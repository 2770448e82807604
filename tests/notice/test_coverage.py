"""Nothing a register says is lost on the way to its page (issue 23).

For every real-kind fixture and for generated content, every text of a register (localized or
plain; every field but those `notice.render.NOT_SHOWN` lists with its reason) appears on the
register's page in each language and in its PDF; the change history on the version archive.
Texts are compared by their letters and digits only (Markdown marks, spaces, line breaks and
hyphens differ between the source, the page and the PDF's text), after NFKC; an address that a
text shows on paper (a written-out one, or the one paper adds after a link) must be there whole,
without a hyphen that a reader would type.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import typing
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel
from pypdf import PdfReader

from notice import countries, render
from notice.build import build_site
from notice.loader import load_content
from notice.markdown import render_markdown
from notice.model import Register
from notice.render import NOT_SHOWN, history_path, pdf_path, register_path
from tests import REPO_ROOT
from tests.notice.strategies import contents, write_content

FIXTURES = sorted(
    [path.parent for path in (REPO_ROOT / "tests/fixtures/registers-real").glob("*/site.yaml")]
    + [REPO_ROOT / "content"]
)

Path_ = tuple[str | int, ...]


# --- what a register says ------------------------------------------------------------------------


def _literals(annotation: Any) -> set[str]:
    """Return the Literal keywords (`none`, `data_subject`) an annotation allows."""
    found: set[str] = set()
    if typing.get_origin(annotation) is typing.Literal:
        return {value for value in typing.get_args(annotation) if isinstance(value, str)}
    for argument in typing.get_args(annotation):
        found |= _literals(argument)
    return found


def _hidden(path: Path_) -> bool:
    """Whether `path` lies under a field of NOT_SHOWN (`*` for any list position)."""
    for pattern in NOT_SHOWN:
        parts = pattern.split(".")
        if len(parts) <= len(path) and all(
            part == "*" and isinstance(step, int) or part == str(step)
            for part, step in zip(parts, path, strict=False)
        ):
            return True
    return False


def texts_of(register: Register) -> Iterator[tuple[Path_, dict[str, str] | str]]:
    """Yield (field path, value) of every text a register gives: localized dicts or plain strings.

    Keywords (`none`, `data_subject`), enumerations, dates, numbers and booleans are not texts.
    """

    def visit(value: Any, path: Path_, keywords: set[str]) -> Iterator[tuple[Path_, Any]]:
        if _hidden(path) or value is None or isinstance(value, bool | int | float):
            return
        if isinstance(value, BaseModel):
            for name, field in type(value).model_fields.items():
                yield from visit(getattr(value, name), (*path, name), _literals(field.annotation))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from visit(item, (*path, index), keywords)
        elif isinstance(value, dict):
            if (
                value
                and all(isinstance(item, str) for item in value.values())
                and all(str(key) in {"fi", "sv", "en"} for key in value)
            ):
                yield path, value
            else:
                for key, item in value.items():
                    yield from visit(item, (*path, str(key)), keywords)
        elif isinstance(value, str) and not hasattr(value, "value") and value not in keywords:
            yield path, value

    yield from visit(register, (), set())


def letters(text: str) -> str:
    """Letters and digits of `text` after NFKC: what survives Markdown, layout and PDF."""
    return "".join(char for char in unicodedata.normalize("NFKC", text) if char.isalnum())


def expected_text(
    path: Path_, value: dict[str, str] | str, lang: str, *, paper: bool = False
) -> str:
    """Return what the page (or `paper`, the PDF) shows of a text in `lang`.

    Paper writes a link's address after its text ("our service (https://…)"), as
    `render.print_link_targets` does for the PDF's page.
    """
    if isinstance(value, dict):
        html = str(render_markdown(value[lang], lang))
        if paper:
            html = render.print_link_targets(html)
        return BeautifulSoup(html, "lxml").get_text(" ")
    if path and path[-1] == "country":
        return countries.name(value, lang)
    if path and path[-1] == "phone" and lang in render.INTERNATIONAL_LANGUAGES:
        return render.international_phone(value) or value  # "+358 50 …" in English
    return value


# --- what a page and a PDF show ------------------------------------------------------------------


def page_letters(out: Path, url_path: str) -> str:
    soup = BeautifulSoup((out / url_path / "index.html").read_text("utf-8"), "lxml")
    main = soup.find("main")
    assert main is not None, url_path
    return letters(main.get_text(" "))


# pypdf puts an ordered list's numbers ("2. ") after the page's other text, on lines of their own.
_LIST_NUMBER = re.compile(r"^\d+\. ?$", re.MULTILINE)


def pdf_text(data: bytes) -> str:
    """Return the text of a PDF without page and list numbers.

    Neither number is content: the page's "2 / 5" and the numbers of an ordered list, which the
    text extraction places at the end of the page, inside a text that goes on to the next page.
    """
    pages = PdfReader(io.BytesIO(data)).pages
    texts = []
    for number, page in enumerate(pages, 1):
        footer = re.compile(rf"^{number} / {len(pages)}$", re.MULTILINE)
        text = footer.sub("", page.extract_text() or "", count=1)
        texts.append(_LIST_NUMBER.sub("", text))
    return "\n".join(texts)


def unbroken(text: str) -> str:
    """Return `text` without spaces and line breaks: an address read across the lines it wraps
    over, as a reader types it. A hyphen that a line break added stays, as the reader sees it."""
    return "".join(text.split())


def printed_addresses(value: dict[str, str] | str, lang: str) -> list[str]:
    """Return each address a text shows on paper, as a reader types it: a link's text when it
    is its address (`https://…`, an e-mail address), else the address paper adds after it."""
    if not isinstance(value, dict):
        return []
    shown = []
    soup = BeautifulSoup(str(render_markdown(value[lang], lang)), "lxml")
    for link in soup.find_all("a", href=True):
        href = str(link["href"])
        target = render._printed_target(href)
        if target is None or href.startswith("tel:"):
            continue
        text = link.get_text()
        # As render.print_link_targets decides between a link's text and its added address.
        written_out = render._bare(target) in render._bare(" ".join(text.split()).casefold())
        shown.append(unbroken(text) if written_out else f"({unbroken(target)})")
    return shown


def missing_texts(out: Path, register: Register, languages: list[str], *, pdf: bool) -> list[str]:
    """Return `lang: path` of every text of `register` that its page (or PDF, history) lacks."""
    lost = []
    for lang in languages:
        notice = page_letters(out, register_path(register, lang))
        history = page_letters(out, history_path(register, lang))
        paper = whole = None
        if pdf:
            paper_text = pdf_text((out / pdf_path(register, lang)).read_bytes())
            paper, whole = letters(paper_text), unbroken(paper_text)
        for path, value in texts_of(register):
            shown = expected_text(path, value, lang)
            want = letters(shown)
            where = history if path[0] == "history" else notice
            dotted = ".".join(str(step) for step in path)
            if want not in where:
                lost.append(f"{lang} page: {dotted}")
            if paper is None or whole is None or path[0] == "history":
                continue
            if letters(expected_text(path, value, lang, paper=True)) not in paper:
                lost.append(f"{lang} pdf: {dotted}")
            # Letters alone miss a hyphen in an address ("(ht‐ tps://…)"); a reader does not.
            if any(address not in whole for address in printed_addresses(value, lang)):
                lost.append(f"{lang} pdf address: {dotted}")
    return lost


def assert_everything_shown(content_dir: Path, out: Path, *, pdf: bool) -> None:
    build_site(content_dir, out, pdf=pdf, jobs=1, allow_errors=True, cache_dir=out.parent / "c")
    content = load_content(content_dir)
    languages = [lang.value for lang in content.site.languages]
    lost = [
        f"{register.id} {where}"
        for register in content.registers
        for where in missing_texts(out, register, languages, pdf=pdf)
    ]
    assert lost == []


# --- the property ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.name)
def test_every_text_of_a_real_register_reaches_its_page_and_pdf(
    fixture: Path, tmp_path: Path
) -> None:
    assert_everything_shown(fixture, tmp_path / "site", pdf=True)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(drawn=contents())
def test_every_text_of_a_generated_register_reaches_its_pages(
    drawn: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_content(Path(folder) / "content", *drawn)
        assert_everything_shown(root, Path(folder) / "site", pdf=False)


def test_the_walk_finds_every_kind_of_text() -> None:
    """The walk sees localized and plain texts, and skips keywords and NOT_SHOWN fields."""
    register = load_content(REPO_ROOT / "tests/fixtures/registers-real/municipality").registers[0]
    paths = {".".join(map(str, path)) for path, _ in texts_of(register)}
    assert "name" in paths
    assert "joint_controllers.0.essence" in paths
    assert "joint_controllers.0.business_id" in paths  # a plain string
    assert "data_categories.0.sources.1.name" in paths  # a named source
    assert "data_categories.0.sources.0" not in paths  # the keyword data_subject
    assert not {"id", "slug.fi", "version"} & paths
    assert not any(path.startswith(("record", "purposes.0.id")) for path in paths)


# --- the property can fail -----------------------------------------------------------------------

SOURCED = {
    "languages": ["fi", "sv", "en"],
    "base_url": "https://example.org/",
    "controller": {"name": "Esimerkki Oy", "email": "info@example.org"},
}
SOURCED_REGISTER = {
    "id": "research",
    "slug": {"fi": "tutkimus", "sv": "forskning", "en": "research"},
    "name": {"fi": "Tutkimusrekisteri", "sv": "Forskningsregister", "en": "Research register"},
    "prepared": "2026-01-01",
    "purposes": [{"description": {"fi": "Tutkimus", "sv": "Forskning", "en": "Research"}}],
    "data_categories": [
        {
            "name": {"fi": "Diagnoosit", "sv": "Diagnoser", "en": "Diagnoses"},
            "retention": {"fi": "Kymmenen vuotta", "sv": "Tio år", "en": "Ten years"},
            "sources": [
                {
                    "name": {"fi": "Kanta-arkisto", "sv": "Kantaarkivet", "en": "Kanta archive"},
                    "publicly_accessible": False,
                }
            ],
        }
    ],
    "joint_controllers": [
        {
            "name": "Yliopisto",
            "role": {"fi": "Rahoittaa", "sv": "Finansierar", "en": "Funds it"},
            "essence": {"fi": "Sopimus", "sv": "Avtal", "en": "Agreement"},
        }
    ],
    "history": [{"date": "2026-02-01", "change": {"fi": "Uusi", "sv": "Ny", "en": "New"}}],
}

PLANTED = {
    # template file, text removed from it, the texts then lost (in each language)
    "sources": (
        "sections/_sources.html",
        "{{ source.name|mdi }}",
        ["data_categories.0.sources.0.name"],
    ),
    "retention": (
        "sections/_retention.html",
        "<dd>{{ category.retention|mdi }}</dd>",
        ["data_categories.0.retention"],
    ),
    "joint essence": (
        "sections/_controller.html",
        "<dd>{{ joint.essence|mdi }}</dd>",
        ["joint_controllers.0.essence"],
    ),
    "history": ("history.html", "{{ entry.change|md }}", ["history.0.change"]),
}


@pytest.mark.parametrize("planted", PLANTED, ids=str)
def test_a_template_that_drops_a_field_fails_the_property(
    planted: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template, removed, lost = PLANTED[planted]
    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES_DIR, templates)
    path = templates / "notice" / template
    source = path.read_text("utf-8")
    assert removed in source
    path.write_text(source.replace(removed, ""), "utf-8")
    content = write_content(tmp_path / "content", SOURCED, [SOURCED_REGISTER])
    out = tmp_path / "site"

    intact = tmp_path / "intact"
    build_site(content, intact, pdf=False, allow_errors=True, cache_dir=tmp_path / "c1")
    register = load_content(content).registers[0]
    assert missing_texts(intact, register, ["fi", "sv", "en"], pdf=False) == []

    monkeypatch.setattr(render, "TEMPLATES_DIR", templates)
    build_site(content, out, pdf=False, allow_errors=True, cache_dir=tmp_path / "c2")
    found = missing_texts(out, register, ["fi", "sv", "en"], pdf=False)
    assert found == [f"{lang} page: {path}" for lang in ("fi", "sv", "en") for path in lost]


# --- a link's address on paper -------------------------------------------------------------------

# The fuzz build's text: its link's address came at the end of a line in the last column.
LINKED_ACCESS = (
    "subscription § 34 [retention данные bevaras € 24/7 AB данные § 34](https://example.org/ohje)"
    " zq46en"
)
LONG_ADDRESS = "https://example.org/privacystatementsandcookiesettingsforourcustomersandpartners"
LONG_EMAIL = "dataprotectionofficerofthecompany@example.org"


def test_an_address_in_a_narrow_cookie_cell_is_never_hyphenated(tmp_path: Path) -> None:
    """Paper writes a link's address after its text; in the cookie table's hyphenated columns it
    once read "(ht‐ tps://example.org/ohje)" (found by the fuzz build): the text was there, but a
    reader types the address with the hyphen. A written-out address or e-mail address was
    hyphenated too. An address breaks where it must, without one."""
    cookie = {
        "provider": "retention vårdnadshavare 1050/2018",
        "party": "third",
        "category": "preferences",
        "purpose": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
        "duration": {"fi": "2 v", "sv": "2 år", "en": "2 years"},
    }
    access = {"fi": "Ei", "sv": "Nej"}
    register = {
        **SOURCED_REGISTER,
        "cookies": [
            {**cookie, "name": "lang", "third_party_access": {**access, "en": LINKED_ACCESS}},
            {
                **cookie,
                "name": "_ga",
                "third_party_access": {**access, "en": f"[Our partners]({LONG_ADDRESS})"},
            },
            {  # written out: the link's text is its address
                **cookie,
                "name": "_gid",
                "third_party_access": {**access, "en": f"See {LONG_ADDRESS} or <{LONG_EMAIL}>"},
            },
        ],
    }
    content = write_content(tmp_path / "content", SOURCED, [register])
    out = tmp_path / "site"
    build_site(content, out, jobs=1, allow_errors=True, cache_dir=tmp_path / "c")
    loaded = load_content(content).registers[0]

    assert missing_texts(out, loaded, ["en"], pdf=True) == []
    pages = PdfReader(out / pdf_path(loaded, "en")).pages
    printed = "".join("".join(page.extract_text() for page in pages).split())
    assert "(https://example.org/ohje)" in printed
    assert f"({LONG_ADDRESS})" in printed
    assert f"See{LONG_ADDRESS}or{LONG_EMAIL}" in printed


def test_a_text_with_links_inside_reads_whole_on_paper(tmp_path: Path) -> None:
    """Paper writes each link's address after its text, an e-mail address too: the PDF reads
    "write to us (dpo@example.org) or read the guide (https://…) before". The text is compared
    with that, not with the page's text less whatever looks like an address in brackets."""
    description = {
        "fi": "Tutkimus",
        "sv": "Forskning",
        "en": "Please [write to us](mailto:dpo@example.org) or [read the guide]"
        "(https://example.org/guide) before you send it.",
    }
    register = {**SOURCED_REGISTER, "purposes": [{"description": description}]}
    content = write_content(tmp_path / "content", SOURCED, [register])
    out = tmp_path / "site"
    build_site(content, out, jobs=1, allow_errors=True, cache_dir=tmp_path / "c")
    loaded = load_content(content).registers[0]

    assert missing_texts(out, loaded, ["en"], pdf=True) == []
    printed = " ".join(pdf_text((out / pdf_path(loaded, "en")).read_bytes()).split())
    assert "write to us (dpo@example.org) or read the guide (https://example.org/guide)" in printed


def test_a_printed_address_that_fits_the_next_line_is_not_split(tmp_path: Path) -> None:
    """In a purpose (a list item's paragraph) an address that did not fit what was left of a line
    was split anywhere, "(htt" at the line's end and "ps://example.org/guide)" on the next,
    though it fitted the next line whole (found by the fuzz build). It breaks after a slash, as
    addresses do, or goes whole to the next line. Texts of every length put the address at every
    place of a line."""
    filler = "Reading the notice helps you use your rights. "

    def description(words: int) -> dict[str, str]:
        text = f"{filler * words} See [the guide](https://example.org/guide) zq{words}."
        return {"fi": "Tutkimus", "sv": "Forskning", "en": text}

    purposes = [{"description": description(words)} for words in range(1, 25)]
    register = {**SOURCED_REGISTER, "purposes": purposes}
    content = write_content(tmp_path / "content", SOURCED, [register])
    out = tmp_path / "site"
    build_site(content, out, jobs=1, allow_errors=True, cache_dir=tmp_path / "c")
    loaded = load_content(content).registers[0]

    printed = pdf_text((out / pdf_path(loaded, "en")).read_bytes())
    addresses = re.findall(r"\([^()]*guide\)", printed)
    assert len(addresses) >= len(purposes)
    assert {unbroken(address) for address in addresses} == {"(https://example.org/guide)"}
    split = [address for address in addresses if re.search(r"[^/]\n", address)]
    assert split == []
