"""Fuzz content loading: whatever bytes a content file holds, the answer is file:line, no crash.

Mutated seed files (bytes flipped, cut, duplicated), other encodings, random YAML documents and
deep or aliased structures go through `load_and_check`, the function behind `notice check` and
`notice build`. It must either succeed or raise ContentError whose every error names a file of the
content folder and a line in it. Few examples per run, so CI stays fast; each run draws new ones.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notice.checking import load_and_check
from notice.loader import ContentError, LoadError
from tests import REPO_ROOT

SEED = REPO_ROOT / "tests" / "fixtures" / "small"
SITE_BYTES = (SEED / "site.yaml").read_bytes()
REGISTER_BYTES = (SEED / "registers" / "uutiskirje.yaml").read_bytes()

FUZZ = settings(
    max_examples=int(os.environ.get("SELOSTE_FUZZ_EXAMPLES", "40")),
    deadline=None,  # the first example compiles catalogs and imports the checker
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, length to drop, bytes to insert) edits to `data`."""
    for position, drop, insert in edits:
        at = position % (len(data) + 1)
        data = data[:at] + insert + data[at + drop :]
    return data


EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000),
        st.integers(min_value=0, max_value=40),
        st.one_of(
            st.binary(max_size=12),
            st.sampled_from(
                [
                    b"\n",
                    b": ",
                    b"- ",
                    b"  ",
                    b"\t",
                    b"&a ",
                    b"*a",
                    b"!!python/object:os.system",
                    b"[",
                    b"{",
                    b"? ",
                    b"\xe4",
                    b"\xef\xbb\xbf",
                    b"\x00",
                    b"<b>",
                    b"javascript:",
                ]
            ),  # fmt: skip
        ),
    ),
    max_size=6,
)

ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-32"])

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates().map(str),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=30,
)


def _assert_loads_or_locates(site: bytes, register: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "registers").mkdir()
        (root / "site.yaml").write_bytes(site)
        (root / "registers" / "uutiskirje.yaml").write_bytes(register)
        files = {root / "site.yaml", root / "registers" / "uutiskirje.yaml", root / "registers"}
        try:
            load_and_check(root)
        except ContentError as exc:
            assert exc.errors
            for error in exc.errors:
                assert isinstance(error, LoadError)
                assert error.path in files, error
                assert error.line >= 1
                assert str(error).startswith(f"{error.path}:{error.line}: ")
                assert error.message.strip()


@FUZZ
@given(edits=EDITS, in_site=st.booleans())
def test_mutated_content_files_load_or_report_file_and_line(
    edits: list[tuple[int, int, bytes]], in_site: bool
) -> None:
    if in_site:
        _assert_loads_or_locates(_mutate(SITE_BYTES, edits), REGISTER_BYTES)
    else:
        _assert_loads_or_locates(SITE_BYTES, _mutate(REGISTER_BYTES, edits))


@FUZZ
@given(encoding=ENCODINGS, in_site=st.booleans())
def test_content_files_in_any_encoding_load_or_report_file_and_line(
    encoding: str, in_site: bool
) -> None:
    site, register = SITE_BYTES, REGISTER_BYTES
    if in_site:
        site = site.decode("utf-8").encode(encoding, errors="replace")
    else:
        register = register.decode("utf-8").encode(encoding, errors="replace")
    _assert_loads_or_locates(site, register)


@FUZZ
@given(document=DOCUMENTS, in_site=st.booleans())
def test_random_yaml_documents_load_or_report_file_and_line(
    document: object, in_site: bool
) -> None:
    text = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    if in_site:
        _assert_loads_or_locates(text, REGISTER_BYTES)
    else:
        _assert_loads_or_locates(SITE_BYTES, text)


@FUZZ
@given(
    depth=st.integers(min_value=1, max_value=1200),
    opener=st.sampled_from(["[", "{a: "]),
    aliases=st.integers(min_value=0, max_value=12),
)
def test_deep_and_aliased_structures_are_refused_quickly(
    depth: int, opener: str, aliases: int
) -> None:
    closer = "]" if opener == "[" else "}"
    nested = "extra: " + opener * depth + closer * depth + "\n"
    bomb = "".join(
        f"b{level}: &b{level} [" + ", ".join([f"*b{level - 1}" if level else "x"] * 9) + "]\n"
        for level in range(aliases)
    )
    _assert_loads_or_locates(SITE_BYTES, REGISTER_BYTES + nested.encode() + bomb.encode())
