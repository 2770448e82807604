"""Serve a built notice site on 127.0.0.1 with the standard library, for previews and `make run`.

Only the loopback interface is bound: this is a preview server, not a production web server (any
static host or CDN serves `site/` in production).
"""

from __future__ import annotations

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

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Stay quiet: a preview needs no access log."""


def make_server(out_dir: Path | str, port: int = 8000) -> ThreadingHTTPServer:
    """Return an HTTP server for `out_dir` bound to 127.0.0.1:`port` (0 picks a free port)."""
    handler = partial(SiteHandler, directory=str(Path(out_dir).resolve()))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)
