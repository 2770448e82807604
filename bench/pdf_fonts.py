"""Benchmark what the wider fonts cost per PDF: the shipped subsets against the old Latin-only set.

    .venv/bin/python -m bench.pdf_fonts [--runs 9]

The old set (Latin, Latin-1 and Latin Extended-A with hinting, 356 glyphs) is made again in this
run from the same Noto Sans sources (Debian `fonts-noto-core`), so both sets are measured on the
same machine under the same load. Each set sits in a temporary copy of `static/` whose stylesheets
name only its TTF files, and renders, runs interleaved (old, new, old, new ...):

  notice    the seed register's Finnish PDF (the print variant of its page)
  receipt   a one-page receipt-like letter with a Latin name
  receipt, Cyrillic name   the same with "Иван Петров" (new set only: the old one cannot)

Medians, min and max, and the ratio new/old per document, land in bench/results/pdf_fonts.json.
"""

from __future__ import annotations

import argparse
import gc
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench._stats import (
    ROOT,
    TIMING_HEADERS,
    Check,
    Timing,
    ratio,
    table,
    timing_row,
    write_results,
)

SOURCE_DIR = Path("/usr/share/fonts/truetype/noto")

LEGACY_UNICODES: tuple[range, ...] = (
    range(0x0020, 0x007F),
    range(0x00A0, 0x0100),
    range(0x0100, 0x0180),
    range(0x2010, 0x2028),
    range(0x2030, 0x203B),
    range(0x20AC, 0x20AD),
    range(0x2122, 0x2123),
    range(0x2192, 0x2193),
    range(0x2212, 0x2213),
)
"""The code points of the fonts shipped before Greek, Cyrillic and Latin Extended-B."""

RECEIPT = """<!DOCTYPE html><html lang="fi"><head><title>Vastaanottokuittaus</title>
<link rel="stylesheet" href="static/css/letters.css"></head><body>
<h1>Vastaanottokuittaus</h1>
<p>Olemme vastaanottaneet pyyntösi 29.11.2026. Viite: <strong>ABCD-1234</strong>.</p>
<p>Nimi: {name}<br>Sähköposti: person@example.com</p>
<p>Vastaamme viimeistään 29.12.2026. Voit tarkistaa pyynnön tilan osoitteessa
https://example.com/fi/status.</p>
</body></html>"""


def legacy_fonts(target: Path) -> None:
    """Write the old subsets (hinted, Latin only) of every style into `target`."""
    from fontTools import subset

    from notice.fonts import STYLES

    target.mkdir(parents=True, exist_ok=True)
    unicodes = [code for block in LEGACY_UNICODES for code in block]
    for style in STYLES:
        options = subset.Options()
        options.layout_features = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        with subset.load_font(str(SOURCE_DIR / f"NotoSans-{style}.ttf"), options) as font:
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=unicodes)
            subsetter.subset(font)
            subset.save_font(font, str(target / f"NotoSans-{style}.ttf"), options)


def static_copy(root: Path, fonts: Callable[[Path], None]) -> Path:
    """Copy `static/css` under `root`, naming only TTF fonts, and let `fonts` fill its fonts."""
    css_dir = root / "static" / "css"
    shutil.copytree(ROOT / "static" / "css", css_dir)
    for css in css_dir.glob("*.css"):
        text = css.read_text("utf-8")
        # Only the TTF source, so that neither set pays for woff2 (the notice's fetcher skips it).
        text = re.sub(r'url\("([^"]+)\.woff2"\) format\("woff2"\),\s*', "", text)
        css.write_text(text, "utf-8")
    fonts(root / "static" / "fonts")
    return root


def shipped_fonts(target: Path) -> None:
    """Copy the shipped TTF subsets into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for path in (ROOT / "static" / "fonts").glob("*.ttf"):
        shutil.copy(path, target / path.name)


def notice_html() -> str:
    """Return the print HTML of the seed register's Finnish PDF."""
    from notice.build import plan_pdfs
    from notice.loader import load_content
    from notice.render import Renderer

    content = load_content(ROOT / "content")
    jobs = plan_pdfs(content, Renderer(content.site))
    return next(job.html for path, job in jobs.items() if path.startswith("fi/"))


def measure(step: Callable[[], object]) -> tuple[float, float]:
    """Run `step` once; return its wall-clock and CPU seconds."""
    gc.collect()
    cpu = time.process_time()
    start = time.perf_counter()
    step()
    return time.perf_counter() - start, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    """Render each document with both font sets, interleaved, and report medians and ratios."""
    from notice.pdf import render_pdf

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs per document and set")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="seloste-pdf-fonts-") as tmp:
        roots = {
            "old": static_copy(Path(tmp) / "old", legacy_fonts),
            "new": static_copy(Path(tmp) / "new", shipped_fonts),
        }
        documents = {
            "notice": (notice_html(), ("old", "new")),
            "receipt": (RECEIPT.format(name="Åsa Öberg"), ("old", "new")),
            "receipt, Cyrillic name": (RECEIPT.format(name="Иван Петров"), ("new",)),
        }
        timings: dict[tuple[str, str], Timing] = {}
        sizes: dict[tuple[str, str], int] = {}
        for document, (html, sets) in documents.items():
            steps = {}
            for name in sets:
                base_url = roots[name].as_uri() + "/"
                steps[name] = lambda html=html, base_url=base_url, title=document: render_pdf(
                    html, base_url, title=title, lang="fi"
                )
                timings[(document, name)] = Timing(f"{document}, {name} fonts")
                # One untimed run each: the first document of a process loads Pango and fontconfig.
                sizes[(document, name)] = len(steps[name]())
            for _ in range(args.runs):
                for name, step in steps.items():
                    wall, cpu = measure(step)
                    timings[(document, name)].seconds.append(wall)
                    timings[(document, name)].cpu_seconds.append(cpu)

    rows = []
    checks = []
    for (document, name), timing in timings.items():
        old = timings.get((document, "old"))
        cell = f"{ratio(timing, old):.2f}" if old is not None else "-"
        rows.append(timing_row(timing, cell, f"{sizes[(document, name)] / 1024:.0f} KiB"))
        if name == "new" and old is not None:
            label = f"{document}: new fonts / old fonts"
            checks.append(Check(label, ratio(timing, old), 1.25, "lower"))
    print(table([*TIMING_HEADERS, "÷ old", "PDF size"], rows))
    print()
    print(table(["target", "measured", "wanted", "verdict"], [c.describe() for c in checks]))
    path = write_results(
        "pdf_fonts",
        {
            "runs": args.runs,
            "timings": [
                {"document": d, "fonts": n, "bytes": sizes[(d, n)], **t.as_dict()}
                for (d, n), t in timings.items()
            ],
            "targets": [check.as_dict() for check in checks],
        },
    )
    print(f"\nresults: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
