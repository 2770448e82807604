"""The built pages, parsed: language, alternates, landmarks, sections, rights, cookies, requests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from notice.build import build_site
from notice.loader import load_content
from notice.markdown import render_inline, render_markdown
from notice.model import Register, Right, Site
from notice.render import (
    Renderer,
    alternates_of,
    consent_applies,
    ga_cookie_name,
    portal_links,
    register_path,
    rights,
    sections,
)
from tests import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"
CONTENT = REPO_ROOT / "content"

# The seed notice's headings (LEGAL.md §2) as the corrected notice words them, plus the rights the
# seed lacked (erasure, withdrawal of consent). Literal text, not the catalogs: a wrong or missing
# translation fails here.
SEED_HEADINGS = {
    "fi": [
        "Laatimispäivä",
        "Rekisterinpitäjä",
        "Yhteyshenkilö rekisteriä koskevissa asioissa",
        "Rekisterin nimi",
        "Oikeusperuste ja henkilötietojen käsittelyn tarkoitus",
        "Onko tietojen antaminen lakisääteinen tai sopimukseen perustuva vaatimus?",
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
        "A: Manuaalinen aineisto",
        "B: Sähköisesti käsiteltävät tiedot",
        "Evästeet",
        "Google Analytics",
        "Automaattinen päätöksenteko ja profilointi",
        "Rekisteröidyn oikeudet",
        "Tarkastusoikeus",
        "Oikeus siirtää tiedot järjestelmästä toiseen",
        "Oikeus vaatia tiedon korjaamista",
        "Oikeus tietojen poistamiseen",
        "Rajoittamisoikeus",
        "Vastustamisoikeus",
        "Oikeus peruuttaa suostumus",
        "Oikeus tehdä valitus valvontaviranomaiselle",
        "Muut oikeudet",
    ],
    "en": [
        "Date prepared",
        "Controller",
        "Contact person for register matters",
        "Name of the register",
        "Legal basis and purpose of processing",
        "Is providing the data a statutory or contractual requirement?",
        "Legitimate interest",
        "Categories of data subjects",
        "Recipients and categories of recipients",
        "Consent",
        "Data content of the register",
        "Regular sources of data",
        "Retention period of personal data",
        "Regular disclosures of data",
        "Transfers of data outside the EU or EEA",
        "Principles of protecting the register",
        "A: Manual records",
        "B: Electronically processed data",
        "Cookies",
        "Google Analytics",
        "Automated decision-making and profiling",
        "Your rights",
        "Right of access",
        "Right to data portability",
        "Right to rectification",
        "Right to erasure",
        "Right to restriction of processing",
        "Right to object",
        "Right to withdraw consent",
        "Right to lodge a complaint with a supervisory authority",
        "Other rights",
    ],
}

REQUEST_RIGHTS = ["access", "portability", "rectification", "erasure", "restriction", "objection"]


def _build(source: Path, out: Path) -> Path:
    build_site(source, out, pdf=False, jobs=1)
    return out


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(FIXTURE, tmp_path_factory.mktemp("fixture") / "site")


@pytest.fixture(scope="module")
def content_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(CONTENT, tmp_path_factory.mktemp("content") / "site")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def headings(page: BeautifulSoup) -> list[str]:
    return [h.get_text(" ", strip=True) for h in page.find_all(["h2", "h3"])]


def page_language(site: Path, page: Path, default: str) -> str:
    parts = page.relative_to(site).parts
    return parts[0] if len(parts) > 1 else default


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_seed_heading_is_on_the_shipped_register_page(content_site: Path, lang: str) -> None:
    content = load_content(CONTENT)
    register = content.register("asiakasrekisteri")
    page = soup(content_site / register_path(register, lang) / "index.html")
    found = headings(page)
    missing = [heading for heading in SEED_HEADINGS[lang] if heading not in found]
    assert missing == []


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_sections_follow_the_seed_order(content_site: Path, lang: str) -> None:
    register = load_content(CONTENT).register("asiakasrekisteri")
    found = headings(soup(content_site / register_path(register, lang) / "index.html"))
    positions = [found.index(heading) for heading in SEED_HEADINGS[lang]]
    assert positions == sorted(positions)


@pytest.mark.parametrize("site_name", ["fixture_site", "content_site"])
def test_every_page_declares_its_language_alternates_and_switch(
    site_name: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_name)
    content = load_content(FIXTURE if site_name == "fixture_site" else CONTENT)
    languages = [lang.value for lang in content.site.languages]
    base = content.site.base_url
    for path in pages(site):
        page = soup(path)
        lang = page_language(site, path, languages[0])
        assert page.html["lang"] == lang, path
        alternates = {
            link["hreflang"]: link["href"]
            for link in page.find_all("link", rel="alternate", hreflang=True)
        }
        if path.name == "404.html":  # served at any address: none of its own to alternate
            assert alternates == {} and page.find("meta", attrs={"name": "robots"}), path
        else:
            assert set(alternates) == {*languages, "x-default"}, path
            assert all(href.startswith(base) for href in alternates.values()), path
        switch = page.find("nav", class_="language-switch")
        links = switch.find_all("a")
        assert [a["lang"] for a in links] == languages, path
        assert [a["hreflang"] for a in links] == languages, path
        current = [a["lang"] for a in links if a.get("aria-current")]
        assert current == [lang], path


@pytest.mark.parametrize("site_name", ["fixture_site", "content_site"])
def test_every_page_has_one_h1_a_title_landmarks_and_a_skip_link(
    site_name: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_name)
    for path in pages(site):
        page = soup(path)
        assert len(page.find_all("h1")) == 1, path
        assert page.title and page.title.get_text(strip=True), path
        skip = page.find("a", class_="skip-link")
        assert skip["href"] == "#main", path
        assert page.find("main", id="main"), path
        assert page.find("header") and page.find("footer") and page.find("nav"), path
        if path.parent.name == "cookie-settings":
            continue  # the banner at work, with the page's own scripts: test_banner.py
        # Both sites ask consent: every page runs the banner (its files: test_banner.py).
        stylesheets = page.find_all("link", rel="stylesheet")
        assert [link.get("media") for link in stylesheets] == [None, None, None, "print"], path
        assert [str(s["src"]).rsplit("/", 1)[-1] for s in page.find_all("script")][-2:] == [
            "cookieconsent.umd.js",
            "cookieconsent-config.js",
        ], path
        assert page.find("style") is None, path
        assert page.find(attrs={"style": True}) is None, path


def test_alternates_point_at_the_same_page_in_each_language(fixture_site: Path) -> None:
    page = soup(fixture_site / "fi" / "asiakasrekisteri" / "index.html")
    links = page.find_all("link", rel="alternate", hreflang=True)
    alternates = {link["hreflang"]: link["href"] for link in links}
    assert alternates == {
        "fi": "https://example.fi/tietosuoja/fi/asiakasrekisteri/",
        "en": "https://example.fi/tietosuoja/en/customer-register/",
        "x-default": "https://example.fi/tietosuoja/fi/asiakasrekisteri/",
    }
    switch = page.find("nav", class_="language-switch")
    assert [a["href"] for a in switch.find_all("a")] == ["./", "../../en/customer-register/"]


def test_root_page_chooses_a_language(fixture_site: Path) -> None:
    page = soup(fixture_site / "index.html")
    choices = page.find("ul", class_="chooser").find_all("li")
    assert [(li["lang"], li.a["href"]) for li in choices] == [("fi", "fi/"), ("en", "en/")]
    assert [li.find(class_="chooser-label").get_text() for li in choices] == [
        "Tietosuojaselosteet",
        "Privacy notices",
    ]
    assert page.find("link", hreflang="x-default")["href"] == "https://example.fi/tietosuoja/"


def test_language_index_lists_every_register(fixture_site: Path) -> None:
    page = soup(fixture_site / "en" / "index.html")
    links = page.find("ul", class_="register-list").find_all("a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Customer register", "customer-register/"),
        ("Newsletter subscribers", "newsletter/"),
    ]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_objection_stands_apart_and_the_first_layer_points_to_it(
    fixture_site: Path, lang: str
) -> None:
    page = soup(
        fixture_site
        / lang
        / ("asiakasrekisteri" if lang == "fi" else "customer-register")
        / "index.html"
    )
    objection = page.find("section", id="right-objection")
    assert "right-objection" in objection["class"]
    assert objection.find("strong"), "direct-marketing objection is emphasised"
    first_layer = page.find("section", class_="first-layer")
    assert first_layer.find("a", href="#right-objection")
    assert first_layer.find("nav", class_="toc")
    toc_targets = [a["href"] for a in first_layer.find("nav", class_="toc").find_all("a")]
    ids = {f"#{tag['id']}" for tag in page.find_all(id=True)}
    assert set(toc_targets) <= ids


def test_each_right_links_to_its_portal_form(fixture_site: Path) -> None:
    page = soup(fixture_site / "en" / "customer-register" / "index.html")
    for right in REQUEST_RIGHTS:
        section = page.find("section", id=f"right-{right}")
        hrefs = [a["href"] for a in section.find_all("a")]
        expected = f"https://pyynnot.example.fi/en/new/{right}?register=asiakasrekisteri"
        assert expected in hrefs, right
    general = "https://pyynnot.example.fi/en/?register=asiakasrekisteri"
    assert page.find("section", class_="first-layer").find("a", href=general)


def test_no_portal_links_without_a_portal_url() -> None:
    content = load_content(FIXTURE)
    site = content.site.model_copy(update={"portal_url": None})
    register = content.register("asiakasrekisteri")
    assert portal_links(site, register, "fi") == {}
    renderer = Renderer(site, pdf=False)
    html = renderer.render(
        "notice/register.html",
        "fi",
        register_path(register, "fi"),
        alternates_of(["fi", "en"], lambda code: register_path(register, code)),
        **renderer.register_context(register, "fi"),
    )
    assert "pyynnot.example.fi" not in html
    assert soup_from(html).find("section", id="right-access").find("a") is None


def soup_from(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def test_a_register_override_replaces_the_standard_right_text(fixture_site: Path) -> None:
    page = soup(fixture_site / "en" / "newsletter" / "index.html")
    section = page.find("section", id="right-withdraw_consent")
    text = section.get_text(" ", strip=True)
    assert "unsubscribe through the link at the end of every newsletter" in text
    assert "Article 7(3)" not in text


def test_cookie_table_lists_every_cookie_with_all_columns(fixture_site: Path) -> None:
    content = load_content(FIXTURE)
    for path in (
        fixture_site / "en" / "cookies" / "index.html",
        fixture_site / "en" / "customer-register" / "index.html",
    ):
        region = soup(path).find("div", class_="table-region")
        assert region["tabindex"] == "0" and region["role"] == "region"
        assert region.find("caption")["id"] == region["aria-labelledby"]
        rows = region.find("tbody").find_all("tr")
        assert [row.th.get_text() for row in rows] == [c.name for c in content.site.cookies]
        assert all(len(row.find_all(["th", "td"])) == 7 for row in rows)
        assert rows[1].find_all("td")[1].get_text() == "First party"
        assert rows[1].find_all("td")[4].get_text() == "2 years"


def test_analytics_section_names_the_ga4_cookies_signals_retention_and_transfer(
    fixture_site: Path,
) -> None:
    section = soup(fixture_site / "fi" / "cookies" / "index.html").find("section", id="analytics")
    text = section.get_text(" ", strip=True)
    # The cookies the table lists (the fixture lists `_ga` and `_ga_ABC123XYZ`), named the same
    # in both places; test_default_site_reads covers `_ga_<container-id>` made real from the
    # measurement id.
    (cookies,) = [
        dt.find_next_sibling("dd") for dt in section.find_all("dt") if dt.get_text() == "Evästeet"
    ]
    assert [code.get_text() for code in cookies.find_all("code")] == ["_ga", "_ga_ABC123XYZ"]
    assert "Google-signaalit" in text and "Ei käytössä" in text
    assert "14 kuukautta" in text
    assert "Google LLC, Yhdysvallat" in text  # the country in the page's language


def test_register_without_website_has_no_cookie_section(fixture_site: Path) -> None:
    page = soup(fixture_site / "fi" / "uutiskirje" / "index.html")
    assert page.find("section", id="cookies") is None
    assert page.find("section", id="analytics") is None


def test_dates_are_formatted_for_the_language(fixture_site: Path) -> None:
    fi = soup(fixture_site / "fi" / "asiakasrekisteri" / "index.html")
    en = soup(fixture_site / "en" / "customer-register" / "index.html")
    assert fi.find("time", datetime="2019-10-03").get_text() == "3. lokakuuta 2019"
    assert en.find("time", datetime="2019-10-03").get_text() == "3 October 2019"


def test_history_page_lists_changes_newest_first(fixture_site: Path) -> None:
    page = soup(fixture_site / "en" / "customer-register" / "history" / "index.html")
    times = [t["datetime"] for t in page.find("ol", class_="history").find_all("time")]
    assert times == ["2025-06-01", "2019-10-03"]


# --- no request to any other host ---------------------------------------------------------------

_URL_IN_CSS = re.compile(r"url\(\s*['\"]?([^'\")]+)")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)


def _content_urls(root: Path) -> set[str]:
    """URLs the content's author wrote (links in text, settings pages): navigations they chose."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.yaml"))
    # A sentence's full stop after a bare address is not part of it (it is not in the link).
    return {url.rstrip(".,:;!?") for url in re.findall(r"https?://[^\s)\]'\"]+", text)}


