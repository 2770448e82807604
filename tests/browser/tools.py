"""Where the browser-test tools live, and one clear failure when set-up has not installed them.

Chromium comes from Debian and axe-core/vnu-jar from npm (`scripts/setup.sh` installs all three).
A missing tool fails the test with the command that fixes it: skipping would let CI pass without
ever running a browser.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = REPO_ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

_SETUP_HINT = "run `make setup` (scripts/setup.sh installs it)"


def require_file(path: Path, what: str) -> Path:
    """Return `path`, or fail the current test saying which tool is missing and how to get it."""
    if not path.is_file():
        pytest.fail(f"{what} not found at {path}; {_SETUP_HINT}", pytrace=False)
    return path


def require_java() -> str:
    """Return the path of `java`, or fail the current test."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(f"java not found on PATH (needed by vnu.jar); {_SETUP_HINT}", pytrace=False)
    return java
