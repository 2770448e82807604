"""Mutation testing of the legal modules: one AST change at a time, against the tests that own it.

Usage (from the repository root):

    .venv/bin/python scripts/mutate.py                     # every module in TARGETS
    .venv/bin/python scripts/mutate.py --module portal/core/duedates.py
    .venv/bin/python scripts/mutate.py --changed           # only lines changed since the merge
                                                           # base with origin/main (else main)
    .venv/bin/python scripts/mutate.py --changed --fail-under 90 --max-mutants 40   # a branch's
                                                           # changed lines
    .venv/bin/python scripts/mutate.py --module portal/core/duedates.py --max-mutants 60 \
        --fail-under 90                                    # CI subset (also on main itself)
    .venv/bin/python scripts/mutate.py --list --module portal/core/duedates.py   # show mutants
    .venv/bin/python scripts/mutate.py --survivors --module X   # after adding tests: re-run
                                                                # only the last run's survivors
                                                                # (and mutants taken off the
                                                                # equivalents list since)
    .venv/bin/python scripts/mutate.py --sample 0.3 --module X  # a labelled 30 % estimate

Why a small mutator of our own and not mutmut 3: mutmut copies the tree into `mutants/` and
rewrites every function into a trampoline, which changes what `lru_cache`, dataclasses, Flask
views and subprocess-run CLIs see; this tool changes exactly one node of one module and nothing
else. The mutated source is never written into the tree: each mutant runs in a forked child
whose import system loads the module's mutated text under the module's own file name (and a
`sitecustomize` on PYTHONPATH does the same in any Python subprocess a test starts), so an
interrupted run leaves the repository untouched.

Operators: comparison flips (`<`↔`<=`, `==`↔`!=`, `in`↔`not in`, `is`↔`is not`), `and`↔`or`,
arithmetic swaps (`+`↔`-`, `*`↔`/`, `//`→`*`, `%`→`//`), `not x`→`x`, `-x`→`x`, constants (n→n+1,
n→n-1, True↔False, ""→"X", "text"→""), `return x`→`return None`, `if c`→`if not c` (also
`a if c else b`), and statement deletion (replaced by `pass`). Docstrings, annotations,
decorators, `__all__` and the literal parts of f-strings are not mutated.

Each mutant runs `pytest -x -q -p no:cacheprovider <the module's tests>` with a timeout of three
times the unmutated run plus 10 s (a timeout counts as killed); a run of only the tests that
execute a mutant's lines (below) gets three times what those tests took in the unmutated run (with
the start-up and their files' longest set-up) plus 30 s, at most the whole list's. The unmutated
run records, with coverage's per-test contexts, which test executes which line; a mutant then runs
first only the tests that execute its lines (in the usual order, still -x), and only if they all
pass, every test of the module: so a survivor has passed the whole list, as before, and a killed
mutant costs the few tests that touch it. Mutants on lines run at import (module-level code) or run
by no test run the whole list at once. Score = killed / (total - equivalent). Equivalent mutants
are listed only in tests/mutation_equivalents.txt, one per line: `module | mutant id | reason`.
Results: a table on stdout and bench/results/mutation.json (bench/results/mutation-changed.json for
--changed, mutation-subset.json for --max-mutants, so a quick subset never replaces a module's full
result).
"""

from __future__ import annotations

import argparse
import ast
import collections
import datetime as dt
import fcntl
import hashlib
import importlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.txt"
RESULTS = ROOT / "bench" / "results"

# module → the test files that exercise it (the only tests run against its mutants), fastest and
# most exact first (-x stops at the first failure). Items starting with "-" are pytest options:
# the PostgreSQL variants repeat the SQLite ones, so mutants run on SQLite only.
NO_POSTGRES = ["-m", "not postgres"]
TARGETS: dict[str, list[str]] = {
    "portal/core/duedates.py": [
        "tests/portal/test_duedates_steps.py",  # exact and fast: first, so -x stops early
        "tests/portal/test_duedates.py",
    ],
    "portal/core/art15.py": [
        *NO_POSTGRES,
        "tests/portal/test_art15.py",  # every line in fi/sv/en, compared whole
        "tests/portal/test_art15_exact.py",
        "tests/portal/staff/test_art15.py",
        "tests/portal/staff/test_what_people_receive.py",
    ],
    "portal/core/seal.py": [
        *NO_POSTGRES,
        "tests/portal/test_seal_exact.py",
        "tests/portal/test_seal.py",
        "tests/portal/test_verify.py",
    ],
    "portal/core/receipt_file.py": [
        *NO_POSTGRES,
        "tests/portal/test_receipt_file_exact.py",
        "tests/portal/test_verify.py",
    ],
    "portal/core/audit.py": [  # on PostgreSQL too: the chain's lock is written per database
        "tests/portal/test_audit_exact.py",
        "tests/portal/test_audit.py",
        "tests/portal/test_audit_checkpoints.py",
    ],
    "portal/core/letters.py": [
        *NO_POSTGRES,
        "tests/portal/test_letters_exact.py",
        "tests/portal/test_letters_register_controller.py",  # a register's own controller
        "tests/portal/test_letters.py",
        "tests/portal/test_letter_delivery.py",
    ],
    "notice/checks/structure.py": [
        "tests/notice/test_checks_structure.py",
        "tests/notice/test_checks_rules.py",
        "tests/notice/test_checks_meaning.py",
        "tests/notice/test_checks_generality.py",
    ],
    "notice/records/columns.py": [
        "tests/notice/test_records_columns_exact.py",
        "tests/notice/test_records.py",
        "tests/notice/test_records_fixture.py",
    ],
}

PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]


# --- mutants --------------------------------------------------------------------------------------

_COMPARE_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP_SWAP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
}
_DELETABLE = (
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Expr,
    ast.For,
    ast.While,
    ast.If,
    ast.With,
    ast.Raise,
    ast.Assert,
    ast.Try,
    ast.Delete,
)
Change = Callable[[ast.AST], ast.AST]


@dataclass(frozen=True)
class Mutant:
    """One change at one node: `id` is stable across unrelated edits (scope, change, ordinal)."""

    id: str
    line: int
    end_line: int
    description: str
    index: int
    option: int


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


def _changes(node: ast.AST) -> list[tuple[str, Change]]:
    """Return the mutations that apply to `node` itself: (description, node → replacement)."""
    out: list[tuple[str, Change]] = []
    if isinstance(node, ast.Compare):
        for position, op in enumerate(node.ops):
            new = _COMPARE_SWAP.get(type(op))
            if new is not None:

                def swap(n: ast.AST, p: int = position, new: type[ast.cmpop] = new) -> ast.AST:
                    assert isinstance(n, ast.Compare)
                    n.ops[p] = new()
                    return n

                out.append((f"{type(op).__name__}->{new.__name__}", swap))
    elif isinstance(node, ast.BoolOp):
        new_bool: type[ast.boolop] = ast.Or if isinstance(node.op, ast.And) else ast.And

        def swap_bool(n: ast.AST, new: type[ast.boolop] = new_bool) -> ast.AST:
            assert isinstance(n, ast.BoolOp)
            n.op = new()
            return n

        out.append((f"{type(node.op).__name__}->{new_bool.__name__}", swap_bool))
    elif isinstance(node, ast.BinOp | ast.AugAssign):
        new_op = _BINOP_SWAP.get(type(node.op))
        if new_op is not None:

            def swap_op(n: ast.AST, new: type[ast.operator] = new_op) -> ast.AST:
                n.op = new()  # type: ignore[attr-defined]
                return n

            out.append((f"{type(node.op).__name__}->{new_op.__name__}", swap_op))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        out.append((f"drop {type(node.op).__name__}", lambda n: n.operand))  # type: ignore[attr-defined]
    elif isinstance(node, ast.Constant):
        value = node.value
        replacements: list[object]
        if isinstance(value, bool):
            replacements = [not value]
        elif isinstance(value, int):
            replacements = [value + 1, value - 1]
        elif isinstance(value, float):
            replacements = [value + 1]
        elif isinstance(value, str):
            replacements = ["X" if value == "" else ""]
        else:
            replacements = []
        for new_value in replacements:
            out.append(
                (
                    f"const {_short(value)}->{_short(new_value)}",
                    lambda n, v=new_value: ast.copy_location(ast.Constant(v), n),
                )
            )
    elif isinstance(node, ast.IfExp):

        def negate_ifexp(n: ast.AST) -> ast.AST:
            assert isinstance(n, ast.IfExp)
            n.test = ast.UnaryOp(ast.Not(), n.test)
            return n

        out.append(("negate if-expression", negate_ifexp))
    if isinstance(node, ast.Return) and node.value is not None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            out.append(("return None", lambda n: ast.copy_location(ast.Return(None), n)))
    if isinstance(node, ast.If):

        def negate_if(n: ast.AST) -> ast.AST:
            assert isinstance(n, ast.If)
            n.test = ast.UnaryOp(ast.Not(), n.test)
            return n

        out.append(("negate if", negate_if))
    if isinstance(node, _DELETABLE):
        out.append((f"delete {type(node).__name__}", lambda n: ast.copy_location(ast.Pass(), n)))
    return out


