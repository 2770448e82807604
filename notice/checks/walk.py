"""Walk the content models and yield every human-readable text with its key path and language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from functools import cache
from typing import Any, NamedTuple
from urllib.parse import urlparse

from pydantic import BaseModel

from notice.checks.memo import per_run
from notice.loader import KeyPath

# Fields that hold identifiers or URLs, not prose a reader sees as text.
_NOT_PROSE = {"slug", "id", "url", "base_url", "portal_url", "settings_url", "measurement_id"}


class TextItem(NamedTuple):
    """One text value: a language version of a localized text, or a plain string (language None)."""

    key_path: KeyPath
    language: str | None
    text: str


_new = tuple.__new__
"""`_new(TextItem, (key_path, language, text))` makes a TextItem without its Python-level
`__new__`: the walk makes one per text of every register."""


def iter_texts(value: Any, prefix: KeyPath = ()) -> Iterator[TextItem]:
    """Yield every text under `value` (model, list, localized text, string) with its key path."""
    found: list[TextItem] = []
    _walk(value, prefix, found)
    return iter(found)


# Values of these exact types hold no text: the walk passes them by without asking further.
_NO_TEXT: frozenset[type] = frozenset({type(None), bool, int, float, dt.date, dt.datetime})


def _walk(value: Any, prefix: KeyPath, found: list[TextItem]) -> None:
    # Appends to one list rather than nesting generators: the checker walks every register, and
    # a `yield from` per level cost more than the walk itself. Plain strings, dicts and lists
    # (most values) are told by their exact type first; subclasses take the general path.
    kind = type(value)
    if kind in _NO_TEXT:
        return
    if kind is str:
        found.append(_new(TextItem, (prefix, None, value)))
    elif kind is list:
        for index, item in enumerate(value):
            _walk(item, (*prefix, index), found)
    elif kind is dict:
        _walk_dict(value, prefix, found)
    elif isinstance(value, BaseModel):
        fields = _FIELDS.get(kind)
        if fields is None:
            fields = _FIELDS[kind] = _prose_fields(kind)
        for name in fields:
            item = getattr(value, name)
            if item is not None:  # most optional fields are unset
                _walk(item, (*prefix, name), found)
    elif isinstance(value, dict):
        _walk_dict(value, prefix, found)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _walk(item, (*prefix, index), found)
    elif isinstance(value, str) and not isinstance(value, Enum):
        found.append(_new(TextItem, (prefix, None, value)))


def _walk_dict(value: dict[Any, Any], prefix: KeyPath, found: list[TextItem]) -> None:
    for item in value.values():  # a loop, not _is_localized(): asked of every mapping
        if not isinstance(item, str):
            break
    else:
        if value:  # a localized text: its language versions
            for lang, text in value.items():
                key = lang if type(lang) is str else _key(lang)
                found.append(_new(TextItem, ((*prefix, key), key, text)))
            return
    for key, item in value.items():
        _walk(item, (*prefix, _key(key)), found)


_FIELDS: dict[type, tuple[str, ...]] = {}


@cache
def _prose_fields(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name in model.model_fields if name not in _NOT_PROSE)


def localized(value: Any, prefix: KeyPath) -> Iterator[TextItem]:
    """Yield only the language versions of localized texts under `value`."""
    return (item for item in iter_texts(value, prefix) if item.language is not None)


def _key(key: Any) -> str:
    if type(key) is str:
        return key
    return key.value if isinstance(key, Enum) else str(key)


_TAG = re.compile(r"<[^<>]*>")
_BLOCK_TAG = re.compile(r"<\s*/?\s*(p|ul|ol|li|br|div|h\d|tr|td|table)\b[^<>]*>", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-ZÅÄÖ0-9])")
_LIST_MARKER = re.compile(r"(?:^|\s)[-*•]\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|<\s*/?\s*p\b[^<>]*>", re.IGNORECASE)


def plain(text: str) -> str:
    """Return the text without HTML tags, block tags turned into line breaks."""
    if "<" not in text:  # both patterns start with "<": most texts are Markdown without tags
        return text
    return _TAG.sub(" ", _BLOCK_TAG.sub("\n", text))


@per_run
def paragraphs(text: str) -> tuple[str, ...]:
    """Split a text into paragraphs: blank lines and HTML block tags separate them."""
    # Both breaks hold a line break or a tag: a text with neither is one paragraph.
    parts = _PARAGRAPH_BREAK.split(text) if "\n" in text or "<" in text else [text]
    words = (plain(part).split() for part in parts)
    return tuple(" ".join(part) for part in words if part)


@per_run
def sentences(text: str) -> tuple[str, ...]:
    """Split a text into sentences and list items, roughly but language-independently."""
    result: list[str] = []
    for line in plain(text).splitlines():
        # The splits' regular expressions need a list marker's character or a sentence's end:
        # without one, a line or an item is one piece (most lines of Markdown have no marker).
        items = _LIST_MARKER.split(line) if _has_marker(line) else [line]
        for item in items:
            if "." in item or "!" in item or "?" in item:
                result.extend(s.strip() for s in _SENTENCE_END.split(item) if s.strip())
            elif item.strip():
                result.append(item.strip())
    return tuple(result)


def _has_marker(line: str) -> bool:
    """Whether a line has a character a list marker (`_LIST_MARKER`) starts with."""
    return "-" in line or "*" in line or "•" in line


def list_items(text: str) -> list[str]:
    """Return the items of Markdown or dash-separated lists in a text, not the prose around."""
    return list(_list_items(text))


@per_run
def _list_items(text: str) -> tuple[str, ...]:
    items: list[str] = []
    for line in plain(text).splitlines():
        if not _has_marker(line):
            continue  # one piece, no item
        pieces = _LIST_MARKER.split(line)
        items.extend(p.strip() for p in pieces[1:] if p.strip())
    return tuple(items)


def sentence_matches(
    items: Iterable[TextItem], predicate: Callable[[str | None, str], bool]
) -> Iterator[tuple[TextItem, str]]:
    """Yield (text, sentence) for every sentence of the texts that satisfies `predicate`."""
    for item in items:
        for sentence in _matching(predicate, item.language, item.text):
            yield item, sentence


@cache
def any_sentence(
    predicate: Callable[[str | None, str], bool],
) -> Callable[[str | None, str], bool]:
    """Return a test of a whole text: whether a sentence of it satisfies `predicate`.

    For `Context.owners_with`: the same function for the same predicate, so that its answer is
    remembered once per run for every rule that asks.
    """

    def test(language: str | None, text: str) -> bool:
        return bool(_matching(predicate, language, text))

    _SENTENCE_TESTS[test] = predicate
    return test


_SENTENCE_TESTS: dict[Callable[[str | None, str], bool], Callable[[str | None, str], bool]] = {}


def sentence_predicate(
    test: Callable[[str | None, str], object],
) -> Callable[[str | None, str], bool] | None:
    """Return the sentence predicate an `any_sentence` test asks of each sentence, or None.

    `Context.owners_with` asks it once per distinct sentence instead of once per sentence of
    every distinct text: registers that word their texts their own way still share most
    sentences (a text of 500 registers had 179,000 sentences, 26,000 of them distinct).
    """
    return _SENTENCE_TESTS.get(test)  # type: ignore[arg-type]


def matching(
    predicate: Callable[[str | None, str], bool], language: str | None, text: str
) -> tuple[str, ...]:
    """Return the sentences of one text that satisfy `predicate`, in order (remembered per run)."""
    return _matching(predicate, language, text)


@per_run
def _matching(
    predicate: Callable[[str | None, str], bool], language: str | None, text: str
) -> tuple[str, ...]:
    # Registers share most of their texts, and rules ask the same predicate of each copy.
    return tuple(sentence for sentence in sentences(text) if predicate(language, sentence))


def host_of(url: str) -> str:
    """Return the host of a URL, or "" when it has none or cannot be parsed ("http://[")."""
    try:
        return urlparse(url).hostname or ""
    except ValueError:
        return ""


def quote(sentence: str, limit: int = 80) -> str:
    """Shorten a sentence for a message, so that a finding stays one readable line."""
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
