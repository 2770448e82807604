"""Say where a content file that is not valid YAML goes wrong, what is wrong and how to fix it.

The parser stops where it can read no further, in its own terms ("did not find expected key",
"could not find expected ':'") and often on another line than the mistake: an unclosed quote is
found where the next quote happens to be, a key without its colon on the line after it, an
under-indented key one line late. For the mistakes a person editing the files makes (a list item
or a key at the wrong indentation, a missing colon or space, a tab, an unclosed quote or bracket,
a stray '-', text after a quoted text or after `>-`, a ': ' or a '*' in a text) `diagnose` replays
the parser's events up to the error, reads the lines around it and returns the line to fix, the
key path there and a message that names the mistake and its fix. What it does not recognise keeps
the parser's problem ("invalid YAML: …", with a hint where one applies).

The same mistake gets the same message from libyaml and from PyYAML's own parser, whose problems
are worded differently (tests/notice/test_yaml_mistakes.py runs both). Every message here is a
shape of `notice.load_messages`, which says it in Finnish and Swedish.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
)

from notice.model import SUPPORTED_LANGUAGES

KeyPath = tuple[str | int, ...]

Diagnosis = tuple[int, KeyPath, str]
"""The line to fix (1-based), the key path there and the message."""

TAB = "tab character in indentation; indent with spaces"


def diagnose(
    text: str, exc: yaml.MarkedYAMLError, parser: type, keys: Collection[str]
) -> Diagnosis:
    """Return where `exc`, raised by `parser` reading `text`, is to be fixed, and how.

    `keys` are the words that are keys somewhere in the format: a line that starts with one is
    taken for a key (one without its colon, one indented too far), another for a text.
    """
    failure = _Failure(text, exc, parser, keys)
    for rule in _RULES:
        try:
            found = rule(failure)
        except (IndexError, KeyError, TypeError, ValueError, AttributeError):
            # The rules read arbitrary text: one that trips over a shape it never met gives
            # way to the next, and the author still gets a located message, not a traceback.
            continue
        if found is not None:
            return found
    return failure.fallback()


@dataclass
class _Entry:
    """A key or a list item the parser read: where it stands and what it holds."""

    line: int
    column: int  # a key's, or a block list item's '-'
    path: KeyPath
    container: bool | None = None  # its value is a mapping or a list (None: not read yet)


@dataclass
class _Block:
    """A mapping or a list open while the parser read the file up to its error."""

    path: KeyPath
    column: int
    mapping: bool
    flow: bool = False
    line: int = 0
    index: int = 0
    key: str | None = None  # the key whose value comes next (a mapping's)
    keys: list[str] = field(default_factory=list)  # a mapping's keys so far
    last_key: tuple[str, int, int] | None = None  # the latest key: its text, line and column
    item_line: int = 0  # the line of a list's latest item
    item_keys: list[str] = field(default_factory=list)  # the keys of a list's latest item
    closed: list[_Block] = field(default_factory=list)  # blocks closed since the latest key
    closed_before_key: list[_Block] = field(default_factory=list)  # those before the latest key


@dataclass
class _Replay:
    """What the parser read of a file before its error."""

    stack: list[_Block] = field(default_factory=list)
    last: Any = None  # the last event
    last_path: KeyPath = ()  # the key path of the last node (a scalar, a list, a mapping)
    closed: _Block | None = None  # the block the last event closed
    entries: list[_Entry] = field(default_factory=list)
    lists: list[_Block] = field(default_factory=list)  # every block list, in the file's order

    def entry(self, path: KeyPath) -> _Entry | None:
        """Return the entry of `path`, if the parser read it."""
        return next((entry for entry in reversed(self.entries) if entry.path == path), None)


def _replay(text: str, parser: type) -> _Replay:
    """Return what `parser` read of `text` before it stopped at the file's YAML error."""
    replay = _Replay()
    stack, entries = replay.stack, replay.entries
    lines = text.split("\n")
    loader = parser(text)
    try:
        while True:
            event = replay.last = loader.get_event()
            replay.closed = None
            if event is None:
                return replay
            top = stack[-1] if stack else None
            if isinstance(event, MappingEndEvent | SequenceEndEvent):
                closed = replay.closed = stack.pop()
                if stack:
                    stack[-1].closed += [*closed.closed, closed]
                    if closed.mapping and not stack[-1].mapping:
                        stack[-1].item_keys = closed.keys
                continue
            if not isinstance(event, NodeEvent):
                continue
            if top is not None and top.mapping and top.key is None:
                if not isinstance(event, ScalarEvent):
                    return replay  # a key that is no text: nothing to tell
                mark = event.start_mark
                top.key, top.last_key = event.value, (event.value, mark.line + 1, mark.column)
                top.keys.append(event.value)
                top.closed_before_key, top.closed = top.closed, []
                entries.append(_Entry(mark.line + 1, mark.column, (*top.path, event.value)))
                continue
            path: KeyPath = ()
            entry: _Entry | None = None
            if top is not None and top.mapping:
                path, top.key = (*top.path, top.key or ""), None
                entry = entries[-1]
            elif top is not None:
                path, top.index = (*top.path, top.index), top.index + 1
                mark = event.start_mark
                top.item_line = mark.line + 1
                column = mark.column if top.flow else _dash_column(lines[mark.line], mark.column)
                entry = _Entry(mark.line + 1, column, path)
                entries.append(entry)
            replay.last_path = path
            opens = isinstance(event, CollectionStartEvent)
            if entry is not None:
                entry.container = opens
            if opens:
                mark = event.start_mark
                block = _Block(
                    path,
                    mark.column,
                    isinstance(event, MappingStartEvent),
                    flow=bool(event.flow_style),
                    line=mark.line + 1,
                )
                stack.append(block)
                if not block.mapping and not block.flow:
                    replay.lists.append(block)
    except yaml.YAMLError:
        return replay
    finally:
        loader.dispose()


