"""Warm a portal process when it starts, so its first visitor does not wait for it.

A fresh process compiled every template it touched, loaded the message catalogs and the locale
data, and on the first confirmation imported WeasyPrint, started fontconfig and Pango and loaded
the letter fonts: 4.6 s for the first confirmation after a start or a deploy (issue 22). The app
factory (`create_app`) calls `warm_up` before the process serves anything: gunicorn without
`--preload` runs the factory in each worker after the fork, and the demo builds its app before it
listens. Tests (`TESTING`) and `WARM_UP = false` skip it; with gunicorn's `--preload`, turn it off
(WeasyPrint's native libraries are not fork-safe once loaded).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import time

from flask import Flask

from notice.loader import Content

log = logging.getLogger(__name__)


def warm_up(app: Flask) -> float:
    """Compile the portal's templates, load catalogs, locale data, fonts and the PDF renderer.

    Returns the seconds it took (logged). Changes nothing that a request could see.
    """
    start = time.perf_counter()
    _templates(app)
    with app.app_context():
        from portal.core import content

        site_content = content.content()
    _letters(tuple(str(code) for code in site_content.site.languages))
    try:
        _receipt_pdf(site_content)
    except Exception:  # noqa: BLE001 - a broken PDF renderer must not stop the portal
        # Letters still work as HTML and their PDFs are retried (notify.deliver_letters), as
        # without a warm-up; the failure is logged here, and recorded on the first letter.
        log.exception("warm-up: the receipt PDF failed; letters will retry their PDFs")
    seconds = time.perf_counter() - start
    log.info("warmed up in %.2f s: templates, catalogs, fonts, PDF renderer", seconds)
    return seconds


def set_aside_what_lasts() -> int:
    """Set aside from the cyclic garbage collector everything the process holds once it is
    warm (`gc.freeze`): the app, modules, compiled templates, catalogs, fonts. Returns how many
    objects that was.

    They live as long as the process, yet each full collection walked all of them again:
    about 200,000 objects, 130 ms in which the worker answered no one, at some submission
    every few thousand, and the younger collections went through more of them too (the
    collector's pauses during 3,000 submissions, in-process on SQLite: 285 ms before, 143 ms
    after; the slowest submission 135 ms before, 30 ms after). Objects made later are collected
    as always; what was set aside and is dropped later is freed by its reference count, unless
    it sits in a cycle: the content loaded at start, when an edit replaces it, leaves about 900
    such objects behind, once per edit.
    """
    gc.collect()  # nothing that is already garbage is set aside
    gc.freeze()
    return gc.get_freeze_count()


def _templates(app: Flask) -> None:
    """Compile the pages' and e-mails' templates into the app's Jinja cache."""
    env = app.jinja_env
    for name in env.list_templates(filter_func=lambda n: n.startswith(("portal/", "email/"))):
        env.get_template(name)


def _letters(languages: tuple[str, ...]) -> None:
    """Compile the letters (and what they extend, import and include) in every language, with
    their catalogs and date formats."""
    from portal.core import letters

    for lang in letters.LANGUAGES:
        env = letters.environment(lang, languages)
        for name in env.list_templates(filter_func=lambda n: n.startswith("letters/")):
            env.get_template(name)
        env.filters["date"](dt.date(2026, 1, 1))
        env.filters["datetime"](dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def _receipt_pdf(content: Content) -> None:
    """Make one receipt letter as PDF, sealed with a throw-away key, and drop it.

    A whole letter, not a line: the first layout of a letter's faces, sizes, grids and seal codes
    fills WeasyPrint's, Pango's and HarfBuzz's caches, which a one-line page left for the first
    visitor (0.6 s of the first receipt). Nothing is stored and the instance key is not used.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from portal.core import letters, seal
    from portal.core.models import DataRequest

    private = Ed25519PrivateKey.generate()
    request = DataRequest(
        reference="WARMUP000000",
        right="access",
        register_id=content.registers[0].id if content.registers else "-",
        language="fi",
        status="open",
        channel="web",
        name="Åsa Äijälä",
        email="asa@example.invalid",
        details={"what": "Kaikki minua koskevat tiedot."},
        signature_name="Åsa Äijälä",
        attested=True,
        created_at=dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC),
        received_at=dt.datetime(2026, 1, 1, 8, 5, tzinfo=dt.UTC),
        due_on=dt.date(2026, 2, 1),
        paused_days=0,
    )
    seal.seal_request(request, seal.SigningKey(private, seal.key_id(private.public_key())))
    html = letters.render_html(
        "receipt",
        request,
        "fi",
        content=content,
        verify_url="https://portal.invalid/verify",
        stylesheet=letters.WEB_STYLESHEET,
    )
    letters.letter_pdf("receipt", html, "fi", request)