def _is_docstring(node: ast.AST) -> bool:
    """A statement that is only a string literal: a docstring, or an attribute's doc below it."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _skipped(node: ast.AST) -> bool:
    """Nodes whose whole subtree is not mutated."""
    if isinstance(node, ast.ImportFrom | ast.Import | ast.Global | ast.Nonlocal):
        return True
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return True
        if isinstance(node, ast.AnnAssign) and node.value is None:
            return True
    if isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks
        test = node.test
        name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
        return name == "TYPE_CHECKING"
    return False


# Fields never visited: annotations, decorators (`@lru_cache(maxsize=64)`), type parameters.
_SKIP_FIELDS = {"annotation", "returns", "decorator_list", "type_comment", "type_params"}


class _Walker(ast.NodeTransformer):
    """Visit nodes in a fixed order; list the mutants, or apply one of them (`target`)."""

    def __init__(self, target: tuple[int, int] | None = None) -> None:
        self.target = target
        self.index = -1
        self.scope: list[str] = []
        self.found: list[tuple[int, int, str, ast.AST, str]] = []
        self.applied = False

    def walk(self, node: ast.AST, parent: ast.AST | None, in_fstring: bool = False) -> ast.AST:
        self.index += 1
        index = self.index
        if _skipped(node) or (in_fstring and isinstance(node, ast.Constant)):
            return node
        if _is_docstring(node):
            return node
        named = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        if named:
            self.scope.append(node.name)  # type: ignore[attr-defined]
        for name, value in ast.iter_fields(node):
            if name in _SKIP_FIELDS:
                continue
            child_in_fstring = isinstance(node, ast.JoinedStr)
            if isinstance(value, list):
                new_items = []
                for item in value:
                    if isinstance(item, ast.AST):
                        item = self.walk(item, node, child_in_fstring)
                    new_items.append(item)
                value[:] = new_items
            elif isinstance(value, ast.AST):
                setattr(node, name, self.walk(value, node, child_in_fstring))
        if named:
            self.scope.pop()
        changes = _changes(node)
        scope = ".".join(self.scope) or "<module>"
        if self.target is None:
            for option, (description, _change) in enumerate(changes):
                self.found.append((index, option, description, node, scope))
        elif self.target[0] == index:
            self.applied = True
            return changes[self.target[1]][1](node)
        return node


def list_mutants(source: str) -> list[Mutant]:
    """Return every mutant of `source`, in source order."""
    walker = _Walker()
    walker.walk(ast.parse(source), None)
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    mutants = []
    for index, option, description, node, scope in walker.found:
        key = (scope, description)
        counts[key] += 1
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.If):
            end = node.test.end_lineno or line
        else:
            end = getattr(node, "end_lineno", None) or line
        mutants.append(
            Mutant(f"{scope}: {description} #{counts[key]}", line, end, description, index, option)
        )
    return sorted(mutants, key=lambda m: (m.line, m.index, m.option))


def mutated_source(source: str, mutant: Mutant) -> str:
    """Return `source` with exactly `mutant` applied."""
    walker = _Walker((mutant.index, mutant.option))
    tree = walker.walk(ast.parse(source), None)
    if not walker.applied:
        raise RuntimeError(f"mutant {mutant.id} not found")
    return ast.unparse(ast.fix_missing_locations(tree))


# --- running a mutant -----------------------------------------------------------------------------

# Installed in the child (and, as sitecustomize.py, in every Python subprocess a test starts):
# the module named by SELOSTE_MUTANT_MODULE is loaded from SELOSTE_MUTANT_SOURCE's text but
# under its own file name, so `__file__`, resources and tracebacks point at the real file and
# no bytecode of the mutant is cached anywhere.
FINDER_SOURCE = """
import importlib.abc, importlib.util, os, sys

class _MutantLoader(importlib.abc.Loader):
    def __init__(self, path, source):
        self.path, self.source = path, source
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        with open(self.source, encoding="utf-8") as handle:
            code = compile(handle.read(), self.path, "exec", dont_inherit=True)
        exec(code, module.__dict__)

class _MutantFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != os.environ.get("SELOSTE_MUTANT_MODULE"):
            return None
        origin = os.environ["SELOSTE_MUTANT_PATH"]
        loader = _MutantLoader(origin, os.environ["SELOSTE_MUTANT_SOURCE"])
        return importlib.util.spec_from_file_location(name, origin, loader=loader)

