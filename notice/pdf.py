"""Render HTML to tagged, accessible PDF (PDF/UA-1) with WeasyPrint, with the notice's own font.

The PDF is made from the same templates as the page (a print variant), so the two cannot disagree.
Stylesheets and fonts are read from local files only: the fetcher refuses every other scheme, so a
PDF build never reaches the network. After rendering, the embedded fonts are checked: if the
shipped family did not load (a wrong path, a broken `@font-face`), WeasyPrint would silently fall
back to a system font, and the PDF would differ from the page; that fails the build instead. Text
the shipped subset cannot show (arrows, Arabic, Hebrew, CJK, emoji) comes from the declared
fallback families (`notice.fonts.FALLBACK_FAMILIES`), which are allowed beside it.
"""

from __future__ import annotations

import atexit
import gc
import io
import multiprocessing
import re
import threading
import zlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notice.fonts import CSS_FAMILY, EMOJI_FAMILY, FALLBACK_FAMILIES, FONTS_DIR

_FONTS_URL = FONTS_DIR.as_uri() + "/"


class PdfError(Exception):
    """A PDF could not be rendered as required."""


@dataclass(frozen=True)
class PdfJob:
    """One PDF to render: its HTML, the base URL for its relative links, and its metadata."""

    html: str
    base_url: str
    title: str
    lang: str


def render_pdf(
    html: str,
    base_url: str,
    *,
    title: str,
    lang: str,
    attachments: Sequence[tuple[str, str, str]] = (),
    style: PdfStyle | None = None,
) -> bytes:
    """Render `html` to a tagged PDF/UA-1 titled `title` in `lang`, embedding (name, text, doc).

    `style` adds a stylesheet parsed once (`pdf_style`) to the ones the HTML links.
    """
    from weasyprint import HTML, Attachment

    _tag_languages()
    fetcher = _fetcher()
    page = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    files = [Attachment(string=text, name=name, description=doc) for name, text, doc in attachments]

    def write(font_config: Any, stylesheets: list[Any]) -> bytes:
        document = page.render(stylesheets=stylesheets, font_config=font_config)
        # The template sets <title> and <html lang>; setting them here too keeps callers honest.
        document.metadata.title = title
        document.metadata.lang = lang
        return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, attachments=files)

    if style is None:
        from weasyprint.text.fonts import FontConfiguration

        # The document's own fonts (its `@font-face` rules), gone with the document.
        font_config = FontConfiguration()
        try:
            pdf = write(font_config, [])
        finally:
            remove_font_folder(font_config)
    else:
        with style.lock:
            pdf = write(style.font_config, [style.css])
    assert_font_embedded(pdf, CSS_FAMILY)
    return pdf


def remove_font_folder(font_config: Any) -> None:
    """Remove the temporary folder a WeasyPrint `FontConfiguration` keeps its fonts in, now.

    WeasyPrint copies every `@font-face` font into a `weasyprint-*` folder under the temporary
    directory and removes it only in the configuration's `__del__`. A rendered document holds its
    configuration in reference cycles, which a PDF worker process never collects: it ends with
    `os._exit` (multiprocessing, or `_exit_with_parent`), so no finaliser runs and every worker
    left its folders in /tmp (a build with PDFs left one per worker, the test suite 100 and more).
    Once the PDF is written the fonts are embedded in it; the folder can go.
    """
    import shutil

    folder = getattr(font_config, "_folder", None)
    font_config._folder = None  # its __del__ then has nothing left to remove
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


_LANG_TAGGING = threading.Lock()


def _tag_languages() -> None:
    """Make WeasyPrint give a structure element the language of its HTML element's `lang`.

    WeasyPrint 70 sets the document's language (the catalog's /Lang) only: a Swedish text that
    stands in for a missing Finnish one in a Finnish document (`<li lang="sv">`) was read aloud
    as Finnish. PDF/UA (ISO 14289-1, 7.2) asks for the language of each change; a structure
    element's /Lang states it. WeasyPrint builds the tree in `tags._build_box_tree`, which calls
    itself by its module name, so wrapping it once reaches every element.
    """
    import pydyf
    from weasyprint.pdf import tags

    with _LANG_TAGGING:
        build = getattr(tags, "_build_box_tree", None)
        if build is None or getattr(build, "seloste_lang", False):
            return  # another WeasyPrint: untagged changes of language, never a failed PDF

        def build_with_lang(box: Any, *args: Any) -> Any:
            element = getattr(box, "element", None)
            lang = None
            if element is not None and getattr(box, "element_tag", None) not in ("html", "body"):
                lang = element.get("lang")
            for struct in build(box, *args):
                if lang and "Lang" not in struct:
                    struct["Lang"] = pydyf.String(lang)
                yield struct

        build_with_lang.seloste_lang = True  # type: ignore[attr-defined]
        tags._build_box_tree = build_with_lang