def _dash_column(line: str, column: int) -> int:
    """Return the column of the '-' before a block list item that starts at `column`."""
    before = line[:column].rstrip(" ")
    return len(before) - 1 if before.endswith("-") else column


_WORD = re.compile(r"[A-Za-z_][\w-]*")
"""A word that may be a key: `legal_bases`, `sv`, `postal_code`."""

_QUOTES = "\"'"
_SHOWN = 40
"""The most characters of a quoted text a message shows whole."""


class _Failure:
    """A YAML error in a file's text, with what the parser had read before it."""

    def __init__(self, text: str, exc: yaml.MarkedYAMLError, parser: type, keys: Collection[str]):
        self.text = text
        self.lines = text.split("\n")
        self.exc = exc
        self.mark = exc.problem_mark or exc.context_mark
        self.problem = exc.problem or ""
        self.context = exc.context or ""
        self.keys = keys
        self.replay = _replay(text, parser)

    @property
    def line_number(self) -> int:
        """The parser's line (1-based)."""
        return self.mark.line + 1 if self.mark else 1

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def indent(self, number: int) -> int:
        """Return a line's indentation, a tab counted as one column."""
        own = self.line(number)
        return len(own) - len(own.lstrip(" \t"))

    def awaited(self) -> KeyPath:
        """Return the key path of the value the parser was reading when it stopped."""
        stack = self.replay.stack
        if not stack:
            return ()
        top = stack[-1]
        if top.mapping:
            return (*top.path, top.key) if top.key is not None else top.path
        return (*top.path, top.index)

    def enclosing(self, number: int, indent: int) -> KeyPath:
        """Return the key path of the nearest key or item above line `number` that a line
        indented `indent` columns stands under (the parent of one that holds a text)."""
        for entry in reversed(self.replay.entries):
            if entry.line < number and entry.column < indent:
                return entry.path[:-1] if self._holds_text(entry) else entry.path
        return ()

    def _holds_text(self, entry: _Entry) -> bool:
        """Return whether a key or item holds a text: as read, or (when the parser stopped
        inside its value) as its line shows, a text after its colon or '-'."""
        if entry.container is not None:
            return not entry.container
        own = self.line(entry.line)[entry.column :]
        marker = re.match(r"-\s*" if isinstance(entry.path[-1], int) else r"[^:]*:\s*", own)
        rest = own[marker.end() :] if marker else ""
        return bool(rest) and not rest.startswith(("#", "|", ">", "[", "{", "&", "!"))

    def owner(self, number: int, column: int) -> KeyPath:
        """Return the key path of the value at `column` of line `number`: the last key or item
        before it on the line, else the value the parser was reading."""
        on_line = [e for e in self.replay.entries if e.line == number and e.column < column]
        return on_line[-1].path if on_line else self.awaited()

    def fallback(self) -> Diagnosis:
        """Return the parser's own problem, at its line, with a hint where one applies."""
        number = self.line_number
        key = self.enclosing(number, self.indent(number)) if self.mark else ()
        hint = _hint(self)
        message = f"invalid YAML: {self.problem or 'invalid YAML'}"
        return number, key, message + (f" (hint: {hint})" if hint else "")


