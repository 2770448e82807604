"""Warm-up at start: a served app has its templates compiled and its PDF renderer loaded before
its first visitor; tests and commands skip it (issue 22)."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable

from flask import Flask
from jinja2 import Environment

from notice import pdf
from portal import catalogs
from portal.core import content, letters


def compiled(env: Environment) -> set[str]:
    """Return the names of the templates in `env`'s cache (compiled, not read again)."""
    assert env.cache is not None
    return {name for _loader, name in env.cache.keys()}  # type: ignore[misc]


def forget_compiled() -> None:
    """Start from cold caches, as a fresh process does."""
    letters.environment.cache_clear()
    pdf._STYLES.clear()


def test_a_served_app_is_warm_before_its_first_request(make_app: Callable[..., Flask]) -> None:
    forget_compiled()
    app = make_app(TESTING=False, WARM_UP=True)
    pages = compiled(app.jinja_env)
    assert "portal/intake/form.html" in pages
    assert "portal/intake/confirm.html" in pages
    assert "email/receipt/body.html" in pages
    with app.app_context():
        languages = tuple(str(code) for code in content.content().site.languages)
    for lang in catalogs.LANGUAGES:
        names = compiled(letters.environment(lang, languages))
        assert {"letters/receipt.html", "letters/base.html", "letters/_titles.html"} <= names
    assert (letters.LETTERS_CSS, os.getpid()) in pdf._STYLES


def test_tests_and_warm_up_off_leave_the_work_to_the_first_request(
    make_app: Callable[..., Flask],
) -> None:
    forget_compiled()
    for app in (make_app(), make_app(TESTING=False, WARM_UP=False)):
        assert "portal/intake/form.html" not in compiled(app.jinja_env)
    assert not pdf._STYLES


def test_a_served_app_sets_aside_what_it_made_at_start(make_app: Callable[..., Flask]) -> None:
    # What the warm app holds is no longer walked by each full collection: its compiled
    # templates and the app itself are set aside (frozen), and a full collection then looks
    # at a small part of the objects.
    gc.collect()
    gc.unfreeze()
    try:
        app = make_app(TESTING=False, WARM_UP=True)
        frozen = gc.get_freeze_count()
        assert frozen > 50_000
        walked = len(gc.get_objects())
        assert walked < frozen / 4
        env_ids = {id(obj) for obj in gc.get_objects()}
        assert id(app) not in env_ids and id(app.jinja_env) not in env_ids
    finally:
        gc.unfreeze()


def test_tests_and_warm_up_off_set_nothing_aside(make_app: Callable[..., Flask]) -> None:
    gc.unfreeze()
    make_app()
    make_app(TESTING=False, WARM_UP=False)
    assert gc.get_freeze_count() == 0
