"""An unknown key is compared with the keys that may stand where it stands: a cookie's `colour`
is not "did you mean 'colors'" (a key of the site's theme), and a cookie's `prvider` is
'provider'. Written into a copy of the default content and loaded as `notice check` loads it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notice.loader import ContentError, load_content
from tests import REPO_ROOT

COOKIE_LINE = "    provider: Esa Kemppainen\n"
PURPOSE_LINE = "  - id: customers\n"


def loaded_with(tmp_path: Path, file: str, after: str, line: str) -> str:
    """Put `line` after the first `after` in `file` of a copy of the content; the load error."""
    root = tmp_path / "content"
    shutil.copytree(REPO_ROOT / "content", root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, after + line, 1), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_content(root)
    return "\n".join(error.message for error in raised.value.errors)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("    colour: red\n", "unknown key"),
        ("    prvider: x\n", "unknown key (did you mean 'provider'?)"),
        ("    categroy: necessary\n", "unknown key (did you mean 'category'?)"),
    ],
)
def test_a_cookies_unknown_key_is_compared_with_a_cookies_keys(
    tmp_path: Path, line: str, expected: str
) -> None:
    assert loaded_with(tmp_path, "site.yaml", COOKIE_LINE, line) == expected


def test_a_purposes_unknown_key_is_compared_with_a_purposes_keys(tmp_path: Path) -> None:
    message = loaded_with(
        tmp_path, "registers/asiakasrekisteri.yaml", PURPOSE_LINE, "    legal_base: [contract]\n"
    )
    assert message == "unknown key (did you mean 'legal_bases'?)"
