"""Text rules: placeholders, raw HTML, duplicates, hedging, typos and languages that disagree."""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Iterator

from notice.checks import lexicon
from notice.checks.context import Context
from notice.checks.cookies import cookie_names_in
from notice.checks.findings import UI_LANGUAGES, Hit, listed
from notice.checks.memo import per_run
from notice.checks.walk import TextItem, host_of, list_items, paragraphs, sentences
from notice.loader import format_key
from notice.model import find_raw_html


def _all_texts(ctx: Context, owners: frozenset[str]) -> Iterator[tuple[str, TextItem]]:
    """Yield every text of the site and the registers among `owners` with its owner, in order.

    Plain strings are included. A rule passes the owners `Context.owners_with` its test found
    something in: the others' texts would all pass the rule by.
    """
    for owner in ctx.owners():
        if owner in owners:
            for item in ctx.texts(owner):  # one generator, not one per owner inside it
                yield owner, item


def _languages(codes: list[str]) -> dict[str, str]:
    """Return language codes as a list to read in each interface language: `fi, sv and en`."""
    return {ui: listed(codes, ui) for ui in UI_LANGUAGES}


def placeholder(ctx: Context) -> Iterator[Hit]:
    """Find placeholders left in: TODO, XXX, lorem, "(s-postiosoite)", "[name]", "muuta?".

    One finding per field, naming the languages it is left in: a fresh `notice new` file has a
    TODO in each language of each field, and a newcomer fills a field, not a language.
    """
    fields: dict[tuple[str, tuple[object, ...]], list[tuple[TextItem, str]]] = {}
    for owner, item in _all_texts(ctx, ctx.owners_with(_placeholder_in, plain=True)):
        found = _placeholder_in(item.language, item.text)
        if found:
            localized = item.language is not None and item.key_path[-1:] == (item.language,)
            field = item.key_path[:-1] if localized else item.key_path
            fields.setdefault((owner, field), []).append((item, found))
    for (owner, field), hits in fields.items():
        # The same placeholder in several languages is named once: "TODO" (fi, sv and en).
        by_text: dict[str, list[str]] = {}
        for item, found in hits:
            by_text.setdefault(found, []).append(item.language or "")
        quoted = {
            ui: ", ".join(
                f'"{found}" ({_languages(codes)[ui]})' if any(codes) else f'"{found}"'
                for found, codes in by_text.items()
            )
            for ui in UI_LANGUAGES
        }
        # One language: its own line; several: the field's key, where the languages start.
        key_path = hits[0][0].key_path if len(hits) == 1 else field
        yield Hit(key_path, None, {"key": format_key(field), "found": quoted}, owner=owner)


@per_run
def _placeholder_in(language: str | None, text: str) -> str | None:
    """Return the placeholder a text holds, or None (asked once per text: registers share most)."""
    found = lexicon.find("placeholder", language, text)
    if found is None and "?" in text:  # `plain` and the split add no "?" to the text's own
        # A short list item ending in "?" is an author's open question, not content.
        found = next(
            (i for i in list_items(text) if i.endswith("?") and len(i.split()) <= 3),
            None,
        )
    return found


def raw_html(ctx: Context) -> Iterator[Hit]:
    """Find raw HTML in texts, which must be Markdown."""
    for owner, item in _all_texts(ctx, ctx.owners_with(_raw_html_in, plain=True)):
        tag = _raw_html_in(item.language, item.text)
        if tag:
            yield Hit(item.key_path, item.language, {"tag": tag}, owner=owner)


@per_run
def _raw_html_in(language: str | None, text: str) -> str | None:
    """Return the first raw HTML tag of a text, or None (asked once per text)."""
    return find_raw_html(text)


_MIN_TOKENS = 8
_SIMILAR = 0.85


_WORD = re.compile(r"\w+")


@per_run
def _tokens(paragraph: str) -> tuple[str, ...]:
    """Return a paragraph's words, in lower case."""
    return tuple(_WORD.findall(paragraph.lower()))


