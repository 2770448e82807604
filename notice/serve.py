"""Serve a built notice site on 127.0.0.1 with the standard library, for previews and `make run`.

Only the loopback interface is bound: this is a preview server, not a production web server (any
static host or CDN serves `site/` in production). With `notice serve --watch` a `Watcher` polls the
content folder and rebuilds incrementally on every save, so a reload shows the edit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

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
}


class SiteHandler(SimpleHTTPRequestHandler):
    """Serve files with the site's content types and without logging every request to stderr."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def end_headers(self) -> None:
        """Ask browsers to revalidate every time: a preview changes under them."""
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Stay quiet: a preview needs no access log."""


def make_server(out_dir: Path | str, port: int = 8000) -> ThreadingHTTPServer:
    """Return an HTTP server for `out_dir` bound to 127.0.0.1:`port` (0 picks a free port)."""
    handler = partial(SiteHandler, directory=str(Path(out_dir).resolve()))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


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

    def build(self) -> bool:
        """Build once (incrementally), reporting the result; return whether the site was written."""
        from notice.build import BuildError, build_site
        from notice.loader import ContentError

        self.seen = snapshot(self.content_dir)
        try:
            report = build_site(self.content_dir, self.out_dir, pdf=self.pdf, allow_errors=True)
        except ContentError as exc:
            for error in exc.errors:
                self.report(str(error))
            self.report(f"{len(exc.errors)} error(s) in content; still serving the last build")
            return False
        except BuildError as exc:
            self.report(f"error: {exc}; still serving the last build")
            return False
        self.builds += 1
        self.report(report.line())
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
