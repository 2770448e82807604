"""Load `content/` into validated models, keeping a line number for every key.

Content errors are the YAML author's, not the program's: they are collected (all of a file at once)
and reported as `path:line: key.path: message`, never as a traceback.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache, partial
from pathlib import Path
from typing import Any, Protocol

import yaml
from pydantic import BaseModel, ValidationError
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from notice import forked, theme, yaml_errors
from notice.model import SHARED_STRINGS, SUPPORTED_LANGUAGES, Register, Site, model_context

try:  # the C loader is several times faster on large content trees
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):
    """Safe loader that leaves dates as text, so the model parses and reports them."""


# PyYAML turns 2024-02-30 into a ValueError deep inside construction; as text it reaches the
# model, which reports it like any other bad date.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)

KeyPath = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True, order=True)
class LoadError:
    """One problem in a content file, located by line and key path."""

    path: Path
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        key = f" {self.key}:" if self.key else ""
        return f"{self.path}:{self.line}:{key} {self.message}"


class ContentError(Exception):
    """Content could not be loaded; `errors` lists every problem found.

    `partial` is what did load when site.yaml itself did (the registers that loaded), so that
    `notice check` can still report the site's own findings (`site_findings`) beside the errors.
    """

    def __init__(self, errors: list[LoadError], partial: Content | None = None) -> None:
        self.errors = sorted(errors)
        self.partial = partial
        self.site_findings: list[Any] = []
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class SourceFile:
    """A parsed YAML file with the line of every key path in it."""

    path: Path
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    """Problems that did not stop parsing (duplicate keys); the first value of a key is kept."""

    def line_of(self, key_path: Iterable[str | int]) -> int:
        """Return the line of `key_path`, or of its nearest ancestor that the file contains.

        A key missing at the top has the whole file as its mapping: line 1, like the loader's
        other whole-file errors, not the line of whichever key happens to come first.
        """
        parts = tuple(key_path)
        while parts and parts not in self.lines:
            parts = parts[:-1]
        return self.lines[parts] if parts else 1


@dataclass(frozen=True)
class Content:
    """Validated content: the site, its registers and where each value came from."""

    root: Path
    site: Site
    registers: tuple[Register, ...]
    sources: dict[str, SourceFile]
    """Parsed files by owner: `"site"` or a register id."""
    digests: dict[str, str] = field(default_factory=dict)
    """SHA-256 (hex) of each file's bytes by owner: what caches of derived work key on."""
    files: dict[str, Path] = field(default_factory=dict)
    """Each file's path by owner (the same as `sources[owner].path`, without parsing it)."""

    def locate(self, owner: str, key_path: Iterable[str | int]) -> tuple[Path, int]:
        """Return (file, line) of a key path in the site (`"site"`) or a register (its id)."""
        source = self.sources[owner]
        return source.path, source.line_of(key_path)

    def register(self, register_id: str) -> Register:
        """Return the register with this id."""
        return self._by_id[register_id]

    @cached_property
    def _by_id(self) -> dict[str, Register]:
        # The checker asks once per register: an index, not a scan, keeps that linear in total.
        return {register.id: register for register in reversed(self.registers)}


class _Sources(dict[str, SourceFile]):
    """`Content.sources` whose cached entries are read only when asked for (to locate a finding).

    A register that comes from the build cache needs its parsed file (the line of every key) only
    if something in it must be located; most incremental builds locate nothing in most files.
    """

    def __init__(self) -> None:
        super().__init__()
        self._lazy: dict[str, Callable[[], SourceFile]] = {}

    def defer(self, owner: str, load: Callable[[], SourceFile]) -> None:
        """Make `owner`'s parsed file `load()`, called the first time it is needed."""
        self._lazy[owner] = load

    def __missing__(self, owner: str) -> SourceFile:
        load = self._lazy.pop(owner, None)
        if load is None:
            raise KeyError(owner)
        source = self[owner] = load()
        return source

    def _load_all(self) -> None:
        for owner in list(self._lazy):
            self[owner]  # noqa: B018 - loads it

    def __contains__(self, owner: object) -> bool:
        return super().__contains__(owner) or owner in self._lazy

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return super().__iter__()

    def __len__(self) -> int:
        return super().__len__() + len(self._lazy)

    def get(self, owner: str, default: Any = None) -> Any:  # type: ignore[override]
        """Return `owner`'s parsed file, or `default`."""
        return self[owner] if owner in self else default

    def keys(self) -> Any:
        """Return the owners, loading every deferred file."""
        self._load_all()
        return super().keys()

    def values(self) -> Any:
        """Return the parsed files, loading every deferred one."""
        self._load_all()
        return super().values()

    def items(self) -> Any:
        """Return (owner, parsed file) pairs, loading every deferred file."""
        self._load_all()
        return super().items()

    def __reduce__(self) -> Any:
        self._load_all()
        return (dict, (dict(super().items()),))


def format_key(key_path: Iterable[str | int]) -> str:
    """Join a key path as the YAML author reads it: `purposes.0.description.en`."""
    return ".".join(str(part) for part in key_path)


MAX_DEPTH = 64
"""Deepest nesting of mappings and lists a content file may have (the model needs about ten)."""

