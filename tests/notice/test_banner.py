"""The cookie banner's files: options made from site.yaml, run by Node against a recording stub.

The generated `cookieconsent-config.js` is executed for real (Node, `vm`), with a stand-in for the
library's `CookieConsent.run` that records the options it is given: the tests read what the library
would read, regular expressions and callbacks included. Pages are checked with BeautifulSoup.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from notice import banner
from notice.build import build_site, plan_pdfs
from notice.cli import main
from notice.durations import DAY, MONTH, SESSION, parse_duration
from notice.loader import load_content
from notice.model import Site, model_context
from notice.render import Renderer, asks_consent
from tests import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"
NODE = shutil.which("node")

_RUN_CONFIG = r"""
const fs = require("fs"), vm = require("vm");
const recorded = [];
const gtagCalls = [];
const accepted = new Set(JSON.parse(process.argv[2]));
const sandbox = {
  CookieConsent: {
    run: (options) => recorded.push(options),
    acceptedCategory: (name) => accepted.has(name),
  },
  gtag: (...args) => gtagCalls.push(args),
};
sandbox.window = sandbox;
vm.runInNewContext(fs.readFileSync(process.argv[1], "utf8"), sandbox);
const options = recorded[0];
options.onConsent();
const replacer = (key, value) =>
  value instanceof RegExp || Object.prototype.toString.call(value) === "[object RegExp]"
    ? {regex: value.source}
    : typeof value === "function" ? "function" : value;
process.stdout.write(JSON.stringify({runs: recorded.length, options, gtagCalls}, replacer));
"""


def site_of(**changes: Any) -> Site:
    """Return the small fixture's site with top-level keys replaced (raw HTML let through, as
    `notice check` does, to show that the banner escapes it)."""
    data = load_content(FIXTURE).site.model_dump(mode="json", exclude_none=True)
    data.update(changes)
    languages = [str(lang) for lang in data["languages"]]
    return Site.model_validate(data, context=model_context(languages, allow_html=True))


def run_config(site: Site, tmp_path: Path, accepted: list[str]) -> dict[str, Any]:
    """Run the generated config file in Node; return the options, run count and gtag calls."""
    if NODE is None:
        pytest.fail("node not found; run `make setup` (scripts/setup.sh installs npm and node)")
    script = tmp_path / "config.js"
    script.write_text(banner.config_js(site), encoding="utf-8")
    result = subprocess.run(
        [NODE, "-e", _RUN_CONFIG, str(script), json.dumps(accepted)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def cookie(name: str, category: str, **extra: Any) -> dict[str, Any]:
    """Return a declared cookie in the fixture's two languages."""
    text = {"fi": f"{name} fi", "en": f"{name} en"}
    return {
        "name": name,
        "provider": extra.pop("provider", "Esimerkki Oy"),
        "party": "first",
        "category": category,
        "purpose": extra.pop("purpose", text),
        "duration": extra.pop("duration", {"fi": "1 vuosi", "en": "1 year"}),
        **extra,
    }


def test_config_runs_the_library_once_with_the_declared_categories(tmp_path: Path) -> None:
    site = site_of(
        cookies=[
            cookie("site_consent", "necessary", duration={"fi": "6 kuukautta", "en": "6 months"}),
            cookie("_ga", "analytics", provider="Google Ireland Limited"),
            cookie("_ga_<container-id>", "analytics", provider="Google Ireland Limited"),
            cookie("lang_choice", "preferences"),
        ]
    )
    result = run_config(site, tmp_path, accepted=["necessary"])
    assert result["runs"] == 1
    options = result["options"]
    assert options["mode"] == "opt-in"
    assert list(options["categories"]) == ["necessary", "preferences", "analytics"]
    assert options["categories"]["necessary"] == {"enabled": True, "readOnly": True}
    analytics = options["categories"]["analytics"]
    assert analytics["enabled"] is False
    assert analytics["autoClear"]["cookies"] == [
        {"name": "_ga"},
        {"name": {"regex": "^_ga_.+$"}},
    ]
    assert set(analytics["services"]) == {"google-analytics"}
    assert analytics["services"]["google-analytics"]["cookies"] == analytics["autoClear"]["cookies"]
    assert options["categories"]["preferences"]["services"]["esimerkki-oy"]["label"] == (
        "Esimerkki Oy"
    )
    # The banner keeps its choice in the declared cookie, for no longer than declared.
    assert options["cookie"]["name"] == "site_consent"
    assert banner.options(site)["cookie"]["expiresAfterDays"] == 6 * MONTH // DAY
    # The generated file makes it a function: a refusal is kept for consent.refusal_days.
    assert options["cookie"]["expiresAfterDays"] == "function"
    assert options["onConsent"] == options["onChange"] == "function"


