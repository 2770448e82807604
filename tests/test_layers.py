"""The architecture, read from the imports: no cycles, and arrows only run web → core → notice
(and cli → core: the command line is an adapter beside the web layer, as `web/` is).

Every `import` in every module counts, at the top or inside a function: a function-level import
hides a dependency from a reader, not from the design. The checks are run on the repository and,
first, on small planted trees, so that a detector that finds nothing cannot pass for a clean tree.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGES = ("portal", "notice")

CORE = "portal.core"
WEB = "portal.web"
FORBIDDEN_IN_CORE = frozenset({"flask.request", "flask.url_for", "flask.Blueprint"})
"""What the domain may not touch: the request, URL building from a request, blueprints."""
COMMAND_LINE_IN_CORE = ("click", "flask.cli")
"""Command-line libraries, and everything in them: commands live in `portal.cli`, not in core."""
FORBIDDEN_CORE_TARGETS = ("portal.web", "portal.cli", "portal.demo")
"""Modules the domain may not import (nor the package `portal`, which builds the web app)."""


@dataclass(frozen=True)
class Imports:
    """What one module imports: modules of the scanned packages, and any names it takes."""

    modules: frozenset[str]
    names: frozenset[str]
    """Dotted names as imported or used, e.g. `flask.request` for `from flask import request`."""


def module_names(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    """Return every module of `packages` under `root` by its dotted name."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def read_imports(module: str, path: Path, known: Mapping[str, Path]) -> Imports:
    """Return what `module` (at `path`) imports, anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    names: set[str] = set()
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names.add(alias.name)
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
                target = alias.name
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target:
                    modules.add(target)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node, path.name == "__init__.py")
            for alias in node.names:
                dotted = f"{base}.{alias.name}"
                names.add(dotted)
                if dotted in known:
                    modules.add(dotted)
                elif base in known:
                    modules.add(base)
    for node in ast.walk(tree):
        # `import flask` then `flask.request`: the attribute names the thing used.
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in aliases:
                names.add(f"{aliases[node.value.id]}.{node.attr}")
    modules.discard(module)
    return Imports(frozenset(modules), frozenset(names))


def import_graph(root: Path, packages: Iterable[str] = PACKAGES) -> dict[str, Imports]:
    """Return the imports of every module of `packages` under `root`."""
    known = module_names(root, packages)
    return {name: read_imports(name, path, known) for name, path in known.items()}


def find_cycles(graph: Mapping[str, Imports]) -> list[list[str]]:
    """Return each group of modules that import each other in a circle (Tarjan's SCCs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node].modules):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def backward_arrows(graph: Mapping[str, Imports]) -> list[str]:
    """Return every import against the layers: core → web, core → request, notice → portal."""
    problems = []
    for module, imports in sorted(graph.items()):
        if _within(module, CORE):
            for target in sorted(imports.modules):
                if target == "portal" or any(_within(target, p) for p in FORBIDDEN_CORE_TARGETS):
                    problems.append(f"{module} imports {target} (the domain knows no web layer)")
            for name in sorted(imports.names & FORBIDDEN_IN_CORE):
                problems.append(f"{module} uses {name} (the domain knows no HTTP request)")
            for name in sorted(imports.names):
                if any(_within(name, cli) for cli in COMMAND_LINE_IN_CORE):
                    problems.append(f"{module} uses {name} (the domain knows no command line)")
        if _within(module, "notice"):
            for name in sorted(imports.names):
                if _within(name, "portal"):
                    problems.append(f"{module} imports {name} (the notice knows no portal)")
    return problems


# ---- the detector, on planted trees -----------------------------------------------------------


def _plant(root: Path, files: Mapping[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


CLEAN = {
    "portal/__init__.py": "from portal.web import app\n",
    "portal/core/__init__.py": "",
    "portal/core/models.py": "import notice.model\n",
    "portal/core/workflow.py": "from portal.core import models\nfrom flask import current_app\n",
    "portal/web/__init__.py": "",
    "portal/web/app.py": "from flask import request, url_for\nfrom portal.core import workflow\n",
    "portal/cli/__init__.py": "import click\n",
    "portal/cli/staff.py": (
        "import click\nfrom flask.cli import AppGroup\nfrom portal.core import models\n"
    ),
    "notice/__init__.py": "",
    "notice/model.py": "import json\n",
}


def test_detector_passes_a_clean_tree(tmp_path: Path) -> None:
    graph = import_graph(_plant(tmp_path, CLEAN))
    assert graph["portal.web.app"].modules == {"portal.core.workflow"}
    assert graph["portal.cli.staff"].modules == {"portal.core.models"}  # cli → core is allowed
    assert find_cycles(graph) == []
    assert backward_arrows(graph) == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("portal/core/models.py", "def f():\n    from portal.core import workflow\n"),
        ("portal/core/models.py", "from . import workflow\n"),
        ("notice/model.py", "import notice\n"),
    ],
    ids=["function-level", "relative", "package-init"],
)
def test_detector_finds_a_planted_cycle(tmp_path: Path, path: str, text: str) -> None:
    files = dict(CLEAN)
    files[path] = text
    if path == "notice/model.py":
        files["notice/__init__.py"] = "from notice.model import *\n"
    cycles = find_cycles(import_graph(_plant(tmp_path, files)))
    assert len(cycles) == 1, cycles


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("portal/core/mail.py", "from portal.web import app\n", "imports portal.web.app"),
        ("portal/core/mail.py", "from portal import create_app\n", "imports portal "),
        ("portal/core/mail.py", "from flask import request\n", "uses flask.request"),
        ("portal/core/mail.py", "def f():\n    from flask import url_for\n", "uses flask.url_for"),
        ("portal/core/mail.py", "import flask\nflask.request.args\n", "uses flask.request"),
        ("portal/core/mail.py", "import click\n", "uses click "),
        ("portal/core/mail.py", "def f():\n    from click import echo\n", "uses click.echo"),
        ("portal/core/mail.py", "from flask.cli import AppGroup\n", "uses flask.cli.AppGroup"),
        ("portal/core/mail.py", "from flask import cli\n", "uses flask.cli "),
        ("portal/core/mail.py", "import flask.cli\n", "uses flask.cli "),
        ("portal/core/mail.py", "from portal.cli import main\n", "imports portal.cli "),
        ("notice/build.py", "from portal.core import models\n", "imports portal.core.models"),
        ("notice/build.py", "import portal\n", "imports portal "),
    ],
)
def test_detector_finds_a_planted_backward_arrow(
    tmp_path: Path, path: str, text: str, expected: str
) -> None:
    files = dict(CLEAN)
    files[path] = text
    problems = backward_arrows(import_graph(_plant(tmp_path, files)))
    assert len(problems) == 1 and expected in problems[0] + " ", problems


# ---- the repository ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def repository(repo_root: Path) -> dict[str, Imports]:
    return import_graph(repo_root)


def test_repository_has_the_two_portal_layers(repository: Mapping[str, Imports]) -> None:
    assert {"portal.core.workflow", "portal.web.intake", "notice.pdf"} <= set(repository)
    assert "portal.core.notify" in repository["portal.core.workflow"].modules
    assert "portal.core.accounts" in repository["portal.cli.accounts"].modules
    assert "click" in repository["portal.cli.keys"].names


def test_repository_has_no_import_cycle(repository: Mapping[str, Imports]) -> None:
    assert find_cycles(repository) == []


def test_arrows_run_from_web_to_core_to_notice(repository: Mapping[str, Imports]) -> None:
    assert backward_arrows(repository) == []
