"""`notice.export.dumps` writes exactly what `json.dumps(indent=2, sort_keys=True)` writes.

The fast path hands sorted plain data to pydantic-core's encoder; these tests hold its text to the
standard library's, byte for byte, on the registers' JSON and on drawn data with every character
the two might escape differently, and check what falls back to the standard library.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notice import export
from notice.loader import load_content
from tests import REPO_ROOT


def standard(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_the_seed_registers_json_is_the_standard_librarys() -> None:
    content = load_content(REPO_ROOT / "content")
    assert content.registers
    for register in content.registers:
        internal = {"record": True, "data_categories": {"__all__": {"record"}}}
        payload = register.model_dump(mode="json", exclude_none=True, exclude=internal)
        assert export.register_json(content.site, register) == standard(payload)
        export._sorted_plain(payload)  # the fast path: no value sent back to the standard library


def test_escapes_and_empty_containers_are_written_alike() -> None:
    payload = {
        "b": 'quote" back\\ \n\t\r\b\f \x00\x1f\x7f \u2028 ä 𝄞 </script>',
        "a": [[], {}, [{}], 0, -1, True, False, None, 10**20],
        "c": {"z": {}, "y": []},
    }
    text = export.dumps(payload)
    assert text == standard(payload)
    escaped = '"quote\\" back\\\\ \\n\\t\\r\\b\\f \\u0000\\u001f\x7f \u2028 ä 𝄞 </script>"'
    assert f'"b": {escaped}' in text
    assert text.startswith('{\n  "a": [\n    [],\n    {},\n    [\n      {}\n    ],\n')


plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(min_value=1e-4, max_value=1e15),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(plain)
def test_any_plain_value_is_written_as_the_standard_library_writes_it(payload: Any) -> None:
    assert export.dumps(payload) == standard(payload)


@pytest.mark.parametrize(
    "payload",
    [{"x": 1.0, "y": [1e16, 1e-5, -0.0, 2.1]}, {"t": (1, "a")}, {1: "key"}, [float("nan")]],
)
def test_floats_tuples_and_other_keys_are_written_alike(payload: Any) -> None:
    assert export.dumps(payload) == standard(payload)


def test_what_the_standard_library_refuses_is_still_refused() -> None:
    with pytest.raises(TypeError):
        export.dumps({"when": dt.date(2026, 12, 5)})
