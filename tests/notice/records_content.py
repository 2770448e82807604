"""Content for the records tests: a Swedish controller, Greek and formula-like names, RDF."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader
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