@dataclass(frozen=True)
class PdfStyle:
    """A stylesheet parsed once, with the fonts its `@font-face` rules loaded (WeasyPrint's
    `CSS` and `FontConfiguration`), for documents that all use it.

    Parsing the stylesheet and loading four font faces is a third of a one-page letter's CPU
    time; a process that renders many letters does it once. Documents that share one font
    configuration are rendered one at a time (`lock`): WeasyPrint does not promise that two
    threads may use it at once.
    """

    css: Any
    font_config: Any
    lock: threading.Lock


_STYLES: dict[tuple[Path, int], PdfStyle] = {}
_STYLES_LOCK = threading.Lock()


def pdf_style(path: Path) -> PdfStyle:
    """Return the stylesheet at `path`, parsed once per process, with its fonts loaded.

    Keyed by process id too: a forked child makes its own (native font handles do not survive
    a fork).
    """
    import os

    key = (path, os.getpid())
    with _STYLES_LOCK:
        style = _STYLES.get(key)
        if style is None:
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            font_config = FontConfiguration()
            css = CSS(filename=str(path), font_config=font_config, url_fetcher=_fetcher())
            style = _STYLES[key] = PdfStyle(css, font_config, threading.Lock())
    return style


@atexit.register
def _release_styles() -> None:
    """Free the shared stylesheets and WeasyPrint's documents while the interpreter still runs.

    A `FontConfiguration` removes its temporary font folder in `__del__` with `shutil.rmtree`;
    one that lives until the interpreter tears its modules down (held in `_STYLES`, or in a
    cycle of a rendered document the collector has not reached) finds that name gone and prints
    "Exception ignored in: <function FontConfiguration.__del__>" after an otherwise clean exit,
    leaving its folder in /tmp. atexit runs before the teardown, so both go quietly here.
    """
    import gc
    import os

    with _STYLES_LOCK:
        for (_path, pid), style in _STYLES.items():
            # A forked child inherits its parent's styles: their fonts are the parent's to remove.
            if pid == os.getpid():
                remove_font_folder(style.font_config)
        _STYLES.clear()
    gc.collect()


def _fetcher() -> Any:
    """Return the URL fetcher of a PDF: local files only, our fonts as TrueType.

    `notice.css` lists each face as woff2 (for browsers) before TTF (meant for the PDF), but
    WeasyPrint takes the first source it can read and decompresses the woff2 for every document,
    a third of a notice's rendering time. The TTF beside it holds the same subset, so asking for
    one of our woff2 files fetches the TTF instead.
    """
    from weasyprint.urls import URLFetcher

    class Fetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(_FONTS_URL) and url.endswith(".woff2"):
                ttf = url.removesuffix(".woff2") + ".ttf"
                if (FONTS_DIR / ttf.removeprefix(_FONTS_URL)).is_file():
                    url = ttf
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