def test_consent_mode_update_follows_the_accepted_categories(tmp_path: Path) -> None:
    refused = run_config(site_of(), tmp_path, accepted=["necessary"])["gtagCalls"]
    granted = run_config(site_of(), tmp_path, accepted=["necessary", "analytics"])["gtagCalls"]
    assert [call[:2] for call in refused] == [["consent", "update"]]
    assert refused[0][2]["analytics_storage"] == "denied"
    assert granted[0][2]["analytics_storage"] == "granted"
    assert granted[0][2]["ad_storage"] == granted[0][2]["ad_user_data"] == "denied"


def test_every_language_gets_the_cookie_table_and_a_link_to_the_notice(tmp_path: Path) -> None:
    options = run_config(site_of(), tmp_path, accepted=[])["options"]
    translations = options["language"]["translations"]
    assert set(translations) == {"fi", "en"} and options["language"]["default"] == "fi"
    for lang, link in (("fi", "Lue evästeseloste"), ("en", "Read the cookie notice")):
        modal = translations[lang]["preferencesModal"]
        tables = {
            s["linkedCategory"]: s["cookieTable"] for s in modal["sections"] if "cookieTable" in s
        }
        assert set(tables) == {"necessary", "analytics"}
        names = [
            BeautifulSoup(row["name"], "lxml").get_text() for row in tables["analytics"]["body"]
        ]
        assert names == ["_ga", "_ga_ABC123XYZ"]
        assert tables["analytics"]["body"][0]["purpose"] == f"{_purpose('_ga', lang)}"
        footer = BeautifulSoup(translations[lang]["consentModal"]["footer"], "lxml").a
        assert footer.get_text() == link
        assert footer["href"] == f"https://example.fi/tietosuoja/{lang}/cookies/"
    assert translations["fi"]["consentModal"]["acceptAllBtn"] == "Hyväksy kaikki"
    assert translations["fi"]["consentModal"]["acceptNecessaryBtn"] == "Hylkää kaikki"


def _purpose(name: str, lang: str) -> str:
    site = load_content(FIXTURE).site
    return next(c.purpose[lang] for c in site.cookies if c.name == name)


def test_texts_from_content_are_escaped_and_names_made_real(tmp_path: Path) -> None:
    site = site_of(
        cookies=[
            cookie(
                "_ga_<container-id>",
                "analytics",
                provider='<img src=x onerror="alert(1)"> Οργανισμός & Ко',
                purpose={"fi": "Laskee *käynnit* 😀", "en": "Counts <b>visits</b> 😀"},
            )
        ]
    )
    options = run_config(site, tmp_path, accepted=[])["options"]
    section = next(
        s
        for s in options["language"]["translations"]["en"]["preferencesModal"]["sections"]
        if s.get("linkedCategory") == "analytics"
    )
    row = section["cookieTable"]["body"][0]
    assert BeautifulSoup(row["provider"], "lxml").find("img") is None
    assert BeautifulSoup(row["provider"], "lxml").get_text() == site.cookies[0].provider
    assert BeautifulSoup(row["purpose"], "lxml").find("b") is None
    # The measurement id G-ABC123XYZ names the session cookie; autoClear still matches any.
    assert BeautifulSoup(row["name"], "lxml").get_text() == "_ga_ABC123XYZ"
    fi_row = options["language"]["translations"]["fi"]["preferencesModal"]["sections"]
    assert any("<em>käynnit</em>" in str(s.get("cookieTable")) for s in fi_row)