if os.environ.get("SELOSTE_MUTANT_MODULE") and not any(
    type(f).__name__ == "_MutantFinder" for f in sys.meta_path
):
    sys.meta_path.insert(0, _MutantFinder())
"""


def _project_file(module: object) -> bool:
    path = getattr(module, "__file__", None)
    if not path:
        return False
    resolved = Path(path).resolve()
    return ROOT in resolved.parents and (ROOT / ".venv") not in resolved.parents


def _coverage_plugin(
    cov: Any, order: list[str], seconds: dict[str, float], setup: dict[str, float]
) -> object:
    """Return a pytest plugin that records each test's lines under its node id (setup, call and
    teardown), the order the tests ran in, and how long each test took in all (`seconds`) and
    in its set-up alone (`setup`: where a module or session fixture is made)."""
    import pytest

    class _Contexts:
        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> Any:
            order.append(item.nodeid)
            cov.switch_context(item.nodeid)
            started = time.monotonic()
            yield
            seconds[item.nodeid] = time.monotonic() - started
            cov.switch_context("")

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_setup(self, item: Any) -> Any:
            started = time.monotonic()
            yield
            setup[item.nodeid] = time.monotonic() - started

    return _Contexts()


def _child(
    tests: list[str],
    env: dict[str, str],
    log: Path,
    preload_out: Path | None,
    coverage_out: Path | None = None,
) -> None:
    """Run pytest in this (forked) process and exit with its code.

    With `coverage_out`, also record which test executed which line of the mutated module
    (SELOSTE_MUTANT_PATH) and write {"order": [node ids], "lines": {line: [node ids]}} there; a
    line run outside any test (at import, during collection) is listed under "".
    """
    os.setsid()
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    code = 3
    try:
        os.environ.update(env)
        exec(compile(FINDER_SOURCE, "<mutant finder>", "exec"), {"__name__": "_mutant_finder"})
        import pytest

        plugins: list[object] = []
        cov = None
        order: list[str] = []
        seconds: dict[str, float] = {}
        setup: dict[str, float] = {}
        if coverage_out is not None:
            import coverage

            cov = coverage.Coverage(
                data_file=None, include=[env["SELOSTE_MUTANT_PATH"]], config_file=False
            )
            plugins.append(_coverage_plugin(cov, order, seconds, setup))
            cov.start()
        code = int(pytest.main([*PYTEST_ARGS, *tests], plugins=plugins))
        if cov is not None and coverage_out is not None:
            cov.stop()
            data = cov.get_data()
            by_line = data.contexts_by_lineno(env["SELOSTE_MUTANT_PATH"])
            coverage_out.write_text(
                json.dumps(
                    {
                        "order": order,
                        "lines": {str(k): v for k, v in by_line.items()},
                        "seconds": seconds,
                        "setup": setup,
                    }
                ),
                encoding="utf-8",
            )
        if preload_out is not None:
            names = sorted(
                name
                for name, module in list(sys.modules.items())
                if module is not None
                and not name.startswith(("__", "conftest", "tests"))
                and getattr(module, "__file__", None)
                and not _project_file(module)
            )
            preload_out.write_text("\n".join(names), encoding="utf-8")
    except BaseException as error:  # noqa: BLE001 - the child reports every failure as an exit code
        print(f"mutate child: {error!r}", flush=True)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_tests(
    tests: list[str],
    env: dict[str, str],
    log: Path,
    timeout: float,
    preload_out: Path | None = None,
    coverage_out: Path | None = None,
) -> tuple[int | None, float]:
    """Fork, run `tests` in the child; return (exit code or None on timeout, seconds)."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(tests, env, log, preload_out, coverage_out)
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), time.monotonic() - started
        if time.monotonic() - started > timeout:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            return None, time.monotonic() - started
        time.sleep(0.05)


def preload(names_file: Path) -> int:
    """Import the third-party modules the tests import, once, before forking (saves start-up)."""
    from importlib.metadata import entry_points, packages_distributions

    # Every package of a distribution that is a pytest plugin must be imported by pytest itself
    # (pytest rewrites the asserts of those packages, and warns if they are already imported).
    plugin_dists = {ep.dist.name for ep in entry_points(group="pytest11") if ep.dist}
    plugins = {
        top for top, dists in packages_distributions().items() if plugin_dists & set(dists)
    } | {"pytest", "_pytest", "pluggy"}
    count = 0
    for name in names_file.read_text(encoding="utf-8").split():
        if name in sys.modules or name.split(".")[0] in plugins:
            continue
        try:
            module = importlib.import_module(name)
        except BaseException:  # noqa: BLE001, S112 - a module that will not import here is skipped
            continue
        if _project_file(module):  # never pre-import our own code: it may import the target
            continue
        count += 1
    # `__main__` is this script, a project file too, but it stays: a library that does
    # `import __main__` (rdflib) would otherwise get an ImportError in every child, which rdflib
    # turns into an ImportWarning and the suite's filterwarnings=error into a failed test.
    project = [
        name
        for name, module in sys.modules.items()
        if module is not None and name != "__main__" and _project_file(module)
    ]
    for name in project:  # a third-party import pulled in our code after all: forget it
        del sys.modules[name]
    return count


