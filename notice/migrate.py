"""Content format v1 → v2 → 2.1: what changed, how an older file is read, and `notice migrate`.

The model reads a v1 file as it is (shorthands such as `legal_basis:` stay valid, bare texts in
`data_categories` become the category's `name`, prose `automated_decisions` becomes one decision's
description, country names become ISO codes). `migrate_register` rewrites the file to the current
shape and says what it changed, so that new elements can be filled in where they belong.

Format 2.1 only adds optional elements (a register's own controller, localized law references,
research, health care, camera surveillance, direct marketing channels, a register's cookies, ...)
and reads every v2 file unchanged: migrating a v2 file sets `version: 2.1` and nothing else.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from notice import countries

KeyPath = tuple[str | int, ...]

FORMAT_VERSION = 2.1
"""The version `notice migrate` writes (`notice.model.FORMAT_VERSIONS` lists those it reads)."""


@dataclass(frozen=True)
class Change:
    """One change `notice migrate` made to a file, located by its key path before the change."""

    key: str
    note: str

    def __str__(self) -> str:
        return f"{self.key}: {self.note}"


def _is_text(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and len(k) == 2 and isinstance(v, str) for k, v in value.items())
    )


def migrate_register(data: dict[str, Any]) -> tuple[dict[str, Any], list[Change]]:
    """Return a register's data in the v2 shape and the list of what changed.

    `data` is not modified. A round-trip mapping (ruamel.yaml) comes back with its comments and
    key order: every change is made in place, a renamed key where the old one stood.
    """
    out = copy.deepcopy(data)
    changes: list[Change] = []
    if out.get("version") == FORMAT_VERSION:
        return out, changes
    if out.get("version") == 2:
        _set_version(out)
        changes.append(Change("version", f"set to {FORMAT_VERSION} (a v2 file reads unchanged)"))
        return out, changes
    for index, purpose in enumerate(out.get("purposes") or []):
        if not isinstance(purpose, dict):
            continue
        if "legal_basis" in purpose:
            basis = purpose["legal_basis"]
            bases = [basis, *purpose.get("legal_bases", [])] if basis is not None else []
            _rename(purpose, "legal_basis", "legal_bases", _short_list(bases))
            changes.append(Change(f"purposes.{index}.legal_basis", "now `legal_bases: [...]`"))
        if _marks_direct_marketing(purpose) and "direct_marketing" not in purpose:
            purpose["direct_marketing"] = True
            changes.append(
                Change(
                    f"purposes.{index}",
                    "`direct_marketing: true` (the description speaks of direct marketing)",
                )
            )
    categories = out.get("data_categories")
    for index, category in enumerate(categories if isinstance(categories, list) else []):
        if _is_text(category):
            categories[index] = _wrap_item(categories, index, "name")
            changes.append(Change(f"data_categories.{index}", "now `{name: ...}`"))
    recipients = out.get("recipients")
    recipients = recipients if isinstance(recipients, list) else []
    for index, recipient in enumerate(recipients):
        if isinstance(recipient, dict) and recipient.get("role") == "authority":
            recipient["role"] = "public_authority"
            changes.append(Change(f"recipients.{index}.role", "`authority` → `public_authority`"))
    transfers = out.get("transfers")
    if isinstance(transfers, list):
        moved = []
        for index, transfer in enumerate(transfers):
            if _move_transfer(transfer, recipients, index, changes):
                moved.append(index)
                continue
            _migrate_transfer(transfer, f"transfers.{index}", changes)
            changes.append(
                Change(
                    f"transfers.{index}",
                    "kept in `transfers` (no recipient of that name); consider giving "
                    "the recipient a `country` and a `transfer` instead",
                )
            )
        for index in reversed(moved):
            del transfers[index]
        if not transfers:
            del out["transfers"]
    automated = out.get("automated_decisions")
    if _is_text(automated):
        decision = _mapping_like(out, {"description": automated})
        out["automated_decisions"] = _list_like(out, [decision])
        changes.append(
            Change(
                "automated_decisions",
                "now a list of decisions; add `logic`, `significance` and `consequences`",
            )
        )
    _set_version(out)
    changes.append(Change("version", f"set to {FORMAT_VERSION}"))
    return out, changes


def migrate_site(data: dict[str, Any]) -> tuple[dict[str, Any], list[Change]]:
    """Return the site's data in the v2 shape and the list of what changed (`data` is kept)."""
    out = copy.deepcopy(data)
    changes: list[Change] = []
    analytics = out.get("analytics")
    if isinstance(analytics, dict) and isinstance(analytics.get("transfers"), list):
        for index, transfer in enumerate(analytics["transfers"]):
            _migrate_transfer(transfer, f"analytics.transfers.{index}", changes)
    if changes or out.get("version") != FORMAT_VERSION:
        changes.append(Change("version", f"set to {FORMAT_VERSION}"))
        _set_version(out)
    return out, changes


