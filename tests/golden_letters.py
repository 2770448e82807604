"""Golden letters: the text of every letter kind in fi, sv and en, committed for review.

    python -m tests.golden_letters regenerate   # rewrite tests/golden/letters/ (review `git diff`)
    python -m tests.golden_letters check        # compare freshly rendered letters with it

Each `tests/golden/letters/<kind>.<lang>.txt` holds what a person reads: the text of the PDF as
pypdf extracts it (the document that is sent), then the text of the HTML (what the status and
staff pages show). A change to a template, a catalog, the Art 15 information or the content
shows up in the diff as the sentences a person would read. Everything that varies between runs
is fixed: the dates of the request and of the letter, the reference, and the seal key (an
Ed25519 key from a fixed seed, whose signatures are deterministic).
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bs4 import BeautifulSoup
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader

from notice.loader import Content, load_content
from portal.core import art15, letters, seal
from portal.core.models import DataRequest
from tests import REPO_ROOT
from tests.portal.support.requests import new_request

GOLDEN = REPO_ROOT / "tests" / "golden" / "letters"
LANGUAGES = ("fi", "sv", "en")
NOW = dt.datetime(2025, 2, 20, 9, 0, tzinfo=dt.UTC)
DECIDED = dt.datetime(2025, 2, 20, 8, 30, tzinfo=dt.UTC)
VERIFY_URL = "https://portal.example/requests/{lang}/verify"
DIFF_LINES = 60


def signing_key() -> seal.SigningKey:
    """Return a fixed Ed25519 key (deterministic signatures: the receipts never change)."""
    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    return seal.SigningKey(private, seal.key_id(private.public_key()))


@dataclass(frozen=True)
class Case:
    """One letter kind: how to make its request and the letter's context."""

    name: str
    kind: str
    make: Callable[[str, Content], tuple[DataRequest, dict[str, Any]]]


def _sealed(**changes: Any) -> DataRequest:
    request = new_request(**changes)
    seal.seal_request(request, signing_key())
    return request


POSTAL = {
    "channel": "post",
    "email": "",
    "phone": None,
    "customer_number": None,
    "signature_name": "",
    "attested": False,
    "created_at": dt.datetime(2025, 2, 3, 12, 15, tzinfo=dt.UTC),
    "received_at": dt.datetime(2025, 1, 30, 22, 0, tzinfo=dt.UTC),  # 31 Jan, 00.00 in Finland
    "details": {
        "received_on": "2025-01-31",
        "message": "Pyydän kopion kaikista minua koskevista tiedoista.",
        "postal_address": "Kauppakatu 3 B 12\n40100 Jyväskylä",
    },
}
FILES = [
    SimpleNamespace(
        filename="asiakastiedot.json",
        size=18_342,
        sha256="3f5a0c9e7be1d2a4c6f8091b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4",
    ),
    SimpleNamespace(
        filename="tilaukset.csv",
        size=2_048_000,
        sha256="0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e",
    ),
]
INFO = {
    "message": "Kerro asiakasnumerosi ja osoite, jota käytit tilatessasi.",
    "reason": "identity",
    "pause_clock": True,
}

PAUSE_ENDED = {"paused_days": 5, "new_due_on": dt.date(2025, 3, 5)}
"""A pause of five days ended: the due date 28 February 2025 becomes 5 March 2025."""


CLOSED_DOWN = {
    "fi": "Perintätoimisto on lopettanut toimintansa.",
    "sv": "Inkassobyrån har upphört med sin verksamhet.",
    "en": "The agency has ceased trading.",
}
"""Why a recipient could not be informed, as staff write it: in the person's language."""


def _decided(right: str, decision: str, **changes: Any) -> DataRequest:
    return new_request(right=right, decision=decision, decided_at=DECIDED, **changes)


def _access(lang: str, content: Content) -> tuple[DataRequest, dict[str, Any]]:
    register = content.register("asiakasrekisteri")
    sections = art15.sections(register, lang, content.site.languages, site=content.site)
    return _decided("access", "granted", language=lang), {
        "art15": sections,
        "files": FILES,
        "download_days": 30,
    }


