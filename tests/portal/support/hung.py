"""TCP servers that hang: one that never answers (a hung mail relay or database), and a proxy that
freezes mid-conversation (a stopped database server)."""

from __future__ import annotations

import socket
import threading
from types import TracebackType


def _hang_up(sock: socket.socket) -> None:
    """Shut a socket down, then close it.

    On Linux `close()` alone does not wake a thread blocked in `accept()` or `recv()` on it: the
    listener stays open inside that call and keeps its port, so a later client can still reach it.
    `shutdown()` wakes the blocked call first.
    """
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # never connected, or already shut
        pass
    sock.close()


class HungServer:
    """Accept connections on 127.0.0.1 and say nothing until `release()` closes them."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port: int = self.listener.getsockname()[1]
        self.accepted = threading.Event()
        """Set once a client has connected (and is now waiting for a greeting)."""
        self._connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed by release()
                return
            self._connections.append(connection)
            self.accepted.set()

    def release(self) -> None:
        """Close every connection and stop listening: waiting clients see the line drop."""
        _hang_up(self.listener)
        for connection in self._connections:
            _hang_up(connection)
        self._thread.join(timeout=5)

    def __enter__(self) -> HungServer:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.release()


class FreezableProxy:
    """Forward TCP connections on 127.0.0.1 to `port` until `freeze()`; then pass nothing on.

    A frozen proxy keeps every connection open and its kernel acknowledges what the client sends,
    as a stopped database process does: only the client's own deadline ends the wait.
    """

    def __init__(self, port: int) -> None:
        self.target = port
        self.frozen = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port: int = self.listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed by close()
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            self._sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            if self.frozen.is_set():
                continue  # swallowed: the frozen side never answers
            try:
                sink.sendall(data)
            except OSError:
                return

    def freeze(self) -> None:
        """Stop passing anything on, keeping every connection open."""
        self.frozen.set()

    def close(self) -> None:
        """Close the listener and every connection, waking the threads blocked on them."""
        _hang_up(self.listener)
        for sock in self._sockets:
            _hang_up(sock)
