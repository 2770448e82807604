"""The loader reads most files from the YAML parser's events: it must make what composing made.

`loader._read_events` is the fast way, `loader._compose` the way every file was read before; a
file the fast way leaves alone (`_NotPlain`) is composed. For every content file of the
repository and for the YAML that content authors get wrong, both give the same data, the same
line of every key path and the same errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from notice import loader
from notice.loader import ContentError, SourceFile
from tests import REPO_ROOT

FILES = sorted(
    path
    for folder in ("content", "tests")
    for path in (REPO_ROOT / folder).rglob("*.yaml")
    if "registers" in path.parts or path.name == "site.yaml"
)

SNIPPETS = {
    "plain": "id: a\nname: {fi: Nimi, en: Name}\nlist:\n  - one\n  - 'two'\n  - \"three\"\n",
    "scalars": "a: 1\nb: 2.5\nc: true\nd: ~\ne:\nf: 2024-02-30\ng: 0o17\nh: .inf\ni: =\n",
    "block scalars": "a: |\n  one\n  two\nb: >\n  folded\n  text\nc: |-\n  x\n",
    "tags": "a: !!int x\nb: !!str 12\nc: ! 12\nd: !!bool maybe\ne: !!python/object:os.system x\n",
    "custom tag": "a: !thing x\nb: !!float 1.5\n",
    "duplicate key": "a: 1\nb:\n  c: [1, 2]\na:\n  - x\n  - {y: z}\nb: late\n",
    "nested duplicate": "a:\n  b: 1\n  b: 2\n  c: 3\n",
    "non-text keys": "1: a\ntrue: b\n2024-01-31: c\n~: d\nnull: e\n: f\n",
    "complex key": "? [a, b]\n: c\nd: e\n",
    "anchors": "a: &x {fi: Teksti, en: Text}\nb: *x\nc: [*x, *x]\n",
    "alias key": "a: &k key\n*k : value\n",
    "merge key": "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "empty": "",
    "comments only": "# nothing here\n",
    "explicit empty document": "---\n",
    "top-level list": "- a\n- b\n",
    "top-level scalar": "just text\n",
    "flow": "a: {b: [1, {c: d}], e: 'f'}\n",
    "unclosed flow": "a: [1, 2\nb: c\n",
    "tab": "a:\n\tb: c\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "control character": "a: b\x07c\n",
    "deep": "a:" + "".join(f"\n{'  ' * depth}k:" for depth in range(1, 70)) + " x\n",
}


def outcome(read: Any, path: Path, text: str) -> Any:
    """What a way of reading makes of a file: its data, lines and errors, or its error."""
    try:
        source: SourceFile = read(path, text)
    except ContentError as exc:
        return ("error", [str(error) for error in exc.errors])
    return (source.data, list(source.lines.items()), source.errors)


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_every_content_file_reads_from_events_as_it_composes(path: Path) -> None:
    text = loader._decode(path, path.read_bytes())
    composed = outcome(loader._compose, path, text)
    try:
        read = loader._read_events(path, text)
    except loader._NotPlain:
        return
    assert (read.data, list(read.lines.items()), read.errors) == composed


@pytest.mark.parametrize("name", SNIPPETS)
def test_yaml_authors_get_wrong_reads_as_it_composes(name: str) -> None:
    path = Path("registers/x.yaml")
    text = SNIPPETS[name]
    assert outcome(loader._parse_text, path, text) == outcome(loader._compose, path, text)


def test_the_repositorys_registers_are_read_from_events() -> None:
    path = REPO_ROOT / "content" / "registers" / "asiakasrekisteri.yaml"
    read = loader._read_events(path, loader._decode(path, path.read_bytes()))
    assert read.data["id"] == "asiakasrekisteri"
    assert read.line_of(("name", "fi")) > 1
