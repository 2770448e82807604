"""Serve a built notice site on 127.0.0.1 with the standard library, for previews and `make run`.

Only the loopback interface is bound: this is a preview server, not a production web server (any
static host or CDN serves `site/` in production). Like such a host it answers an unknown address
with the site's `404.html`, and it serves the site at base_url's path too (`/tietosuoja/…`), where
that page's root-relative links point. With `notice serve --watch` a `Watcher` polls the
content folder and rebuilds incrementally on every save, so a reload shows the edit. What the
author must see goes into the served pages too, not only to the terminal: while the content does
not load, every page is an error page listing `file:line: key: message`; once it loads, each page
carries the checker's summary and findings on top. Both are the preview's only (the built files
stay as they are) and go away on the reload after the fix.
"""

from __future__ import annotations

import html
import io
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from notice.checks.report import counted
from notice.paths import not_found_page

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".txt": "text/plain; charset=utf-8",
    ".pem": "application/x-pem-file",  # receipt-key.pem: a public key, not a certificate chain
}


@dataclass(frozen=True)
class Problems:
    """What the last build of a watched site found, for the preview pages to show."""

    errors: list[str] = field(default_factory=list)
    """Why the content did not build (`file:line: key: message`); the last good site stays."""
    findings: list[str] = field(default_factory=list)
    """The checker's findings as linter lines (the site was built anyway)."""
    summary: str = ""
    """The checker's summary line, e.g. `1 warning; checked site.yaml and 3 registers`."""


class SiteHandler(SimpleHTTPRequestHandler):
    """Serve files with the site's content types and without logging every request to stderr.

    With `problems` (a watched preview), HTML pages show them: an error page while the content
    does not build, the checker's findings on top of each page otherwise.
    """

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def __init__(
        self,
        *args: Any,
        problems: Callable[[], Problems] | None = None,
        site_path: str = "/",
        **kwargs: Any,
    ) -> None:
        self.problems = problems  # set first: the base class handles the request in __init__
        self.site_path = site_path
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        """Serve the site at `/` and at its own path (base_url's), which the 404 page links to."""
        if self.site_path != "/" and path.startswith(self.site_path):
            path = "/" + path.removeprefix(self.site_path)
        return super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer an unknown address with the site's own 404 page (the language's under /<lang>/),
        as its web server would."""
        path = urlsplit(self.path).path
        if self.site_path != "/" and path.startswith(self.site_path):
            path = "/" + path.removeprefix(self.site_path)
        page = not_found_page(Path(self.directory), path)
        if code != 404 or self.command not in {"GET", "HEAD"} or page is None:
            super().send_error(code, message, explain)
            return
        body = (Path(self.directory) / page).read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def end_headers(self) -> None:
        """Ask browsers to revalidate every time: a preview changes under them."""
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self) -> Any:
        """Send the headers of a page showing the watcher's problems, or of the file as it is."""
        shown = self._page_with_problems()
        if shown is None:
            return super().send_head()
        status, body = shown
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _page_with_problems(self) -> tuple[int, bytes] | None:
        if self.problems is None:
            return None
        path = urlsplit(self.path).path
        if not (path.endswith("/") or path.endswith(".html")):
            return None  # stylesheets, fonts, PDFs, JSON are served as they are
        problems = self.problems()
        if problems.errors:
            return 500, error_page(problems).encode("utf-8")
        if not problems.findings:
            return None
        file = Path(self.translate_path(self.path))
        file = file / "index.html" if file.is_dir() else file
        if not file.is_file():
            return None
        return 200, with_findings(file.read_text(encoding="utf-8"), problems).encode("utf-8")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Stay quiet: a preview needs no access log."""


def error_page(problems: Problems) -> str:
    """Return the page served instead of every notice page while the content does not build."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>\n" for line in problems.errors)
    count = len(problems.errors)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{counted(count, 'error')} in content – notice serve</title>\n</head>\n<body>\n"
        f"<main>\n<h1>{counted(count, 'error')} in content: the site was not rebuilt</h1>\n"
        "<p>Fix them and save; the next reload shows the notice again.</p>\n"
        f"<ul>\n{items}</ul>\n</main>\n</body>\n</html>\n"
    )


