"""Every message shape `notice.load_messages` translates comes out of the loader for real input.

Each case below writes content with one mistake and loads it as `notice check` and `notice
build` do; the messages it gets must use the shape named (and no message may fall back to
English by accident). Together the cases use every shape of the table, so a message reworded in
the loader, the model or the slug check fails here instead of silently staying English under
`--lang fi`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from notice.checking import refuse_bad_slugs
from notice.load_messages import ALL_SHAPES, SHAPES, shapes_used, translate
from notice.loader import ContentError, LoadError, load_content
from tests.notice.fixtures_checks import R, S, build, write_content

Edit = Callable[[dict[str, Any], dict[str, Any]], None]
After = Callable[[Path], None]

REGISTER = "registers/asiakkaat.yaml"


def _edits(*edits: Edit) -> Edit:
    def edit(site: dict[str, Any], register: dict[str, Any]) -> None:
        for one in edits:
            one(site, register)

    return edit


def _clean(site: dict[str, Any], register: dict[str, Any]) -> None:
    """Leave the content as it is."""


def _drop(key: str) -> Edit:
    def edit(site: dict[str, Any], register: dict[str, Any]) -> None:
        del register[key]

    return edit


def _write(path: str, data: bytes | str) -> After:
    def after(root: Path) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return after


def _remove(path: str) -> After:
    def after(root: Path) -> None:
        (root / path).unlink()

    return after


def _register_text(old: str, new: str) -> After:
    """Replace `old` in the register file's YAML with `new` (for mistakes YAML cannot dump)."""

    def after(root: Path) -> None:
        path = root / REGISTER
        text = path.read_text("utf-8")
        assert old in text, text
        path.write_text(text.replace(old, new, 1), "utf-8")

    return after


def _twin(**changes: Any) -> Edit:
    """Write a copy of the register beside it as `toinen.yaml`, with `changes`."""

    def edit(site: dict[str, Any], register: dict[str, Any]) -> None:
        twin = copy.deepcopy(register)
        twin.update({"id": "toinen", "slug": {"fi": "toinen", "en": "other"}} | changes)
        register["_twins"] = [twin]

    return edit


def _twin_file(**changes: Any) -> After:
    """Write a copy of the register as registers/toinen.yaml whatever its id."""

    def after(root: Path) -> None:
        import yaml

        _, register = build(_clean)
        register.update(changes)
        text = yaml.safe_dump(register, allow_unicode=True, sort_keys=False)
        (root / "registers" / "toinen.yaml").write_text(text, "utf-8")

    return after


_THEME_LOGO = S("theme", {"logo": "logo.svg"})
_SVG = '<svg xmlns="http://www.w3.org/2000/svg">{}</svg>'
_SITE_TEXT = {"fi": "Teksti.", "en": "Text."}
_TRANSFER = {
    "recipient": "Google LLC",
    "country": "US",
    "mechanism": "adequacy",
    "details": _SITE_TEXT,
}
_PURPOSE = {
    "description": {"fi": "Tilausten toimittaminen.", "en": "Delivering orders."},
    "legal_basis": "contract",
}
_DECISION = {"description": _SITE_TEXT}
_LAUGHS = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{before}'] * 10)}]\n"
    for before, name in zip("abcd", "bcde", strict=True)
)