def test_a_swedish_site_gets_swedish_banner_texts(tmp_path: Path) -> None:
    base = site_of().model_dump(mode="json", exclude_none=True)

    def sv(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"fi", "en"}:
            return {"sv": value["en"]}
        if isinstance(value, dict):
            return {key: sv(item) for key, item in value.items()}
        if isinstance(value, list):
            return [sv(item) for item in value]
        return value

    data = sv(base) | {"languages": ["sv"]}
    site = Site.model_validate(data, context=model_context(["sv"]))
    options = run_config(site, tmp_path, accepted=[])["options"]
    texts = options["language"]["translations"]["sv"]
    assert list(options["language"]["translations"]) == ["sv"]
    assert texts["consentModal"]["acceptAllBtn"] == "Godkänn alla"
    assert texts["preferencesModal"]["title"] == "Kakinställningar"


def test_revision_changes_with_the_cookie_notice_only() -> None:
    site = site_of()
    assert banner.revision(site) == banner.revision(site_of()) > 0
    longer = [c.model_dump(mode="json", exclude_none=True) for c in site.cookies]
    longer[1]["duration"] = {"fi": "3 vuotta", "en": "3 years"}
    assert banner.revision(site_of(cookies=longer)) != banner.revision(site)
    assert banner.revision(site_of(portal_url="https://other.example/")) == banner.revision(site)


@pytest.mark.parametrize(
    ("declared", "name", "expected"),
    [
        ("_ga", "_ga", True),
        ("_ga", "_ga_ABC", False),
        ("_ga_<container-id>", "_ga_ABC123", True),
        ("_ga_<container-id>", "_ga_", False),
        ("_hj*", "_hjSession_1", True),
        ("a.b", "axb", False),
    ],
)
def test_declared_names_match_real_ones(declared: str, name: str, expected: bool) -> None:
    assert banner.matches(declared, name) is expected


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2 years", 2 * 365 * DAY),
        ("2 vuotta", 2 * 365 * DAY),
        ("1 år", 365 * DAY),
        ("12 kuukautta", 12 * MONTH),
        ("6 månader", 6 * MONTH),
        ("24 hours", 24 * 3600),
        ("1 vuorokausi", DAY),
        ("2 vuorokautta", 2 * DAY),
        ("3 tunnin ajan", 3 * 3600),
        ("1 timme", 3600),
        ("90 sekuntia", 90),
        ("30 päivää", 30 * DAY),
        ("for the session", SESSION),
        ("istunnon ajan", SESSION),
        ("session or 30 minutes", 30 * 60),
        ("until you log out", None),
    ],
)
def test_declared_durations_are_read_in_every_language(text: str, seconds: int | None) -> None:
    assert parse_duration(text) == seconds


def test_snippet_gates_the_google_tag_and_has_no_inline_script() -> None:
    html = BeautifulSoup(banner.snippet(site_of()), "lxml")
    scripts = html.find_all("script")
    assert all(s.get("src") or s.get("data-src") for s in scripts)
    assert all(not s.get_text(strip=True) for s in scripts)
    sources = [s.get("src") or s.get("data-src") for s in scripts]
    mode = sources.index("https://example.fi/tietosuoja/static/js/consent-mode.js")
    google = [s for s in scripts if "googletagmanager" in (s.get("data-src") or "")]
    assert len(google) == 1 and sources.index(google[0]["data-src"]) > mode
    assert google[0]["data-src"].endswith("id=G-ABC123XYZ")
    for gated in html.find_all("script", attrs={"data-category": True}):
        assert gated["type"] == "text/plain" and gated["data-category"] == "analytics"
        assert gated.get("src") is None  # a data-src is fetched only after consent
    buttons = html.find_all("button", attrs={"data-cc": "show-preferencesModal"})
    assert [(b["lang"], b.get_text()) for b in buttons] == [
        ("fi", "Evästeasetukset"),
        ("en", "Cookie settings"),
    ]


def test_a_site_without_measurement_id_gets_no_google_tag() -> None:
    analytics = site_of().analytics
    assert analytics is not None
    without = analytics.model_dump(mode="json", exclude_none=True)
    del without["measurement_id"]
    site = site_of(analytics=without)
    assert "googletagmanager" not in banner.snippet(site)
    assert banner.GTAG_CONFIG_PATH not in banner.site_files(site)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("banner") / "site"
    build_site(FIXTURE, out, pdf=False, jobs=1)
    return out