def _tab(f: _Failure) -> Diagnosis | None:
    """A tab in the indentation of the line the parser stopped on (YAML indents with spaces)."""
    number = f.line_number
    own = f.line(number)
    lead = own[: len(own) - len(own.lstrip(" \t-"))]
    if "\t" not in lead:
        return None
    return number, f.enclosing(number, f.indent(number)), TAB


def _second_document(f: _Failure) -> Diagnosis | None:
    """A `---` in the middle of the file, which starts a second document."""
    if not f.context.startswith("expected a single document"):
        return None
    return (
        f.line_number,
        (),
        "a second document starts here (`---`); a content file holds one: remove the line, "
        "or move what follows into a file of its own",
    )


def _quote(f: _Failure) -> Diagnosis | None:
    """A quoted text that is never closed, or that holds a '\\' that is no escape."""
    if "quoted scalar" not in f.context or f.exc.context_mark is None:
        return None
    opened = f.exc.context_mark
    if "escape" in f.problem and f.mark is not None:
        own = f.line(f.line_number)
        at = own.rfind("\\", 0, f.mark.column + 1)
        if at < 0 or at + 1 >= len(own):
            return None
        escape = own[at : at + 2]
        return (
            f.line_number,
            f.awaited(),
            f"`{escape}` is no escape YAML knows in a text in double quotes: write the "
            "backslash twice (`\\\\`), or put the text in single quotes ('…')",
        )
    quote = f.line(opened.line + 1)[opened.column : opened.column + 1]
    if quote not in _QUOTES:
        return None
    return opened.line + 1, f.awaited(), _unclosed_quote(quote)


def _unclosed_quote(quote: str) -> str:
    return (
        f"the quote {quote} that starts this text is not closed on its line: end the text "
        f"with {quote}"
    )


def _after_quoted(f: _Failure) -> Diagnosis | None:
    """The parser stopped where a quoted text ended: the quote was not closed on its line (it
    ran on to the next quote), or the line goes on after the closing quote."""
    last = f.replay.last
    if not isinstance(last, ScalarEvent) or last.style not in ('"', "'") or f.mark is None:
        return None
    start, end = last.start_mark, last.end_mark
    if f.mark.line != end.line or f.mark.column < end.column:
        return None
    quote = f.line(start.line + 1)[start.column : start.column + 1]
    if quote not in _QUOTES:
        return None
    if start.line < end.line:
        return start.line + 1, f.replay.last_path, _unclosed_quote(quote)
    own = f.line(end.line + 1)
    rest = own[end.column :].strip()
    if not rest or rest.startswith(("#", ":", ",", "]", "}")):
        return None
    quoted = own[start.column : end.column]
    if len(quoted) > _SHOWN:
        quoted = f"{quote}…{quoted[-_SHOWN // 2 :]}"
    before = re.search(r"[^\W\d_]+$", own[: end.column - 1])
    after = re.match(r"[^\W\d_]+", own[end.column :])
    if quote == "'" and before and after:  # an apostrophe: `'The club's members'`
        word = f"{before.group()}'{after.group()}"
        fix = (
            f"write the apostrophe in {word} twice ({word.replace(chr(39), chr(39) * 2)}), or put "
            'the whole text in double quotes ("…")'
        )
    elif quote == '"':
        fix = "put the whole text in single quotes ('…'), inside which \" is an ordinary character"
    else:
        fix = 'put the whole text in double quotes ("…"), inside which \' is an ordinary character'
    message = f"the line goes on after the quoted text `{quoted}`: {fix}"
    return end.line + 1, f.replay.last_path, message


_CLOSERS = {"[": "]", "{": "}"}