MAX_VALUES = 100_000
"""Most keys, items and values a content file may expand to, aliases counted at every use.

A seed register holds a few hundred; the cap refuses a "billion laughs" file (a few lines of
aliases of aliases that expand to 10⁹ values) long before it can exhaust time or memory.
"""

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode(path: Path, data: bytes) -> str:
    """Decode a file's bytes as UTF-8 (universal newlines, a byte-order mark allowed).

    Raises ContentError at the line of the first byte that is not UTF-8: a file saved as Latin-1
    or Windows-1252 says so instead of failing with a traceback.
    """
    data = data.removeprefix(_UTF8_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if data.startswith(_UTF16_BOMS):
            found = "it is UTF-16"
        else:
            byte = data[exc.start]
            # A lone byte of 0x80 or more is how Latin-1 and Windows-1252 write ä, ö, å, é ...
            shown = bytes([byte]).decode("cp1252", "replace")
            found = f"byte 0x{byte:02X}, {shown!r} in Latin-1 or Windows-1252"
        message = f"the file is not UTF-8 ({found}); save it as UTF-8"
        raise ContentError([LoadError(path, line, "", message)]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_text(path: Path, text: str, strings: dict[str, str] | None = None) -> SourceFile:
    """Parse a file's text into its data and the line of every key path.

    Most files are read from the parser's events (`_read_events`), which is cheaper than
    composing YAML nodes and then converting them; a file with anything else (anchors and
    aliases, keys that are not text, a YAML error, more than one document, the value budget
    or depth exceeded) is composed as before (`_compose`), which reports it exactly as always.
    """
    if _EVENTS_READABLE:
        try:
            return _read_events(path, text, strings)
        except _NotPlain:
            pass
    return _compose(path, text)


class _NotPlain(Exception):
    """The file needs the composer: `_read_events` met something it leaves to `_compose`."""


_EVENTS_READABLE = not _Loader.yaml_path_resolvers
"""Whether a scalar's tag depends on its value alone (no path resolvers), as `_plain_tag` says."""


@lru_cache(maxsize=4096)
def _plain_tag(value: str) -> str:
    """Return the tag the loader's resolver gives a plain (unquoted, untagged) scalar."""
    # `BaseResolver.resolve` for a plain scalar without path resolvers; keys such as `fi` and
    # `name` repeat hundreds of times a file, so the answer is remembered.
    resolvers = _Loader.yaml_implicit_resolvers
    for tag, regexp in resolvers.get(value[0] if value else "", []) + resolvers.get(None, []):
        if regexp.match(value):
            return tag
    return _STR_TAG


def _read_events(path: Path, text: str, strings: dict[str, str] | None = None) -> SourceFile:
    """Read a file from the parser's events into what `_compose` makes of it (see there).

    Raises _NotPlain for whatever it leaves to `_compose`. The data, the line of every key path
    and the errors (duplicate keys, scalars of a bad tag) are exactly `_compose`'s: lines come
    from the same marks, scalars are tagged by the same resolver and made by the same
    constructor, values are visited in the same order.
    """
    source = SourceFile(path=path, data=None)
    lines, errors = source.lines, source.errors
    strings = {} if strings is None else strings
    try:
        loader = _Loader(text)
    except yaml.YAMLError:
        raise _NotPlain from None
    get = loader.get_event
    left = MAX_VALUES

    def tag_of(event: Any) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            return _plain_tag(event.value) if event.implicit[0] else _STR_TAG
        return tag

    def value(event: Any, key_path: KeyPath) -> Any:
        # The caller has put the line of `key_path` in `lines`. Strings are kept once per load
        # (`strings`): registers repeat most texts, so models then share them, and a forked
        # child's pickle sends each text once.
        nonlocal left
        left -= 1
        if left < 0 or event.anchor is not None:
            raise _NotPlain
        kind = type(event)
        if kind is ScalarEvent:
            tag = event.tag  # `tag_of`, inline for the common case: plain or quoted text
            if tag is None:
                text = event.value
                if not event.implicit[0] or _plain_tag(text) == _STR_TAG:
                    return strings.setdefault(text, text)
            tag = tag_of(event)
            if tag == _STR_TAG:
                return strings.setdefault(event.value, event.value)
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            return _construct(node, key_path, source, errors, loader)
        # A value deeper than MAX_DEPTH is the composer's to refuse.
        deep = len(key_path) >= MAX_DEPTH
        if kind is MappingStartEvent:
            result: dict[Any, Any] = {}
            while True:
                key_event = get()
                if type(key_event) is not ScalarEvent:
                    if type(key_event) is MappingEndEvent:
                        return result
                    raise _NotPlain  # a mapping, a list or an alias as a key
                if deep or key_event.anchor is not None or tag_of(key_event) != _STR_TAG:
                    raise _NotPlain  # `~:`, `1:`, `2024-01-31:` ...: the composer's way
                key = strings.setdefault(key_event.value, key_event.value)
                if key in result:
                    first = lines[(*key_path, key)]
                    line = key_event.start_mark.line + 1
                    where = format_key((*key_path, key))
                    message = f"duplicate key (first defined on line {first})"
                    errors.append(LoadError(source.path, line, where, message))
                    skip(get())
                    continue
                child = (*key_path, key)
                lines[child] = key_event.start_mark.line + 1
                result[key] = value(get(), child)
        if kind is SequenceStartEvent:
            items: list[Any] = []
            while True:
                item = get()
                if type(item) is SequenceEndEvent:
                    return items
                if deep:
                    raise _NotPlain
                child = (*key_path, len(items))
                lines[child] = item.start_mark.line + 1
                items.append(value(item, child))
        raise _NotPlain  # an alias

    def skip(event: Any) -> None:
        """Pass over a value (of a duplicate key) as the composer's conversion does."""
        depth = 0
        while True:
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
            elif kind is AliasEvent or event.anchor is not None:
                raise _NotPlain
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                depth += 1
            if depth == 0:
                return
            event = get()

    try:
        get()  # the stream's start
        if type(get()) is not DocumentStartEvent:
            raise _NotPlain  # an empty file
        first = get()
        lines[()] = first.start_mark.line + 1
        source.data = value(first, ())
        get()  # the document's end
        if type(get()) is not StreamEndEvent:
            raise _NotPlain  # a second document
    except yaml.YAMLError:
        raise _NotPlain from None
    finally:
        loader.dispose()
    return source


def _compose(path: Path, text: str) -> SourceFile:
    source = SourceFile(path=path, data=None)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        line, key_path, message = yaml_errors.diagnose(text, exc, _Loader, _known_keys())
        raise ContentError([LoadError(path, line, format_key(key_path), message)]) from None
    except yaml.YAMLError as exc:  # e.g. a control character, which YAML does not allow
        line = text.count("\n", 0, getattr(exc, "position", 0)) + 1
        problem = getattr(exc, "reason", None) or "invalid YAML"
        raise ContentError([LoadError(path, line, "", f"invalid YAML: {problem}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentError([LoadError(path, 1, "", "file is empty")])
    budget = _Budget(path)
    source.data = _to_python(node, (), source, source.errors, loader, budget)
    if budget.refused is not None:
        raise ContentError([budget.refused])
    return source


class _Budget:
    """How many more values a file may expand to; the first refusal, once one happened."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.left = MAX_VALUES
        self.refused: LoadError | None = None

    def spend(self, node: yaml.Node, key_path: KeyPath) -> bool:
        """Count one value; return False (and note why) once the file went too far."""
        if self.refused is not None:
            return False
        self.left -= 1
        if self.left >= 0 and len(key_path) <= MAX_DEPTH:
            return True
        if self.left < 0:
            message = (
                f"the file expands to more than {MAX_VALUES} values (an alias such as *name "
                "counts at every use); write the values out or use fewer aliases"
            )
        else:
            message = f"nested more than {MAX_DEPTH} levels deep; a content file needs far fewer"
        line = node.start_mark.line + 1
        where = format_key(key_path[:3]) + (".…" if len(key_path) > 3 else "")
        self.refused = LoadError(self.path, line, where, message)
        return False


def _to_python(
    node: yaml.Node,
    key_path: KeyPath,
    source: SourceFile,
    errors: list[LoadError],
    loader: Any,
    budget: _Budget,
) -> Any:
    if budget.refused is None and budget.left > 0 and len(key_path) <= MAX_DEPTH:
        budget.left -= 1  # `spend`'s common case, without a call per value
    elif not budget.spend(node, key_path):
        return None
    source.lines.setdefault(key_path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG:
        return node.value  # what construct_object makes of a plain string, without its overhead
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR_TAG:
                key = key_node.value
            elif isinstance(key_node, yaml.ScalarNode):
                key = _construct(key_node, key_path, source, errors, loader)
            else:
                key = []  # a mapping or list as a key: not constructed (it may be an alias bomb)
            line = key_node.start_mark.line + 1
            if isinstance(key, list | dict) or key is None:
                # `~:` or `null:` (or an empty key, `: x`) is no key either.
                errors.append(
                    LoadError(source.path, line, format_key(key_path), "a key must be a plain word")
                )
                continue
            if isinstance(key, bool | int | float):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            elif not isinstance(key, str):
                key = str(key)  # a date (`2024-01-31:`) or another scalar YAML types for us
            if key in result:
                first = source.lines[(*key_path, key)]
                errors.append(
                    LoadError(
                        source.path,
                        line,
                        format_key((*key_path, key)),
                        f"duplicate key (first defined on line {first})",
                    )
                )
                continue
            source.lines[(*key_path, key)] = line
            result[key] = _to_python(value_node, (*key_path, key), source, errors, loader, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, (*key_path, index), source, errors, loader, budget)
            for index, item in enumerate(node.value)
        ]
    return _construct(node, key_path, source, errors, loader)


def _construct(
    node: yaml.Node, key_path: KeyPath, source: SourceFile, errors: list[LoadError], loader: Any
) -> Any:
    """Return a scalar's value (a number, a date as text, null ...), or None after an error."""
    try:
        return loader.construct_object(node, deep=True)
    except Exception as exc:  # noqa: BLE001 - whatever a tag's constructor raises is the author's
        # A `!!python/object` tag (refused by the safe loader), `!!int x`, `!!bool maybe` ...
        problem = getattr(exc, "problem", None) or str(exc) or type(exc).__name__
        line = node.start_mark.line + 1
        key = format_key(key_path)
        errors.append(LoadError(source.path, line, key, f"invalid YAML: {problem}"))
        return None


# Error types that only say "this was not the expected type"; in a union they are the least useful.
_TYPE_ERRORS = {"literal_error", "dict_type", "list_type", "string_type", "model_type", "enum"}


def validation_errors(
    exc: ValidationError, source: SourceFile, model: type[BaseModel]
) -> list[LoadError]:
    """Turn pydantic's errors into located, human-readable `LoadError`s (one per key)."""
    by_key: dict[KeyPath, list[dict[str, Any]]] = {}
    for error in exc.errors(include_url=False):
        loc = _key_path(error["loc"], source.data, error["type"])
        by_key.setdefault(loc, []).append(error)
    result = []
    for loc, errors in by_key.items():
        if _only_type_errors(errors) and _has_deeper(loc, by_key):
            # A union branch that got as far as a nested key explains the problem better than
            # "not the other branch's type" (a transfers list with one bad mechanism is a list).
            continue
        errors.sort(key=lambda e: e["type"] in _TYPE_ERRORS)
        best = errors[0]
        message = _message(best, loc, model, _siblings(source.data, loc))
        if best["type"] in _TYPE_ERRORS and len(errors) > 1:
            message = "expected " + " or ".join(_expected(e) for e in errors)
        if best["type"] == "value_error":
            loc = _named_item(loc, message, source.data)
        result.append(LoadError(source.path, source.line_of(loc), format_key(loc), message))
    return result


_NAMED_PATH = re.compile(r"([a-z_]+(?:\.[a-z_0-9]+)+) ")
_NAMED_ID = re.compile(r" id ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")
_NAMED_KEY = re.compile(r"names a `([a-z_]+)`")


def _named_item(loc: KeyPath, message: str, data: Any) -> KeyPath:
    """Return the key path a list's own check means, which pydantic places at the whole list.

    A check of a list as a whole names the item it refuses in its message ("recipients.2 names
    unknown purpose id 'x'", "purposes.0.data_categories names …", "recipient id 'x' is given
    twice"); the error then points at that item's key that holds the id (the second item that
    gives a repeated id), not at the line of the list's key, which may be screens away.
    """
    found = _NAMED_PATH.match(message)
    if found:
        path = tuple(int(p) if p.isdigit() else p for p in found.group(1).split("."))
        if _key_path(path, data, "") == path:
            loc = path
    value = _NAMED_ID.search(message)
    key = _NAMED_KEY.search(message)
    if value is not None:
        places = list(_places_of(_at(data, loc), ast.literal_eval(value.group(1)), loc))
        if places:
            return places[1 if "given twice" in message and len(places) > 1 else 0]
    elif key is not None and isinstance(_at(data, loc), dict) and key.group(1) in _at(data, loc):
        return (*loc, key.group(1))
    return loc


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _places_of(data: Any, value: str, path: KeyPath) -> Iterator[KeyPath]:
    """Yield the key path of each place under `data` (at `path`) that holds `value`."""
    if isinstance(data, dict):
        for key, item in data.items():
            yield from _places_of(item, value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _places_of(item, value, (*path, index))
    elif data == value and isinstance(data, str):
        yield path


def _key_path(loc: tuple[str | int, ...], data: Any, error_type: str) -> KeyPath:
    """Drop pydantic's union-branch tags from an error location by walking the input data.

    pydantic names the union member it tried (`list[Transfer]`, `Contact`, `str`) inside the
    location; telling those from the author's keys by their spelling fails on keys such as
    `a[b]`, so a part counts as a key only when the data has it (or it is the missing key).
    """
    parts: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif not (index == len(loc) - 1 and error_type == "missing"):
            continue
        parts.append(part)
    return tuple(parts)


def _only_type_errors(errors: list[dict[str, Any]]) -> bool:
    return all(error["type"] in _TYPE_ERRORS for error in errors)


def _has_deeper(loc: KeyPath, by_key: dict[KeyPath, Any]) -> bool:
    return any(len(other) > len(loc) and other[: len(loc)] == loc for other in by_key)


def _expected(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind in {"literal_error", "enum"}:
        return error["ctx"]["expected"].replace("'", "`")
    return {
        "dict_type": "a mapping",
        "list_type": "a list",
        "string_type": "a string",
        "model_type": "a mapping",
    }.get(kind, kind)


def _siblings(data: Any, loc: KeyPath) -> set[str]:
    """Return the other keys of the mapping that holds `loc`'s last key (none if there is none)."""
    for key in loc[:-1]:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return set()
    return {str(key) for key in data if key != loc[-1]} if isinstance(data, dict) else set()


def _message(
    error: dict[str, Any], loc: KeyPath, model: type[BaseModel], siblings: set[str] | None = None
) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        word = str(loc[-1])
        homes = _homes(model).get(word, [])
        if homes:
            # A real key, one level off ("logo" at the top instead of under "theme"): say where.
            shown = " or ".join(f"`{home}`" for home in homes[:3])
            more = f" (and {len(homes) - 3} more places)" if len(homes) > 3 else ""
            return f"unknown key at this level; `{word}` belongs at {shown}{more}"
        here = _model_at(model, loc[:-1])
        keys = set(here.model_fields) if here is not None else _field_names(model)
        return "unknown key" + _did_you_mean(word, keys, KEY_LIKENESS)
    if kind == "missing":
        return "required key is missing"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{value!r} is not a date; write YYYY-MM-DD"
    if kind in {"enum", "literal_error"} and isinstance(value, list) and loc:
        # `legal_basis: [a, b]`: one value where the list has a key of its own (`legal_bases`).
        word = str(loc[-1])
        plurals = [word + "s", *([word[:-2] + "es"] if word.endswith("is") else [])]
        plural = next((name for name in plurals if name in _homes(model)), None)
        where = f"; for several, write them as a list under `{plural}`" if plural else ""
        return f"expected one value, not a list{where}"
    if kind in {"enum", "literal_error"}:
        # An enum's alias (a recipient's v1 role `authority`) is listed again under its value.
        parts = [part.strip() for part in ctx["expected"].replace(" or ", ", ").split(",")]
        parts = list(dict.fromkeys(parts))
        expected = " or ".join(filter(None, [", ".join(parts[:-1]), parts[-1]]))
        choices = [part.strip("'") for part in parts]
        return f"{value!r} is not one of {expected}" + _did_you_mean(str(value), choices)
    if kind == "value_error":
        return str(ctx["error"])
    if kind == "dict_type" and isinstance(value, str):
        return "expected a mapping of language to text, e.g. {fi: ..., en: ...}"
    if kind in {"dict_type", "model_type"}:
        return "expected a mapping of keys"
    if kind == "list_type":
        return "expected a list (items starting with `- `)"
    if kind == "string_type" and value is None:
        return "the value is empty; write the text after the colon"
    if kind == "string_type" and isinstance(value, list | dict):
        # Quotes do not make a list text: a list or mapping where text belongs is mostly a key
        # indented too far, under a text of one version per language (`description:` then
        # `  legal_bases: [...]`). Said so when the key is one of the format's.
        word, parent = (loc[-1], loc[-2]) if len(loc) >= 2 else (None, None)
        in_text = bool(siblings) and siblings <= set(SUPPORTED_LANGUAGES)  # beside fi:, en: ...
        if (
            in_text
            and isinstance(word, str)
            and isinstance(parent, str)
            and word in _field_names(model)
        ):
            return (
                f"`{word}` is indented under `{parent}`, which holds a text in each language; "
                f"indent `{word}` as far as `{parent}`"
            )
        return (
            "expected text, not a list"
            if isinstance(value, list)
            else ("expected text, not a mapping of keys")
        )
    if kind == "string_type":
        # Numbers such as postal codes or phone numbers lose their leading zero unless quoted.
        return f"expected text, not {value!r}; put the value in quotes"
    if kind in {"bool_type", "bool_parsing"}:
        return f"{value!r} is not true or false"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"{value!r} is not a whole number"
    if kind in {"greater_than_equal", "less_than_equal"}:
        bound = "at least" if kind == "greater_than_equal" else "at most"
        limit = ctx["ge"] if kind == "greater_than_equal" else ctx["le"]
        return f"{value!r} is out of range; it must be {bound} {limit}"
    if kind == "too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        if loc == ("id",):
            return f"{value!r} is not a valid id; use lowercase letters, digits and hyphens"
        return f"{value!r} does not match the pattern {ctx['pattern']}"
    return str(error["msg"])


KEY_LIKENESS = 0.7
"""How alike an unknown key must be to a key of the format to be suggested: typos (`retension`,
`nmae`, `postal`) are 0.7 or more, unrelated words (`owner` and `phone`) 0.6. A value is compared
with its few allowed values at difflib's 0.6 (`2.2` and `2.1` are 0.67)."""


def _did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    suggestion = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return f" (did you mean {suggestion[0]!r}?)" if suggestion else ""


@cache
def _homes(model: type[BaseModel]) -> dict[str, list[str]]:
    """Return, for each key of the format, where it may stand: `{"logo": ["theme.logo"]}`."""
    homes: dict[str, list[str]] = {}

    def walk(cls: type[BaseModel], prefix: tuple[str, ...]) -> None:
        if len(prefix) > 6:  # models that contain themselves (a DPO's party) end here
            return
        for name, info in cls.model_fields.items():
            homes.setdefault(name, []).append(".".join((*prefix, name)))
            for sub in _models_in(info.annotation):
                walk(sub, (*prefix, name))

    walk(model, ())
    return homes


def _model_at(model: type[BaseModel], key_path: KeyPath) -> type[BaseModel] | None:
    """Return the model whose keys stand at `key_path` (list indexes passed over), or None when
    the path leaves the models or a field may hold more than one model."""
    current = model
    for part in key_path:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(str(part))
        found = list(dict.fromkeys(_models_in(info.annotation))) if info is not None else []
        if len(found) != 1:
            return None
        current = found[0]
    return current


def _field_names(model: type[BaseModel]) -> set[str]:
    return {name for cls in _models_of(model) for name in cls.model_fields}


@cache
def _known_keys() -> frozenset[str]:
    """Return every key of the format and every language: the words a YAML error's line that
    starts with one is read as a key (`notice.yaml_errors`)."""
    return frozenset(_field_names(Site) | _field_names(Register) | set(SUPPORTED_LANGUAGES))


def _models_of(model: type[BaseModel]) -> list[type[BaseModel]]:
    """Return `model` and every model nested in its fields."""
    seen: list[type[BaseModel]] = []

    def walk(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        seen.append(cls)
        for info in cls.model_fields.values():
            for sub in _models_in(info.annotation):
                walk(sub)

    walk(model)
    return seen


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _models_in(arg)


def _validate(model: type[BaseModel], source: SourceFile, context: dict[str, Any]) -> Any:
    if not isinstance(source.data, dict):
        raise ContentError([LoadError(source.path, 1, "", "expected a mapping of keys at the top")])
    try:
        result = model.model_validate(source.data, context=context)
    except ValidationError as exc:
        errors = _collapse_languages(
            validation_errors(exc, source, model), source, context.get("languages")
        )
        raise ContentError(source.errors + errors) from None
    # A duplicate key keeps its first value, so the file still validates: its errors stay in
    # `source.errors` for the caller to report with whatever else is wrong in the file.
    return result


_UNKNOWN_LANGUAGE = re.compile(r"^unknown language '([^']*)'; site\.yaml declares ")


def _collapse_languages(
    errors: list[LoadError], source: SourceFile, languages: Sequence[str] | None
) -> list[LoadError]:
    """Say a language site.yaml does not declare once per file, not once per text.

    A register written in fi and en under a site of `languages: [sv]` gave an "unknown language"
    line for each of its texts (40 and more) and never said the one thing to do: the file has no
    language in common with site.yaml. One line says so at the register's `name`; a language the
    file uses beside the declared ones is one line at its first text, counting the others.
    """
    groups: dict[str, list[LoadError]] = {}
    for error in errors:
        match = _UNKNOWN_LANGUAGE.match(error.message)
        if match:
            groups.setdefault(match.group(1), []).append(error)
    if not languages or not groups or all(len(group) == 1 for group in groups.values()):
        return errors
    declared = ", ".join(languages)
    kept = [error for error in errors if not _UNKNOWN_LANGUAGE.match(error.message)]
    data = source.data if isinstance(source.data, dict) else {}
    name = data.get("name")
    if isinstance(name, dict) and name and not set(map(str, name)) & set(languages):
        written = ", ".join(map(str, name))
        count = sum(len(group) for group in groups.values())
        message = (
            f"this register is written in {written} and site.yaml declares {declared}: no "
            f"language in common, so none of its {count} texts can be shown; add {written} to "
            f"`languages` in site.yaml, or write the register in {declared}"
        )
        kept.append(LoadError(source.path, source.line_of(("name",)), "name", message))
        return kept
    for lang, group in groups.items():
        first = min(group)
        more = f" (and in {len(group) - 1} more texts of this file)" if len(group) > 1 else ""
        message = (
            f"unknown language {lang!r}{more}; site.yaml declares {declared}: add {lang!r} to "
            f"`languages` in site.yaml, or remove the {lang!r} texts"
        )
        kept.append(LoadError(first.path, first.line, first.key, message))
    return kept


def _date_errors(source: SourceFile) -> list[LoadError]:
    """Report a register's `updated` date before `prepared`: a notice cannot change before it
    existed. Read from the file, so it is reported with the file's other errors, if any."""
    data = source.data if isinstance(source.data, dict) else {}
    try:
        prepared = dt.date.fromisoformat(str(data["prepared"]))
        updated = dt.date.fromisoformat(str(data["updated"]))
    except (KeyError, ValueError):
        return []  # missing or not a date: the model says so
    if updated >= prepared:
        return []
    prepared_line = source.line_of(("prepared",))
    message = (
        f"{updated.isoformat()} is earlier than the `prepared` date {prepared.isoformat()} "
        f"on line {prepared_line}; a notice cannot change before it was prepared"
    )
    return [LoadError(source.path, source.line_of(("updated",)), "updated", message)]


_LANGUAGES_LINE = re.compile(r"^languages[ \t]*:.*(?:\n(?:[ \t-].*|[ \t]*(?:#.*)?))*", re.M)
"""A top-level `languages:` key with what belongs to it: a flow list on its line, or the
indented (or `- `) lines of a block list, with blank and comment lines between."""


def _languages_line(text: str) -> list[str] | None:
    """Return the languages of a site.yaml that does not parse as a whole, read from its own
    `languages:` lines, when they parse alone into languages the notice supports; else None
    (then no text of a register is checked for missing translations: nothing says which)."""
    match = _LANGUAGES_LINE.search(text)
    if match is None:
        return None
    try:
        data = yaml.load(match.group(0), Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return None
    languages = _declared_languages(data)
    if languages is None or not set(languages) <= set(SUPPORTED_LANGUAGES):
        return None
    return languages


def _declared_languages(data: Any) -> list[str] | None:
    """Return site.yaml's language list when it is usable, so registers are checked against it."""
    languages = data.get("languages") if isinstance(data, dict) else None
    if isinstance(languages, list) and languages and all(isinstance(x, str) for x in languages):
        return languages
    return None


class ModelCache(Protocol):
    """Where `load_content` may find a register it validated before (see `notice.buildcache`).

    Keys are the register file's path and bytes plus the site file's bytes (its languages shape
    validation) and `allow_html`; only registers that loaded without errors are ever stored.
    """

    def get(self, key: str) -> Register | None:
        """Return the model stored under `key`, or None."""

    def get_source(self, key: str) -> SourceFile | None:
        """Return the parsed file stored under `key` (with the model), or None."""

    def put(self, key: str, source: SourceFile, register: Register) -> None:
        """Store a parsed file and its model under `key`."""


def register_key(path: Path, digest: str, site_digest: str, *, allow_html: bool) -> str:
    """Return the cache key of a register file: its path, its bytes, the site's and the mode."""
    return hashlib.sha256(
        "\0".join([str(path), digest, site_digest, str(allow_html)]).encode()
    ).hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


PARSE_APART_AT = 1_000_000
"""How many bytes of register files make it worth parsing half of them in a forked child
(`forked`): parsing and validating costs about 0.06 ms a kilobyte (1.5 ms for the seed register
of 26 KB); the child's start costs about 10 ms, and sending its models back a fifth of what it
parsed. From a megabyte (40 registers like the seed, hundreds of small ones) the fork saves
30 ms or more."""

CHILD_SHARE = 0.45
"""The share of the bytes the forked child parses: it also pickles its models to send them (about
a quarter of what parsing them cost, 0.4 ms a register like the seed against 1.7 ms), while
this process only unpickles them at the end (0.2 ms); so that both are done at once, the child
parses less."""

CHILD_SHARE_CHECKED = 0.48
"""The same when each process also checks its share (`PartWork`, 2.6 ms a register more for
both): the pickling weighs less against the rest."""


WORK_BEFORE_TAKING = 0.25
"""The share of its own registers `notice check`'s loading process checks before it takes the
child's parsed registers from the spill: by then the child has parsed its smaller share and
pickled it (50 ms), so the taking seldom waits."""


class PartWork(Protocol):
    """Work on the registers a process has parsed while the others still load (`load_content`'s
    `on_part`): `notice check` checks each half of the registers in the process that parsed it.

    `work(part)` gets a Content of the site and those registers (only files that parsed cleanly,
    with their slugs, each id once); in the forked child its result is pickled back. `take` gets
    each part's result in the loading process; a part whose work raised sends nothing (the caller
    then does that work itself, after the load, and a failure shows there).
    """

    def work(self, part: Content) -> Any:
        """Do the work on `part`; return what `take` gets."""

    def take(self, result: Any) -> None:
        """Keep one part's result."""


_Parsed = tuple[SourceFile, Register] | list[LoadError]


def _parse_registers(
    files: Sequence[tuple[Path, bytes]],
    context: dict[str, Any],
    part_work: Callable[[Sequence[_Parsed]], Any] | None = None,
) -> tuple[list[_Parsed], list[Any]]:
    """Parse and validate register files: each its file and model, or its errors; and what
    `part_work` made of each process's share (none when one process parsed them all).

    With a megabyte or more and a core to spare, a forked child parses the files from
    `_split_at` on meanwhile; if it fails to send its results, they are made here instead (the
    outcome never depends on it). `part_work` runs on each share in the process that parsed it.
    """
    cores = os.cpu_count() or 1
    size = sum(len(data) for _, data in files)
    if size < PARSE_APART_AT or len(files) < 2 or cores < 2 or not forked.can_fork():
        return _parse_each(files, context), []
    half = _split_at(files, CHILD_SHARE_CHECKED if part_work is not None else CHILD_SHARE)
    # With work to do on its share, the child spills what it parsed before doing it, and this
    # process takes that between two batches of its own work: the pickling and unpickling of
    # the child's registers then happen beside the other process's work, not after both.
    spill = forked.Spill.open() if part_work is not None else None

    def child_share() -> tuple[list[_Parsed] | None, Any]:
        theirs = _without_data(_parse_each(files[half:], context))
        if spill is not None:
            spill.put(theirs)
        done = _try(part_work, theirs) if part_work is not None else None
        return (None if spill is not None else theirs), done

    try:
        child = forked.Forked(child_share, spill=spill)
    except OSError:  # no process to spare (EAGAIN, ENOMEM)
        if spill is not None:
            spill.close()
        return _parse_each(files, context), []
    theirs: list[_Parsed] | None = None
    made: list[Any] = []
    try:
        mine = _parse_each(files[:half], context)
        if part_work is not None:
            first = max(1, round(len(mine) * WORK_BEFORE_TAKING))
            made.append(_try(part_work, mine[:first]))
            if spill is not None:
                theirs = spill.take()
            if mine[first:]:
                made.append(_try(part_work, mine[first:]))
        sent = child.result()
        done = None
        if sent is not None:
            sent_theirs, done = sent
            theirs = sent_theirs if sent_theirs is not None else theirs
    finally:
        child.close()
        if spill is not None:
            spill.close()
    if theirs is None:
        return mine + _parse_each(files[half:], context), made
    return mine + theirs, [*made, done]


def _split_at(files: Sequence[tuple[Path, bytes]], child_share: float) -> int:
    """Return the index from which the child takes the files: about `child_share` of the bytes,
    at least one file each."""
    keep = sum(len(data) for _, data in files) * (1 - child_share)
    taken = 0
    for index, (_, data) in enumerate(files):
        taken += len(data)
        if taken >= keep:
            return min(index + 1, len(files) - 1)
    return len(files) - 1


def _try(work: Callable[[Sequence[_Parsed]], Any], parsed: Sequence[_Parsed]) -> Any:
    """Return `work(parsed)`, or None if it raised: done again after the load, it raises there."""
    try:
        return work(parsed)
    except Exception:  # noqa: BLE001 - the work is redone where its failure is reported
        return None


def _parse_each(files: Sequence[tuple[Path, bytes]], context: dict[str, Any]) -> list[_Parsed]:
    results: list[_Parsed] = []
    strings: dict[str, str] = {}
    context = {**context, SHARED_STRINGS: strings}
    for path, data in files:
        try:
            source = _parse_text(path, _decode(path, data), strings)
            source.errors.extend(_date_errors(source))
            results.append((source, _validate(Register, source, context)))
        except ContentError as exc:
            results.append(list(exc.errors))
    return results


def _without_data(results: list[_Parsed]) -> list[_Parsed]:
    """Drop each parsed file's raw data, which only validation reads: a third less to send."""
    for result in results:
        if isinstance(result, tuple):
            result[0].data = None
    return results


def load_content(
    root: Path | str,
    *,
    allow_html: bool = False,
    cache: ModelCache | None = None,
    on_part: PartWork | None = None,
) -> Content:
    """Load and validate `root/site.yaml` and `root/registers/*.yaml`, reporting all errors.

    `allow_html` lets raw HTML through (for `notice check`, which reports it as a finding).
    `cache` supplies registers validated by an earlier run from the same bytes (and keeps the new).
    `on_part` works on each process's share of the parsed registers as soon as it is parsed,
    when a forked child parses half of them (see `PartWork`).
    """
    root = Path(root)
    site_path = root / "site.yaml"
    if not site_path.is_file():
        raise ContentError([LoadError(site_path, 1, "", "file not found")])
    errors: list[LoadError] = []
    sources = _Sources()
    digests: dict[str, str] = {}
    files: dict[str, Path] = {"site": site_path}
    site: Site | None = None
    context = model_context(None, allow_html=allow_html)
    site_bytes = site_path.read_bytes()
    site_digest = digests["site"] = _digest(site_bytes)
    languages: Sequence[str] = ()
    try:
        site_text = _decode(site_path, site_bytes)
        try:
            site_source = _parse_text(site_path, site_text)
        except ContentError:
            # Its `languages` lines may still parse: the registers' texts are then checked for
            # every language as when site.yaml loads, so a missing translation is reported
            # beside the YAML error, not only once that error is fixed.
            languages = _languages_line(site_text) or ()
            context = model_context(list(languages) or None, allow_html=allow_html)
            raise
        sources["site"] = site_source
        declared = _declared_languages(site_source.data)
        languages = declared or ()
        context = model_context(declared, allow_html=allow_html)
        try:
            site = _validate(Site, site_source, context)
        except ContentError as exc:
            # The logo file is checked beside the file's other mistakes (a colour's contrast,
            # a missing key), not only once they are fixed: all of a file at once.
            exc.errors.extend(_unvalidated_logo_errors(root, site_source, exc.errors))
            raise
        errors.extend(site_source.errors)
        errors.extend(_logo_errors(root, site, site_source))
    except ContentError as exc:
        errors.extend(exc.errors)

    registers: list[Register] = []
    register_paths = sorted((root / "registers").glob("*.yaml"))
    for path in sorted((root / "registers").glob("*.yml")):
        # Silently skipping a register would publish a notice without it.
        errors.append(LoadError(path, 1, "", "register files must end in .yaml, not .yml"))
    if not register_paths:
        errors.append(LoadError(root / "registers", 1, "", "no register files (*.yaml) found"))
    owners: dict[str, Path] = {}
    read = []
    for path in register_paths:
        data = path.read_bytes()
        digest = _digest(data)
        key = register_key(path, digest, site_digest, allow_html=allow_html)
        cached = cache.get(key) if cache is not None and site is not None else None
        read.append((path, data, digest, key, cached))
    misses = [(path, data) for path, data, _, _, cached in read if cached is None]
    part_work = None
    if on_part is not None and site is not None and not errors:
        digest_of = {path: digest for path, _, digest, _, _ in read}
        digest_of[site_path] = site_digest
        part_work = partial(_work_on_part, on_part, root, site, sources["site"], digest_of)
    results, made = _parse_registers(misses, context, part_work)
    for result in made:
        if result is not None:
            on_part.take(result)  # type: ignore[union-attr] - made only with on_part
    parsed = iter(results)
    for path, data, digest, key, cached in read:
        source: SourceFile | None = None
        if cached is not None:
            register = cached
        else:
            result = next(parsed)
            if isinstance(result, list):
                errors.extend(result)
                continue
            source, register = result
            errors.extend(source.errors)  # duplicate keys: the file's other checks still run
            if cache is not None and site is not None and not source.errors:
                cache.put(key, source, register)
        if source is None and (register.id == "site" or register.id in owners):
            source = _source_of(cache, key, path, data)
        if register.id == "site" or register.id in owners:
            assert source is not None
            problem = (
                "is reserved for site.yaml; choose another id"
                if register.id == "site"
                else f"is already the id of {owners[register.id].relative_to(root)}"
            )
            errors.append(
                LoadError(path, source.line_of(("id",)), "id", f"{register.id!r} {problem}")
            )
            continue
        owners[register.id] = path
        if site is not None or languages:
            wanted = [lang.value for lang in site.languages] if site is not None else languages
            # A language the model does not support is site.yaml's one error, as for texts.
            missing = [
                lang for lang in wanted if lang not in register.slug and lang in SUPPORTED_LANGUAGES
            ]
            if missing:
                source = source or _source_of(cache, key, path, data)
                errors.append(
                    LoadError(
                        path,
                        source.line_of(("slug",)),
                        "slug",
                        f"missing translation for language {missing[0]!r}",
                    )
                )
                continue
        if source is not None:
            sources[register.id] = source
        else:
            sources.defer(register.id, partial(_source_of, cache, key, path, data))
        digests[register.id] = digest
        files[register.id] = path
        registers.append(register)
    content = None
    if site is not None and not any(error.path == site_path for error in errors):
        content = Content(
            root=root,
            site=site,
            registers=tuple(registers),
            sources=sources,
            digests=digests,
            files=files,
        )
    if errors:
        raise ContentError(errors, partial=content)
    assert content is not None
    return content


def _work_on_part(
    on_part: PartWork,
    root: Path,
    site: Site,
    site_source: SourceFile,
    digest_of: dict[Path, str],
    parsed: Sequence[_Parsed],
) -> Any:
    """Return `on_part.work` of a Content of the site and the registers in `parsed` that loaded
    cleanly (no errors, a slug in every language, an id that is not "site" nor taken before)."""
    registers: list[Register] = []
    sources: dict[str, SourceFile] = {"site": site_source}
    for result in parsed:
        if isinstance(result, list):
            continue
        source, register = result
        if source.errors or register.id in sources:
            continue
        if any(lang not in register.slug for lang in site.languages):
            continue
        registers.append(register)
        sources[register.id] = source
    digests = {owner: digest_of[source.path] for owner, source in sources.items()}
    files = {owner: source.path for owner, source in sources.items()}
    part = Content(
        root=root,
        site=site,
        registers=tuple(registers),
        sources=sources,
        digests=digests,
        files=files,
    )
    return on_part.work(part)


def _logo_errors(root: Path, site: Site, source: SourceFile) -> list[LoadError]:
    """Report a theme logo that is missing or cannot be published safely."""
    logo = site.theme.logo if site.theme else None
    problem = theme.logo_problem(root, logo) if logo else None
    if problem is None:
        return []
    return [LoadError(source.path, source.line_of(("theme", "logo")), "theme.logo", problem)]


def _unvalidated_logo_errors(
    root: Path, source: SourceFile, errors: Sequence[LoadError]
) -> list[LoadError]:
    """Report the logo file of a site.yaml that did not validate, as `_logo_errors` would.

    A `theme.logo` the model refused (not an .svg or .png path inside the folder) is already
    among `errors` and is not looked for; a logo path the model accepted is.
    """
    data = source.data if isinstance(source.data, dict) else {}
    section = data.get("theme")
    logo = section.get("logo") if isinstance(section, dict) else None
    if not isinstance(logo, str) or any(e.key.startswith("theme.logo") for e in errors):
        return []
    problem = theme.logo_problem(root, logo)
    if problem is None:
        return []
    return [LoadError(source.path, source.line_of(("theme", "logo")), "theme.logo", problem)]


def _source_of(cache: ModelCache | None, key: str, path: Path, data: bytes) -> SourceFile:
    """Return a cached register's parsed file: from the cache, else parsed again from `data`."""
    source = cache.get_source(key) if cache is not None else None
    return source if source is not None else _parse_text(path, _decode(path, data))


def content_json(content: Content) -> str:
    """Serialise validated content as JSON (for machines; the same shape as the YAML)."""
    payload = {
        "site": content.site.model_dump(mode="json", exclude_none=True),
        "registers": [r.model_dump(mode="json", exclude_none=True) for r in content.registers],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)