def embedded_fonts(pdf: bytes) -> set[str]:
    """Return the base names of the fonts a PDF embeds (subset prefixes removed)."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    names: set[str] = set()

    def walk(resources: Any) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for ref in resources.get("/Font", DictionaryObject()).get_object().values():
            base = str(ref.get_object().get("/BaseFont", ""))
            names.add(base.lstrip("/").split("+", 1)[-1])
        # Text can also sit in form XObjects, which carry resources of their own.
        for ref in resources.get("/XObject", DictionaryObject()).get_object().values():
            walk(ref.get_object().get("/Resources"))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        walk(page.get("/Resources"))
    return names


_STREAM_START = re.compile(rb"stream\r?\n")
_BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()]+)")


def font_names(pdf: bytes) -> set[str]:
    """Return the base names of every font dictionary in `pdf` (subset prefixes removed).

    What `embedded_fonts` finds, without parsing the document: font dictionaries sit in the file
    or, compressed, in object streams, so every Flate stream is inflated (zlib stops at its end)
    and searched for `/BaseFont`. Walking the pages with pypdf took 0.4–1.8 s for a 24-page
    records PDF; this takes milliseconds, and it runs after every PDF the build renders.
    """
    found = set(_BASE_FONT.findall(pdf))
    view = memoryview(pdf)
    for start in _STREAM_START.finditer(pdf):
        try:
            found.update(_BASE_FONT.findall(zlib.decompressobj().decompress(view[start.end() :])))
        except zlib.error:
            continue  # not a Flate stream (or not a stream at all)
    return {name.decode("latin-1").split("+", 1)[-1] for name in found}


def _of_family(name: str, family: str) -> bool:
    # PDF font names replace spaces with hyphens and may add a style (`Seloste-Noto-Sans-Bold`).
    plain = name.replace("-", " ")
    return plain == family or plain.startswith(family + " ")


def assert_font_embedded(
    pdf: bytes, family: str, fallbacks: Sequence[str] = (*FALLBACK_FAMILIES, EMOJI_FAMILY)
) -> None:
    """Raise PdfError unless `pdf` embeds `family` and otherwise only fonts of `fallbacks`."""
    fonts = font_names(pdf)
    allowed = (family, *fallbacks)
    strangers = sorted(name for name in fonts if not any(_of_family(name, f) for f in allowed))
    if strangers or not any(_of_family(name, family) for name in fonts):
        found = ", ".join(sorted(fonts)) or "none"
        raise PdfError(f"PDF must embed {family} and only its fallbacks; it embeds: {found}")


def _render_job(job: PdfJob) -> bytes:
    return render_pdf(job.html, job.base_url, title=job.title, lang=job.lang)


_POOL: tuple[int, ProcessPoolExecutor] | None = None
"""The PDF workers of this process and their number, kept warm from one build to the next."""


def _pool(workers: int) -> ProcessPoolExecutor:
    """Return a pool of `workers` PDF processes, reusing the last build's while it is sound.

    A worker's first document costs more than the next (fontconfig, Pango and WeasyPrint warm
    up); a process that builds again (`notice serve`, tests, benchmarks) keeps its workers warm,
    as a single-process build keeps itself warm.
    """
    global _POOL
    if _POOL is not None:
        size, pool = _POOL
        if size == workers and not getattr(pool, "_broken", False):
            return pool
        pool.shutdown(wait=True)
        _POOL = None
    # Not plain fork: WeasyPrint's native libraries are not fork-safe once loaded in the parent. A
    # fork server that has imported WeasyPrint once starts each worker without importing it again.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["weasyprint", "notice.pdf"])
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_exit_with_parent
    )
    _POOL = (workers, pool)
    return pool


def _exit_with_parent() -> None:
    """Make this worker exit when the process that started it is gone (killed, even by SIGKILL).

    A worker would otherwise wait for jobs for ever: it holds its own queue's writing end, and
    the fork server's lifeline too, so neither closes. multiprocessing keeps a pipe to the
    starting process whose end closes when that process dies; a daemon thread waits on it.
    Linux's PR_SET_PDEATHSIG would do the same but is not portable.
    """
    import os
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - only ever run in a worker
        return

    def watch() -> None:
        parent.join()  # returns when the starting process has ended
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def stop_workers() -> None:
    """Stop the PDF worker processes now (a process that builds once need not keep them warm);
    the next build starts new ones.

    The pool's queues hold named semaphores, which the resource tracker reports as leaked unless
    their finalisers run; a collection runs them now, not at an interpreter ending that a quick
    exit (`notice.quick_exit`) skips."""
    if _POOL is None:
        return
    _shutdown_pool()
    gc.collect()


@atexit.register
def _shutdown_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL[1].shutdown(wait=True, cancel_futures=True)
        _POOL = None


def render_pdfs(jobs: Sequence[PdfJob], workers: int) -> list[bytes]:
    """Render PDFs in up to `workers` processes, in the order given."""
    if workers <= 1 or len(jobs) <= 1:
        return [_render_job(job) for job in jobs]
    pool = _pool(workers)
    try:
        return list(pool.map(_render_job, jobs))
    except BrokenProcessPool:
        _shutdown_pool()  # a worker died: the next build starts new ones
        raise