def _flow(f: _Failure) -> Diagnosis | None:
    """A '[' or '{' left open, closed with the other bracket, or a comma missing inside it."""
    if "flow" not in f.context or f.mark is None:
        return None
    found = _unclosed_bracket(f.text, _offset(f.text, f.mark))
    if found is None:
        return None
    opening, line = found
    flows = [block for block in f.replay.stack if block.flow]
    key = flows[0].path if flows else f.awaited()
    if opening in _QUOTES:
        return line, key, _unclosed_quote(opening)
    closing = _CLOSERS[opening]
    own = f.line(f.line_number)
    at = own[f.mark.column : f.mark.column + 1]
    if at == ":" and line == f.line_number:
        word = re.search(r"([^\s,\[\]{}]+)\s*$", own[: f.mark.column])
        if word is not None:
            return (
                line,
                key,
                f"a comma is missing before `{word.group(1)}:`: separate the items inside "
                f"'{opening}…{closing}' with commas",
            )
    if at and at in "]}" and at != closing:
        return (
            f.line_number,
            key,
            f"the '{opening}' is closed with '{at}': close it with '{closing}'",
        )
    return (
        line,
        key,
        f"the '{opening}' on this line is not closed: add '{closing}' after its last item",
    )


def _block_scalar_header(f: _Failure) -> Diagnosis | None:
    """Text after `>-` or `|` on its line, where only a comment may follow."""
    if "block scalar" not in f.context or "line break" not in f.problem:
        return None
    own = f.line(f.line_number)
    header = re.search(r"(?:^|[\s:])([|>][-+0-9]*)\s", own[: f.mark.column + 1])
    if header is None:
        return None
    return (
        f.line_number,
        f.owner(f.line_number, f.mark.column),
        f"text follows `{header.group(1)}` on its line: start the text on the next line, "
        "indented more than this one",
    )


def _reserved_start(f: _Failure) -> Diagnosis | None:
    """A text that starts with a character YAML reserves there: `*` or `&` (Markdown's
    emphasis is an alias or an anchor to YAML), '@', '`', or '- ' after a key."""
    if f.mark is None:
        return None
    number, column = f.line_number, f.mark.column
    own = f.line(number)
    opened = f.exc.context_mark
    if ("alias" in f.context or "anchor" in f.context) and opened and opened.line + 1 == number:
        start = opened.column
    elif f.problem.startswith("found undefined alias"):
        start = column
    elif "cannot start any token" in f.problem and own[column : column + 1] in "@`":
        start = column
    elif "sequence entries are not allowed" in f.problem:
        start = column
        key = f.owner(number, start)
        if key and isinstance(key[-1], str) and key[-1] not in SUPPORTED_LANGUAGES:
            # `legal_bases: - contract`: a list's item, not a text's Markdown
            message = (
                f"a '- ' item cannot stand on the line of `{key[-1]}:`: put each item on a line "
                f"of its own below it, indented more than `{key[-1]}:`, or write the list as "
                "[…] on this line"
            )
            return number, key, message
    else:
        return None
    return number, f.owner(number, start), _reserved(own, start)


def _reserved(own: str, start: int) -> str:
    char = "- " if own[start : start + 2] == "- " else own[start]
    quotes = '("…")' if "'" in own[start:] else "('…')"
    return (
        f"the text starts with '{char}', which YAML reserves at the start of a value: put the "
        f"whole text in quotes {quotes}"
    )


def _no_colon(f: _Failure) -> Diagnosis | None:
    """A line the parser took for a key, with no ': ' after it: a key without its colon or the
    space after it, or a text's next line indented only as far as its key."""
    if not f.problem.startswith("could not find expected ':'") or f.exc.context_mark is None:
        return None
    number = f.exc.context_mark.line + 1
    own = f.line(number)
    indent = f.indent(number)
    content = own[indent:]
    dash = re.match(r"-\s+", content)
    if dash:
        content, indent = content[dash.end() :], indent + dash.end()
    above = _text_above(f, number, indent)
    return _keyless(f, number, content, f.enclosing(number, indent), above)


def _keyless(
    f: _Failure, number: int, content: str, base: KeyPath, above: _Entry | None = None
) -> Diagnosis:
    """Tell line `number`, whose `content` stands where a key belongs under `base` but has none
    the parser could read: a key without its colon, with ';' for it or without the space after
    it; the next line of the text of the key `above` it; else a text without its key."""
    glued = re.match(r"([A-Za-z_][\w-]*):(?!//)\S", content)
    if glued:
        key = glued.group(1)
        message = f"no space after `{key}:`: put a space between the ':' and the value"
        return number, (*base, key), message
    typo = re.match(r"([A-Za-z_][\w-]*)([;.,=]) ", content)
    if typo and typo.group(1) in f.keys:  # `sv;`: ':' and ';' share a key on Nordic keyboards
        key, mark = typo.groups()
        return (
            number,
            (*base, key),
            f"`{key}{mark}` has '{mark}' where a key's ':' belongs: write `{key}:`",
        )
    word = _WORD.match(content)
    known = word.group() if word and word.group() in f.keys else None
    alone = known is not None and (content[len(known) :].strip()[:1] in ("", *"[{\"'"))
    if above is not None and not alone:
        name = above.path[-1]
        message = (
            f"this line goes on with the text of `{name}:` but is indented only as far as "
            f"`{name}:`: indent it more than `{name}:`, or join it to the line above"
        )
        return number, above.path, message
    if known is not None:
        return number, (*base, known), _missing_colon(known)
    return number, base, _NO_KEY


def _missing_colon(key: str) -> str:
    return f"no ':' after the key `{key}`: write `{key}:`"


def _text_above(f: _Failure, number: int, column: int) -> _Entry | None:
    """Return the key on the nearest line above `number` with text, when it stands at `column`
    and its value is a text that starts on its line (one the line `number` may go on with)."""
    above = number - 1
    while above > 0 and (not f.line(above).strip() or f.line(above).lstrip().startswith("#")):
        above -= 1
    for entry in reversed(f.replay.entries):
        if entry.line == above and entry.column == column and isinstance(entry.path[-1], str):
            return entry if entry.container is False else None
        if entry.line < above:
            return None
    return None


def _mapping_value(f: _Failure) -> Diagnosis | None:
    """A ': ' where no key can start: inside a text, after a key indented further than a key
    that has a text, or in the line after a key that has no colon."""
    if not f.problem.startswith("mapping values are not allowed") or f.mark is None:
        return None
    replay, number = f.replay, f.line_number
    last = replay.last
    if not isinstance(last, ScalarEvent) or last.style:
        return None
    path = replay.last_path
    own = f.line(number)
    indent = f.indent(number)
    before = own[indent : f.mark.column].strip()
    entry = replay.entry(path) if path and isinstance(path[-1], str) else None
    start = last.start_mark.line + 1
    first = f.line(start)[last.start_mark.column :]
    if not path or isinstance(path[-1], int):
        # A list item's text (`- id laskutus`) that ran on to a key of the next line.
        return _keyless(f, start, first, path) if start < number else None
    if entry is None:
        return None
    deeper = entry.column < indent and _is_key(f, before)
    name = str(path[-1])
    if start == number:
        head = _WORD.match(name)
        if head and _is_key(f, head.group()) and re.fullmatch(r"\S+ +[\[{\"'].*", name):
            # `name {fi: …}` without its colon: the parser read `name {fi` as the key.
            return number, (*path[:-1], head.group()), _missing_colon(head.group())
        joined = re.search(r"\s([a-z]{2})\s*$", own[: f.mark.column])
        if joined and {name, joined.group(1)} <= set(SUPPORTED_LANGUAGES):  # `fi: … sv: …`
            key = joined.group(1)
            message = (
                f"`{key}:` is on the line of `{name}:`: put `{key}:` on a line of its own, as far "
                f"in as `{name}:`"
            )
            return number, path, message
        return number, path, _colon_in_text(name, own[: f.mark.column], first)
    if start > entry.line:
        # The text starts on a line of its own under its key: that line has no key.
        return _keyless(f, start, first, path)
    top = replay.stack[-1] if replay.stack and replay.stack[-1].mapping else None
    lang = _under_indented_language(f, top, number, indent, before)
    if lang is not None:
        return lang
    if deeper:
        found = _not_under_empty_key(f, top, entry, before)
        return found or (number, path, _deeper(f, before, entry, indent))
    return number, path, _colon_in_text(name, own[: f.mark.column], first)


_NO_KEY = "this line has no key (`key:`): write the key before its text, or check its indentation"


def _not_under_empty_key(
    f: _Failure, top: _Block | None, above: _Entry, key: str
) -> Diagnosis | None:
    """The key `above` (`fi:`) at the indentation of the key right before it, which has no
    value (`data_subjects:`), and `key` (`sv:`) under it: `above` was meant under that key."""
    if top is None or len(top.keys) < 2 or top.keys[-1] != above.path[-1]:
        return None
    empty = f.replay.entry((*top.path, top.keys[-2]))
    if empty is None or empty.container is not False or empty.column != above.column:
        return None
    between = [f.line(n).strip() for n in range(empty.line + 1, above.line)]
    after_colon = f.line(empty.line)[empty.column :].partition(":")[2].strip()
    if after_colon or any(text and not text.startswith("#") for text in between):
        return None
    name, parent = above.path[-1], empty.path[-1]
    message = (
        f"`{name}:` is not indented under `{parent}:` above it, which has no value of its own: "
        f"indent `{name}:` as far as `{key}:` below it"
    )
    return above.line, empty.path, message


def _is_key(f: _Failure, word: str) -> bool:
    return _WORD.fullmatch(word) is not None and word in f.keys


def _deeper(f: _Failure, key: str, above: _Entry, indent: int) -> str:
    """Say that `key` is indented further than the key `above` it, which has its value.

    When a block of keys stands at `key`'s indentation just before `above`, `above` may as well
    be the key indented too little (the last of a list item's keys): both fixes are named.
    """
    name = above.path[-1]
    message = (
        f"`{key}:` is indented more than `{name}:` on line {above.line}, as if it belonged under "
        f"it, but `{name}:` already has its value: "
    )
    top = f.replay.stack[-1] if f.replay.stack else None
    before = [b for b in (top.closed_before_key if top and top.mapping else []) if b.mapping]
    texts = set(SUPPORTED_LANGUAGES)
    if before and before[-1].column == indent and not set(before[-1].keys) <= texts:
        return message + (
            f"indent `{name}:` as far as the keys above it ({_spaces(indent)}), or `{key}:` as "
            f"far as `{name}:`"
        )
    return message + f"indent `{key}:` as far as `{name}:`"


def _colon_in_text(name: str, before: str, text: str) -> str:
    word = re.search(r"(\S+)\s*$", before)
    after = f" (after `{word.group(1)}`)" if word else ""
    quotes = '("…")' if "'" in text else "('…')"
    return (
        f"the text of `{name}:` has ': ' in it{after}, which YAML reads as the start of a key: "
        f"put the whole text in quotes {quotes}"
    )


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _under_indented_language(
    f: _Failure, top: _Block | None, number: int, indent: int, next_key: str
) -> Diagnosis | None:
    """A language key (`sv:`) indented less than the one above it (`fi:`) and the one after it:
    the parser ran its text on into the next, properly indented line, whose ': ' it stopped at.

    That is told for sure only for a text's language keys: with other keys the next line may as
    well be the one indented too far.
    """
    if top is None or top.last_key is None:
        return None
    name, line, column = top.last_key
    own = f.line(number)
    if not (
        line < number
        and f.line(line)[:column].strip() == ""
        and column < indent
        and not own[indent:].startswith(("\t", "-", "#"))
    ):
        return None
    siblings = [block for block in top.closed_before_key if block.column == indent]
    sibling = siblings[-1] if siblings else None
    if sibling is None or sibling.last_key is None:
        return None
    above = sibling.last_key[0]
    if not {name, next_key, above} <= set(SUPPORTED_LANGUAGES):
        return None
    message = (
        f"`{name}:` is indented {_spaces(column)}, less than `{above}:` above it ({indent}); "
        f"indent it as far as `{above}:`"
    )
    return line, sibling.path, message