# shape (and the pieces it uses) → the mistake: an edit of the clean content, then file changes.
CASES: dict[tuple[str, ...], tuple[Edit, tuple[After, ...]]] = {
    ("not-utf8-utf16",): (_clean, (_write(REGISTER, "id: x\n".encode("utf-16")),)),
    ("not-utf8-byte",): (_clean, (_write(REGISTER, b"id: caf\xe9\n"),)),
    ("file-not-found",): (_clean, (_remove("site.yaml"),)),
    ("file-empty",): (_clean, (_write(REGISTER, ""),)),
    ("yml-suffix",): (_clean, (_write("registers/vanha.yml", "id: vanha\n"),)),
    ("no-registers",): (_clean, (_remove(REGISTER),)),
    ("tab-indent",): (_clean, (_write(REGISTER, "id: x\nname:\n\tfi: a\n"),)),
    ("invalid-yaml",): (_clean, (_write(REGISTER, "id: x\nname: !!int nine\n"),)),
    # YAML syntax (notice/yaml_errors.py); tests/notice/test_yaml_mistakes.py has them at length.
    ("yaml-quote-open",): (_clean, (_write(REGISTER, 'id: x\nname: "abc\n'),)),
    ("yaml-after-quoted", "fix-single-quotes"): (
        _clean,
        (_write(REGISTER, 'id: x\nname:\n  fi: "Oy" Ab\n'),),
    ),
    ("yaml-after-quoted", "fix-double-quotes"): (
        _clean,
        (_write(REGISTER, "id: x\nname:\n  fi: 'Oy' Ab\n"),),
    ),
    ("yaml-after-quoted", "fix-apostrophe"): (
        _clean,
        (_write(REGISTER, "id: x\nname:\n  en: 'Esa's shop'\n"),),
    ),
    ("yaml-escape",): (_clean, (_write(REGISTER, 'id: x\nname:\n  fi: "a\\q"\n'),)),
    ("yaml-bracket-open",): (_clean, (_write(REGISTER, "slug: [a, b\nid: x\n"),)),
    ("yaml-missing-comma",): (_clean, (_write(REGISTER, "slug: {fi: a en: b}\nid: x\n"),)),
    ("yaml-wrong-closer",): (_clean, (_write(REGISTER, "slug: [a, b}\nid: x\n"),)),
    ("yaml-extra-closer",): (_clean, (_write(REGISTER, "slug: [a, b]]\nid: x\n"),)),
    ("yaml-dash-space",): (
        _clean,
        (_write(REGISTER, "id: x\npurposes:\n  - id: a\n  -id: b\n"),),
    ),
    ("yaml-key-on-line",): (
        _clean,
        (_write(REGISTER, "id: x\nname:\n  fi: Nimi en: Name\n"),),
    ),
    ("yaml-not-under-empty-key",): (
        _clean,
        (_write(REGISTER, "id: x\nname:\nfi: Nimi\n  en: Name\n"),),
    ),
    ("yaml-item-on-key-line",): (
        _clean,
        (_write(REGISTER, "id: x\npurposes:\n  - legal_bases: - contract\n"),),
    ),
    ("yaml-key-at-dash",): (
        _clean,
        (_write(REGISTER, "id: x\npurposes:\n  - id: a\n  legal_basis: consent\n"),),
    ),
    ("yaml-block-header",): (_clean, (_write(REGISTER, "id: x\nname:\n  fi: >- Nimi\n"),)),
    ("yaml-reserved-start",): (_clean, (_write(REGISTER, "id: x\nname:\n  fi: *Nimi*\n"),)),
    ("yaml-no-space",): (_clean, (_write(REGISTER, "id: x\nname:\n  fi:Nimi\n  en: N\n"),)),
    ("yaml-no-colon",): (_clean, (_write(REGISTER, "id: x\nname\n  fi: Nimi\n"),)),
    ("yaml-colon-typo",): (_clean, (_write(REGISTER, "id: x\nname:\n  fi; Nimi\n  en: N\n"),)),
    ("yaml-no-key",): (_clean, (_write(REGISTER, "id: x\nname:\n  Nimi\n  en: Name\n"),)),
    ("yaml-continued",): (
        _clean,
        (_write(REGISTER, "id: x\nname:\n  fi: Asiakas\n  rekisteri\n  en: Name\n"),),
    ),
    ("yaml-colon-in-text", "after-word"): (_clean, (_write(REGISTER, "id: x\nname: a: b\n"),)),
    ("yaml-deeper-or",): (
        _clean,
        (
            _write(
                REGISTER,
                "purposes:\n  - id: a\n    legal_basis: consent\nretention: x\n"
                "    legal_bases: [contract]\n",
            ),
        ),
    ),
    ("yaml-deeper",): (_clean, (_write(REGISTER, "id: x\nname: Nimi\n  fi: Nimi\n"),)),
    ("yaml-language-under-braces",): (
        _clean,
        (_write(REGISTER, "id: x\nname: {fi: Nimi, en: Name}\n  sv: Namn\n"),),
    ),
    ("yaml-under-indented",): (
        _clean,
        (_write(REGISTER, "id: x\nname:\n  fi: Nimi\nsv: Namn\n  en: Name\n"),),
    ),
    ("yaml-block-text-indent",): (
        _clean,
        (_write(REGISTER, "id: x\nname:\n  fi: >-\n     Asiakas-\n    rekisteri\n"),),
    ),
    ("yaml-key-level",): (_clean, (_write(REGISTER, "id: x\nname:\n  fi: Nimi\n en: N\n"),)),
    ("yaml-item-indent",): (
        _clean,
        (_write(REGISTER, "id: x\npurposes:\n  - id: a\n   - id: b\n"),),
    ),
    ("yaml-stray-dash",): (_clean, (_write(REGISTER, "id: x\nname:\n  fi: Nimi\n  - en: N\n"),)),
    ("yaml-second-document",): (_clean, (_write(REGISTER, "id: x\n---\nid: y\n"),)),
    # What no rule tells keeps the parser's problem, translated, and a hint.
    ("invalid-yaml", "hint-indent-block"): (
        _clean,
        (_write(REGISTER, 'id: x\nname:\n  fi: "Nimi"\n   jatkuu\n'),),
    ),
    ("invalid-yaml", "hint-colon-in-value"): (
        _clean,
        (_write(REGISTER, 'id: x\nname: "Oy": x\n'),),
    ),
    ("too-many-values",): (_clean, (_write(REGISTER, _LAUGHS),)),
    ("too-deep",): (_clean, (_write(REGISTER, "id: " + "[" * 70 + "]" * 70 + "\n"),)),
    ("duplicate-key",): (_clean, (_register_text("id: asiakkaat\n", "id: a\nid: asiakkaat\n"),)),
    ("key-not-word",): (_clean, (_register_text("id: asiakkaat\n", "id: asiakkaat\n~: 1\n"),)),
    ("top-not-mapping",): (_clean, (_write(REGISTER, "- id: x\n"),)),
    ("unknown-key-elsewhere",): (R("legal_basis", "contract"), ()),
    ("unknown-key", "did-you-mean"): (R("nam", "x"), ()),
    ("missing-key",): (_drop("name"), ()),
    ("not-a-date",): (R("prepared", "3. lokakuuta"), ()),
    ("one-not-list",): (R("purposes.0.legal_basis", ["contract", "consent"]), ()),
    ("not-one-of", "did-you-mean"): (R("purposes.0.legal_basis", "contrat"), ()),
    ("expected-language-map",): (R("retention", "Kymmenen vuotta."), ()),
    ("expected-mapping",): (R("security", 5), ()),
    ("expected-list",): (R("purposes", 5), ()),
    ("expected-text",): (S("controller.postal_code", 100), ()),
    # A key indented too far, under a text of one version per language: said as indentation,
    # not "put the value in quotes" (which then gave "unknown language 'legal_bases'").
    ("indented-under-text",): (
        R("purposes.0.description", {"fi": "Asiakkaat.", "en": "Customers.", "legal_bases": []}),
        (),
    ),
    ("language-is-a-key",): (
        R("purposes.0.description", {"fi": "Asiakkaat.", "en": "Customers.", "legal_bases": "x"}),
        (),
    ),
    # A list or mapping where plain text belongs (not under a text): no advice to quote it.
    ("expected-text-not-list",): (S("controller.name", ["Yritys Oy", "Toinen Oy"]), ()),
    ("expected-text-not-mapping",): (S("controller.name", {"first": "Yritys Oy"}), ()),
    ("expected-either",): (R("transfers", 5), ()),
    ("empty-value",): (S("controller.name", None), ()),
    ("not-bool",): (R("website", "maybe"), ()),
    ("not-integer",): (S("analytics.data_retention_months", "many"), ()),
    ("out-of-range",): (S("analytics.data_retention_months", 99), ()),
    ("must-not-be-empty",): (S("languages", []), ()),
    ("bad-id",): (R("id", "Bad Id"), ()),
    ("pattern",): (R("purposes.0.id", "Bad Id"), ()),
    ("no-common-language",): (S("languages", ["sv"]), ()),
    ("unknown-language-in-file",): (
        _edits(R("retention.sv", "Tio år."), R("sources.sv", "Av dig.")),
        (),
    ),
    ("updated-before-prepared",): (R("updated", "2025-01-01"), ()),
    ("id-reserved",): (R("id", "site"), ()),
    ("id-taken",): (_clean, (_twin_file(slug={"fi": "toinen", "en": "other"}),)),
    ("unknown-language",): (R("retention.sv", "Tio år."), ()),
    ("missing-translation",): (R("retention", {"fi": "Kymmenen."}), ()),
    ("raw-html",): (R("retention.fi", "<b>Kymmenen</b> vuotta."), ()),
    ("url-scheme",): (S("base_url", "ftp://example.fi/"), ()),
    ("url-space",): (S("base_url", "https://example .fi/"), ()),
    ("url-character",): (S("base_url", 'https://example.fi/"x'), ()),
    ("email",): (S("controller.email", "tietosuoja(at)example.fi"), ()),
    ("country",): (S("analytics.transfers.0.country", "Atlantis"), ()),
    ("cookie-name",): (S("cookies.0.name", "_g a"), ()),
    ("scc-module",): (R("transfers", [_TRANSFER | {"scc_module": "controller_to_processor"}]), ()),
    ("ga4-id",): (S("analytics.measurement_id", "UA-1234"), ()),
    ("colour",): (S("theme", {"colors": {"accent": "blue"}}), ()),
    ("contrast",): (S("theme", {"colors": {"text": "#eeeeee"}}), ()),
    ("logo-path",): (S("theme", {"logo": "../logo.svg"}), ()),
    ("language-twice",): (S("languages", ["fi", "en", "fi"]), ()),
    ("unknown-purpose",): (
        _edits(
            R("purposes.0", _PURPOSE | {"id": "tilaukset"}),
            R("recipients.0.purposes", ["markkinointi"]),
        ),
        (),
    ),
    ("unknown-purpose", "none-purposes"): (
        R("automated_decisions", [_DECISION | {"purposes": ["markkinointi"]}]),
        (),
    ),
    ("recipient-id-twice",): (
        _edits(
            R("recipients.0.id", "google"),
            R("recipients", [{"name": _SITE_TEXT, "role": "processor", "id": "google"}] * 2),
        ),
        (),
    ),
    ("processor-role",): (R("recipients.0.processor", "google"), ()),
    ("unknown-processor",): (
        R(
            "recipients",
            [
                {"name": _SITE_TEXT, "role": "processor", "id": "google"},
                {"name": _SITE_TEXT, "role": "sub_processor", "processor": "microsoft"},
            ],
        ),
        (),
    ),
    ("unknown-processor", "none-processor"): (
        R("recipients", [{"name": _SITE_TEXT, "role": "sub_processor", "processor": "ms"}]),
        (),
    ),
    ("category-id-twice",): (
        R("data_categories", [{"id": "nimi", "name": _SITE_TEXT}] * 2),
        (),
    ),
    ("unknown-category", "none-categories"): (R("purposes.0.data_categories", ["nimi"]), ()),
    ("logo-missing",): (_THEME_LOGO, ()),
    ("logo-size",): (_THEME_LOGO, (_write("logo.svg", _SVG.format(" " * 600_000)),)),
    ("logo-not-png",): (S("theme", {"logo": "logo.png"}), (_write("logo.png", b"GIF89a"),)),
    ("svg-doctype",): (_THEME_LOGO, (_write("logo.svg", "<!DOCTYPE svg>" + _SVG.format("")),)),
    ("svg-malformed",): (_THEME_LOGO, (_write("logo.svg", "<svg>"),)),
    ("svg-root",): (_THEME_LOGO, (_write("logo.svg", "<html></html>"),)),
    ("svg-element",): (_THEME_LOGO, (_write("logo.svg", _SVG.format("<script/>")),)),
    ("svg-style",): (
        _THEME_LOGO,
        (_write("logo.svg", _SVG.format("<style>@import 'x.css';</style>")),),
    ),
    ("svg-handler",): (_THEME_LOGO, (_write("logo.svg", _SVG.format('<g onload="x()"/>')),)),
    ("svg-reference-in",): (
        _THEME_LOGO,
        (_write("logo.svg", _SVG.format('<g fill="url(http://x/y)"/>')),),
    ),
    ("svg-reference",): (
        _THEME_LOGO,
        (_write("logo.svg", _SVG.format('<a href="https://x.fi/"/>')),),
    ),
    ("slug-characters",): (R("slug.fi", "Asiakkaat"), ()),
    ("slug-reserved",): (R("slug.fi", "cookies"), ()),
    ("slug-taken",): (_twin(slug={"fi": "asiakkaat", "en": "other"}), ()),
}


