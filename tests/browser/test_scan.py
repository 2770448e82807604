"""`notice scan` against a local site with the real banner, and a second local "third-party" host.

The site is the small fixture built with a changed cookie list, plus a shop page that does what
real sites get wrong: a script stores a marketing cookie, an undeclared cookie and a local-storage
item before consent, the server sets a "session" cookie that lasts three days, and an image comes
from another host (127.0.0.2). Analytics cookies come from a script gated by the banner. Every
finding must name its site.yaml line.
"""

from __future__ import annotations

import json
import mimetypes
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from werkzeug.serving import make_server

from notice.build import build_site
from tests import REPO_ROOT

pytestmark = pytest.mark.browser

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "small"

COOKIES = [
    ("cc_cookie", "necessary", {"fi": "6 kuukautta", "en": "6 months"}),
    ("server_session", "necessary", {"fi": "istunnon ajan", "en": "for the session"}),
    ("_ga", "analytics", {"fi": "2 vuotta", "en": "2 years"}),
    ("_ga_<container-id>", "analytics", {"fi": "2 vuotta", "en": "2 years"}),
    ("ad_id", "marketing", {"fi": "1 vuosi", "en": "1 year"}),
    ("unused_pref", "preferences", {"fi": "1 vuosi", "en": "1 year"}),
]

