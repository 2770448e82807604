"""URL fields take web addresses only: `javascript:` or `data:` in content never becomes a link."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from notice.loader import load_content
from notice.model import Register, Site, WebUrl
from tests.notice.test_loader import REGISTER, load_errors, write_content

SITE = """\
languages: [fi, en]
base_url: https://example.fi/
portal_url: https://example.fi/pyynnot/
controller:
  name: Oy Esimerkki Ab
  url: https://example.fi
contact:
  name: Tietosuoja
  url: https://example.fi/tietosuoja
supervisory_authority:
  name: {fi: Tietosuojavaltuutetun toimisto, en: Data Protection Ombudsman}
  url: https://tietosuoja.fi
consent:
  mechanism: {fi: Banneri, en: Banner}
  withdrawal: {fi: Asetukset, en: Settings}
  settings_url: https://example.fi/evasteet
"""

# (key as reported, the line of site.yaml that holds it)
URL_LINES = {
    "base_url": 2,
    "portal_url": 3,
    "controller.url": 6,
    "contact.url": 9,
    "supervisory_authority.url": 12,
    "consent.settings_url": 16,
}

HOSTILE = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/",
    "https:///no-host",
    "https://exa mple.fi/",
    "example.fi",
]


def _site_with(key: str, value: str) -> str:
    line = URL_LINES[key] - 1
    lines = SITE.splitlines()
    name = lines[line].split(":", 1)[0]
    lines[line] = f"{name}: {value!r}"
    return "\n".join(lines) + "\n"


def test_the_valid_site_loads(tmp_path: Path) -> None:
    content = load_content(write_content(tmp_path / "c", SITE, {"a.yaml": REGISTER}))
    assert content.site.consent is not None
    assert content.site.consent.settings_url == "https://example.fi/evasteet"


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("key", sorted(URL_LINES))
def test_a_url_field_refuses_anything_but_a_web_address(
    tmp_path: Path, key: str, value: str
) -> None:
    root = write_content(tmp_path / "c", _site_with(key, value), {"a.yaml": REGISTER})
    errors = load_errors(root)
    assert len(errors) == 1
    assert errors[0].startswith(f"{root}/site.yaml:{URL_LINES[key]}: {key}: ")
    assert "is not a web address" in errors[0]


@pytest.mark.parametrize("value", ["http://example.fi", "https://esimerkki.fi/ä?x=1#y"])
def test_http_and_https_are_accepted(tmp_path: Path, value: str) -> None:
    root = write_content(tmp_path / "c", _site_with("controller.url", value), {"a.yaml": REGISTER})
    assert load_content(root).site.controller.url == value


def _url_fields(model: type[BaseModel], seen: set[type] | None = None) -> list[tuple[str, object]]:
    """Return (model.field, annotation) of every field named like a URL, in nested models too."""
    seen = seen if seen is not None else set()
    if model in seen:
        return []
    seen.add(model)
    found = []
    for name, info in model.model_fields.items():
        if "url" in name.lower():
            found.append((f"{model.__name__}.{name}", info))
        for arg in _flatten(info.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                found += _url_fields(arg, seen)
    return found


def _flatten(annotation: object) -> list[object]:
    args = typing.get_args(annotation)
    return [annotation, *(item for arg in args for item in _flatten(arg))]


def test_every_url_field_of_the_model_is_a_web_url() -> None:
    fields = _url_fields(Site) + _url_fields(Register)
    assert len(fields) >= 6
    validator = typing.get_args(WebUrl)[1]
    for where, info in fields:
        assert validator in info.metadata or any(
            validator in typing.get_args(arg)[1:] for arg in _flatten(info.annotation)
        ), where