def _set_version(data: dict[str, Any]) -> None:
    """Set `version: 2.1`, as the first key when the file had none."""
    if "version" in data:
        data["version"] = FORMAT_VERSION
    elif isinstance(data, CommentedMap):
        data.insert(0, "version", FORMAT_VERSION)
    else:
        items = list(data.items())
        data.clear()
        data.update([("version", FORMAT_VERSION), *items])


def _mapping_like(container: Any, items: dict[str, Any]) -> dict[str, Any]:
    """Return a new mapping of the kind the file was read into (round-trip or plain)."""
    round_trip = isinstance(container, CommentedMap | CommentedSeq)
    return CommentedMap(items) if round_trip else dict(items)


def _list_like(container: Any, items: list[Any]) -> list[Any]:
    return CommentedSeq(items) if isinstance(container, CommentedMap) else list(items)


def _wrap_item(items: list[Any], index: int, key: str) -> dict[str, Any]:
    """Return `{key: items[index]}`, taking along the comment at the end of the item's line."""
    wrapped = _mapping_like(items, {key: items[index]})
    comment = items.ca.items.pop(index, None) if isinstance(items, CommentedSeq) else None
    if comment is not None and comment[0] is not None:
        wrapped.ca.items[key] = [None, None, comment[0], None]
    return wrapped


def _short_list(items: list[Any]) -> list[Any]:
    """Return a list written on one line (`legal_bases: [contract]`), as people write it."""
    written = CommentedSeq(items)
    written.fa.set_flow_style()
    return written


def _marks_direct_marketing(purpose: dict[str, Any]) -> bool:
    from notice.model import Purpose  # the model owns the wording it recognises

    return bool(
        Purpose._v1_marketing({"description": purpose.get("description")}).get("direct_marketing")
    )


def _migrate_transfer(transfer: Any, key: str, changes: list[Change]) -> None:
    """Turn one v1 transfer into its v2 shape, in place."""
    if not isinstance(transfer, dict):
        return
    country = transfer.get("country")
    if isinstance(country, str):
        code = countries.code_of(country)
        if code and code != country:
            transfer["country"] = code
            changes.append(Change(f"{key}.country", f"{country!r} → {code!r} (ISO 3166)"))
    if "mechanism" in transfer:
        mechanisms = [transfer["mechanism"], *transfer.get("mechanisms", [])]
        _rename(transfer, "mechanism", "mechanisms", _short_list(mechanisms))
        changes.append(Change(f"{key}.mechanism", "now `mechanisms: [...]`"))


def _rename(data: dict[str, Any], old: str, new: str, value: Any) -> None:
    """Replace key `old` by `new` = `value` in the same place, keeping `old`'s comments."""
    if new != old and new in data:
        del data[new]
    if isinstance(data, CommentedMap):
        position = list(data).index(old)
        comment = data.ca.items.pop(old, None)
        del data[old]
        data.insert(position, new, value)
        if comment is not None:
            data.ca.items[new] = comment
        return
    items = [(new, value) if key == old else (key, item) for key, item in data.items()]
    data.clear()
    data.update(items)


def _move_key(source: dict[str, Any], key: str, target: dict[str, Any]) -> None:
    """Move `key` and its value from `source` to the end of `target`, with its comment."""
    comment = source.ca.items.pop(key, None) if isinstance(source, CommentedMap) else None
    target[key] = source.pop(key)
    if comment is not None and isinstance(target, CommentedMap):
        target.ca.items[key] = comment


def _move_transfer(transfer: Any, recipients: list[Any], index: int, changes: list[Change]) -> bool:
    """Attach a v1 transfer to the recipient of that name; return whether there was one."""
    if not isinstance(transfer, dict) or not isinstance(transfer.get("recipient"), str):
        return False
    wanted = transfer["recipient"].casefold()
    for position, recipient in enumerate(recipients):
        if not isinstance(recipient, dict) or not _is_text(recipient.get("name")):
            continue
        if recipient.get("country") or recipient.get("transfer"):
            continue
        # Only a recipient named exactly so: the page then names the transfer as before.
        if any(wanted == name.strip().casefold() for name in recipient["name"].values()):
            migrated = copy.deepcopy(transfer)
            _migrate_transfer(migrated, f"transfers.{index}", changes)
            _move_key(migrated, "country", recipient)
            migrated.pop("recipient")
            recipient["transfer"] = migrated
            changes.append(
                Change(
                    f"transfers.{index}",
                    f"moved to recipients.{position} (`country` and `transfer`)",
                )
            )
            return True
    return False


# --- rewriting files --------------------------------------------------------------------------


@dataclass(frozen=True)
class FileMigration:
    """One content file: its v2 text and what changed (empty when it is v2 already)."""

    path: Path
    text: str
    changes: list[Change]
    source_version: str = "1"
    """The format the original holds, as its backup is named: `1`, `2` (`.v2.bak`)."""

    @property
    def backup_name(self) -> str:
        """Return the file name the original is kept under, e.g. `clinic.yaml.v2.bak`."""
        return f"{self.path.name}.v{self.source_version}.bak"


def version_label(version: Any) -> str:
    """Return how a file's `version` value names its format: none or 1 is `1`, 2.0 is `2`."""
    if version is None:
        return "1"
    if isinstance(version, float) and version.is_integer():
        return str(int(version))
    return str(version)


def _round_trip() -> YAML:
    """A YAML reader and writer that keeps comments, key order, quotes and the files' indent."""
    round_trip = YAML(typ="rt")
    round_trip.preserve_quotes = True
    round_trip.width = 4096  # never re-fold a line the author wrote
    round_trip.indent(mapping=2, sequence=4, offset=2)
    return round_trip


def dump(data: Any) -> str:
    """Return content data as YAML text, with the comments a round-trip reading kept."""
    stream = io.StringIO()
    _round_trip().dump(data, stream)
    return stream.getvalue()


def migrate_file(path: Path, *, site: bool) -> FileMigration:
    """Return the v2 text of one content file and its changes (the file is not written)."""
    original = path.read_text(encoding="utf-8")
    data = _round_trip().load(original)
    if not isinstance(data, dict):
        return FileMigration(path, original, [])
    source = version_label(data.get("version"))
    migrated, changes = (migrate_site if site else migrate_register)(data)
    if not changes:
        return FileMigration(path, original, [], source)
    return FileMigration(path, dump(migrated), changes, source)


def migrate_content(root: Path) -> list[FileMigration]:
    """Return the migration of `site.yaml` and every register file under `root`."""
    files = [migrate_file(root / "site.yaml", site=True)]
    files += [
        migrate_file(path, site=False) for path in sorted((root / "registers").glob("*.yaml"))
    ]
    return files
