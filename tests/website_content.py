"""A content tree whose website register relies on site.yaml's analytics transfer.

The default content's customer register (`website: true`) lists Google LLC in the United States
as its own sub-processor, with the transfer's ground. Here that entry and the register's
`transfers_note` are taken out, so the only statement of the transfer is site.yaml's
`analytics.transfers` (the checker accepts it, E09-ga-us-transfer): every output that tells a
register's transfers must tell this one too, with its ground and decision.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from tests import REPO_ROOT

REGISTER = "asiakasrekisteri"
"""The default content's register with `website: true`."""

RECIPIENT = "Google LLC"
DECISION = "(EU) 2023/1795"
"""The site's analytics transfer: its recipient and adequacy decision (in the United States)."""

ANALYTICS_PURPOSE = "analytics"
"""The register's purpose served by the analytics' provider (Google Ireland Limited)."""


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def website_content(dest: Path, *, transfers: str | None = None) -> Path:
    """Copy the default content to `dest` without the register's own Google LLC transfer; with
    `transfers="none"` the register also says it sends nothing abroad itself. Return `dest`."""
    content = Path(shutil.copytree(REPO_ROOT / "content", dest))
    [transfer] = _yaml(content / "site.yaml")["analytics"]["transfers"]
    assert (transfer["recipient"], transfer["country"]) == (RECIPIENT, "US")
    assert transfer["decision"] == DECISION
    register_file = content / "registers" / f"{REGISTER}.yaml"
    register = _yaml(register_file)
    kept = [r for r in register["recipients"] if r["name"]["en"] != RECIPIENT]
    assert len(kept) == len(register["recipients"]) - 1
    register["recipients"] = kept
    del register["transfers_note"]
    if transfers is not None:
        register["transfers"] = transfers
    _write(register_file, register)
    return content
