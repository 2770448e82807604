"""PDFs read back: tagged PDF/UA with language and title, the shipped font, intact Finnish text."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from notice.build import BuildReport, build_site
from notice.buildcache import cache_dir_for
from notice.fonts import FAMILY, STYLES, subset_fonts
from notice.loader import load_content
from notice.paths import STATIC_DIR
from notice.pdf import PdfError, assert_font_embedded, embedded_fonts, render_pdf
from tests import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"

PDFS = {
    ("fi", "fi/asiakasrekisteri/asiakasrekisteri.pdf"),
    ("en", "en/customer-register/customer-register.pdf"),
    ("fi", "fi/uutiskirje/uutiskirje.pdf"),
    ("en", "en/newsletter/newsletter.pdf"),
}

FI_HEADINGS = [
    "Laatimispäivä",
    "Rekisterinpitäjä",
    "Yhteyshenkilö rekisteriä koskevissa asioissa",
    "Rekisterin nimi",
    "Oikeusperuste ja henkilötietojen käsittelyn tarkoitus",
    "Oikeutetun edun peruste",
    "Rekisteröityjen ryhmät",
    "Vastaanottajat ja vastaanottajaryhmät",
    "Suostumus",
    "Rekisterin tietosisältö",
    "Säännönmukaiset tietolähteet",
    "Henkilötietojen säilyttämisaika",
    "Tietojen säännönmukaiset luovutukset",
    "Tietojen siirto EU:n tai ETA:n ulkopuolelle",
    "Rekisterin suojauksen periaatteet",
    "Evästeet",
    "Google Analytics",
    "Automaattinen päätöksenteko ja profilointi",
    "Tarkastusoikeus",
    "Oikeus siirtää tiedot järjestelmästä toiseen",
    "Oikeus vaatia tiedon korjaamista",
    "Rajoittamisoikeus",
    "Vastustamisoikeus",
    "Oikeus tehdä valitus valvontaviranomaiselle",
    "Muut oikeudet",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("pdf") / "site"
    # Two workers: the process pool is what `notice build` uses by default.
    return out, build_site(FIXTURE, out, pdf=True, jobs=2)


def reader(out: Path, path: str) -> PdfReader:
    return PdfReader(out / path)


def text_of(pdf: PdfReader) -> str:
    # Extraction breaks lines where the PDF does; headings are compared with spaces normalised.
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


def test_one_pdf_per_register_and_language(built: tuple[Path, BuildReport]) -> None:
    out, report = built
    assert report.pdfs_rendered == len(PDFS)
    for _, path in PDFS:
        assert (out / path).read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(("lang", "path"), sorted(PDFS))
def test_pdf_is_tagged_with_language_and_title(
    built: tuple[Path, BuildReport], lang: str, path: str
) -> None:
    pdf = reader(built[0], path)
    catalog = pdf.trailer["/Root"]
    assert catalog["/Lang"] == lang
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pdf.metadata.title.endswith(" – Esimerkki Oy")
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp, "declares PDF/UA-1 conformance"
    assert pdf.metadata.title in xmp, "the title is in the XMP metadata too"


def test_finnish_text_and_every_heading_survive(built: tuple[Path, BuildReport]) -> None:
    text = text_of(reader(built[0], "fi/asiakasrekisteri/asiakasrekisteri.pdf"))
    assert "Åkerlundinkatu 1" in text
    assert "Yhteyshenkilö" in text and "käsittely" in text
    missing = [heading for heading in FI_HEADINGS if heading not in text]
    assert missing == []


@pytest.mark.parametrize(("lang", "path"), sorted(PDFS))
def test_pdf_embeds_only_the_shipped_font(
    built: tuple[Path, BuildReport], lang: str, path: str
) -> None:
    fonts = embedded_fonts((built[0] / path).read_bytes())
    assert fonts and all(name.startswith("Seloste-Noto-Sans") for name in fonts), fonts


def test_page_links_its_pdf(built: tuple[Path, BuildReport]) -> None:
    page = built[0] / "fi" / "uutiskirje" / "index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "lxml")
    link = soup.find("a", type="application/pdf")
    assert link["href"] == "uutiskirje.pdf"
    # "Download as PDF" downloads it: without the attribute a browser opens it in the page.
    assert link.has_attr("download")


def test_unchanged_pdfs_come_from_the_cache(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    before = {path: (out / path).stat().st_mtime_ns for _, path in PDFS}
    report = build_site(FIXTURE, out, pdf=True, jobs=2)
    assert (report.pdfs_rendered, report.pdfs_cached) == (0, len(PDFS))
    assert {path: (out / path).stat().st_mtime_ns for _, path in PDFS} == before


def test_without_pdfs_earlier_ones_are_removed(
    tmp_path: Path, built: tuple[Path, BuildReport]
) -> None:
    # A copy of the site with a copy of its cache (where the manifest of what it wrote is kept).
    out = Path(shutil.copytree(built[0], tmp_path / "site"))
    cache = Path(shutil.copytree(cache_dir_for(built[0]), tmp_path / "cache"))
    report = build_site(FIXTURE, out, pdf=False, jobs=1, cache_dir=cache)
    assert sorted(report.removed) == sorted(path for _, path in PDFS)
    soup = BeautifulSoup((out / "fi/uutiskirje/index.html").read_text("utf-8"), "lxml")
    assert soup.find("a", type="application/pdf") is None


def _html(body: str, stylesheet: bool) -> str:
    link = '<link rel="stylesheet" href="static/css/notice.css">' if stylesheet else ""
    head = f"<head><title>T</title>{link}</head>"
    return f'<!DOCTYPE html><html lang="fi">{head}<body>{body}</body></html>'


def test_render_pdf_is_reusable_for_letters() -> None:
    pdf = render_pdf(
        _html("<h1>Päätös</h1><p>Åsa Öberg</p>", stylesheet=True),
        STATIC_DIR.parent.as_uri() + "/",
        title="Päätös",
        lang="fi",
    )
    document = PdfReader(io.BytesIO(pdf))
    assert document.metadata.title == "Päätös"
    assert "Åsa Öberg" in document.pages[0].extract_text()


def test_a_pdf_without_the_shipped_font_fails_loudly() -> None:
    with pytest.raises(PdfError, match="must embed Seloste Noto Sans and only its fallbacks; it "):
        render_pdf(_html("<p>ääkköset</p>", stylesheet=False), "file:///", title="T", lang="fi")


def test_font_check_rejects_a_pdf_with_no_fonts() -> None:
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(buffer)
    with pytest.raises(PdfError, match="it embeds: none"):
        assert_font_embedded(buffer.getvalue(), "Seloste Noto Sans")


def test_font_subsets_cover_latin_greek_cyrillic_and_stay_small(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    # The shipped TTFs are valid sources too, so this runs without Debian's fonts installed.
    written = subset_fonts(STATIC_DIR / "fonts", tmp_path)
    assert sorted(path.name for path in written) == sorted(
        f"NotoSans-{style}.{suffix}" for style in STYLES for suffix in ("ttf", "woff2")
    )
    for path in written:
        with TTFont(path) as font:
            cmap = font.getBestCmap()
            for char in "äöåÄÖÅšžéü€–”…ȘșȚțǅəЖжЇїΓώẞ\u0301\u0308№":
                assert ord(char) in cmap, (path, char)
            assert font["name"].getDebugName(1) == FAMILY
            assert font.flavor == ("woff2" if path.suffix == ".woff2" else None)
            assert "fpgm" not in font and "prep" not in font, "hinting is dropped"
        assert path.stat().st_size < (80_000 if path.suffix == ".woff2" else 210_000)


def test_shipped_fonts_carry_their_licence() -> None:
    licence = (STATIC_DIR / "fonts" / "OFL.txt").read_text("utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


# --- every name renders ---------------------------------------------------------------------------

NAMES = [
    "Иван Петров",
    "Γιώργος Παπαδόπουλος",
    "Ștefan Țurcanu",
    "Zoë ≠ ∑",
    "Åsa 😀",
    "Päätös → hyväksytty",
    "שרה כהן",
    "محمد الأحمد",
    "Zoe\u0308 Jose\u0301 Ngu\u0303",
    "李小龍",
    "田中 太郎",
    "김민준",
]


def _used_characters(pdf: bytes) -> tuple[set[str], set[str]]:
    """Return the embedded fonts' names and every character their subsets have a glyph for.

    Characters are compared decomposed (NFD), and a glyph for a presentation form or ligature
    (Arabic letters take their joined forms) counts for the letters it stands for (NFKC).
    """
    from fontTools.ttLib import TTFont

    names: set[str] = set()
    covered: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            with TTFont(io.BytesIO(program.get_object().get_data())) as subset:
                for code in subset.getBestCmap() or {}:
                    covered |= set(_nfd(unicodedata.normalize("NFKC", chr(code))))
    return names, covered


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize("name", NAMES)
def test_a_name_in_any_script_renders_in_the_pdf(name: str) -> None:
    body = f"<h1>Vastaanottokuittaus</h1><p>Nimi: <span>{name}</span></p><p><b>{name}</b></p>"
    pdf = render_pdf(
        _html(body, stylesheet=True), STATIC_DIR.parent.as_uri() + "/", title=name, lang="fi"
    )
    text = unicodedata.normalize("NFC", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    for word in unicodedata.normalize("NFC", name).split():
        assert word in text, (word, text)
    fonts, covered = _used_characters(pdf)
    assert any(font.startswith("Seloste-Noto-Sans") for font in fonts)
    assert all(
        font.startswith(("Seloste-Noto-Sans", "Noto-Sans-", "Noto-Color-Emoji")) for font in fonts
    )
    # A glyph only a subset's cmap lacks is a .notdef box (or a hex box) on paper.
    missing = [char for char in _nfd(name) if not char.isspace() and char not in covered]
    assert missing == []


def test_a_script_outside_every_declared_font_still_fails_loudly() -> None:
    # A font the stack does not declare means the page and the PDF would disagree.
    with pytest.raises(PdfError, match="DejaVu"):
        render_pdf(
            _html('<p style="font-family: DejaVu Serif">Åsa</p><p>x</p>', stylesheet=True),
            STATIC_DIR.parent.as_uri() + "/",
            title="T",
            lang="fi",
        )


def test_every_stylesheet_declares_the_fallback_families() -> None:
    import re

    from notice.fonts import CSS_FAMILY, EMOJI_FAMILY, FALLBACK_FAMILIES

    for name in ("notice.css", "letters.css"):
        css = (STATIC_DIR / "css" / name).read_text("utf-8")
        stacks = re.findall(r"font-family:\s*([^;{}]+,[^;{}]+);", css)
        assert stacks, name
        for stack in stacks:
            families = [part.strip().strip('"') for part in stack.split(",")]
            assert families == [CSS_FAMILY, *FALLBACK_FAMILIES, "sans-serif"], (name, stack)
            assert EMOJI_FAMILY not in families, "it would take every digit"


# --- pages people read --------------------------------------------------------------------------

COOKIE_COLUMNS_FI = [
    "Nimi",
    "Tarjoaja",
    "Ensimmäinen vai kolmas osapuoli",
    "Luokka",
    "Käyttötarkoitus",
    "Voimassaoloaika",
    "Kolmansien osapuolten pääsy tietoihin",
]


def _text_runs(page: Any) -> list[tuple[float, str]]:
    """Return (x on the page, text) of every piece of text a page shows."""
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            runs.append((tm[4] * cm[0] + cm[4], text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def test_the_finnish_cookie_table_keeps_every_column_on_the_page(
    built: tuple[Path, BuildReport],
) -> None:
    pdf = reader(built[0], "fi/asiakasrekisteri/asiakasrekisteri.pdf")
    text = text_of(pdf)
    assert "Sivustomme evästeet" in text
    for column in COOKIE_COLUMNS_FI:
        assert column in text, column
    assert "Google käsittelee tietoja myös Yhdysvalloissa." in text  # the last column's text
    for page in pdf.pages:
        right = float(page.mediabox.width) - 36  # half an inch: well inside any margin
        outside = [(round(x), run) for x, run in _text_runs(page) if x > right]
        assert outside == []


@pytest.mark.parametrize(("lang", "path"), sorted(PDFS))
def test_the_first_page_is_not_nearly_blank(
    built: tuple[Path, BuildReport], lang: str, path: str
) -> None:
    pages = [len(page.extract_text().split()) for page in reader(built[0], path).pages]
    body = sorted(pages[1:-1]) or pages
    assert pages[0] >= body[len(body) // 2] / 3, pages  # before: 18 words on a page of 200


@pytest.mark.parametrize(
    "content",
    [REPO_ROOT / "content", REPO_ROOT / "tests" / "fixtures" / "registers-heldout" / "union"],
    ids=["default-content", "trade-union"],
)
def test_no_text_of_a_notice_pdf_runs_off_its_page(content: Path, tmp_path: Path) -> None:
    """Every value of the per-category lists (sources, retention) is on the page: a grid sized by
    its longest unwrapped term once drew them at x = 964–1,149 on a 595-point page."""
    from tests import readback

    out = tmp_path / "site"
    build_site(content, out, pdf=True, jobs=1)
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) >= 2
    assert {str(pdf.relative_to(out)): readback.off_page(pdf.read_bytes()) for pdf in pdfs} == {
        str(pdf.relative_to(out)): [] for pdf in pdfs
    }


@pytest.mark.parametrize("filler", range(40, 56, 3))
def test_a_long_term_at_a_page_break_stays_whole_before_its_value(filler: int) -> None:
    """A term of a facts list never breaks across pages (the fuzz build found a term and its value
    split side by side over two pages, read back interleaved)."""
    term = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho"
    value = " ".join(f"w{i}" for i in range(800)) + " END"
    body = "<p>filler</p>" * filler + f'<dl class="facts"><dt>{term}</dt><dd>{value}</dd></dl>'
    links = (
        '<link rel="stylesheet" href="static/css/notice.css">'
        '<link rel="stylesheet" href="static/css/print.css" media="print">'
    )
    head = f"<head><title>T</title>{links}</head>"
    html = f'<!DOCTYPE html><html lang="en">{head}<body>{body}</body></html>'
    pdf = render_pdf(html, STATIC_DIR.parent.as_uri() + "/", title="T", lang="en")
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = "".join("".join(page.extract_text().split("\n")[:-1]) for page in pages)  # no footer
    letters = "".join(text.split())
    assert "".join(term.split()) + "".join(value.split()) in letters


def test_cookie_and_provider_names_are_never_hyphenated(built: tuple[Path, BuildReport]) -> None:
    """In the narrow columns of a cookie table on paper, "cook‐ie_consent" or "Kemp‐painen" would
    be read as the name; only the names' own hyphens may appear."""
    out, _ = built
    content = load_content(FIXTURE)
    names = {c.name for c in content.site.cookies} | {c.provider for c in content.site.cookies}
    for pdf in sorted(out.rglob("*.pdf")):
        text = text_of(reader(out, str(pdf.relative_to(out))))
        broken = sorted(word for word in text.split() if "\u2010" in word)
        assert not [w for w in broken if any(w.replace("\u2010", "") in n for n in names)], (
            pdf.name,
            broken,
        )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_exits_quietly(tmp_path: Path, repo_root: Path, jobs: str) -> None:
    # WeasyPrint objects alive until the interpreter's teardown print "Exception ignored in
    # ... __del__" after a build that succeeded; jobs=1 renders in this process, 2 in workers.
    result = subprocess.run(
        [sys.executable, "build.py", "--content", "tests/fixtures/small", "--out",
         str(tmp_path / "site"), "--cache-dir", str(tmp_path / "cache"), "--jobs", jobs],
        cwd=repo_root, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "4 PDFs rendered" in result.stdout
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr
