"""The test suite. `REPO_ROOT` is the repository root, defined once: tests take the `repo_root`
fixture (tests/conftest.py); code that needs the path at import time (parametrize lists, module
constants, helpers) imports `REPO_ROOT` from here."""

from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parent.parent
