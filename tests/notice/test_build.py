"""`notice build`: the output layout, incremental rebuilds, refusals, the checks hook, the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from notice.build import BuildError, ChecksFailed, build_site, is_error
from notice.checks import Finding, Severity
from notice.cli import main
from notice.loader import ContentError
from notice.pdf import PdfError
from notice.serve import make_server
from tests import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"

LAYOUT = {
    "index.html",
    "fi/index.html",
    "en/index.html",
    "fi/cookies/index.html",
    "en/cookies/index.html",
    "fi/asiakasrekisteri/index.html",
    "fi/asiakasrekisteri/history/index.html",
    "en/customer-register/index.html",
    "en/customer-register/history/index.html",
    "fi/uutiskirje/index.html",
    "fi/uutiskirje/history/index.html",
    "en/newsletter/index.html",
    "en/newsletter/history/index.html",
    "registers.json",
    "registers/asiakasrekisteri.json",
    "registers/uutiskirje.json",
    "registers/asiakasrekisteri.jsonld",
    "registers/uutiskirje.jsonld",
    "sitemap.xml",
    "consent.json",
}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the fixture content that a test may edit."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "content"))


def files(out: Path) -> set[str]:
    """Every file in the output folder (the build's cache and manifest are kept elsewhere)."""
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_build_writes_the_documented_layout(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    report = build_site(content, out, pdf=False, jobs=1)
    built = files(out)
    assert LAYOUT <= built
    assert {"static/css/notice.css", "static/css/print.css", "static/fonts/OFL.txt"} <= built
    assert "static/fonts/NotoSans-Regular.woff2" in built
    # Nothing but the site: no hidden files, only the well-known GPC statement.
    assert [path for path in built if path.startswith(".")] == [".well-known/gpc.json"]
    pages = built
    assert set(report.written) == pages
    assert report.line().startswith(f"{out}: {len(pages)} files written, 0 unchanged")


def test_exports_are_the_validated_model(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    register = json.loads((out / "registers" / "asiakasrekisteri.json").read_text("utf-8"))
    assert register["id"] == "asiakasrekisteri"
    assert register["slug"] == {"fi": "asiakasrekisteri", "en": "customer-register"}
    assert register["purposes"][0]["legal_basis"] == "contract"
    index = json.loads((out / "registers.json").read_text("utf-8"))
    assert [r["id"] for r in index["registers"]] == ["asiakasrekisteri", "uutiskirje"]
    assert index["registers"][0]["pages"]["en"] == (
        "https://example.fi/tietosuoja/en/customer-register/"
    )
    assert "pdf" not in index["registers"][0]


def test_json_ld_describes_the_register_in_dpv_terms(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    node = json.loads((out / "registers" / "asiakasrekisteri.jsonld").read_text("utf-8"))
    assert node["@context"]["dpv"] == "https://w3id.org/dpv#"
    assert node["@id"] == "https://example.fi/tietosuoja/registers/asiakasrekisteri.jsonld"
    assert node["@type"] == "dpv:Process"
    bases = [p["dpv:hasLegalBasis"]["@id"] for p in node["dpv:hasPurpose"]]
    assert bases == ["eu-gdpr:A6-1-b", "eu-gdpr:A6-1-f", "eu-gdpr:A6-1-a"]
    controller = node["dpv:hasDataController"]
    assert controller["dpv:hasAddress"] == "Åkerlundinkatu 1, 00100 Helsinki"
    # The processor, and Google LLC from the transfer list (a recipient in a third country).
    assert {r["@type"] for r in node["dpv:hasRecipient"]} == {"dpv:DataProcessor", "dpv:Recipient"}
    titles = {t["@language"]: t["@value"] for t in node["dct:title"]}
    assert titles == {"fi": "Asiakasrekisteri", "en": "Customer register"}
    index = json.loads((out / "registers.json").read_text("utf-8"))
    assert index["registers"][0]["jsonld"] == node["@id"]


def test_consent_configuration_comes_from_the_cookie_list(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    config = json.loads((out / "consent.json").read_text("utf-8"))
    names = {
        category: [cookie["name"] for cookie in entry["cookies"]]
        for category, entry in config["categories"].items()
    }
    assert names == {
        "necessary": ["session"],
        "preferences": [],
        "analytics": ["_ga", "_ga_ABC123XYZ"],
        "marketing": [],
    }
    required = {c: entry["consent_required"] for c, entry in config["categories"].items()}
    assert required == {
        "necessary": False,
        "preferences": True,
        "analytics": True,
        "marketing": True,
    }
    assert config["settings_url"] == "https://example.fi/evasteasetukset"


def test_sitemap_lists_every_page_with_alternates(content: Path, tmp_path: Path) -> None:
    from lxml import etree

    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    tree = etree.parse(str(out / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    expected = {
        "https://example.fi/tietosuoja/" + path.removesuffix("index.html")
        for path in LAYOUT
        if path.endswith(".html")
    }
    assert set(locs) == expected
    register = tree.xpath(
        "s:url[s:loc='https://example.fi/tietosuoja/fi/uutiskirje/']", namespaces=ns
    )[0]
    assert register.findtext("s:lastmod", namespaces=ns) == "2025-08-01"
    assert {link.get("hreflang") for link in register.findall("x:link", ns)} == {
        "fi",
        "en",
        "x-default",
    }


def test_a_second_build_writes_nothing(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    before = {p: (out / p).stat().st_mtime_ns for p in files(out)}
    report = build_site(content, out, pdf=False, jobs=1)
    assert report.written == [] and report.removed == []
    assert report.unchanged == len(before)
    assert {p: (out / p).stat().st_mtime_ns for p in files(out)} == before


def test_changing_one_register_rebuilds_only_its_pages(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    edit(
        content / "registers" / "uutiskirje.yaml",
        "For as long as the subscription lasts.",
        "Until you unsubscribe.",
    )
    report = build_site(content, out, pdf=False, jobs=1)
    # Only its files are made again; of those, only the ones whose bytes changed are rewritten:
    # the edit is in the English retention text, which the history pages do not show.
    assert report.written == [
        "en/newsletter/index.html",
        "registers/uutiskirje.json",
        "registers/uutiskirje.jsonld",
    ]
    assert report.unchanged == len(files(out)) - len(report.written)
    assert "Until you unsubscribe." in (out / "en/newsletter/index.html").read_text("utf-8")


def test_a_template_change_rebuilds_every_page(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    monkeypatch.setattr("notice.build.code_fingerprint", lambda: "another version")
    report = build_site(content, out, pdf=False, jobs=1)
    # Every page is made again; the same bytes are not written again.
    assert LAYOUT <= set(report.rendered)
    assert report.written == []


def test_a_removed_register_leaves_no_stale_files(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    (out / "notes.txt").write_text("not ours", encoding="utf-8")
    (content / "registers" / "uutiskirje.yaml").unlink()
    report = build_site(content, out, pdf=False, jobs=1)
    assert report.removed == [
        "en/newsletter/history/index.html",
        "en/newsletter/index.html",
        "fi/uutiskirje/history/index.html",
        "fi/uutiskirje/index.html",
        "registers/uutiskirje.json",
        "registers/uutiskirje.jsonld",
    ]
    assert not (out / "fi" / "uutiskirje").exists()
    assert (out / "notes.txt").exists(), "a file the build did not write is kept"
    assert "uutiskirje" not in (out / "fi" / "index.html").read_text("utf-8")


def test_a_changed_slug_moves_the_page(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    edit(content / "registers" / "uutiskirje.yaml", "en: newsletter\n", "en: news\n")
    report = build_site(content, out, pdf=False, jobs=1)
    assert "en/newsletter/index.html" in report.removed
    assert "en/news/index.html" in report.written
    assert not (out / "en" / "newsletter").exists()


@pytest.mark.parametrize("where", ["content", "parent", "repository", "inside content"])
def test_unsafe_output_folders_are_refused(content: Path, tmp_path: Path, where: str) -> None:
    out = {
        "content": content,
        "parent": tmp_path,
        "repository": REPO_ROOT,
        "inside content": content / "site",
    }[where]
    before = files(tmp_path)
    with pytest.raises(BuildError, match="choose another --out|lies inside"):
        build_site(content, out, pdf=False, jobs=1)
    assert files(tmp_path) == before


def test_an_output_inside_the_sources_is_refused(content: Path) -> None:
    with pytest.raises(BuildError, match="lies inside the sources"):
        build_site(content, REPO_ROOT / "templates" / "notice" / "site", pdf=False, jobs=1)
    assert not (REPO_ROOT / "templates" / "notice" / "site").exists()


def test_an_output_that_is_a_file_is_refused(content: Path, tmp_path: Path) -> None:
    (tmp_path / "site").write_text("x", encoding="utf-8")
    with pytest.raises(BuildError, match="exists and is not a folder"):
        build_site(content, tmp_path / "site", pdf=False, jobs=1)


def test_invalid_content_writes_nothing(content: Path, tmp_path: Path) -> None:
    edit(content / "registers" / "uutiskirje.yaml", "legal_basis: consent", "legal_basis: whim")
    with pytest.raises(ContentError) as caught:
        build_site(content, tmp_path / "site", pdf=False, jobs=1)
    assert "uutiskirje.yaml:" in str(caught.value)
    assert not (tmp_path / "site").exists()


def test_a_failing_pdf_leaves_the_previous_site_untouched(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    before = {p: (out / p).read_bytes() for p in files(out)}
    edit(content / "registers" / "uutiskirje.yaml", "Sending the newsletter.", "Newsletters.")

    def broken(jobs: list[object], workers: int) -> list[bytes]:
        raise PdfError("PDF must embed only Seloste Noto Sans; it embeds: DejaVu-Sans")

    monkeypatch.setattr("notice.build.render_pdfs", broken)
    with pytest.raises(PdfError):
        build_site(content, out, pdf=True, jobs=1)
    assert {p: (out / p).read_bytes() for p in files(out)} == before


def test_colliding_slugs_are_content_errors(content: Path, tmp_path: Path) -> None:
    edit(content / "registers" / "uutiskirje.yaml", "en: newsletter\n", "en: customer-register\n")
    edit(content / "registers" / "asiakasrekisteri.yaml", "fi: asiakasrekisteri\n", "fi: cookies\n")
    with pytest.raises(ContentError) as caught:
        build_site(content, tmp_path / "site", pdf=False, jobs=1)
    messages = [(e.key, e.message) for e in caught.value.errors]
    assert ("slug.fi", "'cookies' is reserved") in messages
    assert ("slug.en", "slug 'customer-register' is also used by register 'asiakasrekisteri'") in (
        messages
    )


@dataclass(frozen=True)
class FakeFinding:
    severity: str
    message: str


def _finding(severity: str, message: str) -> Finding:
    """Return a real finding on site.yaml, as a rule would report it."""
    text = {"en": message, "fi": message}
    return Finding(
        "test-rule", Severity(severity), "site", (), Path("site.yaml"), 1, None, text, text
    )


@pytest.fixture
def extra_findings(monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """Findings to add to what the real checks report on the site (empty: add none)."""
    import notice.checks

    added: list[Finding] = []
    real = notice.checks.run_checks

    def run_checks(content: Any, **kwargs: Any) -> list[Finding]:
        return [*real(content, **kwargs), *added]

    monkeypatch.setattr(notice.checks, "run_checks", run_checks)
    return added


def test_check_errors_stop_the_build_unless_allowed(
    content: Path, tmp_path: Path, extra_findings: list[Finding]
) -> None:
    extra_findings += [_finding("error", "no basis"), _finding("warning", "vague")]
    out = tmp_path / "site"
    with pytest.raises(ChecksFailed) as caught:
        build_site(content, out, pdf=False, jobs=1)
    assert [finding.message["en"] for finding in caught.value.findings] == ["no basis"]
    assert not out.exists()
    build_site(content, out, pdf=False, jobs=1, allow_errors=True)
    assert (out / "index.html").exists()


def test_warnings_do_not_stop_the_build(
    content: Path, tmp_path: Path, extra_findings: list[Finding]
) -> None:
    extra_findings.append(_finding("info", "x"))
    report = build_site(content, tmp_path / "site", pdf=False, jobs=1)
    assert report.written


def test_severity_may_be_an_enum() -> None:
    assert is_error(FakeFinding(Severity.error, "x"))  # type: ignore[arg-type]
    assert not is_error(FakeFinding(Severity.warning, "x"))  # type: ignore[arg-type]


def test_the_real_checks_run_by_default(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []
    import notice.checks

    real = notice.checks.run_checks
    monkeypatch.setattr(notice.checks, "run_checks", lambda c: seen.append(c) or real(c))
    build_site(content, tmp_path / "site", pdf=False, jobs=1)
    assert len(seen) == 1


# --- command line -------------------------------------------------------------------------------


def test_cli_build_reports_one_line_and_says_it_published_warnings(
    content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    args = ["build", "--content", str(content), "--out", str(out), "--no-pdf"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1
    assert "files written" in result.stdout
    # The content's two warnings (no business id, no postal address) are published, and said so.
    assert result.stderr == "the checks found 2 warnings; `notice check` lists them\n"
    again = CliRunner().invoke(main, args)
    assert f"{out}: 0 files written, " in again.output


def test_cli_build_with_allow_errors_counts_each_severity_apart(tmp_path: Path) -> None:
    # Info findings were counted as warnings ("N warning(s)"), and one of each read "1 error(s)".
    from collections import Counter

    from notice.checking import load_and_check

    original = REPO_ROOT / "tests" / "fixtures" / "seed-original"
    args = ["build", "--content", str(original), "--out", str(tmp_path / "site"), "--no-pdf"]
    result = CliRunner().invoke(main, [*args, "--allow-errors"])
    assert result.exit_code == 0, result.output
    _content, findings = load_and_check(original)
    by = Counter(finding.severity.value for finding in findings)
    assert by["error"] > 1 and by["warning"] > 1 and by["info"] > 1  # the fixture has each
    assert result.stderr == (
        f"the checks found {by['error']} errors, {by['warning']} warnings and {by['info']} info; "
        "`notice check` lists them\n"
    )


def test_cli_build_content_error_exits_1_without_traceback(content: Path, tmp_path: Path) -> None:
    edit(content / "site.yaml", "party: first\n", "party: fourth\n")
    result = CliRunner().invoke(
        main, ["build", "--content", str(content), "--out", str(tmp_path / "o"), "--no-pdf"]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "site.yaml:" in result.output and "cookies.0.party" in result.output


def test_cli_build_refuses_an_unsafe_output(content: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(content)])
    assert result.exit_code == 1
    assert "overlaps the content folder" in result.output
    assert "nothing was written" in result.output


def test_cli_build_prints_check_errors(
    content: Path, tmp_path: Path, extra_findings: list[Finding]
) -> None:
    extra_findings.append(_finding("error", "purpose has no basis"))
    args = ["build", "--content", str(content), "--out", str(tmp_path / "o"), "--no-pdf"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "site.yaml:1: ERROR test-rule: purpose has no basis" in result.output
    assert "--allow-errors" in result.output
    allowed = CliRunner().invoke(main, [*args, "--allow-errors"])
    assert allowed.exit_code == 0, allowed.output


def test_build_script_is_notice_build(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "build.py", "--content", str(content), "--out", str(out), "--no-pdf"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{out}: ")
    assert LAYOUT <= files(out)


# --- serve --------------------------------------------------------------------------------------


@pytest.fixture
def served(content: Path, tmp_path: Path) -> Iterator[str]:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    (out / "sample.pdf").write_bytes(b"%PDF-1.7\n")
    server = make_server(out, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("", "text/html; charset=utf-8"),
        ("fi/asiakasrekisteri/", "text/html; charset=utf-8"),
        ("registers.json", "application/json"),
        ("registers/uutiskirje.jsonld", "application/ld+json"),
        ("sitemap.xml", "application/xml"),
        ("sample.pdf", "application/pdf"),
        ("static/css/notice.css", "text/css; charset=utf-8"),
        ("static/fonts/NotoSans-Regular.woff2", "font/woff2"),
    ],
)
def test_serve_answers_with_the_right_content_type(
    served: str, path: str, content_type: str
) -> None:
    with urllib.request.urlopen(served + path) as response:  # noqa: S310 - our loopback server
        assert response.status == 200
        assert response.headers["Content-Type"] == content_type


def test_cli_serve_serves_until_interrupted(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build_site(content, out, pdf=False, jobs=1)
    servers = []

    def interrupted(out_dir: Path, port: int) -> object:
        server = make_server(out_dir, 0)
        servers.append((out_dir, port, server))

        def serve_forever() -> None:
            raise KeyboardInterrupt

        server.serve_forever = serve_forever  # type: ignore[method-assign]
        return server

    monkeypatch.setattr("notice.serve.make_server", interrupted)
    result = CliRunner().invoke(main, ["serve", "--out", str(out), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Serving {out} at http://127.0.0.1:")
    assert [(o, p) for o, p, _ in servers] == [(out, 8123)]
    assert servers[0][2].socket.fileno() == -1, "the socket is closed"


def test_serve_binds_loopback_only(tmp_path: Path) -> None:
    server = make_server(tmp_path, 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()