def with_findings(page: str, problems: Problems) -> str:
    """Return `page` with the checker's summary and findings at the top of its body."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>\n" for line in problems.findings)
    banner = (
        '<details class="preview-checks" lang="en" open>\n'
        f"<summary><strong>notice check: {html.escape(problems.summary)}</strong> "
        "(this preview only; the built site has no such list)</summary>\n"
        f"<ul>\n{items}</ul>\n</details>\n"
    )
    head, tag, rest = page.partition("<body")
    if not tag:
        return banner + page
    opening, _, body = rest.partition(">")
    return f"{head}<body{opening}>\n{banner}{body}"


def make_server(
    out_dir: Path | str, port: int = 8000, problems: Callable[[], Problems] | None = None
) -> ThreadingHTTPServer:
    """Return an HTTP server for `out_dir` bound to 127.0.0.1:`port` (0 picks a free port).

    `problems` (a watcher's) puts content errors and check findings into the served pages.
    """
    out = Path(out_dir).resolve()
    handler = partial(
        SiteHandler, directory=str(out), problems=problems, site_path=built_site_path(out)
    )
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


_SITEMAP_ROOT = re.compile(r"<loc>([^<]+)</loc>")


def built_site_path(out_dir: Path) -> str:
    """Return the path of base_url on its host for a built site (its sitemap's first address),
    `/` when there is none yet."""
    try:
        found = _SITEMAP_ROOT.search((out_dir / "sitemap.xml").read_text(encoding="utf-8"))
    except OSError:
        return "/"
    path = urlsplit(html.unescape(found.group(1))).path if found else "/"
    return path if path.endswith("/") else path + "/"


Snapshot = dict[Path, tuple[int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Return the modification time and size of every YAML file under `folder`."""
    found: Snapshot = {}
    for path in folder.rglob("*.yaml"):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed between listing and reading
            continue
        found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


@dataclass
class Watcher:
    """Rebuild `out_dir` from `content_dir` whenever a content file changes.

    Errors never stop the preview: invalid content is reported and the last good site stays
    served; checker findings are reported but the site is built anyway (`allow_errors`).
    """

    content_dir: Path
    out_dir: Path
    pdf: bool = False
    report: Callable[[str], None] = print
    seen: Snapshot = field(default_factory=dict)
    builds: int = 0
    problems: Problems = field(default_factory=Problems)
    """What the last build found, for the served pages (`make_server(..., watcher.current)`)."""

    def current(self) -> Problems:
        """Return what the last build found."""
        return self.problems

    def build(self) -> bool:
        """Build once (incrementally), reporting the result; return whether the site was written."""
        from notice.build import BuildError, build_site
        from notice.checks.report import summary
        from notice.loader import ContentError

        self.seen = snapshot(self.content_dir)
        try:
            report = build_site(self.content_dir, self.out_dir, pdf=self.pdf, allow_errors=True)
        except ContentError as exc:
            self.problems = Problems(errors=[str(error) for error in exc.errors])
            for error in exc.errors:
                self.report(str(error))
            self.report(
                f"{counted(len(exc.errors), 'error')} in content; the preview's pages list them "
                "until they are fixed"
            )
            return False
        except BuildError as exc:
            self.problems = Problems(errors=[f"error: {exc}"])
            self.report(f"error: {exc}; the preview's pages say so until it is fixed")
            return False
        self.builds += 1
        self.problems = Problems(
            findings=[finding.format() for finding in report.findings],
            summary=summary(report.findings, report.registers, "en"),
        )
        self.report(report.line())
        self.report(f"notice check: {self.problems.summary}")
        return True

    def poll(self) -> bool:
        """Rebuild if any content file was added, removed or changed; return whether it did.

        When only register files changed, their pages are rendered and written at once (the
        edit is on screen within milliseconds); the incremental build then brings the rest of
        the site (lists, JSON, checks) up to date and reports.
        """
        current = snapshot(self.content_dir)
        if current == self.seen:
            return False
        changed = [path for path, stamp in current.items() if self.seen.get(path) != stamp]
        if set(current) == set(self.seen):
            self.preview_registers(changed)
        return self.build()

    def preview_registers(self, paths: list[Path]) -> None:
        """Render the notice pages of changed register files straight into the site."""
        from pydantic import ValidationError

        # The loader's own parser: bounded in time and memory on hostile YAML (alias bombs).
        from notice.loader import ContentError, _decode, _parse_text
        from notice.model import Register, Site, model_context

        def parse_yaml(path: Path) -> Any:
            return _parse_text(path, _decode(path, path.read_bytes()))

        from notice.render import Renderer, alternates_of, file_of, register_path

        registers_dir = self.content_dir / "registers"
        if not paths or any(path.parent != registers_dir for path in paths):
            return  # the site or something else changed: only a full build says what follows
        try:
            site_data = parse_yaml(self.content_dir / "site.yaml").data
            languages = [str(lang) for lang in site_data["languages"]]
            context = model_context(languages)
            site = Site.model_validate(site_data, context=context)
            registers = [
                Register.model_validate(parse_yaml(path).data, context=context) for path in paths
            ]
        except (ContentError, ValidationError, KeyError, TypeError, OSError):
            return  # the full build reports what is wrong, with lines
        renderer = Renderer(site, pdf=self.pdf)
        for register in registers:
            alternates = alternates_of(languages, lambda lang, r=register: register_path(r, lang))
            for lang in languages:
                url_path = register_path(register, lang)
                html = renderer.render(
                    "notice/register.html",
                    lang,
                    url_path,
                    alternates,
                    **renderer.register_context(register, lang),
                )
                target = self.out_dir / file_of(url_path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(html, encoding="utf-8")

    def run(self, stop: threading.Event, interval: float = 0.02) -> None:
        """Poll every `interval` seconds until `stop` is set."""
        while not stop.is_set():
            self.poll()
            stop.wait(interval)


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    """Start `server` in a daemon thread and return the thread."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def wait_for(condition: Callable[[], bool], timeout: float, step: float = 0.005) -> float | None:
    """Return the seconds until `condition()` held, or None if it did not within `timeout`."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if condition():
            return time.perf_counter() - start
        time.sleep(step)
    return None