def _block(f: _Failure) -> Diagnosis | None:
    """A line the parser could not fit into the block of keys or '-' items around it."""
    if "block" not in f.context or f.mark is None:
        return None
    replay, number, column = f.replay, f.line_number, f.mark.column
    own = f.line(number)
    last, closed = replay.last, replay.closed
    if isinstance(last, ScalarEvent) and last.style in ("|", ">"):
        found = _block_text(f, last, number)
        if found is not None:
            return found
    if (
        closed is not None
        and closed.flow
        and closed.line == number
        and last.end_mark.line + 1 == number
    ):
        extra = own[column : column + 1]
        if extra in ("]", "}") and not own[last.end_mark.column : column].strip():
            opening = own[closed.column]
            message = (
                f"one '{extra}' too many: the '{opening}' is closed before it; remove the extra "
                f"'{extra}'"
            )
            return number, closed.path, message
        # `fi: [Valvira](https://valvira.fi) …`: a text that starts with '[' is a list to YAML.
        return number, closed.path, _reserved(own, closed.column)
    if isinstance(last, AliasEvent) and last.start_mark.line + 1 == number:
        return number, replay.last_path, _reserved(own, last.start_mark.column)
    rest = own[column:]
    if re.match(r"-( |$)", rest):
        return _dash(f, number, column)
    glued = re.match(r"-([A-Za-z_][\w-]*:?)", rest)
    lists = [b for b in replay.lists if b.column == column and b.item_line < number]
    if glued and lists:  # `-id: …`: a key `-id`, where the list's next item was meant
        message = f"the '-' of a list item needs a space after it: write `- {glued.group(1)}`"
        return number, lists[-1].path, message
    key = re.match(r"([^\s:#'\"][^:#]*?):( |$)", rest)
    if key is None or column != f.indent(number):
        return None
    top = replay.stack[-1] if replay.stack else None
    if top is not None and not top.mapping and not top.flow and top.column == column:
        # A key of a list item at the indentation of the list's '-'.
        item = next((b for b in reversed(top.closed) if b.mapping and b.last_key), None)
        if item is not None and item.column > column:
            first = next(e for e in replay.entries if e.path == (*item.path, item.keys[0]))
            message = (
                f"`{key.group(1)}:` is indented as far as the '-' of the items of "
                f"`{_key(top.path)}`, where only a '- ' item can start: indent it as far as "
                f"`{item.keys[0]}:` on line {first.line}"
            )
            return number, item.path, message
    # A key under one whose value, quoted or in brackets, ended on its line.
    if isinstance(last, ScalarEvent) and last.style:
        path = replay.last_path
    elif closed is not None and closed.flow:
        path = closed.path
    else:
        path = ()
    above = replay.entry(path) if path and isinstance(path[-1], str) else None
    if above is not None and above.column < column and _is_key(f, key.group(1)):
        texts = set(SUPPORTED_LANGUAGES)
        if closed is not None and closed.mapping and {key.group(1), *closed.keys} <= texts:
            name = path[-1]
            message = (
                f"`{key.group(1)}:` is indented under `{name}:`, whose texts are written in "
                f"'{{…}}' on its line: add `{key.group(1)}: …` inside the '{{…}}', or write each "
                f"language on a line of its own under `{name}:`"
            )
            return number, path, message
        top = replay.stack[-1] if replay.stack and replay.stack[-1].mapping else None
        found = _not_under_empty_key(f, top, above, key.group(1))
        return found or (number, path, _deeper(f, key.group(1), above, column))
    return _key_level(f, number, key.group(1))


def _block_text(f: _Failure, last: ScalarEvent, number: int) -> Diagnosis | None:
    """A line of a `>-` or `|` text indented less than the text's first line, which sets how
    far the text is indented: the text ended above it, and the line is no key."""
    path = f.replay.last_path
    entry = f.replay.entry(path) if path and isinstance(path[-1], str) else None
    first = last.start_mark.line + 2
    while first < number and not f.line(first).strip():
        first += 1
    if entry is None or first >= number:
        return None
    own, theirs = f.indent(number), f.indent(first)
    key = re.match(r"([A-Za-z_][\w-]*):( |$)", f.line(number)[own:])
    if not entry.column < own < theirs or (key and _is_key(f, key.group(1))):
        return None  # a key out of line after the text is told as such
    name = path[-1]
    message = (
        f"this line is indented less than the first line of the text of `{name}:` (line {first}, "
        f"{_spaces(theirs)}), which sets the text's indentation: indent all its lines equally"
    )
    return number, path, message


def _dash(f: _Failure, number: int, column: int) -> Diagnosis | None:
    """A '-' item among keys (a stray '-'), or indented otherwise than its list's items."""
    replay = f.replay
    own = f.line(number)
    item = re.match(r"-\s+([A-Za-z_][\w-]*):( |$)", own[column:])
    item_key = item.group(1) if item else None
    mapping = next(
        (b for b in reversed(replay.stack) if b.mapping and not b.flow and b.column == column),
        None,
    )
    if mapping is not None and (item_key is None or item_key not in mapping.keys):
        if mapping.last_key is None:
            return None
        sibling, line, _ = mapping.last_key
        message = (
            f"a '-' list item among keys (`{sibling}:` on line {line} is at the same "
            "indentation): remove the '-'"
        )
        return number, mapping.path, message
    lists = [b for b in replay.lists if b.column != column and b.item_line < number]
    if item_key is not None and any(item_key in b.item_keys for b in lists):
        lists = [b for b in lists if item_key in b.item_keys]
    elif mapping is not None:  # a key the mapping has: a new item, but of which list?
        lists = [b for b in lists if b.path == mapping.path[:-1]]
    if not lists:
        return None
    found = max(lists, key=lambda b: b.item_line)
    if not found.path:
        return None
    message = (
        f"this '-' item is indented {_spaces(column)}, but the items of `{_key(found.path)}` "
        f"above it are indented {found.column} (line {found.item_line}): line it up with them"
    )
    return number, found.path, message