@pytest.mark.parametrize("site_name", ["fixture_site", "content_site"])
def test_no_generated_file_requests_another_host(
    site_name: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(site_name)
    root = FIXTURE if site_name == "fixture_site" else CONTENT
    content = load_content(root)
    navigations = [content.site.base_url, *_content_urls(root)]
    if content.site.portal_url:
        navigations.append(content.site.portal_url)
    if content.site.supervisory_authority and content.site.supervisory_authority.url:
        url = content.site.supervisory_authority.url  # one, or one per language
        navigations.extend(url.values() if isinstance(url, dict) else [url])
    for path in pages(site):
        page = soup(path)
        for tag in page.find_all(src=True):
            assert not _SCHEME.match(tag["src"]), (path, tag)
        for tag in page.find_all(srcset=True):
            assert not _SCHEME.search(tag["srcset"]), (path, tag)
        for tag in page.find_all(action=True):
            assert not _SCHEME.match(tag["action"]), (path, tag)
        for tag in page.find_all("link"):
            if "stylesheet" in tag["rel"] or "preload" in tag["rel"] or "icon" in tag["rel"]:
                assert not _SCHEME.match(tag["href"]), (path, tag)
            else:
                assert tag["href"].startswith(content.site.base_url), (path, tag)
        for tag in page.find_all("a", href=True):
            href = tag["href"]
            if href.startswith(("mailto:", "tel:")) or not _SCHEME.match(href):
                continue
            assert any(href.startswith(allowed) for allowed in navigations), (path, href)
    for css in site.rglob("*.css"):
        for target in _URL_IN_CSS.findall(css.read_text(encoding="utf-8")):
            assert not _SCHEME.match(target), (css, target)


# --- Markdown -------------------------------------------------------------------------------------


def test_markdown_escapes_raw_html_and_renders_no_images() -> None:
    html = render_markdown("<script>alert(1)</script> ![x](https://evil.example/x.png)", "fi")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html


def test_markdown_headings_stay_below_the_page_structure() -> None:
    assert render_markdown("# Title\n\ntext", "en").startswith("<h3>Title</h3>")


def test_markdown_refuses_javascript_links_and_keeps_lists() -> None:
    html = render_markdown("[x](javascript:alert(1))\n\n- a\n- b", "en")
    assert 'href="javascript' not in html
    assert "<ul>\n<li>a</li>" in html


def test_inline_markdown_has_no_paragraph() -> None:
    assert render_inline("*k* <b>", "fi") == "<em>k</em> &lt;b&gt;"


# --- what a page shows, decided from the model --------------------------------------------------


def _fixture_parts() -> tuple[Site, Register]:
    content = load_content(FIXTURE)
    return content.site, content.register("uutiskirje")


@pytest.mark.parametrize(
    ("change", "applies"),
    [
        ({}, True),  # the newsletter rests on consent
        ({"purposes": [], "rights": {}}, False),
        ({"purposes": [], "rights": {}, "consent": {"fi": "x", "en": "x"}}, True),
        ({"purposes": [], "rights": {}, "website": True}, True),  # the site has an analytics cookie
    ],
)
def test_withdrawal_of_consent_is_explained_only_when_consent_is_used(
    change: dict[str, object], applies: bool
) -> None:
    site, register = _fixture_parts()
    register = register.model_copy(update=change)
    assert consent_applies(site, register) is applies
    shown = [item.right for item in rights(site, register)]
    assert (Right.withdraw_consent in shown) is applies
    assert shown[-2:] == [Right.complaint, Right.other]


def test_only_necessary_cookies_need_no_withdrawal() -> None:
    site, register = _fixture_parts()
    site = site.model_copy(update={"cookies": site.cookies[:1]})  # the session cookie only
    register = register.model_copy(update={"purposes": [], "rights": {}, "website": True})
    assert not consent_applies(site, register)


def test_website_sections_follow_the_flag_and_the_analytics() -> None:
    site, register = _fixture_parts()
    ids = [section.id for section in sections(site, register)]
    assert "cookies" not in ids and "analytics" not in ids
    website = register.model_copy(update={"website": True})
    assert [s.id for s in sections(site, website)][15:17] == ["cookies", "analytics"]
    no_analytics = site.model_copy(update={"analytics": None})
    assert "analytics" not in [s.id for s in sections(no_analytics, website)]
    other = site.model_copy(
        update={"analytics": site.analytics.model_copy(update={"service": "other"})}
    )
    titles = {s.id: s.title for s in sections(other, website)}
    assert titles["analytics"] == "Web analytics"


def test_ga4_session_cookie_is_named_after_the_measurement_id() -> None:
    assert ga_cookie_name("G-ABC123") == "_ga_ABC123"
