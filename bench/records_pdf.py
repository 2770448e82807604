"""Benchmark the records of processing as PDF: the default content, against the old document.

    .venv/bin/python -m bench.records_pdf [--runs 5] [--old-runs 3] [--lang fi]

Rows (medians of wall-clock seconds, with min, max and this process's CPU time):

  records pdf   `render_records(content, "pdf", lang)`: what `notice records --format pdf` does
                after loading the content (10 activities, 24 A4 landscape pages)
  old document  the same HTML as the code before this change made it, in the same run: the emoji
                font named in the font stack (Pango then shaped every digit with it) and the record
                tables in automatic layout (each cell measured for its narrowest width), rendered
                with `notice.pdf.render_pdf` plus the old font check (pypdf walking every page)
  records html  the same records as HTML: the floor of everything but the PDF

Target: records pdf ≤ 3 s (issue 22). The ratio old/new is reported, as is the CPU time, which on
a busy shared machine says what the document costs when the wall clock mostly shows others' load.
Results land in bench/results/records_pdf.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from bench._stats import (
    ROOT,
    TIMING_HEADERS,
    Check,
    ratio,
    table,
    time_runs,
    timing_row,
    write_results,
)

TODAY = dt.date(2026, 12, 4)
TARGET_SECONDS = 3.0
FIXED_LAYOUT = ".record { table-layout: fixed; }"


def old_html(html: str) -> str:
    """Return the records HTML as the old code made it: emoji font named, tables in auto layout."""
    from notice.fonts import EMOJI_FAMILY
    from notice.records.document import FONT_STACK

    if FIXED_LAYOUT not in html or str(FONT_STACK) not in html:
        raise SystemExit("the records stylesheet changed; update bench/records_pdf.py")
    old_stack = f'{FONT_STACK}, "{EMOJI_FAMILY}"'
    return html.replace(FIXED_LAYOUT, "").replace(str(FONT_STACK), old_stack)


def main(argv: list[str] | None = None) -> int:
    """Time the records PDF, the old document and the HTML; print medians, ratios and targets."""
    from notice.loader import load_content
    from notice.pdf import embedded_fonts, render_pdf
    from notice.records.document import PDF_BASE_URL
    from notice.records.output import render_records

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the records PDF")
    parser.add_argument("--old-runs", type=int, default=3, help="timed runs of the old document")
    parser.add_argument("--lang", default="fi", choices=("fi", "sv", "en"))
    args = parser.parse_args(argv)

    content = load_content(ROOT / "content")
    new_pdf, count = render_records(content, "pdf", args.lang, today=TODAY)  # warms Pango/fonts
    html = render_records(content, "html", args.lang, today=TODAY)[0].decode()
    new_html, title = print_html(content, args.lang)
    pdf_html = old_html(new_html)

    def old_document() -> bytes:
        pdf = render_pdf(pdf_html, PDF_BASE_URL, title=title, lang=args.lang)
        embedded_fonts(pdf)  # the old font check walked every page with pypdf
        return pdf

    old_pdf = old_document()
    timings = {
        "new": time_runs(
            "records pdf",
            lambda: render_records(content, "pdf", args.lang, today=TODAY),
            runs=args.runs,
        ),
        "old": time_runs("old document", old_document, runs=args.old_runs),
        "html": time_runs(
            "records html",
            lambda: render_records(content, "html", args.lang, today=TODAY),
            runs=args.runs,
        ),
    }
    new, old = timings["new"], timings["old"]
    sizes = {"new": len(new_pdf), "old": len(old_pdf), "html": len(html.encode())}
    rows = [
        timing_row(timing, f"{ratio(timing, new):.2f}", f"{sizes[key] / 1024:.0f} KiB")
        for key, timing in timings.items()
    ]
    checks = [
        Check("records pdf median", new.median, TARGET_SECONDS, "lower", unit="s"),
        Check("old document / records pdf", ratio(old, new), 1.0, "higher"),
    ]
    print(f"records of processing, default content: {count} activities, {args.lang}\n")
    print(table([*TIMING_HEADERS, "÷ new", "size"], rows))
    print()
    print(table(["target", "measured", "wanted", "verdict"], [c.describe() for c in checks]))
    path = write_results(
        "records_pdf",
        {
            "lang": args.lang,
            "activities": count,
            "timings": [
                {"step": key, "bytes": sizes[key], **timing.as_dict()}
                for key, timing in timings.items()
            ],
            "targets": [check.as_dict() for check in checks],
        },
    )
    print(f"\nresults: {path.relative_to(ROOT)}")
    return 0 if all(check.met for check in checks) else 1


def print_html(content: object, lang: str) -> tuple[str, str]:
    """Return the (HTML, title) that `notice records --format pdf` hands to the PDF renderer."""
    import notice.pdf
    from notice.records.output import render_records

    real = notice.pdf.render_pdf
    seen: dict[str, str] = {}

    def capture(html: str, base_url: str, *, title: str, lang: str, **kwargs: object) -> bytes:
        seen.update(html=html, title=title)
        return real(html, base_url, title=title, lang=lang, **kwargs)  # type: ignore[arg-type]

    notice.pdf.render_pdf = capture  # type: ignore[assignment]
    try:
        render_records(content, "pdf", lang, today=TODAY)  # type: ignore[arg-type]
    finally:
        notice.pdf.render_pdf = real
    return seen["html"], seen["title"]


if __name__ == "__main__":
    sys.exit(main())