def load_errors(root: Path, edit: Edit, after: tuple[After, ...]) -> list[LoadError]:
    """Write the clean content with the mistake and return every error loading it reports:
    as `notice build` loads it (raw HTML refused), and as `notice check` does (slugs too)."""
    site, register = build(edit)
    write_content(root, site, [register])
    for change in after:
        change(root)
    errors: list[LoadError] = []
    try:
        load_content(root)
    except ContentError as exc:
        errors += exc.errors
    try:
        refuse_bad_slugs(load_content(root, allow_html=True))
    except ContentError as exc:
        errors += exc.errors
    return errors


@pytest.mark.parametrize("shapes", list(CASES), ids=lambda shapes: "+".join(shapes))
def test_each_shape_comes_from_real_bad_content(tmp_path: Path, shapes: tuple[str, ...]) -> None:
    edit, after = CASES[shapes]
    errors = load_errors(tmp_path / "content", edit, after)
    used = [shapes_used(error.message) for error in errors]
    assert tuple(shapes) in [tuple(names) for names in used], [e.message for e in errors]
    for error in errors:  # and whatever else the mistake caused is in the table too
        assert shapes_used(error.message), error.message
        for lang in ("fi", "sv"):
            assert translate(error.message, lang) != error.message


def test_the_cases_use_every_shape_of_the_table() -> None:
    used = {name for shapes in CASES for name in shapes}
    assert used == {shape.name for shape in ALL_SHAPES}
    assert len({shape.name for shape in ALL_SHAPES}) == len(ALL_SHAPES)


