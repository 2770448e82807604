"""A recipient's role is not repeated when its name already says it.

The default customer register names a recipient "Myndigheter, såsom Skatteförvaltningen" with the
role `public_authority`, whose label is "Myndighet": the records of processing read "Myndigheter,
såsom Skatteförvaltningen (Myndighet, Finland)" and the access letter (`portal.core.art15`, the
same rule, `notice.render.role_repeats_name`) "… (Finland) — Myndighet", in fi and en alike.
A role the name does not say ("Verohallinto", an authority) is still given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from notice.loader import Content, load_content
from notice.records.output import render_records
from notice.render import role_repeats_name
from tests import REPO_ROOT
from tests.notice.records_content import REGISTER, SITE, records_text, write_content

TODAY = dt.date(2026, 12, 4)

SAID = {
    "fi": ("Viranomaiset, kuten Verohallinto (Suomi)", "Viranomainen"),
    "sv": ("Myndigheter, såsom Skatteförvaltningen (Finland)", "Myndighet"),
    "en": ("Authorities, such as the Finnish Tax Administration (Finland)", "Authority"),
}
"""The recipient as the records give it now, and the role label it no longer repeats."""


@pytest.mark.parametrize(
    ("name", "role", "repeats"),
    [
        ("Myndigheter, såsom Skatteförvaltningen", "Myndighet", True),
        ("Viranomaiset, kuten Verohallinto", "Viranomainen", True),
        ("Authorities, such as the Finnish Tax Administration", "Authority", True),
        ("Myndigheten för digital förvaltning", "Myndighet", True),
        ("Independent controllers such as banks", "Independent controller", True),
        ("Henkilötietojen käsittelijät", "Henkilötietojen käsittelijä", True),
        ("Verohallinto", "Viranomainen", False),
        ("Kanta Services (Kela)", "Authority", False),
        ("Authorised dealers", "Authority", False),
        ("Processors", "Processor acting on our behalf", False),
        ("Google LLC", "Sub-processor acting on our processor's behalf", False),
    ],
)
def test_role_repeats_name(name: str, role: str, repeats: bool) -> None:
    assert role_repeats_name(name, role) is repeats


@pytest.fixture(scope="module")
def default() -> Content:
    return load_content(REPO_ROOT / "content")


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "html", "pdf"])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_records_do_not_repeat_the_authority(default: Content, fmt: str, lang: str) -> None:
    text = records_text(render_records(default, fmt, lang, today=TODAY)[0], fmt, lang)
    said, role = SAID[lang]
    assert said in text
    name = said.rsplit(" (", 1)[0]
    assert f"{name} ({role}" not in text


def test_a_role_the_name_does_not_say_is_kept(tmp_path: Path) -> None:
    register = {
        **REGISTER,
        "recipients": [
            {
                "name": {"sv": "Skatteförvaltningen", "en": "Tax Administration"},
                "role": "public_authority",
                "country": "FI",
            },
            {
                "name": {"sv": "Myndigheter", "en": "Authorities"},
                "role": "public_authority",
                "country": "FI",
            },
        ],
    }
    content = load_content(write_content(tmp_path, SITE, register))
    text = records_text(render_records(content, "xlsx", "sv", today=TODAY)[0], "xlsx", "sv")
    assert "Skatteförvaltningen (Myndighet, Finland)" in text
    assert "Myndigheter (Finland)" in text
    english = records_text(render_records(content, "xlsx", "en", today=TODAY)[0], "xlsx", "en")
    assert "Tax Administration (Authority, Finland)" in english
    assert "Authorities (Finland)" in english
