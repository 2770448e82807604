"""The theme of site.yaml: logo, colours and display name on the notice site and in its PDFs,
checked for WCAG 2.2 contrast when the content is loaded."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner
from pypdf import PdfReader

from notice import contrast
from notice.build import build_site
from notice.cli import main
from notice.loader import ContentError, load_content
from tests import REPO_ROOT

THEMED = REPO_ROOT / "tests" / "fixtures" / "themed"
LOGO = THEMED / "images" / "kuntala-logo.svg"
NAMES = {"fi": "Kuntalan kaupunki", "en": "City of Kuntala"}
COLORS = {
    "--background": "#ffffff",
    "--text": "#15241b",
    "--muted": "#3f5247",
    "--link": "#17603a",
    "--link-visited": "#17603a",
    "--accent": "#17603a",
    "--on-accent": "#ffffff",
    "--surface": "#eaf3ee",
    "--border": "#6f8a7a",
    "--focus": "#9a3412",
    "--error": "#a4161a",
}


@pytest.fixture(scope="module")
def themed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("themed") / "site"
    build_site(THEMED, out, cache_dir=out.parent / "cache", jobs=1)
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def custom_properties(css: str) -> dict[str, str]:
    body = css[css.index(":root {") + len(":root {") : css.index("}")]
    pairs = [line.strip().rstrip(";").split(": ") for line in body.strip().splitlines()]
    return {name: value for name, value in pairs}


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_page_shows_the_logo_with_the_display_name_as_its_alt_text(
    themed_site: Path, lang: str
) -> None:
    pages = sorted((themed_site / lang).rglob("index.html"))
    assert len(pages) >= 6
    for page in pages:
        html = soup(page)
        logo = html.select_one("header .site-name img.site-logo")
        assert isinstance(logo, Tag), page
        assert logo["alt"] == NAMES[lang]
        assert (page.parent / str(logo["src"])).resolve() == (themed_site / "theme/logo.svg")
        assert html.title is not None and html.title.text.endswith(f" – {NAMES[lang]}")
    assert (themed_site / "theme" / "logo.svg").read_bytes() == LOGO.read_bytes()


def test_the_theme_stylesheet_carries_the_colours_after_the_site_s_own(themed_site: Path) -> None:
    html = soup(themed_site / "fi" / "index.html")
    links = [str(link["href"]) for link in html.select('link[rel="stylesheet"]')]
    assert links == [
        "../static/css/notice.css",
        "../consent/cookieconsent.css",  # the banner's, which the theme's colours follow
        "../static/css/consent.css",
        "../theme/theme.css",
        "../static/css/print.css",
    ]
    css = (themed_site / "theme" / "theme.css").read_text(encoding="utf-8")
    assert custom_properties(css) == COLORS
    banner = css[css.index("html #cc-main {") :]
    assert "  --cc-btn-primary-bg: #17603a;\n  --cc-btn-primary-color: #ffffff;\n" in banner
    assert "  --cc-bg: #ffffff;\n  --cc-primary-color: #15241b;\n" in banner


def test_the_pages_policy_allows_the_logo_from_the_site_itself_only(themed_site: Path) -> None:
    meta = soup(themed_site / "fi" / "index.html").select_one(
        'meta[http-equiv="Content-Security-Policy"]'
    )
    assert isinstance(meta, Tag)
    # Scripts: the banner's files of this site; consent records go to the portal only.
    assert str(meta["content"]) == (
        "default-src 'none'; script-src 'self'; connect-src https://pyynnot.example.fi; "
        "style-src 'self'; img-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'"
    )


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_pdf_has_a_letterhead_and_title_with_the_display_name(
    themed_site: Path, lang: str
) -> None:
    slug = "asiakasrekisteri" if lang == "fi" else "customer-register"
    pdf = themed_site / lang / slug / f"{slug}.pdf"
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    first_line = reader.pages[0].extract_text().splitlines()[0]
    assert first_line == NAMES[lang]
    assert reader.metadata is not None and reader.metadata.title is not None
    assert reader.metadata.title.endswith(f" – {NAMES[lang]}")


def test_a_site_without_a_theme_gets_no_theme_files_or_logo(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(REPO_ROOT / "tests" / "fixtures" / "small", out, pdf=False, cache_dir=tmp_path / "c")
    assert not (out / "theme").exists()
    html = soup(out / "fi" / "index.html")
    assert html.select("img") == []
    assert [str(link["href"]) for link in html.select('link[rel="stylesheet"]')] == [
        "../static/css/notice.css",
        "../consent/cookieconsent.css",
        "../static/css/consent.css",
        "../static/css/print.css",
    ]
    name = html.select_one("header .site-name")
    assert name is not None and name.get_text() == "Esimerkki Oy"


# --- what the loader refuses -------------------------------------------------------------------


def themed_copy(tmp_path: Path, old: str, new: str) -> Path:
    """Copy the themed fixture with one line of its site.yaml changed; return the folder."""
    folder = tmp_path / "content"
    shutil.copytree(THEMED, folder)
    site = folder / "site.yaml"
    text = site.read_text(encoding="utf-8")
    assert old in text
    site.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def line_of(folder: Path, text: str) -> int:
    lines = (folder / "site.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        (
            'text: "#15241b"',
            'text: "#888888"',
            "theme.colors.text",
            "#888888 on background #ffffff has a contrast ratio of 3.54:1; text must have at "
            "least 4.5:1 (WCAG 2.2 AA)",
        ),
        (
            'on_accent: "#ffffff"',
            'on_accent: "#5a8f6f"',
            "theme.colors.on_accent",
            "#5a8f6f on accent #17603a has a contrast ratio of 2.01:1; text on a filled "
            "button must have at least 4.5:1 (WCAG 2.2 AA)",
        ),
        (
            'focus: "#9a3412"',
            'focus: "#f0a080"',
            "theme.colors.focus",
            "#f0a080 on background #ffffff has a contrast ratio of 2.09:1; the focus "
            "indicator must have at least 3:1 (WCAG 2.2 AA)",
        ),
        (
            'border: "#6f8a7a"',
            'border: "#c0c8c4"',
            "theme.colors.border",
            "#c0c8c4 on background #ffffff has a contrast ratio of 1.70:1; boundaries of "
            "fields, tables and boxes must have at least 3:1 (WCAG 2.2 AA)",
        ),
        (
            'error: "#a4161a"',
            'error: "#f06060"',
            "theme.colors.error",
            "#f06060 on background #ffffff has a contrast ratio of 3.20:1; error messages "
            "must have at least 4.5:1 (WCAG 2.2 AA)",
        ),
        (
            'accent: "#17603a"',
            'accent: "green"',
            "theme.colors.accent",
            "'green' is not a colour; write it as #rrggbb (or #rgb), e.g. #0b4f8a",
        ),
        (
            "logo: images/kuntala-logo.svg",
            "logo: ../secrets.svg",
            "theme.logo",
            "'../secrets.svg' is not a logo file; give a path inside the content folder ending "
            "in .svg or .png, e.g. logo.svg",
        ),
        (
            "logo: images/kuntala-logo.svg",
            "logo: images/logo.gif",
            "theme.logo",
            "'images/logo.gif' is not a logo file; give a path inside the content folder ending "
            "in .svg or .png, e.g. logo.svg",
        ),
    ],
    ids=["text", "on-accent", "focus", "border", "error", "colour", "dotdot", "gif"],  # fmt: skip
)
def test_a_bad_theme_is_a_load_error_at_its_line_with_the_measured_ratio(
    tmp_path: Path, old: str, new: str, key: str, message: str
) -> None:
    folder = themed_copy(tmp_path, old, new)
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    line = line_of(folder, new)
    assert [str(error) for error in caught.value.errors] == [
        f"{folder / 'site.yaml'}:{line}: {key}: {message}"
    ]


def test_a_dark_surface_names_every_colour_it_fails_at_once(tmp_path: Path) -> None:
    folder = themed_copy(tmp_path, 'surface: "#eaf3ee"', 'surface: "#a8bcb0"')
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    site = folder / "site.yaml"
    assert [str(error) for error in caught.value.errors] == [
        f"{site}:{line_of(folder, 'muted: ')}: theme.colors.muted: #3f5247 on surface #a8bcb0 "
        "has a contrast ratio of 4.17:1; secondary text in the header and footer band must have at "
        "least 4.5:1 (WCAG 2.2 AA)",
        f"{site}:{line_of(folder, 'accent: ')}: theme.colors.accent: #17603a on surface #a8bcb0 "
        "has a contrast ratio of 3.78:1; links in the header and footer band must have at least "
        "4.5:1 (WCAG 2.2 AA)",
    ]


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


@pytest.mark.parametrize(
    ("logo", "data", "message"),
    [
        ("missing.svg", None, "'missing.svg' is not a file in the content folder {folder}"),
        (
            "logo.svg",
            SVG.format("<script>alert(1)</script>").encode(),
            "'logo.svg' contains <script>; a logo may not run code or embed other files",
        ),
        (
            "logo.svg",
            SVG.format('<rect width="1" height="1" onclick="alert(1)"/>').encode(),
            "'logo.svg' has an event handler (onclick); a logo may not run code",
        ),
        (
            "logo.svg",
            SVG.format('<a href="https://tracker.example/"><rect width="1"/></a>').encode(),
            "'logo.svg' refers to 'https://tracker.example/'; a logo must be self-contained",
        ),
        (
            "logo.svg",
            SVG.format('<rect width="1" style="fill: url(https://x.example/p.png)"/>').encode(),
            "'logo.svg' refers to another file in 'style'; a logo must be self-contained",
        ),
        (
            "logo.svg",
            b'<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>',
            "'logo.svg' declares a DOCTYPE or entities; save the SVG without them",
        ),
        (
            "logo.svg",
            b"<html><body/></html>",
            "'logo.svg' is not an SVG image (its root element is <html>)",
        ),
        (
            "logo.png",
            b"GIF89a not a png",
            "'logo.png' is not a PNG image (its first bytes are not a PNG signature)",
        ),
        (
            "logo.png",
            b"\x89PNG\r\n\x1a\n" + b"\0" * (512 * 1024),
            "'logo.png' is 513 KiB; a logo may be at most 512 KiB",
        ),
    ],
    ids=[
        "missing",
        "script",
        "handler",
        "external-link",
        "external-style",
        "doctype",
        "not-svg",
        "not-png",
        "too-large",
    ],  # fmt: skip
)
def test_a_logo_that_is_missing_or_unsafe_is_a_load_error(
    tmp_path: Path, logo: str, data: bytes | None, message: str
) -> None:
    folder = themed_copy(tmp_path, "logo: images/kuntala-logo.svg", f"logo: {logo}")
    if data is not None:
        (folder / logo).write_bytes(data)
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    line = line_of(folder, f"logo: {logo}")
    assert [str(error) for error in caught.value.errors] == [
        f"{folder / 'site.yaml'}:{line}: theme.logo: {message.format(folder=folder)}"
    ]


def test_a_png_logo_is_published_as_logo_png(tmp_path: Path) -> None:
    folder = themed_copy(tmp_path, "logo: images/kuntala-logo.svg", "logo: Logo.PNG")
    data = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    (folder / "Logo.PNG").write_bytes(data)
    out = tmp_path / "site"
    build_site(folder, out, pdf=False, cache_dir=tmp_path / "cache")
    assert (out / "theme" / "logo.png").read_bytes() == data
    logo = soup(out / "en" / "index.html").select_one("img.site-logo")
    assert logo is not None and logo["src"] == "../theme/logo.png"


def test_notice_build_refuses_a_low_contrast_theme_with_exit_1(tmp_path: Path) -> None:
    folder = themed_copy(tmp_path, 'accent: "#17603a"', 'accent: "#7fb08f"')
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "notice.cli",
            "build",
            "--content",
            str(folder),
            "--no-pdf",
            "--out",
            str(tmp_path / "out"),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert result.returncode == 1
    line = line_of(folder, 'accent: "#7fb08f"')
    assert f"{folder / 'site.yaml'}:{line}: theme.colors.accent: #7fb08f on background #ffffff " \
        "has a contrast ratio of 2.46:1; links and button text must have at least 4.5:1 " \
        "(WCAG 2.2 AA)" in (result.stdout + result.stderr).splitlines()  # fmt: skip
    assert not (tmp_path / "out").exists()


# --- the contrast arithmetic -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("#000000", "#ffffff", "21.00:1"),
        ("#fff", "#FFFFFF", "1.00:1"),
        ("#767676", "#ffffff", "4.54:1"),  # the lightest grey that passes 4.5:1 on white
        ("#777777", "#ffffff", "4.47:1"),
        ("#0b4f8a", "#ffffff", "8.40:1"),  # the default link colour, as notice.css says
    ],
)
def test_contrast_ratios_match_wcag(first: str, second: str, expected: str) -> None:
    assert contrast.shown(contrast.ratio(first, second)) == expected


def test_a_ratio_is_rounded_down_so_a_failing_pair_never_reads_as_passing() -> None:
    assert contrast.shown(4.4999) == "4.49:1"
    assert contrast.shown(2.999) == "2.99:1"


def test_the_published_schema_gives_editors_the_theme_and_its_colour_pattern() -> None:
    from notice.model import Site
    from notice.schema import schema_of

    schema = schema_of(Site)
    assert schema["properties"]["theme"]["anyOf"][0] == {"$ref": "#/$defs/Theme"}
    colors = schema["$defs"]["ThemeColors"]["properties"]
    assert list(colors) == [
        "background", "surface", "text", "muted", "accent", "on_accent", "error", "border",
        "focus",
    ]  # fmt: skip
    pattern = re.compile(colors["accent"]["pattern"])
    site = load_content(THEMED).site
    assert site.theme is not None and site.theme.colors is not None
    assert all(pattern.search(value) for value in site.theme.colors.model_dump().values())
    assert not any(pattern.search(value) for value in ("green", "#12345", "#1234567", "17603a"))


def test_a_missing_logo_is_reported_with_the_other_theme_errors_in_one_run(
    tmp_path: Path,
) -> None:
    """The README promises all of a file at once: a missing logo file was reported only after
    the colours were fixed, one more round of edit and check."""
    folder = themed_copy(tmp_path, "logo: images/kuntala-logo.svg", "logo: logo.svg")
    site = folder / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace('text: "#15241b"', 'text: "#888888"', 1),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    assert sorted(str(error) for error in caught.value.errors) == sorted(
        [
            f"{site}:{line_of(folder, 'text: ')}: theme.colors.text: #888888 on background "
            "#ffffff has a contrast ratio of 3.54:1; text must have at least 4.5:1 (WCAG 2.2 AA)",
            f"{site}:{line_of(folder, 'logo: logo.svg')}: theme.logo: 'logo.svg' is not a file "
            f"in the content folder {folder}",
        ]
    )
    # What the author reads: both lines from one `notice check`.
    result = CliRunner().invoke(main, ["check", "--content", str(folder)])
    assert result.exit_code == 1
    assert "theme.colors.text: #888888" in result.output
    assert "theme.logo: 'logo.svg' is not a file" in result.output


def test_a_refused_logo_path_is_not_also_looked_for(tmp_path: Path) -> None:
    folder = themed_copy(tmp_path, "logo: images/kuntala-logo.svg", "logo: ../logo.svg")
    site = folder / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace('text: "#15241b"', 'text: "#888888"', 1),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    logo = [error.message for error in caught.value.errors if error.key == "theme.logo"]
    assert logo == [
        "'../logo.svg' is not a logo file; give a path inside the content folder ending in .svg "
        "or .png, e.g. logo.svg"
    ]
