"""Read a receipt as a person keeps it: the receipt PDF (its embedded JSON) or the JSON itself.

The receipt letter is a PDF that carries the signed JSON receipt as an embedded file
(`portal.core.letters`); the status page also offers the JSON alone. A verifier takes either:
a PDF is opened with pypdf and its one embedded `.json` file is the receipt; anything else must
be the receipt's JSON text. What is neither is *not a receipt* (`NotAReceipt`), which is another
verdict than a receipt that fails its check: a PDF without a receipt in it has not been tampered
with, it just is not one.

The input is untrusted: sizes are bounded before parsing, pypdf's decompression limits are
lowered to what a receipt needs, and any failure of the PDF parser means "not a receipt".
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MAX_JSON_BYTES = 32 * 1024
"""A receipt is 1–10 KiB (the payload holds the request's free text); anything larger is not one."""

MAX_PDF_BYTES = 1024 * 1024
"""A receipt letter is 20–60 KiB (fonts of other scripts add a few subsets); 1 MiB is ample."""

PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024
"""PDF readers accept the `%PDF-` header anywhere in the first 1024 bytes."""

_DECODE_LIMIT = 4 * 1024 * 1024
"""Most bytes any one stream of a receipt PDF may decompress to (a zip bomb stops here)."""


NEITHER = "the file is neither a PDF nor JSON text"


class NotAReceipt(ValueError):
    """The input is not a receipt at all; `code` is stable (for translations), text is English."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def is_pdf(raw: bytes) -> bool:
    """Return whether `raw` starts like a PDF (the header within the first 1024 bytes)."""
    return PDF_MAGIC in raw[:PDF_HEADER_WINDOW]


def load_receipt(raw: bytes) -> Any:
    """Return the receipt in `raw` (a receipt PDF or receipt JSON) as parsed JSON.

    Raise NotAReceipt when `raw` is empty, too large, a PDF without one embedded JSON file, or
    neither a PDF nor JSON text.
    """
    if not raw.strip():
        raise NotAReceipt("empty", "the file is empty")
    if is_pdf(raw):
        if len(raw) > MAX_PDF_BYTES:
            raise NotAReceipt("too_large", "the file is too large to be a receipt")
        try:
            return parse_receipt(embedded_receipt(raw))
        except NotAReceipt as exc:
            if exc.code != "not_json":
                raise
            raise NotAReceipt("not_json", "the file in the PDF is not JSON text") from None
    if len(raw) > MAX_JSON_BYTES:
        raise NotAReceipt("too_large", "the file is too large to be a receipt")
    try:
        text = raw.decode("utf-8-sig")  # an editor on Windows may have added a byte order mark
    except UnicodeDecodeError:
        raise NotAReceipt("not_json", NEITHER) from None
    return parse_receipt(text)


def embedded_receipt(raw: bytes) -> str:
    """Return the text of the one `.json` file embedded in the PDF `raw`, or raise NotAReceipt."""
    from pypdf import PdfReader, apply_configuration

    limits = {
        name: _DECODE_LIMIT
        for name in (
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "brotli_maximum_output_length",
            "array_based_stream_maximum_output_length",
            "maximum_declared_stream_length",
        )
    }
    try:
        with _quiet_pypdf(), apply_configuration(**limits):
            reader = PdfReader(io.BytesIO(raw), strict=False)
            found = [
                entry for entry in reader.attachment_list if entry.name.lower().endswith(".json")
            ]
            if len(found) != 1:
                raise NotAReceipt(
                    "no_receipt_in_pdf" if not found else "several_in_pdf",
                    "the PDF holds no signed receipt"
                    if not found
                    else "the PDF holds more than one JSON file",
                )
            content = found[0].content
    except NotAReceipt:
        raise
    except Exception:  # noqa: BLE001 - a hostile PDF can break the parser in any way
        raise NotAReceipt("bad_pdf", "the PDF cannot be read") from None
    if len(content) > MAX_JSON_BYTES:
        raise NotAReceipt("too_large", "the file in the PDF is too large to be a receipt")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise NotAReceipt("not_json", "the file in the PDF is not JSON text") from None


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Keep pypdf's warnings about a damaged PDF out of the log and the terminal."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse_receipt(text: str) -> Any:
    """Parse a receipt's JSON text; raise NotAReceipt unless it is JSON a receipt could be.

    Refused as well as bad JSON: nesting too deep for the parser (a receipt is three levels
    deep) and lone surrogates (`"\\ud800"`), which JSON can spell but UTF-8 cannot encode, so
    no signature could ever cover them.
    """
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise NotAReceipt("not_json", NEITHER) from None
    pending = [document]
    while pending:  # a loop, not recursion: the document may be as deep as the parser allows
        value = pending.pop()
        if isinstance(value, dict):
            pending += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            pending += value
        elif isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise NotAReceipt("not_json", "the file holds text that is not Unicode") from None
    return document
