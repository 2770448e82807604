"""The loader: one row per kind of content error, each with its exact `path:line: key: message`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notice.loader import ContentError, LoadError, content_json, load_content

SITE = """\
languages: [fi, en]
base_url: https://example.fi/
controller:
  name: Oy Esimerkki Ab
"""

REGISTER = """\
id: asiakkaat
slug: {fi: asiakkaat, en: customers}
name: {fi: Asiakkaat, en: Customers}
prepared: 2024-01-31
"""


def write_content(root: Path, site: str, registers: dict[str, str]) -> Path:
    """Write a content folder with `site.yaml` and the given register files."""
    (root / "registers").mkdir(parents=True)
    (root / "site.yaml").write_text(site, encoding="utf-8")
    for name, text in registers.items():
        (root / "registers" / name).write_text(text, encoding="utf-8")
    return root


def load_errors(root: Path, **kwargs: bool) -> list[str]:
    """Load `root` expecting failure; return every error as the author sees it."""
    with pytest.raises(ContentError) as info:
        load_content(root, **kwargs)
    return [str(error) for error in info.value.errors]


# (site.yaml, {register file: text}, expected errors with paths relative to the content folder)
CASES = {
    "missing language": (
        SITE,
        {"a.yaml": REGISTER.replace("name: {fi: Asiakkaat, en: Customers}", "name: {fi: X}")},
        ["registers/a.yaml:3: name: missing translation for language 'en'"],
    ),
    "unknown language": (
        SITE,
        {"a.yaml": REGISTER + "retention: {fi: a, en: b, de: c}\n"},
        ["registers/a.yaml:5: retention: unknown language 'de'; site.yaml declares fi, en"],
    ),
    "a register with no language in common with site.yaml": (
        SITE,
        {
            "a.yaml": "id: asiakkaat\nslug: {fi: asiakkaat, en: customers}\n"
            "name: {sv: Kunder, de: Kunden}\nprepared: 2024-01-31\n"
            "retention: {sv: Tio år, de: Zehn Jahre}\ndata_subjects: {sv: Kunder, de: Kunden}\n"
        },
        [
            "registers/a.yaml:3: name: this register is written in sv, de and site.yaml declares "
            "fi, en: no language in common, so none of its 3 texts can be shown; add sv, de to "
            "`languages` in site.yaml, or write the register in fi, en"
        ],
    ),
    "one undeclared language in many texts": (
        SITE,
        {
            "a.yaml": REGISTER
            + "retention: {fi: a, en: b, de: c}\ndata_subjects: {fi: a, en: b, de: c}\n"
            + "sources: {fi: a, en: b, de: c}\n"
        },
        [
            "registers/a.yaml:5: retention: unknown language 'de' (and in 2 more texts of this "
            "file); site.yaml declares fi, en: add 'de' to `languages` in site.yaml, or remove "
            "the 'de' texts"
        ],
    ),
    "plain string where a text is expected": (
        SITE,
        {"a.yaml": REGISTER + "retention: 10 vuotta\n"},
        [
            "registers/a.yaml:5: retention: expected a mapping of language to text, "
            "e.g. {fi: ..., en: ...}"
        ],
    ),
    "duplicate key": (
        SITE,
        {"a.yaml": REGISTER + "name: {fi: X, en: Y}\n"},
        ["registers/a.yaml:5: name: duplicate key (first defined on line 3)"],
    ),
    "tab indentation": (
        SITE,
        {"a.yaml": REGISTER + "purposes:\n\t- description: {fi: a, en: b}\n"},
        ["registers/a.yaml:6: purposes: tab character in indentation; indent with spaces"],
    ),
    "invalid YAML": (
        SITE,
        {"a.yaml": REGISTER + "retention: [\n"},
        [
            "registers/a.yaml:5: retention: the '[' on this line is not closed: add ']' after "
            "its last item"
        ],
    ),
    "a list item indented one space too far": (
        SITE,
        {"a.yaml": REGISTER + "purposes:\n  - a: 1\n    b: 2\n   c: 3\n"},
        [
            "registers/a.yaml:8: purposes.0: `c:` is indented 3 spaces, but the keys and '-' "
            "items above it are indented 4 (`b:` on line 7), 2 ('-' on line 6) or 0 (`purposes:` "
            "on line 5): line it up with the one it belongs beside"
        ],
    ),
    "one legal basis written as a list": (
        SITE,
        {
            "a.yaml": REGISTER
            + "purposes:\n  - description: {fi: a, en: b}\n    legal_basis: [consent]\n"
        },
        [
            "registers/a.yaml:7: purposes.0.legal_basis: expected one value, not a list; for "
            "several, write them as a list under `legal_bases`"
        ],
    ),
    "an unknown key like no key of the format": (
        SITE,
        {"a.yaml": REGISTER + "owner: Esa\n"},
        ["registers/a.yaml:5: owner: unknown key"],
    ),
    "a language indented one space too little": (
        SITE,
        {"a.yaml": REGISTER + "retention:\n  fi: Kymmenen vuotta.\n en: Ten years.\n"},
        [
            "registers/a.yaml:7: retention: `en:` is indented 1 space, but the keys and '-' "
            "items above it are indented 2 (`fi:` on line 6) or 0 (`retention:` on line 5): line "
            "it up with the one it belongs beside"
        ],
    ),
    "an unclosed bracket before more keys": (
        SITE,
        {"a.yaml": REGISTER + "retention: {fi: a, en: b\nlegal_basis: x\n"},
        [
            "registers/a.yaml:5: retention: the '{' on this line is not closed: add '}' after "
            "its last item"
        ],
    ),
    "an unclosed quote": (
        SITE,
        {"a.yaml": REGISTER + 'retention: {fi: "a, en: b}\nx: 1\n'},
        [
            'registers/a.yaml:5: retention.fi: the quote " that starts this text is not closed '
            'on its line: end the text with "'
        ],
    ),
    # The quote pairs with the next line's first quote; the '{' is not what was left open.
    "an unclosed quote that a later quote closes": (
        SITE,
        {"a.yaml": REGISTER + 'retention: {fi: "a, en: b}\nx: {fi: "c", en: d}\n'},
        [
            'registers/a.yaml:5: retention.fi: the quote " that starts this text is not closed '
            'on its line: end the text with "'
        ],
    ),
    "a colon in a value": (
        SITE,
        {"a.yaml": REGISTER + "x: Huom: tärkeä\n"},
        [
            "registers/a.yaml:5: x: the text of `x:` has ': ' in it (after `Huom`), which YAML "
            "reads as the start of a key: put the whole text in quotes ('…')"
        ],
    ),
    "unsafe tag": (
        SITE,
        {"a.yaml": REGISTER + "retention: !!python/name:os.system x\n"},
        [
            "registers/a.yaml:5: retention: invalid YAML: could not determine a constructor "
            "for the tag 'tag:yaml.org,2002:python/name:os.system'"
        ],
    ),
    "an unsupported language is one error, not one per text": (
        SITE.replace("languages: [fi, en]", "languages: [fi, en, de]"),
        {"a.yaml": REGISTER},
        ["site.yaml:1: languages.2: 'de' is not one of 'fi', 'en' or 'sv'"],
    ),
    "an e-mail address in disguise": (
        SITE + "  email: esa.kemppainen(at)proleader\n",
        {"a.yaml": REGISTER},
        [
            "site.yaml:5: controller.email: 'esa.kemppainen(at)proleader' is not an e-mail "
            "address (write it as name@example.fi)"
        ],
    ),
    "an e-mail address without its domain": (
        SITE + "contact:\n  name: X\n  email: tietosuoja@esimerkki\n",
        {"a.yaml": REGISTER},
        [
            "site.yaml:7: contact.email: 'tietosuoja@esimerkki' is not an e-mail address "
            "(write it as name@example.fi)"
        ],
    ),
    "unknown legal basis": (
        SITE,
        {
            "a.yaml": REGISTER
            + "purposes:\n  - description: {fi: a, en: b}\n    legal_basis: contrat\n"
        },
        [
            "registers/a.yaml:7: purposes.0.legal_basis: 'contrat' is not one of 'consent', "
            "'contract', 'legal_obligation', 'vital_interests', 'public_task' or "
            "'legitimate_interests' (did you mean 'contract'?)"
        ],
    ),
    "bad date": (
        SITE,
        {"a.yaml": REGISTER.replace("2024-01-31", "31.1.2024")},
        ["registers/a.yaml:4: prepared: '31.1.2024' is not a date; write YYYY-MM-DD"],
    ),
    "impossible date": (
        SITE,
        {"a.yaml": REGISTER.replace("2024-01-31", "2024-02-30")},
        ["registers/a.yaml:4: prepared: '2024-02-30' is not a date; write YYYY-MM-DD"],
    ),
    "unknown key": (
        SITE,
        {"a.yaml": REGISTER + "retension: {fi: a, en: b}\n"},
        ["registers/a.yaml:5: retension: unknown key (did you mean 'retention'?)"],
    ),
    "unknown keys that look like pydantic's union tags": (
        SITE,
        {"a.yaml": REGISTER + "a[b]: 1\nContact: 2\nlist[Transfer]: [1]\n"},
        [
            "registers/a.yaml:5: a[b]: unknown key",
            "registers/a.yaml:6: Contact: unknown key (did you mean 'contact'?)",
            # `transfer` is a recipient's key, not a register's: nothing is suggested here.
            "registers/a.yaml:7: list[Transfer]: unknown key",
        ],
    ),
    "missing key inside a union member": (
        SITE + "dpo: {email: dpo@example.fi}\n",
        {"a.yaml": REGISTER},
        ["site.yaml:5: dpo.name: required key is missing"],
    ),
    "unknown nested key": (
        SITE + "  emial: info@example.fi\n",
        {"a.yaml": REGISTER},
        ["site.yaml:5: controller.emial: unknown key (did you mean 'email'?)"],
    ),
    "key that is not a word": (
        SITE,
        {"a.yaml": REGISTER + "[a]: b\n"},
        ["registers/a.yaml:5: a key must be a plain word"],
    ),
    "numeric key": (
        SITE,
        {"a.yaml": REGISTER + "rights:\n  1: {fi: a, en: b}\n"},
        [
            "registers/a.yaml:6: rights.1: '1' is not one of 'access', 'rectification', "
            "'erasure', 'restriction', 'portability', 'objection', 'withdraw_consent', "
            "'complaint' or 'other'"
        ],
    ),
    "text where a mapping of keys is expected": (
        SITE.replace("controller:\n  name: Oy Esimerkki Ab\n", "controller: Oy Esimerkki Ab\n"),
        {"a.yaml": REGISTER},
        ["site.yaml:3: controller: expected a mapping of keys"],
    ),
    "mapping where a list is expected": (
        SITE,
        {"a.yaml": REGISTER + "purposes: {fi: a, en: b}\n"},
        ["registers/a.yaml:5: purposes: expected a list (items starting with `- `)"],
    ),
    "not a whole number": (
        SITE + "analytics:\n  service: google_analytics_4\n  data_retention_months: two\n",
        {"a.yaml": REGISTER},
        ["site.yaml:7: analytics.data_retention_months: 'two' is not a whole number"],
    ),
    "unknown right": (
        SITE,
        {"a.yaml": REGISTER + "rights:\n  acces: {fi: a, en: b}\n"},
        [
            "registers/a.yaml:6: rights.acces: 'acces' is not one of 'access', 'rectification', "
            "'erasure', 'restriction', 'portability', 'objection', 'withdraw_consent', "
            "'complaint' or 'other' (did you mean 'access'?)"
        ],
    ),
    "raw HTML": (
        SITE,
        {"a.yaml": REGISTER + 'retention: {fi: "<p>10 vuotta</p>", en: 10 years}\n'},
        ["registers/a.yaml:5: retention: raw HTML '<p>' in 'fi' text; write Markdown instead"],
    ),
    "required key missing": (
        SITE,
        {"a.yaml": REGISTER.replace("prepared: 2024-01-31\n", "")},
        ["registers/a.yaml:1: prepared: required key is missing"],
    ),
    "bad transfer mechanism reported inside the list": (
        SITE,
        {
            "a.yaml": REGISTER
            + "transfers:\n  - recipient: Google LLC\n    country: United States\n"
            + "    mechanism: dpf\n"
        },
        [
            "registers/a.yaml:8: transfers.0.mechanism: 'dpf' is not one of 'adequacy', "
            "'sccs', 'bcr', 'derogation', 'code_of_conduct' or 'certification'"
        ],
    ),
    "transfers neither none nor a list": (
        SITE,
        {"a.yaml": REGISTER + "transfers: nothing\n"},
        ["registers/a.yaml:5: transfers: expected `none` or a list"],
    ),
    "dpo neither none nor a contact": (
        SITE + "dpo: no\n",
        {"a.yaml": REGISTER},
        ["site.yaml:5: dpo: expected `none` or a mapping"],
    ),
    "number where text is expected": (
        SITE + "portal_url: 5\n",
        {"a.yaml": REGISTER},
        ["site.yaml:5: portal_url: expected text, not 5; put the value in quotes"],
    ),
    "not a boolean": (
        SITE,
        {"a.yaml": REGISTER + "website: kyllä\n"},
        ["registers/a.yaml:5: website: 'kyllä' is not true or false"],
    ),
    "number out of range": (
        SITE + "analytics:\n  service: google_analytics_4\n  data_retention_months: 100\n",
        {"a.yaml": REGISTER},
        [
            "site.yaml:7: analytics.data_retention_months: 100 is out of range; "
            "it must be at most 50"
        ],
    ),
    "no languages": (
        SITE.replace("[fi, en]", "[]"),
        {"a.yaml": REGISTER},
        ["site.yaml:1: languages: must not be empty"],
    ),
    "bad register id": (
        SITE,
        {"a.yaml": REGISTER.replace("id: asiakkaat", "id: Asiakkaat")},
        [
            "registers/a.yaml:1: id: 'Asiakkaat' is not a valid id; "
            "use lowercase letters, digits and hyphens"
        ],
    ),
    "all errors of a file at once": (
        SITE,
        {
            "a.yaml": REGISTER.replace("2024-01-31", "x")
            + "retension: {fi: a, en: b}\nwebsite: maybe\nname: {fi: X, en: Y}\n"
        },
        [
            "registers/a.yaml:4: prepared: 'x' is not a date; write YYYY-MM-DD",
            "registers/a.yaml:5: retension: unknown key (did you mean 'retention'?)",
            "registers/a.yaml:6: website: 'maybe' is not true or false",
            "registers/a.yaml:7: name: duplicate key (first defined on line 3)",
        ],
    ),
    "errors across several files": (
        SITE + "dpo: {nme: X}\n",
        {
            "a.yaml": REGISTER.replace("en: Customers", "en: <b>Customers</b>"),
            "b.yaml": REGISTER.replace("id: asiakkaat", "id: toimittajat") + "updated: eilen\n",
        },
        [
            "registers/a.yaml:3: name: raw HTML '<b>' in 'en' text; write Markdown instead",
            "registers/b.yaml:5: updated: 'eilen' is not a date; write YYYY-MM-DD",
            "site.yaml:5: dpo.name: required key is missing",
            "site.yaml:5: dpo.nme: unknown key (did you mean 'name'?)",
        ],
    ),
    "a duplicate key hides none of the file's other errors": (
        SITE + "languages: [fi]\n",
        {
            "a.yaml": REGISTER.replace("slug: {fi: asiakkaat, en: customers}", "slug: {fi: a}")
            + "name: {fi: X, en: Y}\nupdated: 2024-01-30\n",
            "b.yaml": REGISTER + "id: muut\n",
        },
        [
            "registers/a.yaml:2: slug: missing translation for language 'en'",
            "registers/a.yaml:5: name: duplicate key (first defined on line 3)",
            "registers/a.yaml:6: updated: 2024-01-30 is earlier than the `prepared` date "
            "2024-01-31 on line 4; a notice cannot change before it was prepared",
            "registers/b.yaml:1: id: 'asiakkaat' is already the id of registers/a.yaml",
            "registers/b.yaml:5: id: duplicate key (first defined on line 1)",
            "site.yaml:5: languages: duplicate key (first defined on line 1)",
        ],
    ),
    "a duplicate key in site.yaml hides none of its other errors": (
        SITE + "  bogus: 1\n" + "languages: [fi]\n",
        {"a.yaml": REGISTER},
        [
            "site.yaml:5: controller.bogus: unknown key",
            "site.yaml:6: languages: duplicate key (first defined on line 1)",
        ],
    ),
    "required key missing at the top: the file's line 1, not its first key's": (
        "# The site.\n\n" + SITE.replace("controller:\n  name: Oy Esimerkki Ab\n", ""),
        {
            "a.yaml": "# A register.\nversion: 2.1\n"
            + REGISTER.replace("prepared: 2024-01-31\n", "")
        },
        [
            "registers/a.yaml:1: prepared: required key is missing",
            "site.yaml:1: controller: required key is missing",
        ],
    ),
    "required key missing in a nested mapping: the line of that mapping": (
        SITE.replace("  name: Oy Esimerkki Ab\n", "  email: info@example.fi\n"),
        {"a.yaml": REGISTER},
        ["site.yaml:3: controller.name: required key is missing"],
    ),
    "updated before prepared, with the file's other errors": (
        SITE,
        {"a.yaml": REGISTER + "updated: 2023-12-31\nwebsite: maybe\n"},
        [
            "registers/a.yaml:5: updated: 2023-12-31 is earlier than the `prepared` date "
            "2024-01-31 on line 4; a notice cannot change before it was prepared",
            "registers/a.yaml:6: website: 'maybe' is not true or false",
        ],
    ),
    "updated before prepared": (
        SITE,
        {"a.yaml": REGISTER + "updated: 2023-12-31\n"},
        [
            "registers/a.yaml:5: updated: 2023-12-31 is earlier than the `prepared` date "
            "2024-01-31 on line 4; a notice cannot change before it was prepared"
        ],
    ),
    "empty file": (SITE, {"a.yaml": "# nothing yet\n"}, ["registers/a.yaml:1: file is empty"]),
    "not a mapping": (
        SITE,
        {"a.yaml": "- asiakkaat\n"},
        ["registers/a.yaml:1: expected a mapping of keys at the top"],
    ),
    "register id collision": (
        SITE,
        {"a.yaml": REGISTER, "b.yaml": "\n" + REGISTER},
        ["registers/b.yaml:2: id: 'asiakkaat' is already the id of registers/a.yaml"],
    ),
    "register id reserved": (
        SITE,
        {"a.yaml": REGISTER.replace("id: asiakkaat", "id: site")},
        ["registers/a.yaml:1: id: 'site' is reserved for site.yaml; choose another id"],
    ),
    "missing slug language": (
        SITE,
        {"a.yaml": REGISTER.replace("slug: {fi: asiakkaat, en: customers}", "slug: {fi: a}")},
        ["registers/a.yaml:2: slug: missing translation for language 'en'"],
    ),
    "register with .yml extension": (
        SITE,
        {"a.yaml": REGISTER, "b.yml": REGISTER},
        ["registers/b.yml:1: register files must end in .yaml, not .yml"],
    ),
    "no registers": (SITE, {}, ["registers:1: no register files (*.yaml) found"]),
    "a key one level off": (
        SITE + "logo: logo.svg\n",
        {"a.yaml": REGISTER},
        ["site.yaml:5: logo: unknown key at this level; `logo` belongs at `theme.logo`"],
    ),
    "a colour beside its block": (
        SITE + "theme:\n  accent: '#005a9c'\n",
        {"a.yaml": REGISTER},
        [
            "site.yaml:6: theme.accent: unknown key at this level; `accent` belongs at "
            "`theme.colors.accent`"
        ],
    ),
    "a null key": (
        SITE,
        {"a.yaml": REGISTER + "~: x\n"},
        ["registers/a.yaml:5: a key must be a plain word"],
    ),
    "a date as a key": (
        SITE,
        {"a.yaml": REGISTER + "2024-01-31: x\n"},
        ["registers/a.yaml:5: 2024-01-31: unknown key"],
    ),
    "an empty text": (
        SITE,
        {"a.yaml": REGISTER + "retention:\n  fi:\n  en: Ten years\n"},
        ["registers/a.yaml:6: retention.fi: the value is empty; write the text after the colon"],
    ),
    "a language listed twice": (
        SITE.replace("languages: [fi, en]", "languages: [fi, en, fi]"),
        {"a.yaml": REGISTER},
        ["site.yaml:1: languages: 'fi' is listed twice; list each language once"],
    ),
}


@pytest.mark.parametrize(("site", "registers", "expected"), CASES.values(), ids=CASES.keys())
def test_content_error(
    tmp_path: Path, site: str, registers: dict[str, str], expected: list[str]
) -> None:
    root = write_content(tmp_path / "content", site, registers)
    assert load_errors(root) == [f"{root}/{line}" for line in expected]


def test_missing_site_file(tmp_path: Path) -> None:
    assert load_errors(tmp_path) == [f"{tmp_path}/site.yaml:1: file not found"]


def test_valid_content_loads_with_lines(tmp_path: Path) -> None:
    register = REGISTER + "purposes:\n  - description: {fi: a, en: b}\n    legal_basis: contract\n"
    root = write_content(tmp_path / "content", SITE, {"a.yaml": register})
    content = load_content(root)
    assert content.register("asiakkaat").purposes[0].legal_basis == "contract"
    assert content.register("asiakkaat").prepared.isoformat() == "2024-01-31"
    assert content.locate("asiakkaat", ("purposes", 0, "legal_basis")) == (
        root / "registers" / "a.yaml",
        7,
    )
    assert content.locate("site", ("controller", "name")) == (root / "site.yaml", 4)


def test_allow_html_lets_raw_html_through(tmp_path: Path) -> None:
    register = REGISTER + 'retention: {fi: "<p>10 vuotta</p>", en: 10 years}\n'
    root = write_content(tmp_path / "content", SITE, {"a.yaml": register})
    content = load_content(root, allow_html=True)
    assert content.register("asiakkaat").retention == {"fi": "<p>10 vuotta</p>", "en": "10 years"}


def test_content_json_has_the_shape_of_the_yaml(repo_root: Path) -> None:
    payload = json.loads(content_json(load_content(repo_root / "content")))
    assert payload["site"]["languages"] == ["fi", "sv", "en"]
    register = payload["registers"][0]
    assert register["prepared"] == "2019-10-03"
    assert register["automated_decisions"] == "none"


def test_unknown_register_id_raises_key_error(repo_root: Path) -> None:
    with pytest.raises(KeyError):
        load_content(repo_root / "content").register("toimittajat")


def test_error_without_key_has_no_key_part() -> None:
    assert str(LoadError(Path("site.yaml"), 3, "", "file is empty")) == "site.yaml:3: file is empty"


def test_default_content_loads(repo_root: Path) -> None:
    content = load_content(repo_root / "content")
    assert [register.id for register in content.registers] == [
        "asiakasrekisteri",
        "tietosuojapyynnot",
    ]


def test_seed_fixture_loads_only_with_allow_html(repo_root: Path) -> None:
    root = repo_root / "tests" / "fixtures" / "seed-original"
    content = load_content(root, allow_html=True)
    assert content.register("asiakasrekisteri").name == {"fi": "Asiakasrekisteri"}
    errors = load_errors(root)
    assert errors
    assert all("raw HTML" in error for error in errors)
    assert (
        f"{root}/registers/asiakasrekisteri.yaml:64: sources: raw HTML '<p>' in 'fi' text; "
        "write Markdown instead" in errors
    )


# Plain scalars that look like numbers, booleans or null load as such, prose as text.
def test_plain_scalars_keep_their_types(tmp_path: Path) -> None:
    from notice.loader import _parse_text

    source = _parse_text(tmp_path / "x.yaml", "a: yes\nb: 12\nc: ~\nd: Tietoja\ne: 1.5\n")
    assert source.data == {"a": True, "b": 12, "c": None, "d": "Tietoja", "e": 1.5}


def test_updated_on_the_day_it_was_prepared_loads(tmp_path: Path) -> None:
    root = write_content(tmp_path, SITE, {"a.yaml": REGISTER + "updated: 2024-01-31\n"})
    (register,) = load_content(root).registers
    assert (str(register.prepared), str(register.updated)) == ("2024-01-31", "2024-01-31")
