"""PDFs read back: tagged PDF/UA with language and title, the shipped font, intact Finnish text."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from notice.build import BuildReport, build_site
from notice.fonts import FAMILY, STYLES, subset_fonts
from notice.pdf import PdfError, assert_font_embedded, embedded_fonts, render_pdf
from notice.render import STATIC_DIR

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "small"

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
    assert fonts and all(name.startswith("Seloste-Noto-Sans") for name in fonts)


def test_page_links_its_pdf(built: tuple[Path, BuildReport]) -> None:
    page = built[0] / "fi" / "uutiskirje" / "index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "lxml")
    link = soup.find("a", type="application/pdf")
    assert link["href"] == "uutiskirje.pdf"


def test_unchanged_pdfs_come_from_the_cache(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    before = {path: (out / path).stat().st_mtime_ns for _, path in PDFS}
    report = build_site(FIXTURE, out, pdf=True, jobs=2)
    assert (report.pdfs_rendered, report.pdfs_cached) == (0, len(PDFS))
    assert {path: (out / path).stat().st_mtime_ns for _, path in PDFS} == before


def test_without_pdfs_earlier_ones_are_removed(
    tmp_path: Path, built: tuple[Path, BuildReport]
) -> None:
    out = Path(shutil.copytree(built[0], tmp_path / "site"))
    report = build_site(FIXTURE, out, pdf=False, jobs=1)
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
    with pytest.raises(PdfError, match="must embed only Seloste Noto Sans; it embeds: "):
        render_pdf(_html("<p>ääkköset</p>", stylesheet=False), "file:///", title="T", lang="fi")


def test_font_check_rejects_a_pdf_with_no_fonts() -> None:
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(buffer)
    with pytest.raises(PdfError, match="it embeds: none"):
        assert_font_embedded(buffer.getvalue(), "Seloste Noto Sans")


def test_font_subsets_cover_finnish_and_swedish_and_stay_small(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    # The shipped TTFs are valid sources too, so this runs without Debian's fonts installed.
    written = subset_fonts(STATIC_DIR / "fonts", tmp_path)
    assert sorted(path.name for path in written) == sorted(
        f"NotoSans-{style}.{suffix}" for style in STYLES for suffix in ("ttf", "woff2")
    )
    for path in written:
        with TTFont(path) as font:
            cmap = font.getBestCmap()
            assert all(ord(char) in cmap for char in "äöåÄÖÅšžéü€–”…"), path
            assert ord("Ж") not in cmap, path
            assert font["name"].getDebugName(1) == FAMILY
            assert font.flavor == ("woff2" if path.suffix == ".woff2" else None)
        assert path.stat().st_size < 60_000


def test_shipped_fonts_carry_their_licence() -> None:
    licence = (STATIC_DIR / "fonts" / "OFL.txt").read_text("utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
