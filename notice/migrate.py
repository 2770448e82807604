"""Content format v1 → v2: what changed, how a v1 file is read, and `notice migrate`.

The model reads a v1 file as it is (shorthands such as `legal_basis:` stay valid, bare texts in
`data_categories` become the category's `name`, prose `automated_decisions` becomes one decision's
description, country names become ISO codes). `migrate_register` rewrites the file to the v2
shape and says what it changed, so that new elements can be filled in where they belong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from notice import countries

KeyPath = tuple[str | int, ...]

FORMAT_VERSION = 2


def file_key_path(key_path: KeyPath, known: Iterable[KeyPath]) -> KeyPath:
    """Return the key path as the file spells it: a v2 path the file lacks, in its v1 form.

    A finding about `data_categories.0.name.fi` in a v1 file points at `data_categories.0.fi`,
    and one about `automated_decisions.0.description.fi` at `automated_decisions.fi`.
    """
    lines = set(known)
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
    """Return a register's data in the v2 shape and the list of what changed."""
    out = dict(data)
    changes: list[Change] = []
    if out.get("version") == FORMAT_VERSION:
        return out, changes
    purposes = []
    for index, purpose in enumerate(out.get("purposes") or []):
        purpose = dict(purpose) if isinstance(purpose, dict) else purpose
        if isinstance(purpose, dict) and "legal_basis" in purpose:
            basis = purpose["legal_basis"]
            bases = [basis, *purpose.get("legal_bases", [])] if basis is not None else []
            purpose = _rename(purpose, "legal_basis", "legal_bases", bases)
            changes.append(Change(f"purposes.{index}.legal_basis", "now `legal_bases: [...]`"))
        if isinstance(purpose, dict):
            marked = _marks_direct_marketing(purpose)
            if marked and "direct_marketing" not in purpose:
                purpose["direct_marketing"] = True
                changes.append(
                    Change(
                        f"purposes.{index}",
                        "`direct_marketing: true` (the description speaks of direct marketing)",
                    )
                )
        purposes.append(purpose)
    if "purposes" in out:
        out["purposes"] = purposes
    categories = []
    for index, category in enumerate(out.get("data_categories") or []):
        if _is_text(category):
            category = {"name": category}
            changes.append(Change(f"data_categories.{index}", "now `{name: ...}`"))
        categories.append(category)
    if "data_categories" in out:
        out["data_categories"] = categories
    recipients = [dict(r) if isinstance(r, dict) else r for r in out.get("recipients") or []]
    for index, recipient in enumerate(recipients):
        if isinstance(recipient, dict) and recipient.get("role") == "authority":
            recipient["role"] = "public_authority"
            changes.append(Change(f"recipients.{index}.role", "`authority` → `public_authority`"))
    if isinstance(out.get("transfers"), list):
        remaining = []
        for index, transfer in enumerate(out["transfers"]):
            moved = _move_transfer(transfer, recipients, index, changes)
            if not moved:
                remaining.append(_migrate_transfer(transfer, f"transfers.{index}", changes))
                changes.append(
                    Change(
                        f"transfers.{index}",
                        "kept in `transfers` (no recipient of that name); consider giving "
                        "the recipient a `country` and a `transfer` instead",
                    )
                )
        if remaining:
            out["transfers"] = remaining
        else:
            del out["transfers"]
    if "recipients" in out or recipients:
        out["recipients"] = recipients
    automated = out.get("automated_decisions")
    if _is_text(automated):
        out["automated_decisions"] = [{"description": automated}]
        changes.append(
            Change(
                "automated_decisions",
                "now a list of decisions; add `logic`, `significance` and `consequences`",
            )
        )
    changes.append(Change("version", f"set to {FORMAT_VERSION}"))
    return {"version": FORMAT_VERSION, **{k: v for k, v in out.items() if k != "version"}}, changes


def migrate_site(data: dict[str, Any]) -> tuple[dict[str, Any], list[Change]]:
    """Return the site's data in the v2 shape and the list of what changed."""
    out = dict(data)
    changes: list[Change] = []
    analytics = out.get("analytics")
    if isinstance(analytics, dict) and isinstance(analytics.get("transfers"), list):
        analytics = dict(analytics)
        analytics["transfers"] = [
            _migrate_transfer(t, f"analytics.transfers.{i}", changes)
            for i, t in enumerate(analytics["transfers"])
        ]
        out["analytics"] = analytics
    if changes or out.get("version") != FORMAT_VERSION:
        changes.append(Change("version", f"set to {FORMAT_VERSION}"))
        out = {"version": FORMAT_VERSION, **{k: v for k, v in out.items() if k != "version"}}
    return out, changes


def _marks_direct_marketing(purpose: dict[str, Any]) -> bool:
    from notice.model import Purpose  # the model owns the wording it recognises

    return bool(
        Purpose._v1_marketing({"description": purpose.get("description")}).get("direct_marketing")
    )


def _migrate_transfer(transfer: Any, key: str, changes: list[Change]) -> Any:
    if not isinstance(transfer, dict):
        return transfer
    out = dict(transfer)
    country = out.get("country")
    if isinstance(country, str):
        code = countries.code_of(country)
        if code and code != country:
            out["country"] = code
            changes.append(Change(f"{key}.country", f"{country!r} → {code!r} (ISO 3166)"))
    if "mechanism" in out:
        mechanisms = [out["mechanism"], *out.get("mechanisms", [])]
        out = _rename(out, "mechanism", "mechanisms", mechanisms)
        changes.append(Change(f"{key}.mechanism", "now `mechanisms: [...]`"))
    return out


def _rename(data: dict[str, Any], old: str, new: str, value: Any) -> dict[str, Any]:
    """Return `data` with key `old` replaced by `new` = `value`, in the same place."""
    return {
        (new if key == old else key): (value if key == old else item)
        for key, item in data.items()
        if key != new
    }


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
            migrated = _migrate_transfer(transfer, f"transfers.{index}", changes)
            recipient["country"] = migrated.pop("country")
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


class _Dumper(yaml.SafeDumper):
    """Write YAML as people write content: block lists, short texts inline, long ones folded."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent list items under their key, as the content files do."""
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > 80:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # A short list of words (`legal_bases: [contract]`) stays on one line, as people write it.
    short = all(isinstance(item, str) and "\n" not in item for item in value)
    short = short and sum(len(item) for item in value) <= 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=bool(short))


def _represent_dict(dumper: yaml.SafeDumper, value: dict[Any, Any]) -> yaml.MappingNode:
    short_text = _is_text(value) and sum(len(v) for v in value.values()) <= 60
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=short_text)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def dump(data: Any) -> str:
    """Return content data as YAML text in the file order it was given."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96, indent=2)


def _leading_comments(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(f"{line}\n" for line in lines)


def migrate_file(path: Path, *, site: bool) -> FileMigration:
    """Return the v2 text of one content file and its changes (the file is not written)."""
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    if not isinstance(data, dict):
        return FileMigration(path, original, [])
    migrated, changes = (migrate_site if site else migrate_register)(data)
    if [c for c in changes if c.key != "version"] == [] and data.get("version") is not None:
        return FileMigration(path, original, [])
    return FileMigration(path, _leading_comments(original) + dump(migrated), changes)


def migrate_content(root: Path) -> list[FileMigration]:
    """Return the migration of `site.yaml` and every register file under `root`."""
    files = [migrate_file(root / "site.yaml", site=True)]
    files += [
        migrate_file(path, site=False) for path in sorted((root / "registers").glob("*.yaml"))
    ]
    return files
