"""Read what a person receives the way they read it, and name what a reader must never see.

Every artefact the product hands out — e-mails, letter and receipt PDFs, pages, the records of
processing in every format — is read back to plain text (pypdf for PDFs, openpyxl for XLSX,
BeautifulSoup for HTML) and passed to `problems(text, lang)`, which lists:

- programming artefacts: Python reprs of dicts, enums, objects and `None`, `key=value` reprs,
  unformatted placeholders (`%(name)s`, `{name}`), tracebacks;
- raw Markdown that should have been rendered (`**bold**`, `[text](url)`, `# heading`);
- untranslated messages: a msgid of the portal or notice catalog, in a document of a language
  whose catalog translates it differently;
- paragraphs in another language than the document's (stop-word counts; only long sentences);

and `font_problems(pdf)` lists letters or digits set in an emoji or a fallback font.

The detectors are tested on planted text first (tests/test_readback.py), so a reader that finds
nothing cannot pass for a clean document.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from tests import REPO_ROOT

CATALOGS = (REPO_ROOT / "portal" / "translations", REPO_ROOT / "notice" / "translations")

ARTEFACTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dict repr", re.compile(r"\{'[^']*': |\{\"[a-z_]+\": ")),
    ("enum repr", re.compile(r"<[A-Z]\w*\.\w+: ")),
    ("object repr", re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>")),
    ("None", re.compile(r"(?:^|[\s(\[:=,])None(?=$|[\s)\].,;:])(?![ ]+(?:of|at|the)\b)", re.M)),
    ("placeholder", re.compile(r"%\(\w+\)[sd]|(?<![{$])\{[a-z_]+\}(?!\})")),
    ("traceback", re.compile(r"Traceback \(most recent call last\)|\bFile \"[^\"]+\", line \d+")),
    ("key=value repr", re.compile(r"\b[a-z_]+=(?:\{|\[|None\b|<|'|\d)")),
    ("Markdown bold", re.compile(r"\*\*\S[^*\n]*\*\*|__\w[^_\n]*__")),
    ("Markdown link", re.compile(r"\[[^\]\n]+\]\((?:https?://|/|mailto:)[^)\s]*\)")),
    ("Markdown heading", re.compile(r"(?m)^#{1,6} \S")),
    (
        "datetime repr",
        re.compile(r"datetime\.(?:date|datetime)\(|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+"),
    ),
)
"""What a reader must never see, by name."""

STOP_WORDS: dict[str, frozenset[str]] = {
    "fi": frozenset(
        "ja on tai että ei se tämä joka jotka kun jos voit sinun teidän meidän olemme ovat "
        "myös mutta vain tiedot tietoja henkilötiedot pyyntö pyyntösi".split()
    ),
    "sv": frozenset(
        "och är att det som för med inte av på den till om du ditt din dina vi våra har "
        "eller också men uppgifter begäran".split()
    ),
    "en": frozenset(
        "the and is are of to your you we our that this with for not or by be been from "
        "data request".split()
    ),
}
"""Frequent words of each language, to tell a paragraph's language by counting."""


def pdf_text(data: bytes) -> str:
    """Return the text of every page of a PDF, pages separated by a form feed."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\f".join(page.extract_text() or "" for page in reader.pages)


def xlsx_text(data: bytes) -> str:
    """Return every cell of every sheet of an XLSX workbook, one row a line, cells tab-separated."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    lines: list[str] = []
    for sheet in workbook.worksheets:
        lines.append(str(sheet.title))
        for row in sheet.iter_rows(values_only=True):
            lines.append("\t".join("" if cell is None else str(cell) for cell in row))
    return "\n".join(lines)


