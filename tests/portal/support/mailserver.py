"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


class Collector:
    """aiosmtpd handler that parses and keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelope_recipients: list[str] = []
        self.envelope_senders: list[str] = []
        """Each message's envelope sender (MAIL FROM), in the order of `messages`."""
        self.raw: list[bytes] = []
        """Each message as its bytes came over the wire, in the order of `messages`."""
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelope_recipients.extend(envelope.rcpt_tos)
            self.envelope_senders.append(envelope.mail_from)
            self.raw.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """A running local SMTP server and the messages it received."""

    host: str
    port: int
    handler: Collector
    controller: Controller | None = None
    smtputf8: bool = False
    """Offer SMTPUTF8 (RFC 6531), as some relays do and others do not."""

    @property
    def messages(self) -> list[EmailMessage]:
        """Return the messages received so far."""
        with self.handler.lock:
            return list(self.handler.messages)

    def clear(self) -> None:
        """Forget the messages received so far."""
        with self.handler.lock:
            self.handler.messages.clear()
            self.handler.envelope_senders.clear()
            self.handler.raw.clear()

    def start(self) -> None:
        """Start accepting mail on the fixed port."""
        self.controller = Controller(
            self.handler, hostname=self.host, port=self.port, enable_SMTPUTF8=self.smtputf8
        )
        self.controller.start()

    def stop(self) -> None:
        """Stop the server: connections are refused, as in an outage."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """Wait until at least `count` messages have arrived and return them."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    def receipt_to(self, address: str, timeout: float = 5.0) -> EmailMessage:
        """Wait for the newest e-mail to `address` that carries a letter (a PDF) and return it.

        The receipt comes after the confirmation e-mail; `last_to` right after confirming could
        return that one if the receipt is late, and the failure would say nothing of why.
        """
        deadline = time.monotonic() + timeout
        while True:
            for message in reversed(self.messages):
                if message["To"] == address and any(
                    part.get_content_type() == "application/pdf"
                    for part in message.iter_attachments()  # type: ignore[attr-defined]
                ):
                    return message
            if time.monotonic() >= deadline:
                subjects = [str(m["Subject"]) for m in self.messages]
                raise AssertionError(f"no e-mail with a letter to {address}; got {subjects}")
            time.sleep(0.02)

    def last_to(self, address: str) -> EmailMessage:
        """Return the newest message to `address`."""
        for message in reversed(self.messages):
            if message["To"] == address:
                return message
        raise AssertionError(f"no e-mail to {address}; got {len(self.messages)} message(s)")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