def test_a_message_not_in_the_table_stays_as_it_is() -> None:
    for message in ["something new went wrong", "", "Input should be a valid dictionary"]:
        assert translate(message, "fi") == message
        assert translate(message, "sv") == message
    # English, and a language the tool does not speak, are the loader's own text.
    shown = "unknown key (did you mean 'name'?)"
    assert translate(shown, "en") == translate(shown, None) == translate(shown, "de") == shown


def test_parameters_are_carried_over_unchanged() -> None:
    message = (
        "'2024-02-30' is not a date; write YYYY-MM-DD",
        "'2024-02-30' ei ole päivämäärä; kirjoita se muodossa VVVV-KK-PP",
        "'2024-02-30' är inte ett datum; skriv det som ÅÅÅÅ-MM-DD",
    )
    assert (translate(message[0], "fi"), translate(message[0], "sv")) == message[1:]
    quoted = """"it's" is not a colour; write it as #rrggbb (or #rgb), e.g. #0b4f8a"""
    assert translate(quoted, "fi").startswith(""""it's" ei ole väri; """)


def test_every_shape_has_both_translations() -> None:
    for shape in SHAPES:
        assert shape.fi and shape.sv and shape.fi != shape.sv, shape.name


def test_counts_inside_a_message_agree_with_their_number_in_swedish() -> None:
    # English says "1 more places" and "1 more texts"; Swedish says it as a person would.
    places = "unknown key at this level; `x` belongs at `a.x`, `b.x` or `c.x` (and {} more places)"
    assert translate(places.format(1), "sv").endswith("`b.x` eller `c.x` (och på 1 annat ställe)")
    assert translate(places.format(2), "sv").endswith("(och på 2 andra ställen)")
    assert translate(places.format(1), "fi").endswith("`b.x` tai `c.x` (ja 1 muussa kohdassa)")
    texts = (
        "unknown language 'sv' (and in {} more texts of this file); site.yaml declares fi, en: "
        "add 'sv' to `languages` in site.yaml, or remove the 'sv' texts"
    )
    assert "(och i 1 annan text i filen)" in translate(texts.format(1), "sv")
    assert "(och i 3 andra texter i filen)" in translate(texts.format(3), "sv")
    assert "(ja 1 muussa tämän tiedoston tekstissä)" in translate(texts.format(1), "fi")