def html_text(html: str) -> str:
    """Return the visible text of an HTML document (no scripts, styles or hidden parts)."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template", "noscript"]):
        hidden.decompose()
    return soup.get_text("\n")


def _line_of(text: str, start: int) -> str:
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    return text[begin : end if end != -1 else len(text)].strip()[:160]


def artefacts(text: str) -> list[str]:
    """Return `what: line` for every programming artefact or raw Markdown in `text`."""
    found: dict[str, str] = {}
    for name, pattern in ARTEFACTS:
        for match in pattern.finditer(text):
            line = _line_of(text, match.start())
            found.setdefault(line, f"{name}: {line!r}")
    return list(found.values())


@cache
def _catalog(lang: str) -> dict[str, str]:
    """Return msgid → translation of every catalog in `lang` whose translation differs."""
    messages: dict[str, str] = {}
    for base in CATALOGS:
        path = base / lang / "LC_MESSAGES" / "messages.po"
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if not message.id or isinstance(message.id, tuple) or not message.string:
                continue
            if message.string != message.id:
                messages[str(message.id)] = str(message.string)
    return messages


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def untranslated(text: str, lang: str) -> list[str]:
    """Return the catalog msgids of three words or more that appear untranslated in `text`."""
    if lang == "en":
        return []
    flat = " ".join(text.split())
    found: list[str] = []
    for msgid, translation in _catalog(lang).items():
        if "%(" in msgid or len(msgid.split()) < 3 or len(msgid) < 16:
            continue
        plain = " ".join(msgid.split())
        if plain in flat and plain not in " ".join(translation.split()):
            found.append(f"untranslated: {plain[:100]!r}")
    return found


def language_of(sentence: str) -> tuple[str | None, int]:
    """Return the language whose stop words `sentence` has most, and how many (None on a tie)."""
    words = _words(sentence)
    counts = {lang: sum(word in stops for word in words) for lang, stops in STOP_WORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    ordered = sorted(counts.values(), reverse=True)
    if ordered[0] == ordered[1]:
        return None, ordered[0]
    return best, ordered[0]


def _sentences(text: str) -> Iterator[str]:
    for block in re.split(r"\n\s*\n|\f|(?<=[.!?])\s+", text):
        sentence = " ".join(block.split())
        if len(_words(sentence)) >= 8:
            yield sentence


def other_language(text: str, lang: str, *, allowed: Iterable[str] = ()) -> list[str]:
    """Return the sentences of eight words or more that read as another language than `lang`.

    `allowed` are texts that may stand in another language (a name the person typed, a quote of
    what they wrote); sentences containing one of them are not judged.
    """
    keep = [a for a in allowed if a]
    found: list[str] = []
    for sentence in _sentences(text):
        if any(a in sentence for a in keep):
            continue
        detected, count = language_of(sentence)
        if detected is not None and detected != lang and count >= 3:
            found.append(f"in {detected}, not {lang}: {sentence[:120]!r}")
    return found


def problems(text: str, lang: str, *, allowed: Iterable[str] = ()) -> list[str]:
    """Return everything a reader of `text` (a document in `lang`) must not see."""
    allowed = list(allowed)
    return [
        *artefacts(text),
        *untranslated(text, lang),
        *other_language(text, lang, allowed=allowed),
    ]


FALLBACK_FONT = re.compile(r"Emoji|Arabic|Hebrew|CJK|Symbol|Math", re.I)
"""Font names of the fallbacks: never the font of a Latin letter or a digit."""


def fonts_of_text(data: bytes) -> list[tuple[str, str]]:
    """Return (font name, text) of every text run of a PDF, as pypdf reads them."""
    from pypdf import PdfReader

    runs: list[tuple[str, str]] = []
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:

        def visit(text: str, _cm: object, _tm: object, font: object, _size: object) -> None:
            if text and font is not None and hasattr(font, "get"):
                runs.append((str(font.get("/BaseFont", "")), text))

        page.extract_text(visitor_text=visit)
    return runs


def off_page(data: bytes) -> list[str]:
    """Return the text runs of a PDF that start beyond its page's right edge (unreadable)."""
    from pypdf import PdfReader

    found: list[str] = []
    reader = PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages, start=1):
        width = float(page.mediabox.width)

        def visit(
            text: str,
            cm: Any,
            tm: Any,
            _font: object,
            _size: object,
            number: int = number,
            width: float = width,
        ) -> None:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            if text.strip() and x > width:
                found.append(f"page {number}: {text.strip()[:60]!r} at x={x:.0f} of {width:.0f}")

        page.extract_text(visitor_text=visit)
    return found


def font_problems(data: bytes) -> list[str]:
    """Return the runs of ASCII letters or digits that a PDF sets in a fallback or emoji font."""
    found: list[str] = []
    for font, text in fonts_of_text(data):
        if FALLBACK_FONT.search(font) and re.search(r"[A-Za-z0-9]", text):
            found.append(f"font {font} sets {text.strip()[:60]!r}")
    return found
