"""Benchmark a letter PDF, warm: the receipt letter a person gets, in fi, sv and en.

    .venv/bin/python -m bench.letter_pdf [--runs 15]

Rows (medians of wall-clock seconds, with min, max and this process's CPU time), each after one
untimed run in the same process (fontconfig, Pango and the templates are loaded then):

  receipt <lang>   `letters.render_letter("receipt", …)`: the letter's HTML from its template and
                   the tagged PDF/UA-1 with the signed JSON receipt embedded and the font check
  html only        the same letter's HTML (what staff preview)
  floor            `notice.pdf.render_pdf` of a one-paragraph page with the letters' stylesheet
                   (parsed once per process, as letters have it): the fixed cost of the PDF
                   pipeline that every letter pays

Target: a letter PDF ≤ 150 ms warm (issue 22), judged on the median of the slowest language.
`÷ floor` shows how much of a letter is its own content. Results: bench/results/letter_pdf.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from bench._stats import (
    ROOT,
    TIMING_HEADERS,
    Check,
    Timing,
    ratio,
    table,
    time_runs,
    timing_row,
    write_results,
)

TARGET_SECONDS = 0.150
FLOOR_HTML = """<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>Kirje</title>
</head><body><p>Hei.</p></body></html>"""


def sealed_request(instance: Path, language: str) -> object:
    """Return a confirmed, sealed access request (not stored: a letter needs no database)."""
    from portal.core import seal
    from portal.core.models import DataRequest

    request = DataRequest(
        reference="R7KQ2M9XW4HT",
        right="access",
        register_id="asiakasrekisteri",
        language=language,
        status="open",
        name="Åsa Äijälä",
        email="asa.aijala@example.fi",
        phone="040 123 4567",
        customer_number="A-1001",
        details={"what": "Kaikki minua koskevat tiedot, myös lokit.", "copy": True},
        signature_name="Åsa Äijälä",
        attested=True,
        created_at=dt.datetime(2026, 11, 30, 8, 29, 1, tzinfo=dt.UTC),
        received_at=dt.datetime(2026, 11, 30, 8, 30, tzinfo=dt.UTC),
        due_on=dt.date(2026, 12, 30),
        paused_days=0,
    )
    seal.seal_request(request, seal.load_or_create_key(instance))
    return request


def main(argv: list[str] | None = None) -> int:
    """Time the receipt letter in each language, its HTML and the pipeline's floor."""
    from notice.pdf import pdf_style, render_pdf
    from portal.core import letters
    from portal.core.paths import STATIC_DIR

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per step")
    args = parser.parse_args(argv)

    from notice.loader import load_content

    context = {
        "content": load_content(ROOT / "content"),
        "verify_url": "https://portal.example/requests/fi/verify",
        "stylesheet": "/static/css/letters.css",
    }
    base_url = STATIC_DIR.as_uri() + "/"
    timings: dict[str, Timing] = {}
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="seloste-letter-bench-") as instance:
        for lang in letters.LANGUAGES:
            request = sealed_request(Path(instance), lang)

            def letter(request: object = request, lang: str = lang) -> bytes:
                rendered = letters.render_letter("receipt", request, lang, **context)  # type: ignore[arg-type]
                return rendered.pdf

            sizes[f"receipt {lang}"] = len(letter())  # untimed: warms templates and fonts
            timings[f"receipt {lang}"] = time_runs(f"receipt {lang}", letter, runs=args.runs)
        request = sealed_request(Path(instance), "fi")
        timings["html only"] = time_runs(
            "html only (fi)",
            lambda: letters.render_html("receipt", request, "fi", **context),  # type: ignore[arg-type]
            runs=args.runs,
        )

    def floor() -> bytes:
        style = pdf_style(letters.LETTERS_CSS)  # as letters have it: parsed once per process
        return render_pdf(FLOOR_HTML, base_url, title="Kirje", lang="fi", style=style)

    sizes["floor"] = len(floor())
    timings["floor"] = time_runs("floor (one paragraph)", floor, runs=args.runs)

    floor_timing = timings["floor"]
    rows = [
        timing_row(
            timing,
            f"{ratio(timing, floor_timing):.2f}",
            f"{sizes[key] / 1024:.0f} KiB" if key in sizes else "-",
            f"{timing.cpu_median * 1000:.0f} ms",
        )
        for key, timing in timings.items()
    ]
    slowest = max(
        (t for k, t in timings.items() if k.startswith("receipt")), key=lambda t: t.median
    )
    checks = [
        Check(
            f"{slowest.label} median (slowest)", slowest.median, TARGET_SECONDS, "lower", unit="s"
        )
    ]
    print(table([*TIMING_HEADERS, "÷ floor", "size", "cpu"], rows))
    print()
    print(table(["target", "measured", "wanted", "verdict"], [c.describe() for c in checks]))
    path = write_results(
        "letter_pdf",
        {
            "timings": [
                {"step": key, "bytes": sizes.get(key), **timing.as_dict()}
                for key, timing in timings.items()
            ],
            "targets": [check.as_dict() for check in checks],
        },
    )
    print(f"\nresults: {path.relative_to(ROOT)}")
    return 0 if all(check.met for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
