"""Werkzeug's development server, closing what a dropped connection leaves open.

`make run` and the browser tests serve the portal with werkzeug's `make_server`. When a
browser drops a connection mid-answer (it navigated on before a font arrived), werkzeug's
`run_wsgi` drains the socket in a `finally` block before it closes the answer; on a reset
socket that drain raises first, the answer (an open static file) is never closed, and its
`ResourceWarning` surfaces later, in whatever runs next. This server remembers each answer
and closes it, once, when the connection drops.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from werkzeug.serving import (
    LISTEN_QUEUE,
    BaseWSGIServer,
    WSGIRequestHandler,
    make_server,
    select_address_family,
)

_ANSWER = "seloste.dev_server.answer"


class _CloseOnce:
    """An answer's body whose `close()` runs at most once, whoever calls it."""

    def __init__(self, body: Iterable[bytes]) -> None:
        self._body = body
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        close = getattr(self._body, "close", None)
        if close is not None:
            close()


def _remembering(app: Callable[..., Any]) -> Callable[..., Any]:
    def remembering(environ: dict[str, Any], start_response: Callable[..., Any]) -> _CloseOnce:
        answer = _CloseOnce(app(environ, start_response))
        environ[_ANSWER] = answer
        return answer

    return remembering


class _ClosingRequestHandler(WSGIRequestHandler):
    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        answer = (environ or {}).get(_ANSWER)
        if answer is not None:
            answer.close()


def make_dev_server(host: str, port: int, app: Callable[..., Any]) -> BaseWSGIServer:
    """A threaded werkzeug server for `app` on host:port that closes the answers of dropped
    connections; raises OSError when the port is taken.

    The socket is bound here: werkzeug's own bind prints its message and calls `sys.exit(1)`
    on a taken port, which would leave the caller (`make run`) no way to say which ports are
    taken and how to pick others, nor to show a password it made meanwhile.
    """
    family = select_address_family(host, port)
    with socket.socket(family, socket.SOCK_STREAM) as listening:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
        listening.listen(LISTEN_QUEUE)
        # werkzeug serves a duplicate of the descriptor; this one closes on leaving the block.
        server = make_server(
            host,
            port,
            _remembering(app),
            threaded=True,
            request_handler=_ClosingRequestHandler,
            fd=listening.fileno(),
        )
    # What HTTPServer.server_bind would have set, had werkzeug bound the socket.
    server.server_name = socket.getfqdn(host)
    server.server_port = server.server_address[1]
    return server