def _similar(paragraph: str, other: str) -> bool:
    """Whether two paragraphs' words are at least `_SIMILAR` alike (difflib's ratio)."""
    # Not remembered per pair itself: paragraphs of own texts make hundreds of thousands of
    # pairs, each asked about once, and the bounds below cost less than remembering them.
    tokens, other_tokens = _tokens(paragraph), _tokens(other)
    total = len(tokens) + len(other_tokens)
    # Shared words bound difflib's ratio from above, and the shorter text bounds the shared words:
    # both cost little next to the ratio itself.
    if 2 * min(len(tokens), len(other_tokens)) / total < _SIMILAR:
        return False
    # A word both have is shared at most as often as either has it: distinct shared words plus
    # the fewer repeats bound the shared words from above, in one set intersection.
    (words, repeats), (other_words, other_repeats) = _word_set(paragraph), _word_set(other)
    if 2 * (len(words & other_words) + min(repeats, other_repeats)) / total < _SIMILAR:
        return False
    return _alike(paragraph, other)


@per_run
def _alike(paragraph: str, other: str) -> bool:
    """`_similar` past its first two bounds: the shared words, then difflib's ratio."""
    tokens, other_tokens = _tokens(paragraph), _tokens(other)
    total = len(tokens) + len(other_tokens)
    bag, other_bag = _bag(paragraph), _bag(other)
    shared = sum(min(count, other_bag[word]) for word, count in bag.items() if word in other_bag)
    if 2 * shared / total < _SIMILAR:
        return False
    matcher = difflib.SequenceMatcher(None, tokens, other_tokens, autojunk=False)
    return matcher.ratio() >= _SIMILAR


@per_run
def _word_set(paragraph: str) -> tuple[frozenset[str], int]:
    """Return a paragraph's distinct words and how many of its words repeat an earlier one."""
    tokens = _tokens(paragraph)
    words = frozenset(tokens)
    return words, len(tokens) - len(words)


@per_run
def _bag(paragraph: str) -> Counter[str]:
    return Counter(_tokens(paragraph))


def near_duplicate(ctx: Context) -> Iterator[Hit]:
    """Find paragraphs repeated (almost) word for word in another section of the same notice.

    A paragraph is reported against the first earlier paragraph of its language, in another
    section, that is `_similar` to it and not yet reported with it. Registers share most
    paragraphs, so which of the shared paragraphs are alike is worked out once for the whole
    site (`_Neighbours`); only the paragraphs one owner alone has are compared with that owner's
    others.
    """
    owners = ("site", *(register.id for register in ctx.content.registers))
    entries = {owner: _paragraph_entries(ctx, owner) for owner in owners}
    counts: Counter[str] = Counter()
    for owner_entries in entries.values():
        counts.update({entry[1] for entry in owner_entries})
    neighbours = _Neighbours([paragraph for paragraph, count in counts.items() if count > 1])
    for owner in owners:
        yield from _near_duplicates_of(owner, entries[owner], neighbours)


_Entry = tuple[TextItem, str, int, int]
"""A paragraph long enough to compare: its text, the paragraph, its words, its section's number."""


def _paragraph_entries(ctx: Context, owner: str) -> list[_Entry]:
    numbers: dict[tuple[object, ...], int] = {}
    entries: list[_Entry] = []
    for item in ctx.localized_texts(owner):
        if "record" in item.key_path:
            # The record's own words (Art 30) restate the notice's for the records of
            # processing, which the notice never shows: no copy on the page.
            continue
        number = numbers.setdefault(_section(item), len(numbers))
        for paragraph, length in _long_paragraphs(item.text):
            entries.append((item, paragraph, length, number))
    return entries


@per_run
def _long_paragraphs(text: str) -> tuple[tuple[str, int], ...]:
    """Return the paragraphs of a text long enough to compare, with their numbers of words."""
    found = ((paragraph, len(_tokens(paragraph))) for paragraph in paragraphs(text))
    return tuple((paragraph, length) for paragraph, length in found if length >= _MIN_TOKENS)


def _near(length: int, other_length: int) -> bool:
    """What `_similar` checks first, here without its cache's lookup."""
    return 2 * min(length, other_length) / (length + other_length) >= _SIMILAR


class _Neighbours:
    """Which of the paragraphs several owners share each is `_similar` to, asked once each."""

    def __init__(self, shared: list[str]) -> None:
        self.shared = set(shared)
        self._by_length = sorted((len(_tokens(p)), p) for p in shared)
        self._lengths = [length for length, _ in self._by_length]
        self._found: dict[str, tuple[str, ...]] = {}

    def of(self, paragraph: str, length: int) -> tuple[str, ...]:
        """Return the shared paragraphs that `paragraph`, a shared one, is similar to."""
        found = self._found.get(paragraph)
        if found is None:
            # `_near` holds only for 0.74 to 1.35 times the words: look at 0.7 to 1/0.7.
            start = bisect.bisect_left(self._lengths, length * 0.7)
            end = bisect.bisect_right(self._lengths, length / 0.7)
            found = tuple(
                other
                for other_length, other in self._by_length[start:end]
                if _near(length, other_length) and _similar(paragraph, other)
            )
            self._found[paragraph] = found
        return found


