"""A load error inside a list item gives the line of that item (or of its key), not of the list.

The register is the default content's request-service register, written to a folder with one
thing wrong in the third item of its `recipients:` list (or a reference elsewhere); the expected
line is found in the written file by the text the mistake put there, so the file can change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notice.load_messages import translate
from notice.loader import ContentError, load_content
from tests import REPO_ROOT

CONTENT = REPO_ROOT / "content"
REGISTER = "tietosuojapyynnot.yaml"
THIRD = "    role: public_authority\n    country: FI\n"
"""The end of the third recipient: the Data Protection Ombudsman's office."""
THIRD_NAME = "  - name:\n      fi: Tietosuojavaltuutetun toimisto"


def bad_content(root: Path, old: str, new: str) -> Path:
    """Copy the default content to `root` with `old` replaced by `new` in the register."""
    shutil.copytree(CONTENT, root)
    path = root / "registers" / REGISTER
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")
    return root


def line_of(root: Path, text: str, nth: int = 1) -> int:
    """Return the line where `text` starts in the register for the `nth` time."""
    lines = (root / "registers" / REGISTER).read_text("utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if line.startswith(text)]
    return found[nth - 1]


def located(root: Path) -> list[tuple[int, str]]:
    """Return (line, key) of every error loading `root`."""
    with pytest.raises(ContentError) as info:
        load_content(root)
    return [(error.line, error.key) for error in info.value.errors]


@pytest.mark.parametrize(
    ("new", "key", "at"),
    [
        (THIRD + "    colour: red\n", "recipients.2.colour", "    colour:"),
        # An anchor sends the file through PyYAML's composer instead of the event reader.
        (THIRD + "    colour: &c red\n", "recipients.2.colour", "    colour:"),
        (THIRD.replace("FI", "[FI]"), "recipients.2.country", "    country: [FI]"),
        (THIRD.replace("public_authority", "nonsense"), "recipients.2.role", "    role: nonsense"),
        (
            THIRD + "    purposes: [requests, nope]\n",
            "recipients.2.purposes.1",
            "    purposes: [requests, nope]",
        ),
        (
            THIRD + "    purposes:\n      - requests\n      - nope\n",
            "recipients.2.purposes.1",
            "      - nope",
        ),
        (
            THIRD.replace("public_authority", "sub_processor") + "    processor: nobody\n",
            "recipients.2.processor",
            "    processor: nobody",
        ),
        (THIRD + "    processor: nobody\n", "recipients.2.processor", "    processor: nobody"),
    ],
    ids=[
        "unknown-key",
        "unknown-key-composed",
        "wrong-type",
        "bad-value",
        "unknown-purpose-in-flow-list",
        "unknown-purpose-in-list",
        "unknown-processor",
        "processor-not-sub-processor",
    ],
)
def test_a_bad_key_in_the_third_recipient_gives_its_own_line(
    tmp_path: Path, new: str, key: str, at: str
) -> None:
    root = bad_content(tmp_path / "content", THIRD, new)
    assert located(root) == [(line_of(root, at), key)]


def test_a_missing_key_gives_the_first_line_of_its_item(tmp_path: Path) -> None:
    old = THIRD_NAME
    root = bad_content(tmp_path / "content", old, old.replace("- name:", "- nimi:"))
    first = line_of(root, "  - nimi:")
    assert first > line_of(root, "recipients:") + 10
    assert located(root) == [(first, "recipients.2.name"), (first, "recipients.2.nimi")]


def test_a_flow_item_gives_the_line_of_its_bad_key(tmp_path: Path) -> None:
    item = "  - {name: {fi: Toimisto, sv: Byrå, en: Office}, role: internal,\n     colour: red}\n"
    root = bad_content(tmp_path / "content", "transfers: none\n", item + "transfers: none\n")
    assert located(root) == [(line_of(root, "     colour: red"), "recipients.3.colour")]


def test_an_id_given_twice_gives_the_line_of_the_second(tmp_path: Path) -> None:
    twice = THIRD + "    id: office\n  - id: office\n    name: {fi: a, sv: b, en: c}\n"
    root = bad_content(tmp_path / "content", THIRD, twice + "    role: internal\n")
    assert located(root) == [(line_of(root, "  - id: office"), "recipients.3.id")]


def test_an_unknown_data_category_gives_the_line_of_the_purpose_naming_it(
    tmp_path: Path,
) -> None:
    old = "    legal_bases: [legitimate_interests]\n"
    root = bad_content(tmp_path / "content", old, old + "    data_categories: [nope]\n")
    at = line_of(root, "    data_categories: [nope]")
    assert located(root) == [(at, "purposes.3.data_categories.0")]


def test_a_bad_role_lists_each_role_once(tmp_path: Path) -> None:
    """`authority` (format v1) is an alias of `public_authority`; pydantic lists it twice."""
    root = bad_content(tmp_path / "content", THIRD, THIRD.replace("public_authority", "nonsense"))
    with pytest.raises(ContentError) as info:
        load_content(root)
    (error,) = info.value.errors
    roles = "'processor', 'sub_processor', 'controller', 'public_authority' or 'internal'"
    assert error.message == f"'nonsense' is not one of {roles}"
    listed = roles.replace(" or ", " ja ")
    assert translate(error.message, "fi") == (
        f"'nonsense' ei ole sallittu arvo; sallitut arvot ovat {listed}"
    )
