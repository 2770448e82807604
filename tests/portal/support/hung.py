"""A TCP server that accepts connections and never answers: a hung mail relay or database."""

from __future__ import annotations

import socket
import threading
from types import TracebackType


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
        self.listener.close()
        for connection in self._connections:
            connection.close()
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
