"""`notice --help` imports click and the command line only: the model is loaded by commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from notice.cli import LEGAL_BASES
from notice.model import LegalBasis


def test_notice_help_imports_neither_the_model_nor_yaml(repo_root: Path) -> None:
    code = (
        "import json, sys\n"
        "from notice.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True
    )
    modules = json.loads(done.stderr.splitlines()[-1])
    loaded = sorted(m for m in modules if m.split(".")[0] in {"pydantic", "yaml", "jinja2"})
    assert loaded == []
    assert [m for m in modules if m.startswith("notice.")] == ["notice.cli"]
    assert "  new      Write registers/ID.yaml with every mandatory element marked TODO." in (
        done.stdout
    )


def test_the_basis_choices_are_the_model_s() -> None:
    assert list(LEGAL_BASES) == [basis.value for basis in LegalBasis]
