"""Where a finding points in a register file as its author wrote it (format v1 or v2).

The checker reports key paths of the model (format 2); a v1 file spells a few of them
differently. Apart from `notice.migrate` so that `notice check` does not import the round-trip
YAML library (ruamel.yaml, about 55 ms) that only `notice migrate` needs.
"""

from __future__ import annotations

from collections.abc import Container

from notice.loader import KeyPath


def file_key_path(key_path: KeyPath, lines: Container[KeyPath]) -> KeyPath:
    """Return the key path as the file spells it: a v2 path the file lacks, in its v1 form.

    A finding about `data_categories.0.name.fi` in a v1 file points at `data_categories.0.fi`,
    and one about `automated_decisions.0.description.fi` at `automated_decisions.fi`. `lines`
    holds the key paths the file has (its `SourceFile.lines`).
    """
    if key_path in lines:
        return key_path
    parts = list(key_path)
    if len(parts) >= 3 and parts[0] == "data_categories" and parts[2] == "name":
        candidate = (*parts[:2], *parts[3:])
    elif len(parts) >= 3 and parts[0] == "automated_decisions" and parts[2] == "description":
        candidate = (parts[0], *parts[3:])
    else:
        return key_path
    prefix = candidate[:-1] if len(candidate) > 1 else candidate
    return candidate if candidate in lines or prefix in lines else key_path
