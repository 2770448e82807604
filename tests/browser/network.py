"""Keep browser tests on this machine: block and record every request to another host.

The notice site and the portal promise "no request to any third-party host" (LEGAL.md, ASVS
14.2.3). Routing every request of a context through `RequestGuard` turns that promise into a check
in every browser test: a request elsewhere is aborted (the test machine has no network anyway) and
remembered, and the test fails when it ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Route

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Schemes that never leave the browser process or this machine's file system.
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})


def is_local(url: str) -> bool:
    """Return True when loading `url` stays on this machine."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.hostname in LOCAL_HOSTS


@dataclass(frozen=True)
class BlockedRequest:
    """A request the page tried to make to another host."""

    url: str
    resource_type: str
    page_url: str

    def __str__(self) -> str:
        return f"{self.resource_type} {self.url} (from {self.page_url})"


@dataclass
class RequestGuard:
    """Abort requests to other hosts in the contexts it watches and remember them."""

    blocked: list[BlockedRequest] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        """Route every request of `context` through the guard."""
        context.route("**/*", self._handle)

    def take(self) -> list[BlockedRequest]:
        """Return the blocked requests and forget them (for tests that expect some)."""
        taken, self.blocked = self.blocked, []
        return taken

    def report(self) -> str:
        """Describe the blocked requests for a failure message."""
        lines = "\n".join(f"    {blocked}" for blocked in self.blocked)
        return (
            f"the page tried to reach {len(self.blocked)} URL(s) on another host "
            f"(only 127.0.0.1/localhost/file: are allowed):\n{lines}"
        )

    def _handle(self, route: Route) -> None:
        request = route.request
        if is_local(request.url):
            route.fallback()
            return
        frame_url = ""
        # A service-worker request has no frame; reading .frame would raise.
        if request.service_worker is None:
            frame_url = request.frame.url
        self.blocked.append(BlockedRequest(request.url, request.resource_type, frame_url))
        route.abort("blockedbyclient")
