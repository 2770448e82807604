"""Reading a receipt file: the exact verdict (code and reason) for each kind of input, at its limit.

The limits are the documented ones written out as numbers (a receipt's JSON up to 32 KiB, a receipt
PDF up to 1 MiB, the `%PDF-` header within the first 1024 bytes, a stream of a receipt PDF
decompressing to at most 4 MiB), so a limit that moves by one byte fails here. PDFs are made with
pypdf's writer, as any PDF program could; the receipts inside are plain JSON documents.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zlib

import pytest
from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject

from portal.core.receipt_file import NotAReceipt, embedded_receipt, load_receipt, parse_receipt

KIB = 1024
NEITHER = ("not_json", "the file is neither a PDF nor JSON text")
TOO_LARGE = ("too_large", "the file is too large to be a receipt")
NOT_JSON_IN_PDF = ("not_json", "the file in the PDF is not JSON text")
RECEIPT = {"version": 1, "payload": {"reference": "R-ÄÖ-1"}, "signature": "c2ln"}


def refusal(raw: bytes) -> tuple[str, str]:
    """Return (code, reason) of the NotAReceipt that `raw` raises."""
    with pytest.raises(NotAReceipt) as caught:
        load_receipt(raw)
    assert str(caught.value) == caught.value.reason
    return caught.value.code, caught.value.reason


def json_of_size(size: int) -> bytes:
    """Return a JSON object of exactly `size` bytes."""
    head = b'{"pad": "'
    raw = head + b"x" * (size - len(head) - 2) + b'"}'
    assert len(raw) == size
    return raw


def pdf_with(*files: tuple[str, bytes]) -> bytes:
    """Return a one-page PDF with `files` embedded (name, content)."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    for name, content in files:
        writer.add_attachment(name, content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_empty_or_blank_file_is_empty() -> None:
    assert refusal(b"") == ("empty", "the file is empty")
    assert refusal(b" \n\t ") == ("empty", "the file is empty")


def test_receipt_json_is_read_as_it_is() -> None:
    assert load_receipt(json.dumps(RECEIPT).encode("utf-8")) == RECEIPT


def test_a_byte_order_mark_before_the_json_is_accepted() -> None:
    assert load_receipt(b"\xef\xbb\xbf" + json.dumps(RECEIPT).encode("utf-8")) == RECEIPT


def test_json_up_to_32_kib_is_read_one_byte_more_is_too_large() -> None:
    assert load_receipt(json_of_size(32 * KIB))["pad"] == "x" * (32 * KIB - 11)
    assert refusal(json_of_size(32 * KIB + 1)) == TOO_LARGE


@pytest.mark.parametrize(
    "raw",
    [b"hello", b"\xff\xfe{}", b"{'single': 'quotes'}", b"[" * 3000 + b"]" * 3000],
    ids=["text", "not-utf8", "not-json", "nested-deeper-than-the-parser"],
)
def test_what_is_not_json_text_is_neither(raw: bytes) -> None:
    assert refusal(raw) == NEITHER


@pytest.mark.parametrize(
    "text",
    ['{"a": "\\ud800"}', '{"\\udfff": 1}', '[["ok", "\\ud800"]]', '{"a": {"b": ["\\udc00"]}}'],
    ids=["value", "key", "nested-list", "nested-object"],
)
def test_a_lone_surrogate_anywhere_is_not_unicode(text: str) -> None:
    assert refusal(text.encode("ascii")) == ("not_json", "the file holds text that is not Unicode")
    with pytest.raises(NotAReceipt, match="^the file holds text that is not Unicode$"):
        parse_receipt(text)


def test_text_outside_ascii_is_read() -> None:
    text = '{"nimi": ["Äijä", {"svenska": "Åsa"}], "€": "∑"}'
    assert load_receipt(text.encode("utf-8")) == json.loads(text)


def test_a_receipt_pdf_gives_its_embedded_json() -> None:
    raw = pdf_with(("receipt.json", json.dumps(RECEIPT).encode("utf-8")))
    assert load_receipt(raw) == RECEIPT


def test_the_json_file_is_found_whatever_the_case_of_its_name_and_among_other_files() -> None:
    raw = pdf_with(("notes.txt", b"not this"), ("RECEIPT.JSON", b'{"found": true}'))
    assert load_receipt(raw) == {"found": True}


def test_a_pdf_without_a_json_file_holds_no_receipt() -> None:
    assert refusal(pdf_with()) == ("no_receipt_in_pdf", "the PDF holds no signed receipt")
    assert refusal(pdf_with(("receipt.txt", b"{}"))) == (
        "no_receipt_in_pdf",
        "the PDF holds no signed receipt",
    )


def test_a_pdf_with_two_json_files_is_refused() -> None:
    raw = pdf_with(("a.json", b"{}"), ("b.json", b"{}"))
    assert refusal(raw) == ("several_in_pdf", "the PDF holds more than one JSON file")


@pytest.mark.parametrize(
    "content", [b"not json", b"\xff\xfe{}", b'{"a": "\\ud800"}'], ids=["text", "bytes", "lone"]
)
def test_a_json_file_in_the_pdf_that_is_not_json_says_so(content: bytes) -> None:
    assert refusal(pdf_with(("receipt.json", content))) == NOT_JSON_IN_PDF


def test_the_json_in_a_pdf_up_to_32_kib_is_read_one_byte_more_is_too_large() -> None:
    assert load_receipt(pdf_with(("r.json", json_of_size(32 * KIB)))) == {
        "pad": "x" * (32 * KIB - 11)
    }
    assert refusal(pdf_with(("r.json", json_of_size(32 * KIB + 1)))) == (
        "too_large",
        "the file in the PDF is too large to be a receipt",
    )


def test_the_pdf_header_counts_within_the_first_1024_bytes() -> None:
    inside = b" " * (1024 - 5) + b"%PDF-" + b"garbage"
    outside = b" " * (1024 - 4) + b"%PDF-" + b"garbage"
    assert refusal(inside) == ("bad_pdf", "the PDF cannot be read")
    assert refusal(outside) == NEITHER


def test_a_pdf_up_to_1_mib_is_opened_one_byte_more_is_too_large() -> None:
    receipt = pdf_with(("receipt.json", b'{"big": "enough"}'))
    padded = receipt + b"%" + b"x" * (1024 * KIB - len(receipt) - 2) + b"\n"
    assert len(padded) == 1024 * KIB
    assert load_receipt(padded) == {"big": "enough"}
    assert refusal(padded + b"\n") == TOO_LARGE


def test_a_broken_pdf_cannot_be_read_and_pypdf_stays_quiet(
    caplog: pytest.LogCaptureFixture,
) -> None:
    receipt = pdf_with(("receipt.json", b"{}"))
    pypdf_logger = logging.getLogger("pypdf")
    before = pypdf_logger.level
    pypdf_logger.setLevel(logging.WARNING)  # as an app that configured pypdf's logging
    try:
        caplog.set_level(logging.DEBUG)
        assert refusal(receipt[: len(receipt) // 2]) == ("bad_pdf", "the PDF cannot be read")
        assert [r for r in caplog.records if r.name.startswith("pypdf")] == []
        assert pypdf_logger.level == logging.WARNING  # restored afterwards
    finally:
        pypdf_logger.setLevel(before)


def _embedded(content: bytes, compress: bool = True) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("receipt.json", content)
    if compress:
        for obj in writer._objects:  # noqa: SLF001 - compress the embedded file as a PDF program would
            if isinstance(obj, StreamObject) and obj.get("/Type") == "/EmbeddedFile":
                obj.set_data(content)
                encoded = zlib.compress(content, 9)
                obj._data = encoded  # noqa: SLF001
                obj[NameObject("/Filter")] = NameObject("/FlateDecode")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_embedded_file_that_decompresses_past_4_mib_is_refused_before_it_is_read() -> None:
    assert refusal(_embedded(b"0" * (4 * 1024 * KIB))) == (
        "too_large",
        "the file in the PDF is too large to be a receipt",
    )
    assert refusal(_embedded(b"0" * (4 * 1024 * KIB + 1))) == ("bad_pdf", "the PDF cannot be read")


def test_a_receipt_pdf_with_a_damaged_cross_reference_is_still_read() -> None:
    raw = pdf_with(("receipt.json", b'{"kept": true}'))
    moved = re.sub(rb"startxref\s+\d+", b"startxref\n12", raw)
    assert moved != raw
    assert load_receipt(moved) == {"kept": True}
    assert load_receipt(b"mail header\n" + raw) == {"kept": True}


def test_the_embedded_file_that_is_not_utf8_is_named_as_such() -> None:
    with pytest.raises(NotAReceipt) as caught:
        embedded_receipt(pdf_with(("receipt.json", b"\xff\xfe{}")))
    assert (caught.value.code, caught.value.reason) == NOT_JSON_IN_PDF
    text = '{"nimi": "Äijälä"}'
    assert embedded_receipt(pdf_with(("receipt.json", text.encode("utf-8")))) == text
