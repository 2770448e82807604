"""Every button a person presses on the public pages looks like one: the portal's `.button`, not the
browser's bare control (the status page's "Send the answer" was a grey system button beside the
form's blue "Send request")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import REPO_ROOT

PUBLIC_TEMPLATES = sorted((REPO_ROOT / "templates" / "portal" / "intake").glob("*.html"))
BUTTON = re.compile(r"<button\b[^>]*>")


@pytest.mark.parametrize("template", PUBLIC_TEMPLATES, ids=lambda path: path.name)
def test_every_public_button_is_styled(template: Path) -> None:
    bare = [
        tag
        for tag in BUTTON.findall(template.read_text("utf-8"))
        if not re.search(r'class="[^"]*\bbutton\b', tag)
    ]
    assert bare == []