def test_the_build_vendors_the_library_and_writes_the_configuration(built: Path) -> None:
    for target, source in banner.LIBRARY_FILES.items():
        assert (built / target).read_bytes() == (banner.LIBRARY_DIR / source).read_bytes()
    config = (built / banner.CONFIG_PATH).read_text(encoding="utf-8")
    assert f"{banner.LIBRARY} {banner.library_version()}" in config
    gtag = (built / banner.GTAG_CONFIG_PATH).read_text(encoding="utf-8")
    assert 'window.gtag("config", "G-ABC123XYZ")' in gtag
    assert (built / "static" / "js" / "consent-mode.js").is_file()


def test_the_library_version_is_pinned_exactly() -> None:
    package = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"] == {banner.LIBRARY: banner.library_version()}
    assert banner.library_version().startswith("3.")


def test_cookie_page_links_the_settings_page_that_runs_the_banner(built: Path) -> None:
    for lang, label in (("fi", "Evästeasetukset"), ("en", "Cookie settings")):
        cookies = BeautifulSoup((built / lang / "cookies" / "index.html").read_bytes(), "lxml")
        link = cookies.find("main").find("a", string=label)
        assert link is not None and link["href"] == "../cookie-settings/"
        page = BeautifulSoup((built / lang / "cookie-settings" / "index.html").read_bytes(), "lxml")
        assert page.h1.get_text() == label
        scripts = page.find_all("script")
        # Every script is a file of this site (CSP without 'unsafe-inline'), in the right order.
        assert all(not s.get_text(strip=True) for s in scripts)
        sources = [s.get("src") or s.get("data-src") for s in scripts]
        assert all(src.startswith("../../") for src in sources)
        assert sources.index("../../static/js/consent-mode.js") < sources.index(
            "../../consent/cookieconsent-config.js"
        )
        assert sources.index("../../consent/cookieconsent.umd.js") < sources.index(
            "../../consent/cookieconsent-config.js"
        )
        assert page.find(attrs={"style": True}) is None
        button = page.find("button", attrs={"data-cc": "show-preferencesModal"})
        assert button is not None and button["type"] == "button"


def test_every_page_runs_the_banner_the_notice_tells_of(built: Path) -> None:
    """The notice says a banner asks on the first visit (site.yaml `consent`): every page of the
    site runs it, not only the settings page (before, `make run` showed none on arrival). The
    banner's files of this site alone, in order, no inline script, no Google tag (these pages
    measure nothing), and a policy that allows just these and the portal's consent records."""
    assert asks_consent(load_content(FIXTURE).site)
    pages = [p for p in built.rglob("*.html") if p.parent.name != "cookie-settings"]
    assert len(pages) >= 8
    for html in pages:
        page = BeautifulSoup(html.read_bytes(), "lxml")
        scripts = page.find_all("script")
        assert all(not s.get_text(strip=True) and not s.get("data-src") for s in scripts), html
        names = [str(s["src"]).rsplit("/", 1)[-1] for s in scripts]
        assert names == ["consent-mode.js", "cookieconsent.umd.js", "cookieconsent-config.js"]
        assert [s.get("defer") is not None for s in scripts] == [False, True, True], html
        for script in scripts:
            # A file the build wrote, wherever the page is (404.html links from the root path).
            src = str(script["src"])
            target = (
                built / src.split("/tietosuoja/", 1)[1]
                if "/tietosuoja/" in src
                else (html.parent / src)
            )
            assert target.resolve().is_file(), (html, src)
        styles = [str(link["href"]) for link in page.find_all("link", rel="stylesheet")]
        assert [s.rsplit("/", 1)[-1] for s in styles][1:3] == ["cookieconsent.css", "consent.css"]
        policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert "script-src 'self'; connect-src https://" in policy, html
        assert "unsafe-inline" not in policy


