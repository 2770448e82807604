"""Content for the records tests: a Swedish controller, Greek and formula-like names, RDF."""

from __future__ import annotations

import csv
import io
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject
from rdflib import Graph

from notice.records.tabular import csv_delimiter

FORMULAS = ('=HYPERLINK("http://127.0.0.1/x","klicka")', "+358 40 123", "-2+3", "@SUM(A1)")
"""Recipient names that a spreadsheet would run as formulas if written as they are."""

GREEK = "Ελληνική Υπηρεσία Νέφους Α.Ε."

SITE: dict[str, Any] = {
    "languages": ["sv", "en"],
    "base_url": "https://bok.example.ax/dataskydd/",
    "controller": {
        "name": "Åbo Bokhandel Ab",
        "business_id": "7654321-0",
        "street_address": "Östra Strandgatan 3",
        "postal_code": "20100",
        "city": "Åbo",
        "email": "jörg@example.com",
    },
    "representative": "none",
    "dpo": {"name": "Dataskyddsombud Märta Öhman", "email": "dso@bok.example.ax"},
}


def _t(sv: str, en: str) -> dict[str, str]:
    return {"sv": sv, "en": en}


REGISTER: dict[str, Any] = {
    "id": "kundregister",
    "slug": {"sv": "kundregister", "en": "customers"},
    "name": _t("Kundregister", "Customer register"),
    "prepared": "2025-03-01",
    "updated": "2026-10-15",
    "purposes": [
        {
            "description": _t("Leverera beställda böcker.", "Delivering ordered books."),
            "legal_basis": "contract",
        },
        {
            "description": _t("Förhindra bedrägerier.", "Preventing fraud."),
            "legal_basis": "legitimate_interests",
            "legitimate_interest": _t("Skydda våra kunder.", "Protecting our customers."),
        },
    ],
    "data_subjects": _t("Kunder i Åbo och Närpes.", "Customers in Turku and Närpes."),
    "data_categories": [_t("Namn och adress", "Name and address"), _t("Beställningar", "Orders")],
    "sources": _t("Kunden själv.", "The customer."),
    "recipients": [
        {"name": {"sv": GREEK, "en": GREEK}, "role": "processor"},
        *({"name": {"sv": name, "en": name}, "role": "processor"} for name in FORMULAS),
    ],
    "transfers": [
        {
            "recipient": "Bengaluru Support Pvt Ltd",
            "country": "India",
            "mechanism": "sccs",
            "details": _t("Standardavtalsklausuler (EU) 2021/914.", "SCCs (EU) 2021/914."),
        }
    ],
    "retention": _t("Sex år efter räkenskapsperiodens slut.", "Six years after the year ends."),
    "automated_decisions": "none",
    "security": {"electronic": _t("Kryptering och åtkomstkontroll.", "Encryption and access.")},
}


def write_content(root: Path, site: dict[str, Any] = SITE, *registers: dict[str, Any]) -> Path:
    """Write `site.yaml` and the registers (default: REGISTER) under `root`; return `root`."""
    (root / "registers").mkdir(parents=True, exist_ok=True)
    dump = {"allow_unicode": True, "sort_keys": False}
    (root / "site.yaml").write_text(yaml.safe_dump(site, **dump), encoding="utf-8")
    for register in registers or (REGISTER,):
        path = root / "registers" / f"{register['id']}.yaml"
        path.write_text(yaml.safe_dump(register, **dump), encoding="utf-8")
    return root


def parse_jsonld(data: bytes) -> Graph:
    """Parse JSON-LD into an rdflib graph."""
    with warnings.catch_warnings():
        # rdflib's own JSON-LD parser goes through its deprecated ConjunctiveGraph; not ours.
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        return Graph().parse(data=data.decode(), format="json-ld")


def records_text(data: bytes, fmt: str, lang: str) -> str:
    """The whole record as a reader gets it (xlsx, csv, html or pdf), whitespace and the PDF's
    hyphenation undone."""
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        text = "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
    elif fmt == "csv":
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=csv_delimiter(lang))
        text = "\n".join(cell for row in rows for cell in row)
    elif fmt == "html":
        text = BeautifulSoup(data, "html.parser").get_text("\n")
    else:
        pages = PdfReader(io.BytesIO(data)).pages
        text = "\n".join(page.extract_text() for page in pages).replace("\u2010\n", "")
    return " ".join(text.split())


def page_texts(page: Any) -> dict[int, str]:
    """Return the text of each marked-content sequence of one page: {MCID: text}."""
    texts: dict[int, str] = defaultdict(str)
    stack: list[int | None] = []

    def before(op: bytes, args: Any, *_: Any) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, DictionaryObject) else None
            stack.append(int(mcid) if mcid is not None else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(value: str, *_: Any) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None:
            texts[mcid] += value

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def texts_by_mcid(reader: PdfReader) -> dict[tuple[int, int], str]:
    """Return the text of each marked-content sequence: {(page number, MCID): text}."""
    return {
        (number, mcid): text
        for number, page in enumerate(reader.pages)
        for mcid, text in page_texts(page).items()
    }


def pdf_table_rows(data: bytes) -> list[list[tuple[str, str]]]:
    """Return every table row of a tagged PDF in reading order, each cell as (structure type,
    text): `[("/TH", "Systems"), ("/TD", "Not stated")]`. A cell's text is what its structure
    element holds, a list's markers and the line breaks between its items included."""
    reader = PdfReader(io.BytesIO(data))
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    texts = texts_by_mcid(reader)

    def kids(node: DictionaryObject) -> list[Any]:
        found = node.get("/K")
        if found is None:
            return []
        found = found.get_object()
        return [kid.get_object() for kid in (found if isinstance(found, ArrayObject) else [found])]

    def text_of(node: Any, page: int | None) -> str:
        if isinstance(node, int):
            return texts.get((page, node), "") if page is not None else ""
        if not isinstance(node, DictionaryObject):
            return ""
        if "/Pg" in node:
            page = pages[node.raw_get("/Pg").idnum]
        if "/MCID" in node:
            return texts.get((page, int(node["/MCID"])), "") if page is not None else ""
        return "".join(text_of(kid, page) for kid in kids(node))

    rows: list[list[tuple[str, str]]] = []

    def walk(node: Any) -> None:
        if not isinstance(node, DictionaryObject):
            return
        if node.get("/S") == "/TR":
            cells = [kid for kid in kids(node) if isinstance(kid, DictionaryObject)]
            rows.append([(str(cell["/S"]), text_of(cell, None)) for cell in cells])
            return
        for kid in kids(node):
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"].get_object())
    return rows