# --- equivalents, changed lines -------------------------------------------------------------------


def load_equivalents(path: Path = EQUIVALENTS) -> dict[str, dict[str, str]]:
    """Return {module: {mutant id: reason}} from `module | id | reason` lines."""
    table: dict[str, dict[str, str]] = collections.defaultdict(dict)
    if not path.exists():
        return table
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3 or not all(parts):
            raise SystemExit(f"{path}:{number}: expected 'module | mutant id | reason': {raw!r}")
        table[parts[0]][parts[1]] = parts[2]
    return table


def default_base() -> str:
    """Return `origin/main` when this clone has it (CI), else `main`."""
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "origin/main^{commit}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return "origin/main" if found.returncode == 0 else "main"


def changed_lines(module: str, base: str) -> set[int]:
    """Return the line numbers of `module` added or changed since it left `base` (git diff -U0).

    The diff is taken from the merge base, so changes made on `base` since do not count.
    """
    found = subprocess.run(
        ["git", "merge-base", base, "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    if found.returncode != 0:
        raise SystemExit(
            f"--changed: no merge base of {base} and HEAD (fetch {base} first, with its "
            f"history): {found.stderr.strip()}"
        )
    fork = found.stdout.strip()
    diff = subprocess.run(
        ["git", "diff", "-U0", fork, "--", module],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines: set[int] = set()
    for row in diff.splitlines():
        if row.startswith("@@"):
            new = row.split()[2]  # +start[,count]
            start, _, count = new[1:].partition(",")
            lines.update(range(int(start), int(start) + int(count or 1)))
    return lines


# --- the run --------------------------------------------------------------------------------------


@dataclass
class ModuleResult:
    module: str
    tests: list[str]
    sample: float | None = None
    source_sha256: str = ""
    total: int = 0
    killed: int = 0
    timeout: int = 0
    survived: int = 0
    equivalent: int = 0
    seconds: float = 0.0
    baseline_seconds: float = 0.0
    survivors: list[dict[str, object]] = field(default_factory=list)
    equivalent_ids: list[str] = field(default_factory=list)
    """The mutants counted as equivalent (listed in EQUIVALENTS when the run started)."""
    stale_equivalents: list[str] = field(default_factory=list)
    left_out: int = 0
    """Mutants not run because of --max-mutants."""
    planned: int = 0
    """Mutants this run set out to run (a partial entry has run fewer)."""
    covered_runs: int = 0
    """Mutants first run against only the tests that execute their lines."""
    full_runs: int = 0
    """Runs of every test of the module (mutants at import-time lines, on lines no test
    executes, or that survived the tests that execute them)."""

    @property
    def score(self) -> float | None:
        counted = self.total - self.equivalent
        return round(100 * (self.killed + self.timeout) / counted, 1) if counted else None


def covering_tests(tests: list[str], covered: dict[str, Any], mutant: Mutant) -> list[str] | None:
    """Return the pytest arguments that run only the tests executing `mutant`'s lines, in the
    order the baseline ran them (so -x still stops at the first, most exact failure); None when
    every test must run: a line ran at import (module level, seen by all tests) or no test ran it.
    """
    lines: dict[str, list[str]] = covered["lines"]
    nodes: set[str] = set()
    for number in range(mutant.line, mutant.end_line + 1):
        contexts = lines.get(str(number), [])
        if "" in contexts:
            return None
        nodes.update(contexts)
    if not nodes:
        return None
    options = [t for t in tests if not t.startswith("tests/")]
    return [*options, *(node for node in covered["order"] if node in nodes)]


def covering_timeout(
    covered: dict[str, Any], first: list[str], baseline: float, full_timeout: float
) -> float:
    """Return the time limit of a run of only the tests `first` names (node ids).

    The same rule as for the whole list, three times the unmutated run plus a margin, applied
    to what these tests took in the unmutated run: the start-up (the baseline's time outside
    every test), the tests themselves, and each of their files' longest set-up (a module or
    session fixture may have been made by a test not selected now), plus 30 s. Never more than
    the whole list's limit. A mutant that loops for ever then costs about a minute, not three
    whole runs.
    """
    seconds: dict[str, float] = covered.get("seconds") or {}
    setup: dict[str, float] = covered.get("setup") or {}
    nodes = [node for node in first if "::" in node]
    if not seconds or not nodes or any(node not in seconds for node in nodes):
        return full_timeout
    startup = max(0.0, baseline - sum(seconds.values()))
    files = {node.split("::")[0] for node in nodes}
    longest_setup = {
        name: max((t for node, t in setup.items() if node.split("::")[0] == name), default=0.0)
        for name in files
    }
    own = startup + sum(seconds[node] for node in nodes) + sum(longest_setup.values())
    return min(full_timeout, 3 * own + 30)


def _digest(mutant_id: str) -> int:
    return int.from_bytes(hashlib.sha256(mutant_id.encode("utf-8")).digest()[:8], "big")


def _in_sample(mutant_id: str, fraction: float) -> bool:
    """Return whether `mutant_id` is in a stable sample of `fraction` of all mutants."""
    return _digest(mutant_id) / 2**64 < fraction


def run_again(previous: dict[str, Any], equivalents: dict[str, str]) -> tuple[set[str], set[str]]:
    """Return which mutants a `--survivors` run runs again, and which stay counted equivalent.

    Again: the previous run's survivors, and the mutants it counted equivalent that the list no
    longer names (a test now kills one the list had called equivalent: it must be run to count
    as killed). Still equivalent: the rest of the previous run's equivalents.
    """
    before = {str(mutant_id) for mutant_id in previous.get("equivalent_ids", [])}
    reopened = before - set(equivalents)
    survivors = {str(survivor["id"]) for survivor in previous["survivors"]}
    return survivors | reopened, before - reopened


def mutate_module(
    module: str,
    tests: list[str],
    equivalents: dict[str, str],
    workdir: Path,
    only_lines: set[int] | None,
    verbose: bool,
    sample: float | None = None,
    previous: dict[str, Any] | None = None,
    max_mutants: int | None = None,
    on_progress: Callable[[ModuleResult], None] | None = None,
) -> ModuleResult:
    """Run every mutant of `module` (or those on `only_lines`) against `tests`.

    With `previous` (the module's entry of an earlier full run of the same source), run only the
    mutants that survived it and add their outcomes to its counts: tests were only added since,
    so what they killed stays killed.
    """
    source = (ROOT / module).read_text(encoding="utf-8")
    mutants = list_mutants(source)
    source_sha256 = hashlib.sha256(source.encode("utf-8")).hexdigest()
    if only_lines is not None:
        mutants = [m for m in mutants if only_lines & set(range(m.line, m.end_line + 1))]
    if sample is not None:
        mutants = [m for m in mutants if _in_sample(m.id, sample)]
    left_out = 0
    if max_mutants is not None and len(mutants) > max_mutants:
        kept = set(sorted(mutants, key=lambda m: _digest(m.id))[:max_mutants])
        left_out = len(mutants) - max_mutants
        mutants = [m for m in mutants if m in kept]
    result = ModuleResult(module, tests, sample=sample, source_sha256=source_sha256)
    result.left_out = left_out
    result.planned = len(mutants)
    if previous is not None:
        if previous.get("source_sha256") != source_sha256 or previous.get("mode") != "full":
            raise SystemExit(f"{module}: changed since its last full run; run it in full")
        again, kept_equivalent = run_again(previous, equivalents)
        mutants = [m for m in mutants if m.id in again]
        for name in ("total", "killed", "timeout"):
            setattr(result, name, int(previous[name]))
        reopened = len(set(previous.get("equivalent_ids", []))) - len(kept_equivalent)
        result.equivalent = int(previous["equivalent"]) - reopened
        result.equivalent_ids = sorted(kept_equivalent)
        result.sample = previous.get("sample")
        result.planned = int(previous.get("planned") or previous["total"])
    result.stale_equivalents = sorted(set(equivalents) - {m.id for m in list_mutants(source)})
    dotted = module.removesuffix(".py").replace("/", ".")
    mutant_file = workdir / "mutant.py"
    env = {
        "SELOSTE_MUTANT_MODULE": dotted,
        "SELOSTE_MUTANT_PATH": str(ROOT / module),
        "SELOSTE_MUTANT_SOURCE": str(mutant_file),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(workdir), os.environ.get("PYTHONPATH")])),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # Baseline: the unmutated module, loaded the same way, must pass its tests. The run also
    # records which test executed which line (the text is the file's own, so the line numbers
    # are the mutants' line numbers).
    mutant_file.write_text(source, encoding="utf-8")
    coverage_file = workdir / "coverage.json"
    code, seconds = run_tests(
        tests, env, workdir / "baseline.log", timeout=1800, coverage_out=coverage_file
    )
    if code != 0 or not coverage_file.exists():
        raise SystemExit(
            f"{module}: its tests fail without any mutant (exit {code}); see the log:\n"
            + (workdir / "baseline.log").read_text(encoding="utf-8")[-3000:]
        )
    covered = json.loads(coverage_file.read_text(encoding="utf-8"))
    coverage_file.unlink()
    result.baseline_seconds = round(seconds, 1)
    timeout = 3 * seconds + 10
    started = time.monotonic()
    for number, mutant in enumerate(mutants, 1):
        result.total += previous is None
        if mutant.id in equivalents:
            result.equivalent += 1
            result.equivalent_ids.append(mutant.id)
            continue
        mutant_file.write_text(mutated_source(source, mutant), encoding="utf-8")
        first = covering_tests(tests, covered, mutant)
        if first is None:
            result.full_runs += 1
            code, seconds = run_tests(tests, env, workdir / "mutant.log", timeout)
        else:
            # The tests that execute the changed lines first; only if they all pass, every test
            # (a line may also run in a subprocess, or matter to a later test's teardown).
            result.covered_runs += 1
            limit = covering_timeout(covered, first, result.baseline_seconds, timeout)
            code, seconds = run_tests(first, env, workdir / "mutant.log", limit)
            # 0: they all pass; 4/5: pytest could not select them by node id (a parameter id
            # pytest cannot parse back): either way, every test decides.
            if code in (0, 4, 5):
                result.full_runs += 1
                code, more = run_tests(tests, env, workdir / "mutant.log", timeout)
                seconds += more
        if code is None:
            outcome = "timeout"
            result.timeout += 1
        elif code in (1, 2, 3):  # failed tests, or the mutant broke collection/import
            outcome = "killed"
            result.killed += 1
        elif code == 0:
            outcome = "SURVIVED"
            result.survived += 1
            result.survivors.append(
                {"id": mutant.id, "line": mutant.line, "description": mutant.description}
            )
        else:
            raise SystemExit(
                f"{module}: pytest exit {code} for {mutant.id}; see {workdir / 'mutant.log'}"
            )
        if on_progress is not None and number % 10 == 0:
            result.seconds = round(time.monotonic() - started + result.baseline_seconds, 1)
            on_progress(result)
        if verbose or outcome == "SURVIVED":
            print(
                f"  [{number}/{len(mutants)}] {outcome:8} line {mutant.line}: {mutant.id}"
                f" ({seconds:.1f} s)",
                flush=True,
            )
    result.seconds = round(time.monotonic() - started + result.baseline_seconds, 1)
    if previous is not None:  # the module's time is the full run's plus this re-run's
        result.seconds = round(result.seconds + float(previous.get("seconds") or 0), 1)
    return result


def table(results: list[ModuleResult]) -> str:
    """Return the results as a fixed-width table."""
    header = ("module", "mutants", "killed", "timeout", "survived", "equivalent", "score", "time")
    rows = [header]
    for r in results:
        score = f"{r.score:.1f} %" if r.score is not None else "-"
        rows.append(
            (
                r.module
                + (f" (sample {r.sample:.0%})" if r.sample else "")
                + (f" ({r.left_out} more not run)" if r.left_out else ""),
                str(r.total),
                str(r.killed),
                str(r.timeout),
                str(r.survived),
                str(r.equivalent),
                score,
                f"{r.seconds:.0f} s",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def _write_json(
    path: Path, results: list[ModuleResult], mode: str, merge: bool, incremental: bool
) -> None:
    """Write (or merge into) the results file, under a lock: runs of other modules may write it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:12]
    lock_path = Path(tempfile.gettempdir()) / f"seloste-mutation-{digest}.lock"
    with open(lock_path, "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _write_json_locked(path, results, mode, merge, incremental)


def _write_json_locked(
    path: Path, results: list[ModuleResult], mode: str, merge: bool, incremental: bool
) -> None:
    data: dict[str, object] = {"modules": {}}
    if merge and path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            data = {"modules": {}}
    modules = data.setdefault("modules", {})
    assert isinstance(modules, dict)
    for r in results:
        entry = {"score": r.score, "mode": mode, "incremental": incremental}
        modules[r.module] = {**asdict(r), **entry}
    data["tool"] = "scripts/mutate.py"
    data["updated"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def _partial_writer() -> Callable[[ModuleResult], None]:
    """Return a callback that records a module's run so far (mode "partial"), so a run cut
    short still leaves what it measured; the finished run overwrites it."""

    def write(result: ModuleResult) -> None:
        _write_json(RESULTS / "mutation.json", [result], "partial", True, False)

    return write


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", help="a module path in TARGETS (repeatable)")
    parser.add_argument(
        "--changed", action="store_true", help="only mutants on lines changed vs --base"
    )
    parser.add_argument(
        "--base",
        help="git revision for --changed (default: origin/main when it exists, else main)",
    )
    parser.add_argument(
        "--max-mutants",
        type=int,
        help="run at most this many mutants per module (a stable choice by id hash): keeps the "
        "CI subset within its time; the table says how many were left out",
    )
    parser.add_argument(
        "--tests", nargs="+", help="run these test files instead of the TARGETS table's"
    )
    parser.add_argument(
        "--sample",
        type=float,
        help="run only this fraction of the mutants (every mutant whose id hashes below it): "
        "a quick estimate, labelled as a sample in the table and the JSON",
    )
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="run only the survivors of the last full run (bench/results/mutation.json) of an "
        "unchanged module, after adding tests; counts are carried over",
    )
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every mutant")
    parser.add_argument(
        "--fail-under", type=float, default=0.0, help="exit 1 if a module scores below this"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the mutation table; return the process exit code."""
    args = _parse(argv)
    modules = args.module or list(TARGETS)
    unknown = [m for m in modules if m not in TARGETS]
    if unknown:
        print(f"not in TARGETS (scripts/mutate.py): {', '.join(unknown)}", file=sys.stderr)
        return 2
    if args.list:
        for module in modules:
            for mutant in list_mutants((ROOT / module).read_text(encoding="utf-8")):
                print(f"{module}:{mutant.line}: {mutant.id}")
        return 0
    os.chdir(ROOT)
    base = args.base or default_base()
    equivalents = load_equivalents()
    previous: dict[str, Any] = {}
    if args.survivors:
        if not (RESULTS / "mutation.json").exists():
            raise SystemExit("--survivors needs an earlier full run in bench/results/mutation.json")
        previous = json.loads((RESULTS / "mutation.json").read_text(encoding="utf-8"))["modules"]
    results: list[ModuleResult] = []
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        workdir = Path(tmp)
        (workdir / "sitecustomize.py").write_text(FINDER_SOURCE, encoding="utf-8")
        preloaded = False
        for module in modules:
            only = changed_lines(module, base) if args.changed else None
            if only is not None and not only:
                continue
            # Test files not written yet are skipped; options and their values ("-m", "not
            # postgres") are kept.
            tests = [
                t
                for t in args.tests or TARGETS[module]
                if not t.startswith("tests/") or (ROOT / t).exists()
            ]
            if not preloaded:  # learn what the tests import, then import it once here
                names = workdir / "preload.txt"
                # Collecting imports the test modules and, through them, the app: enough to
                # learn the third-party imports without running the tests twice.
                run_tests(
                    ["--collect-only", *tests],
                    {},
                    workdir / "preload.log",
                    timeout=1800,
                    preload_out=names,
                )
                if names.exists():
                    preload(names)
                preloaded = True
            print(f"== {module} against {' '.join(tests)}", flush=True)
            result = mutate_module(
                module,
                tests,
                equivalents.get(module, {}),
                workdir,
                only,
                args.verbose,
                args.sample,
                previous.get(module) if args.survivors else None,
                args.max_mutants,
                None
                if args.changed or args.survivors or args.max_mutants is not None
                else _partial_writer(),
            )
            for stale in result.stale_equivalents:
                print(f"  note: equivalent entry matches no mutant any more: {stale}")
            results.append(result)
    if args.changed and not results:
        print(f"no line of {', '.join(modules)} changed since {base}: nothing to mutate")
    print()
    print(table(results))
    if args.changed:
        out, mode = RESULTS / "mutation-changed.json", "changed"
    elif args.max_mutants is not None:
        out, mode = RESULTS / "mutation-subset.json", "subset"
    else:
        out, mode = RESULTS / "mutation.json", "full"
    _write_json(out, results, mode, merge=mode == "full", incremental=args.survivors)
    print(f"\nwritten: {out.relative_to(ROOT)}")
    below = [r.module for r in results if r.score is not None and r.score < args.fail_under]
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
