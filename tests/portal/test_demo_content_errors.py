"""`make run` on content with a YAML mistake: the mistake as `notice build` tells it, exit 1.

The demo builds a copy of the content whose site.yaml it rewrites; the lines named are those of
the files the person edits, and there is no traceback (PyYAML's, or the build's ContentError).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portal import demo
from tests.notice.test_yaml_mistakes import MISTAKES, Mistake
from tests.portal.support.mailserver import free_port

SITE = next(m for m in MISTAKES if m.story == "no space after the colon of an e-mail address")
REGISTER = next(m for m in MISTAKES if m.story == "a list in brackets never closed")


@pytest.mark.parametrize("mistake", [SITE, REGISTER], ids=["site.yaml", "a register"])
def test_make_run_names_the_line_to_fix(
    tmp_path: Path, mistake: Mistake, capsys: pytest.CaptureFixture[str]
) -> None:
    root, path = mistake.write(tmp_path)
    instance = tmp_path / "instance"
    args = ["--content", str(root), "--instance", str(instance)]
    ports = ["--port", str(free_port()), "--smtp-port", str(free_port())]
    assert demo.main([*args, *ports]) == 1
    assert capsys.readouterr().err.splitlines() == [
        mistake.reported(path, "en"),
        "1 error in content; nothing was written.",
    ]
    assert path.read_text("utf-8").count(mistake.new) == 1  # the person's file, untouched