class _ByLength:
    """Paragraphs with their first place, by number of words: those of a length at hand."""

    def __init__(self, paragraphs: dict[str, tuple[int, int]]) -> None:
        self._rows = sorted((length, first, p) for p, (first, length) in paragraphs.items())
        self._lengths = [row[0] for row in self._rows]

    def near(self, length: int) -> list[tuple[int, int, str]]:
        """Return (words, first place, paragraph) of those with 0.7 to 1/0.7 times `length`."""
        # `_near` holds only for 0.74 to 1.35 times the words.
        start = bisect.bisect_left(self._lengths, length * 0.7)
        return self._rows[start : bisect.bisect_right(self._lengths, length / 0.7)]


def _near_duplicates_of(
    owner: str, entries: list[_Entry], neighbours: _Neighbours
) -> Iterator[Hit]:
    # Where each paragraph stands (in order) by language; the paragraphs of each language, and
    # those only this owner has, with their first place and number of words.
    positions: dict[tuple[str | None, str], list[int]] = {}
    every: dict[str | None, dict[str, tuple[int, int]]] = {}
    own: dict[str | None, dict[str, tuple[int, int]]] = {}
    shared = neighbours.shared
    for index, (item, paragraph, length, _) in enumerate(entries):
        language = item.language
        at = positions.get((language, paragraph))
        if at is None:
            positions[language, paragraph] = [index]
            every.setdefault(language, {})[paragraph] = (index, length)
            if paragraph not in shared:
                own.setdefault(language, {})[paragraph] = (index, length)
        else:
            at.append(index)
    # Paragraphs of every kind are compared with an owner's own (not shared) ones only: where
    # it has none (registers made from one template), nothing is sorted by length for them.
    every_by_length: dict[str | None, _ByLength] = {}
    own_by_length = {language: _ByLength(found) for language, found in own.items()}
    reported: set[tuple[object, ...]] = set()
    for index, (item, paragraph, length, number) in enumerate(entries):
        language = item.language
        if paragraph in shared:
            candidates = list(neighbours.of(paragraph, length))
            others = own_by_length.get(language)
        else:
            candidates = []
            others = every_by_length.get(language)
            if others is None:
                others = every_by_length[language] = _ByLength(every[language])
        if others is not None:
            # `_similar` written out, the paragraph's words taken once: own texts make hundreds
            # of thousands of pairs, and the two bounds turn down almost all of them.
            words, repeats = _word_set(paragraph)
            for other_length, first, other in others.near(length):
                if first < index and _near(length, other_length):
                    other_words, other_repeats = _word_set(other)
                    shared_bound = len(words & other_words) + min(repeats, other_repeats)
                    if 2 * shared_bound / (length + other_length) >= _SIMILAR and _alike(
                        paragraph, other
                    ):
                        candidates.append(other)
        earlier: list[int] = []
        for other in candidates:
            for position in positions.get((language, other), ()):
                if position >= index:
                    break
                if entries[position][3] != number:
                    earlier.append(position)
        for position in sorted(earlier):
            other_item = entries[position][0]
            pair = (item.key_path, other_item.key_path)
            if pair not in reported:
                reported.add(pair)
                params = {"other": format_key(other_item.key_path)}
                yield Hit(item.key_path, language, params, owner=owner)
                break


def _section(item: TextItem) -> tuple[object, ...]:
    """Return the notice section a text belongs to: a top-level key, or one right's text."""
    grouped = item.key_path[0] in {"rights", "security"} and len(item.key_path) > 2
    return item.key_path[:2] if grouped else item.key_path[:1]


def hedging(ctx: Context) -> Iterator[Hit]:
    """Find hedging qualifiers that make a notice vague (WP260 rev.01)."""
    for owner, item in _all_texts(ctx, ctx.owners_with(_hedges)):
        if item.language is None:
            continue
        words = _hedges(item.language, item.text)
        if words:
            yield Hit(item.key_path, item.language, {"words": ", ".join(words)}, owner=owner)


@per_run
def _hedges(language: str, text: str) -> list[str]:
    """Return the hedging words of a text, leaving out negated ones and permissions.

    "It is not possible to identify you" states a fact, and "a child may use their rights" or
    "you may object" grants a permission: neither makes the notice vague.
    """
    found: dict[str, None] = {}
    for sentence in sentences(text):
        found.update(dict.fromkeys(_sentence_hedges(language, sentence)))
    return list(found)