def _key_level(f: _Failure, number: int, key: str) -> Diagnosis | None:
    """A key indented so that it lines up with no key or '-' item above it."""
    levels = _indent_levels(f.lines, number)
    if levels is None:
        return None
    own, above = levels
    listed = [f"{indent} ({label} on line {line})" for indent, line, label in above]
    choices = listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} or {listed[-1]}"
    message = (
        f"`{key}:` is indented {_spaces(own)}, but the keys and '-' items above it are indented "
        f"{choices}: line it up with the one it belongs beside"
    )
    return number, f.enclosing(number, own), message


_BLOCK_LINE = re.compile(r"( *)(- +|-$)?([^\s:#][^:#]*?:(?: |$))?")
"""A line's indentation, its '-' (a list item's), if any, and its key, if any."""


def _indent_levels(lines: list[str], line: int) -> tuple[int, list[tuple[int, int, str]]] | None:
    """Return the indentation of line `line` and, going up from it, each level of the keys or
    '-' items it may belong to: its indentation, the nearest line at it and what stands there
    (`` `key:` `` or '-'); None when the line lines up with one of them (its indentation is
    then not what is wrong) or is no key line.

    A list item's key starts after its "- ", so "  - a: 1" opens a level at 2 and one at 4.
    """
    if not 0 < line <= len(lines):
        return None
    own = len(lines[line - 1]) - len(lines[line - 1].lstrip(" "))
    levels: list[tuple[int, int, str]] = []
    for number in range(line - 1, 0, -1):
        content = lines[number - 1]
        stripped = content.strip()
        if not stripped or stripped.startswith("#"):
            continue
        spaces, dash, key = _BLOCK_LINE.match(content).groups()  # it matches every line
        if dash is None and key is None:
            continue  # a line of a text, not a key or an item
        indent = len(spaces)
        found = [(indent, "'-'")]
        if dash and key:
            found = [(indent + len(dash), f"`{key.strip()}`"), *found]
        elif key:
            found = [(indent, f"`{key.strip()}`")]
        for level, label in found:
            if not levels or level < levels[-1][0]:
                levels.append((level, number, label))
    if not levels or any(indent == own for indent, _, _ in levels):
        return None
    return own, levels


def _key(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)


def _unclosed_bracket(text: str, end: int) -> tuple[str, int] | None:
    """Return the innermost '[' or '{' left open before offset `end`, and its line; quotes and
    comments skipped. An approximation of YAML's scanner, good enough to point at a bracket.

    A quote opened inside brackets and still open at the end of its line is returned instead
    (as the quote and its line): it swallowed the closing bracket and pairs with a later quote.
    """
    stack: list[tuple[str, int]] = []
    line, quote, comment, previous = 1, "", False, "\n"
    quote_line = 0
    for char in text[:end]:
        if char == "\n":
            if quote and stack and quote_line == line:
                return quote, quote_line
            line, comment = line + 1, False
        elif comment:
            pass
        elif quote:
            if char == quote:
                quote = ""
        elif char in _QUOTES and (previous in " \t\n[{,:"):
            quote, quote_line = char, line
        elif char == "#" and previous in " \t\n":
            comment = True
        elif char in _CLOSERS:
            stack.append((char, line))
        elif stack and char == _CLOSERS[stack[-1][0]]:
            stack.pop()
        previous = char
    return stack[-1] if stack else None


def _offset(text: str, mark: yaml.Mark) -> int:
    """Return the character offset of `mark` (libyaml's `index` counts bytes, not characters)."""
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[: mark.line]) + mark.column


def _hint(f: _Failure) -> str:
    """Return a plain-language hint for a YAML error no rule recognised, or ""."""
    exc = f.exc
    opened = exc.context_mark.line + 1 if exc.context_mark else None
    if "block" in f.context and opened:
        return (
            "check this line's indentation: it does not line up with the keys or '-' items "
            f"of the block that starts on line {opened}"
        )
    if f.problem.startswith("mapping values are not allowed"):
        return (
            "a ': ' inside a value, or a line indented too far: put the value in quotes "
            "or check the indentation"
        )
    return ""


_RULES: list[Callable[[_Failure], Diagnosis | None]] = [
    _tab,
    _second_document,
    _quote,
    _after_quoted,
    _flow,
    _block_scalar_header,
    _reserved_start,
    _no_colon,
    _mapping_value,
    _block,
]
"""The mistakes told, most certain first; the first that recognises the error tells it."""