def test_a_pdf_of_a_notice_runs_no_banner() -> None:
    content = load_content(FIXTURE)
    jobs = plan_pdfs(content, Renderer(content.site, root=content.root))
    assert jobs
    for job in jobs.values():
        assert "<script" not in job.html and "cookieconsent" not in job.html


def test_a_missing_library_stops_the_build_with_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(banner, "LIBRARY_DIR", tmp_path / "node_modules" / banner.LIBRARY)
    out = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["build", "--content", str(FIXTURE), "--out", str(out), "--no-pdf"]
    )
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "vanilla-cookieconsent is not installed" in result.output
    assert "npm ci --omit=dev" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_google_analytics_cookies_are_cleared_even_where_the_list_omits_them(
    tmp_path: Path,
) -> None:
    # A list with `_ga` only (notice check warns: E23-ga4-session-cookie); GA4 also sets
    # `_ga_<id>`, which the analytics section names.
    listed = load_content(FIXTURE).site.model_dump(mode="json", exclude_none=True)["cookies"]
    ga_only = [cookie for cookie in listed if not cookie["name"].startswith("_ga_")]
    options = run_config(site_of(cookies=ga_only), tmp_path, accepted=[])["options"]
    assert options["categories"]["analytics"]["autoClear"]["cookies"] == [
        {"name": "_ga"},
        {"name": {"regex": "^_ga_.+$"}},
    ]
    # With no analytics cookie listed at all, declared Google Analytics still gets its category.
    necessary_only = [c for c in site_of().cookies if c.category == "necessary"]
    bare = site_of(cookies=[c.model_dump(mode="json", exclude_none=True) for c in necessary_only])
    categories = run_config(bare, tmp_path, accepted=[])["options"]["categories"]
    assert list(categories) == ["necessary", "analytics"]
    assert categories["analytics"]["autoClear"]["cookies"][0] == {"name": "_ga"}


def test_consent_json_names_the_banner_and_its_revision(built: Path, tmp_path: Path) -> None:
    described = json.loads((built / "consent.json").read_text(encoding="utf-8"))["banner"]
    site = load_content(FIXTURE).site
    options = run_config(site, tmp_path, accepted=[])["options"]
    assert described["revision"] == options["revision"]
    assert described["cookie"] == options["cookie"]["name"] == "cc_cookie"
    assert (built / described["config"]).is_file() and (built / described["snippet"]).is_file()


def test_every_page_has_the_cookie_settings_link_the_notice_promises(built: Path) -> None:
    for html in built.rglob("*.html"):
        footer = BeautifulSoup(html.read_bytes(), "lxml").find("footer")
        if footer is None:  # the root language chooser has no site footer
            continue
        here = "http://site/" + html.relative_to(built).as_posix()
        links = [
            a
            for a in footer.find_all("a")
            if urljoin(here, a["href"]).endswith("/cookie-settings/")
        ]
        assert [a.get_text() for a in links] in (["Evästeasetukset"], ["Cookie settings"]), html


def test_a_site_with_necessary_cookies_only_offers_no_settings(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    data = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    data["cookies"] = [c for c in data["cookies"] if c["category"] == "necessary"]
    del data["analytics"]
    (content / "site.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for register in (content / "registers").glob("*.yaml"):
        text = register.read_text(encoding="utf-8")
        register.write_text(text.replace("website: true", "website: false"), encoding="utf-8")
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    page = BeautifulSoup((out / "en" / "cookies" / "index.html").read_bytes(), "lxml")
    assert not [a for a in page.find_all("a") if "cookie-settings" in a["href"]]


def test_the_receipt_text_links_the_portals_verify_page(built: Path) -> None:
    said = {  # the fixture's languages
        "fi": "Tarkista kuittaus pyyntöpalvelumme kuittausten tarkistussivulla",
        "en": "Check the receipt on the portal's verify page",
    }
    for lang, text in said.items():
        page = BeautifulSoup((built / lang / "cookie-settings" / "index.html").read_bytes(), "lxml")
        ready = page.find(attrs={"data-receipt": "ready"})
        link = ready.find("a", string=text)
        assert link is not None, ready
        assert link["href"] == f"https://pyynnot.example.fi/{lang}/verify"