@per_run
def _sentence_hedges(language: str, sentence: str) -> tuple[str, ...]:
    """Return the hedging words of one sentence, in order (texts share most sentences)."""
    found: list[str] = []
    for match in lexicon.pattern("hedging", language).finditer(sentence):
        before = sentence[max(0, match.start() - 40) : match.start()]
        if lexicon.has("hedge_negation", language, before):
            continue
        if lexicon.has("purpose_clause", language, before):
            continue
        word = match.group(0).lower()
        if word in {"may", "can"} and lexicon.has("person_subject", language, before):
            continue
        found.append(word)
    return tuple(found)


def typo(ctx: Context) -> Iterator[Hit]:
    """Find misspellings from the project's word list (mostly wrongly split compounds)."""
    for owner, item in _all_texts(ctx, ctx.owners_with(_typo_fixes)):
        if item.language is None:
            continue
        joined = _typo_fixes(item.language, item.text)
        if joined:
            yield Hit(item.key_path, item.language, {"fixes": joined}, owner=owner)


@per_run
def _typo_fixes(language: str, text: str) -> str:
    """Return the fixes of a text's misspellings joined in text order ("" when there are none)."""
    if not lexicon.any_typo(language).search(text):
        return ""  # most texts: one search instead of one per entry
    taken: list[range] = []
    fixes: list[tuple[int, str]] = []
    for entry in lexicon.typos(language):
        for match in entry.pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue  # a longer entry already covers this spot
            taken.append(range(match.start(), match.end()))
            word = match.group(0)
            fixed = entry.right + word[len(_collapse(word, entry.wrong)) :]
            if word[:1].isupper():
                fixed = fixed[:1].upper() + fixed[1:]
            fixes.append((match.start(), f"{' '.join(word.split())} → {fixed}"))
    return "; ".join(fix for _, fix in sorted(fixes))


def _collapse(word: str, stem: str) -> str:
    """Return the part of `word` that matched `stem` (the stem may span collapsed whitespace)."""
    parts = stem.split()
    match = re.match(r"\s+".join(re.escape(p) for p in parts), word, re.I)
    return match.group(0) if match else stem


_URL = re.compile(r"https?://[^\s)\]>\"']+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@per_run
def _facts(text: str, cookies: tuple[str, ...]) -> frozenset[str]:
    """Return what must read the same in every language: e-mails, web hosts, cookie names."""
    # A web address starts "http", an e-mail address has "@": most texts have neither.
    hosts = {host_of(url) for url in _URL.findall(text)} if "http" in text else set()
    emails = {email.lower().rstrip(".") for email in _EMAIL.findall(text)} if "@" in text else set()
    return frozenset(
        {h.removeprefix("www.") for h in hosts if h} | emails | cookie_names_in(text, cookies)
    )


def languages_disagree(ctx: Context) -> Iterator[Hit]:
    """Find e-mails, web sites or cookie names that one language's text has and another lacks."""
    cookies = tuple(cookie.name for cookie in ctx.site.cookies)

    def names_facts(language: str | None, text: str) -> bool:
        return bool(_facts(text, cookies))

    for owner, item_group in _localized_groups(ctx, ctx.owners_with(names_facts)):
        facts = {item.language: _facts(item.text, cookies) for item in item_group}
        if not any(facts.values()):
            continue  # most texts name no e-mail, site or cookie in any language
        union = frozenset().union(*facts.values())
        for item in item_group:
            missing = sorted(union - facts[item.language])
            if missing and item.text.strip():
                yield Hit(item.key_path, item.language, {"facts": ", ".join(missing)}, owner=owner)


def _localized_groups(ctx: Context, owners: frozenset[str]) -> Iterator[tuple[str, list[TextItem]]]:
    """Yield each localized text of the owners among `owners` as the list of its versions."""
    # The walk lists a localized text's language versions one after another, and only those
    # have a language: a group is a run of localized items under one key path.
    for owner in ctx.owners():
        if owner not in owners:
            continue
        items: list[TextItem] = []
        parent: tuple[object, ...] | None = None
        for item in ctx.localized_texts(owner):
            key_path = item.key_path[:-1]
            if key_path != parent:
                if len(items) > 1:
                    yield owner, items
                items, parent = [], key_path
            items.append(item)
        if len(items) > 1:
            yield owner, items
