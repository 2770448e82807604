"""The checker's data files (`notice/checks/data/*.yaml`: words, typos, trackers, messages).

Read with libyaml's parser when PyYAML has it: the same safe constructor makes the same values,
and the lexicon alone took a sixth of a second to parse in pure Python, in every `notice check`
and every build's checks.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(name: str) -> Any:
    """Return the parsed contents of `data/<name>` (a safe load: plain data only)."""
    text = (resources.files("notice.checks") / "data" / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
