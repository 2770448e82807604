"""Every third-party import of the product comes from a declared runtime dependency.

`make run` installs the runtime dependencies only (`[project] dependencies` of pyproject.toml);
the test group is for tests. An import in `notice/`, `portal/` or `build.py` of a package that is
only in the test group works on every developer's machine and in the tests, and fails on a fresh
machine's `make run` (pypdf did). Every import counts, at the top or inside a function. The one
exception is an optional tool that says in one line what to install when it is missing; it is
listed in OPTIONAL with that line, and the test checks that the module says it.

The detector runs first on a planted tree, so that one that finds nothing cannot pass.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

PRODUCT = ("notice", "portal", "build.py")
OWN = frozenset({"notice", "portal", "build", "tests"})

OPTIONAL: dict[str, tuple[str, str]] = {
    "playwright": ("notice/scan.py", "make setup-test"),
}
"""Test-group imports allowed in one module that tells, in one line, what to install."""


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(pyproject: Path) -> tuple[frozenset[str], frozenset[str]]:
    """Return the runtime and test-group distribution names of a pyproject.toml, normalised."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))

    def names(requirements: Iterable[str]) -> frozenset[str]:
        return frozenset(
            _normalise(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requirements
        )

    runtime = names(data["project"]["dependencies"])
    test = names(data.get("dependency-groups", {}).get("test", []))
    return runtime, test


def python_files(root: Path, parts: Iterable[str]) -> list[Path]:
    """Return the Python files of `parts` (packages or single files) under `root`."""
    found: list[Path] = []
    for part in parts:
        path = root / part
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return found


def top_level_imports(path: Path) -> set[str]:
    """Return the top-level module names `path` imports anywhere (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


def undeclared_imports(
    root: Path,
    parts: Iterable[str],
    runtime: frozenset[str],
    distributions: Mapping[str, list[str]],
    optional: Mapping[str, tuple[str, str]],
) -> list[str]:
    """Return `file: import module (distribution)` for every import no runtime dependency gives."""
    problems: list[str] = []
    for path in python_files(root, parts):
        relative = path.relative_to(root).as_posix()
        for module in sorted(top_level_imports(path)):
            if module in OWN or module in sys.stdlib_module_names or module == "__future__":
                continue
            owners = {_normalise(d) for d in distributions.get(module, [])}
            if owners & runtime:
                continue
            allowed = optional.get(module)
            if allowed and allowed[0] == relative:
                continue
            owner = ", ".join(sorted(owners)) or "not installed"
            problems.append(f"{relative}: import {module} ({owner}) is not a runtime dependency")
    return problems


def test_the_detector_finds_a_test_only_import_in_a_planted_tree(tmp_path: Path) -> None:
    package = tmp_path / "notice"
    package.mkdir()
    (package / "__init__.py").write_text("import yaml\n", encoding="utf-8")
    (package / "pdf.py").write_text(
        "def embed():\n    from pypdf import PdfReader\n    return PdfReader\n", encoding="utf-8"
    )
    problems = undeclared_imports(
        tmp_path,
        ["notice"],
        frozenset({"pyyaml"}),
        {"yaml": ["PyYAML"], "pypdf": ["pypdf"]},
        {},
    )
    assert problems == ["notice/pdf.py: import pypdf (pypdf) is not a runtime dependency"]


def test_every_product_import_is_a_runtime_dependency(repo_root: Path) -> None:
    runtime, _ = declared(repo_root / "pyproject.toml")
    problems = undeclared_imports(repo_root, PRODUCT, runtime, packages_distributions(), OPTIONAL)
    assert problems == []


def test_test_tools_are_not_runtime_dependencies(repo_root: Path) -> None:
    runtime, test = declared(repo_root / "pyproject.toml")
    # A package in both would hide a test-only import from the check above.
    assert runtime & test == set()
    for tool in ("pytest", "playwright", "ruff", "hypothesis"):
        assert _normalise(tool) in test
        assert _normalise(tool) not in runtime


@pytest.mark.parametrize("module", sorted(OPTIONAL))
def test_an_optional_tool_says_what_to_install(repo_root: Path, module: str) -> None:
    relative, advice = OPTIONAL[module]
    source = (repo_root / relative).read_text(encoding="utf-8")
    assert module in top_level_imports(repo_root / relative)
    assert advice in source, f"{relative} must tell a runtime-only install to run `{advice}`"