CASES: tuple[Case, ...] = (
    Case("receipt", "receipt", lambda lang, c: (_sealed(language=lang), {})),
    Case(
        "receipt-by-post",
        "receipt",
        lambda lang, c: (_sealed(language=lang, **POSTAL), {}),
    ),
    Case("info-request", "info_request", lambda lang, c: (new_request(language=lang), INFO)),
    Case(
        "info-request-by-post",
        "info_request",
        lambda lang, c: (new_request(language=lang, **POSTAL), INFO | {"pause_clock": False}),
    ),
    Case(
        "pause-ended-by-post",
        "pause_ended",
        lambda lang, c: (new_request(language=lang, **POSTAL), PAUSE_ENDED),
    ),
    Case(
        "extension",
        "extension",
        lambda lang, c: (
            new_request(
                language=lang,
                extended_due_on=dt.date(2025, 4, 30),
                extension_reason="Pyyntö koskee kuuden vuoden tilaushistoriaa ja arkistoa.",
            ),
            {},
        ),
    ),
    Case("decision-access", "decision", _access),
    Case(
        "decision-rectification",
        "decision",
        lambda lang, c: (
            _decided("rectification", "granted", language=lang),
            {"actions": "Korjasimme postiosoitteesi: Kauppakatu 3 B 12, 40100 Jyväskylä."},
        ),
    ),
    Case(
        "decision-erasure",
        "decision",
        lambda lang, c: (
            _decided(
                "erasure",
                "partly_granted",
                language=lang,
                decision_reasons="Kirjanpitolaki velvoittaa säilyttämään laskut (2:10 §).",
            ),
            {"actions": "Poistimme markkinointitiedot ja tilaushistorian."},
        ),
    ),
    Case(
        "decision-restriction",
        "decision",
        lambda lang, c: (
            _decided("restriction", "granted", language=lang),
            {
                "actions": "Rajoitimme tietojesi käsittelyn säilyttämiseen, kunnes asia on "
                "selvitetty."
            },
        ),
    ),
    Case(
        "decision-portability",
        "decision",
        lambda lang, c: (
            _decided("portability", "granted", language=lang),
            {"files": FILES[:1], "download_days": 30},
        ),
    ),
    Case(
        "decision-objection",
        "decision",
        lambda lang, c: (
            _decided(
                "objection",
                "partly_granted",
                language=lang,
                details={"objection_direct_marketing": True, "objection_profiling": True},
                decision_reasons="Luottoriskin arviointi on välttämätöntä laskulla ostettaessa.",
            ),
            {"objections": [("direct_marketing", "accepted"), ("profiling", "refused")]},
        ),
    ),
    Case(
        "decision-direct-marketing",
        "decision",
        lambda lang, c: (
            _decided(
                "objection",
                "granted",
                language=lang,
                details={"objection_direct_marketing": True},
            ),
            {"objections": [("direct_marketing", "accepted")]},
        ),
    ),
    Case(
        "decision-refusal",
        "decision",
        lambda lang, c: (
            _decided(
                "access",
                "refused",
                language=lang,
                decision_reasons="Emme löytäneet rekisteristä sinua koskevia tietoja.",
            ),
            {},
        ),
    ),
    Case(
        "art19-notice",
        "art19",
        lambda lang, c: (
            _decided("erasure", "granted", language=lang),
            {
                "outcomes": [
                    (_recipient(c, 1, lang), "done", None),
                    (_recipient(c, 5, lang), "done", None),
                    (_recipient(c, 6, lang), "impossible", CLOSED_DOWN[lang]),
                ]
            },
        ),
    ),
)


def _recipient(content: Content, index: int, lang: str) -> str:
    """Return a recipient of the customer register named in `lang`, as the workflow does."""
    name = content.register("asiakasrekisteri").recipients[index].name
    return name[lang] if isinstance(name, dict) else str(name)


def text_lines(text: str) -> list[str]:
    """Return the non-blank lines of `text`, each with its spaces normalised."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def html_text(html: str) -> list[str]:
    """Return the text of a letter's body, one line per block, as a reader sees it."""
    body = BeautifulSoup(html, "html.parser").body
    assert body is not None
    return text_lines(body.get_text("\n"))


def pdf_text(pdf: bytes) -> list[str]:
    """Return the text pypdf reads back from a letter's PDF, page by page."""
    lines: list[str] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        lines.append(f"--- page {number} ---")
        lines += text_lines(page.extract_text())
    return lines


def render_case(case: Case, lang: str, content: Content) -> str:
    """Render one letter kind in `lang` and return its golden text."""
    request, context = case.make(lang, content)
    rendered = letters.render_letter(
        case.kind,
        request,
        lang,
        content=content,
        verify_url=VERIFY_URL.format(lang=lang),
        now=NOW,
        **context,
    )
    parts = [
        f"# {case.name} ({case.kind}), {lang}: text of the PDF as pypdf reads it",
        *pdf_text(rendered.pdf),
        "",
        f"# {case.name} ({case.kind}), {lang}: text of the HTML",
        *html_text(rendered.html),
    ]
    return "\n".join(parts) + "\n"


def render_all() -> dict[str, str]:
    """Return every golden file's name and text."""
    content = load_content(REPO_ROOT / "content")
    return {
        f"{case.name}.{lang}.txt": render_case(case, lang, content)
        for case in CASES
        for lang in LANGUAGES
    }


def compare(rendered: dict[str, str], golden: Path = GOLDEN) -> list[str]:
    """Return one readable problem per differing, missing or unexpected file (empty: identical)."""
    kept = {path.name: path for path in golden.glob("*.txt")} if golden.is_dir() else {}
    problems = [f"no longer rendered: {name}" for name in sorted(kept.keys() - rendered.keys())]
    problems += [f"not in {golden}: {name}" for name in sorted(rendered.keys() - kept.keys())]
    for name in sorted(rendered.keys() & kept.keys()):
        expected = kept[name].read_text(encoding="utf-8")
        if expected != rendered[name]:
            diff = difflib.unified_diff(
                expected.splitlines(),
                rendered[name].splitlines(),
                f"golden/{name}",
                f"rendered/{name}",
                lineterm="",
            )
            problems.append("\n".join(list(diff)[:DIFF_LINES]))
    return problems


HOW_TO_REGENERATE = (
    "The letters differ from tests/golden/letters/. If the change is intended, run "
    "`python -m tests.golden_letters regenerate` (make golden-letters) and review the diff."
)


def regenerate(golden: Path = GOLDEN) -> int:
    """Rewrite the golden letters; return how many files were written."""
    rendered = render_all()
    golden.mkdir(parents=True, exist_ok=True)
    for stale in golden.glob("*.txt"):
        if stale.name not in rendered:
            stale.unlink()
    for name, text in rendered.items():
        (golden / name).write_text(text, encoding="utf-8")
    return len(rendered)


def main(argv: list[str]) -> int:
    """Run `regenerate` or `check`."""
    if argv == ["regenerate"]:
        print(f"wrote {regenerate()} letters to {GOLDEN.relative_to(REPO_ROOT)}")
        return 0
    if argv == ["check"]:
        problems = compare(render_all())
        for problem in problems:
            print(problem)
        if problems:
            print(HOW_TO_REGENERATE)
        return 1 if problems else 0
    print("usage: python -m tests.golden_letters [regenerate|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