EARLY_JS = """\
document.cookie = "ad_id=42; max-age=86400; path=/";
document.cookie = "js_pref=dark; max-age=3600; path=/";
localStorage.setItem("ls_key", "Ωmega 😀");
"""
ANALYTICS_JS = """\
document.cookie = "_ga=GA1.1.1.1; max-age=34560000; path=/";
document.cookie = "_ga_ABC123XYZ=GS1.1.1; max-age=34560000; path=/";
"""
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def shop_page(third_party: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<link rel="stylesheet" href="/consent/cookieconsent.css">
<script src="/static/js/consent-mode.js"></script>
<script src="/shop/early.js"></script>
<script type="text/plain" data-category="analytics" data-src="/shop/analytics.js"></script>
<script defer src="/consent/cookieconsent.umd.js"></script>
<script defer src="/consent/cookieconsent-config.js"></script>
</head><body><h1>Shop</h1><img src="{third_party}pixel.gif" alt=""></body></html>
"""


PLAIN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Plain</title></head>
<body><h1>A page without the snippet</h1></body></html>
"""


def _files(root: Path, extra_headers: dict[str, list[tuple[str, str]]]) -> Callable[..., Any]:
    """Serve `root` as a WSGI app, adding headers to some paths."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        path = environ["PATH_INFO"]
        target = root / path.lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or not target.resolve().is_relative_to(root.resolve()):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        start_response("200 OK", [("Content-Type", kind), *extra_headers.get(path, [])])
        return [target.read_bytes()]

    return app


class _Server:
    def __init__(self, host: str, app: Callable[..., Any]) -> None:
        self.server = make_server(host, 0, app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """Return (content folder, shop URL, third-party base URL) of the local test site."""
    tmp = tmp_path_factory.mktemp("scan")
    content = tmp / "content"
    shutil.copytree(FIXTURE, content)
    data = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    data["cookies"] = [
        {
            "name": name,
            "provider": "Esimerkki Oy",
            "party": "first",
            "category": category,
            "purpose": {"fi": f"{name} tarkoitus", "en": f"{name} purpose"},
            "duration": duration,
        }
        for name, category, duration in COOKIES
    ]
    (content / "site.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    site = tmp / "site"
    build_site(content, site, pdf=False, jobs=1)
    third = tmp / "third-party"
    third.mkdir()
    (third / "pixel.gif").write_bytes(PIXEL)
    with _Server("127.0.0.2", _files(third, {})) as third_url:
        (site / "shop").mkdir()
        (site / "shop" / "index.html").write_text(shop_page(third_url), encoding="utf-8")
        (site / "shop" / "early.js").write_text(EARLY_JS, encoding="utf-8")
        (site / "shop" / "analytics.js").write_text(ANALYTICS_JS, encoding="utf-8")
        # A page of the website where the owner forgot to paste the snippet.
        (site / "shop" / "plain").mkdir()
        (site / "shop" / "plain" / "index.html").write_text(PLAIN_PAGE, encoding="utf-8")
        headers = {"/shop/": [("Set-Cookie", "server_session=s1; Max-Age=259200; Path=/")]}
        with _Server("127.0.0.1", _files(site, headers)) as base:
            yield content, base + "shop/", third_url.removeprefix("http://").rstrip("/")


def run_scan(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "notice.cli", "scan", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, check=False)


def line_of(site_yaml: Path, name: str, key: str) -> int:
    """Return the line of `key` in the cookie entry named `name` (1-based)."""
    lines = site_yaml.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- name: {name}")
    if key == "name":
        return start + 1
    return next(i for i in range(start + 1, len(lines)) if lines[i].strip().startswith(key)) + 1


def test_scan_reports_each_mismatch_at_its_site_yaml_line(shop: tuple[Path, str, str]) -> None:
    content, url, third_party = shop
    result = run_scan("--content", str(content), "--format", "json", url)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    site_yaml = content / "site.yaml"
    cookies_line = next(
        i + 1
        for i, line in enumerate(site_yaml.read_text(encoding="utf-8").splitlines())
        if line.startswith("cookies:")
    )
    found = {
        (f["rule_id"], f["line"], f["message"]["en"].split(" (")[0]) for f in report["findings"]
    }
    expected = {
        ("scan-undeclared", cookies_line, "cookie js_pref is stored"),
        ("scan-undeclared", cookies_line, "local storage item ls_key is stored"),
        ("scan-before-consent", line_of(site_yaml, "ad_id", "category"), "cookie ad_id"),
        ("scan-duration", line_of(site_yaml, "server_session", "duration"), ""),
        ("scan-not-seen", line_of(site_yaml, "unused_pref", "name"), ""),
        ("scan-third-party-host", cookies_line, f"{third_party} is contacted before consent"),
    }
    for rule, line, start in expected:
        matching = [f for f in found if f[0] == rule and f[1] == line and f[2].startswith(start)]
        assert matching, f"no {rule} at line {line} starting {start!r} in {sorted(found)}"
    rules = sorted(f["rule_id"] for f in report["findings"])
    # ad_id is stored before consent and again after rejecting; nothing else is reported.
    assert rules == sorted(
        [
            "scan-undeclared",
            "scan-undeclared",
            "scan-before-consent",
            "scan-before-consent",
            "scan-duration",
            "scan-not-seen",
            "scan-third-party-host",
        ]
    ), report["findings"]
    phases = {
        f["message"]["en"] for f in report["findings"] if f["rule_id"] == "scan-before-consent"
    }
    assert any("before consent" in m for m in phases) and any(
        "after rejecting" in m for m in phases
    )
    duration = next(f for f in report["findings"] if f["rule_id"] == "scan-duration")
    assert "3 d" in duration["message"]["en"] and "for the session" in duration["message"]["en"]
    assert report["summary"]["error"] == 6 and report["summary"]["warning"] == 1


def test_scan_text_output_is_linter_lines(shop: tuple[Path, str, str]) -> None:
    content, url, _ = shop
    result = run_scan("--content", str(content), "--lang", "fi", url)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "scan-" in line]
    assert len(lines) == 7
    for line in lines:
        location, severity, _ = line.split(": ", 2)
        path, number = location.rsplit(":", 1)
        assert path.endswith("site.yaml") and number.isdigit()
        assert severity.split()[0] in {"ERROR", "WARNING"}
    assert any("ennen suostumusta" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_a_clean_page_passes(shop: tuple[Path, str, str], tmp_path: Path) -> None:
    """The cookie settings page of the same site stores only declared cookies, at the right time."""
    content, url, _ = shop
    settings = url.replace("shop/", "en/cookie-settings/")
    # Declared-but-unseen cookies only warn; no error means exit 0.
    result = run_scan("--content", str(content), settings)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR" not in result.stdout
    assert "scan-not-seen" in result.stdout


def test_scan_says_what_to_install_without_chromium(shop: tuple[Path, str, str]) -> None:
    content, url, _ = shop
    result = run_scan("--content", str(content), "--chromium", "/nonexistent/chromium", url)
    assert result.returncode == 2
    assert result.stderr == (
        "error: `notice scan` needs Chromium at /nonexistent/chromium; run `make setup-test` "
        "(Playwright and Debian's chromium) and scan again\n"
    )


def test_a_page_without_the_banner_is_reported(shop: tuple[Path, str, str]) -> None:
    content, url, _ = shop
    plain = url + "plain/"  # a page of the website without the snippet: no banner
    result = run_scan("--content", str(content), "--format", "json", plain)
    report = json.loads(result.stdout)
    no_banner = [f for f in report["findings"] if f["rule_id"] == "scan-no-banner"]
    assert [f["message"]["en"].split(",")[0] for f in no_banner] == [
        f"no consent banner answered on {plain}"
    ]
    assert no_banner[0]["severity"] == "warning" and result.returncode == 0


def test_the_notice_pages_answer_with_the_banner_they_tell_of(
    shop: tuple[Path, str, str],
) -> None:
    """The notice says a banner asks on the first visit: its own pages run it (they did not, and
    the scan reported each of them as a page without the banner)."""
    content, url, _ = shop
    pages = [url.replace("shop/", path) for path in ("en/", "en/cookies/", "fi/")]
    result = run_scan("--content", str(content), "--format", "json", *pages)
    report = json.loads(result.stdout)
    assert [f for f in report["findings"] if f["rule_id"] == "scan-no-banner"] == []


def test_an_unreachable_page_is_a_clear_error(shop: tuple[Path, str, str]) -> None:
    content, _, _ = shop
    with _Server("127.0.0.1", _files(content, {})) as url:
        pass  # the port is free again once the server has stopped
    result = run_scan("--content", str(content), url)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "ERR_CONNECTION_REFUSED" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
