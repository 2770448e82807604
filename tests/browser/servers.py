"""Serve a folder or a WSGI app on 127.0.0.1 on a free port, in a background thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from portal.dev_server import make_dev_server


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serve files without logging every request to stderr, adding fixed response headers."""

    extra_headers: Mapping[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path, headers: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve `directory` over HTTP while the block runs; yield its base URL ending in `/`."""
    if not directory.is_dir():
        raise FileNotFoundError(f"nothing to serve: {directory} is not a directory")
    handler_class = type("Handler", (_QuietHandler,), {"extra_headers": dict(headers or {})})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler_class, directory=directory))
    # Daemon threads: a keep-alive connection the browser leaves open must not hang shutdown.
    server.daemon_threads = True
    with _running(server.serve_forever, server.shutdown):
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.server_close()


@contextmanager
def serve_wsgi(app: Callable[..., Any]) -> Iterator[str]:
    """Serve a WSGI app (e.g. the Flask portal) while the block runs; yield its base URL."""
    server = make_dev_server("127.0.0.1", 0, app)
    with _running(server.serve_forever, server.shutdown):
        try:
            yield f"http://127.0.0.1:{server.server_port}/"
        finally:
            server.server_close()


@contextmanager
def _running(serve: Callable[[], None], shutdown: Callable[[], None]) -> Iterator[None]:
    thread = threading.Thread(target=serve, name="test-http-server", daemon=True)
    thread.start()
    try:
        yield
    finally:
        shutdown()
        thread.join(timeout=10)
