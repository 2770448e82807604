"""The checker's shortcuts for shared texts find exactly what the plain ways find.

- `prefilter.compile`: a lookahead on first characters; same matches, or the pattern as is.
- `Context.owners_with`: a text test asked once per distinct text, owners as if asked of each;
  an `any_sentence` test's predicate asked once per distinct sentence, owners as if asked of
  every sentence of every text.
- `text.near_duplicate`: shared paragraphs compared once per site; findings as the per-owner
  all-pairs comparison (written out here as the reference) gives them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import random
import re
import types
from collections.abc import Iterator

import pytest

from notice.checks import consistency, fairness, lexicon, memo, prefilter, structure, text, walk
from notice.checks import language as morphology
from notice.checks.context import Context
from notice.checks.findings import Hit
from notice.checks.prefilter import prefiltered
from notice.checks.walk import TextItem, any_sentence, iter_texts, paragraphs, sentences
from notice.loader import format_key, load_content
from tests import REPO_ROOT

# Characters whose case folding is special: the long s, the Kelvin sign, dotted and dotless i.
_ODD = ["ſ", "K", "İ", "ı", "ß", "ẞ", "Σ", "ς", "ﬀ", "Ä", "ö"]


def _texts() -> list[str]:
    content = load_content(REPO_ROOT / "content", allow_html=True)
    found: set[str] = set()
    for model in (content.site, *content.registers):
        for item in iter_texts(model):
            found.add(item.text)
            found.update(sentences(item.text))
    rng = random.Random(7)
    base = sorted(found)
    for _ in range(400):
        sample = rng.choice(base)
        at = rng.randrange(len(sample) + 1)
        mixed = sample[:at] + rng.choice(_ODD) + sample[at:]
        found.add(mixed.upper() if rng.random() < 0.3 else mixed)
    return sorted(found)


def _matches(pattern: re.Pattern[str], value: str) -> list[tuple[object, ...]]:
    return [(m.span(), m.group(0), m.lastgroup, m.groups()) for m in pattern.finditer(value)]


def _prefiltered(pattern: re.Pattern[str]) -> bool:
    """Whether `prefilter` put a lookahead (after a word boundary, maybe) before the pattern."""
    return pattern.pattern.startswith(("(?=[", r"\b(?=["))


def _unfiltered(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Return the pattern `prefiltered` started from (its text after the lookahead)."""
    start = pattern.pattern.index("])(?:") + len("])(?:")
    return re.compile(pattern.pattern[start:-1], pattern.flags)


@pytest.mark.parametrize(
    ("source", "flags", "sample", "expected"),
    [
        (r"\b(?:meta|facebook)[- ]pixel", re.I, "Our FACEBOOK pixel and meta-Pixel", 2),
        (r"(?<!\w)(?:Kela|Ksk)\b", re.I, "kela, KSK and \u212aela", 3),
        (r"(?:s{2,}|x)y", re.I, "ſsy xY", 2),
        (r"(?P<a>ab)|(?P<b>[c-e]f)", 0, "ab df Ab", 2),
        (r"\bab|\b(?:cd|\bef)", 0, "ab cab cd ef xef", 3),
    ],
)
def test_a_prefiltered_pattern_finds_the_same_matches(
    source: str, flags: int, sample: str, expected: int
) -> None:
    pattern = re.compile(source, flags)
    for fast in (prefiltered(pattern), prefilter.compile(source, flags)):
        assert _prefiltered(fast)
        assert len(_matches(fast, sample)) == expected
        assert _matches(fast, sample) == _matches(pattern, sample)


@pytest.mark.parametrize(
    "source",
    [r"\w+ing", r"a?b", r"[^a]b", r"(?:x|)y", "", r".z", r"(?i:k)x", r"\d+", r"(?i)kx"],
)
def test_a_pattern_whose_first_characters_are_not_known_is_kept(source: str) -> None:
    pattern = re.compile(source)
    assert prefiltered(pattern) is pattern
    assert prefilter.compile(source).pattern == source


def test_the_checkers_prefiltered_patterns_match_as_before() -> None:
    patterns = [
        lexicon._pattern(concept, language)
        for concept, by_language in lexicon._sources().items()
        for language in by_language
    ]
    patterns += [typo.pattern for lang in ("fi", "sv", "en") for typo in lexicon.typos(lang)]
    patterns.append(structure._tracker_pattern())
    filtered = [p for p in patterns if _prefiltered(p)]
    assert len(filtered) > len(patterns) // 2  # the point: most are sped up
    texts = _texts()
    for pattern in filtered:
        plain = _unfiltered(pattern)
        for value in texts:
            assert _matches(pattern, value) == _matches(plain, value), (pattern.pattern, value)


def test_owners_with_names_the_owners_a_text_by_text_search_names() -> None:
    content = load_content(REPO_ROOT / "tests" / "fixtures" / "small", allow_html=True)
    ctx = Context(content, dt.date(2026, 1, 1))
    owners = ctx.owners()
    assert owners[0] == "site" and len(owners) == len(content.registers) + 1

    def says_data(language: str | None, value: str) -> bool:
        return "data" in value.lower() or "tieto" in value.lower()

    def plain_only(language: str | None, value: str) -> bool:
        return language is None and "@" in value

    for test, plain in ((says_data, False), (plain_only, True), (plain_only, False)):
        expected = {
            owner
            for owner in owners
            for item in ctx.texts(owner)
            if (plain or item.language is not None) and test(item.language, item.text)
        }
        assert ctx.owners_with(test, plain=plain) == expected
    for sections in (frozenset({"purposes"}), frozenset({"rights", "contact"}), frozenset()):
        expected = {
            owner
            for owner in owners
            for item in ctx.localized_texts(owner)
            if item.key_path[0] in sections and says_data(item.language, item.text)
        }
        assert ctx.owners_with(says_data, sections=sections) == expected
    assert ctx.owners_with(says_data, sections=frozenset({"purposes"}))
    assert not ctx.owners_with(says_data, sections=frozenset())
    assert ctx.owners_with(says_data)  # the small site speaks of data
    assert ctx.owners_with(plain_only, plain=True)  # and gives an e-mail address
    assert not ctx.owners_with(plain_only)  # which is a plain string, not a localized text


_SENTENCE_PREDICATES = [
    consistency.is_transfer_statement,
    consistency._conditional_transfer,
    consistency._eu_not_eea_transfer,
    consistency._signed_request,
    consistency._written_certificate,
    fairness._charges,
    fairness._wrong_age,
    fairness._bundles,
]


@pytest.mark.parametrize("folder", ["content", "tests/fixtures/small"])
def test_owners_with_asks_a_sentence_predicate_once_per_distinct_sentence(folder: str) -> None:
    content = load_content(REPO_ROOT / folder, allow_html=True)
    ctx = Context(content, dt.date(2026, 1, 1))

    def says_data(language: str | None, sentence: str) -> bool:
        asked.append((language, sentence))
        return "data" in sentence.lower() or "tieto" in sentence.lower()

    def is_short(language: str | None, sentence: str) -> bool:
        asked.append((language, sentence))
        return len(sentence.split()) <= 4

    with memo.fresh_run():
        for predicate in [says_data, is_short, *_SENTENCE_PREDICATES]:
            for plain, sections in ((False, None), (True, None), (False, frozenset({"rights"}))):
                asked: list[tuple[str | None, str]] = []
                expected = {
                    owner
                    for owner in ctx.owners()
                    for item in ctx.texts(owner)
                    if (plain or item.language is not None)
                    and (sections is None or item.key_path[0] in sections)
                    and any(predicate(item.language, s) for s in sentences(item.text))
                }
                asked.clear()
                found = ctx.owners_with(any_sentence(predicate), plain=plain, sections=sections)
                assert found == expected, (predicate.__name__, plain, sections)
                if predicate in (says_data, is_short):
                    assert len(asked) == len(set(asked))  # each distinct sentence once
        assert ctx.owners_with(any_sentence(says_data))  # the content speaks of data


_LIST_MARKER = re.compile(r"(?:^|\s)[-*•]\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-ZÅÄÖ0-9])")


def _reference_sentences(value: str) -> tuple[str, ...]:
    """`walk.sentences` as it was, splitting every line and item by regular expression."""
    result: list[str] = []
    for line in walk.plain(value).splitlines():
        for item in _LIST_MARKER.split(line):
            result.extend(s.strip() for s in _SENTENCE_END.split(item) if s.strip())
    return tuple(result)


def _reference_mask(value: str) -> str:
    """`language.mask_proper_names` as it was, every pattern substituted."""
    names = (
        morphology._COMPANY,
        morphology._EN_NAME,
        morphology._SV_NAME,
        morphology._FI_SV_NAME,
    )
    for pattern in names:
        value = pattern.sub(lambda match: " " * len(match.group(0)), value)
    return value


def test_the_shortcuts_of_splits_and_masks_change_no_answer() -> None:
    extra = [
        "Kela\n- Verohallinto\n* Digi- ja väestötietovirasto. Muut",
        "No end here\n\n• item one • item two? yes",
        "Tietosuojavaltuutetun toimisto and Statens Institutet för Kommunikationsanalys",
        "<p>Para one.</p><p>Para two - a dash</p>",
        "KANSANELÄKELAITOKSEN tiedot, SEURAKUNTAYHTYMÄSSÄ.",
        "",
    ]
    with memo.fresh_run():
        for value in [*_texts(), *extra]:
            assert walk.sentences(value) == _reference_sentences(value), value
            items = [
                p.strip()
                for line in walk.plain(value).splitlines()
                for p in _LIST_MARKER.split(line)[1:]
                if p.strip()
            ]
            assert walk.list_items(value) == items, value
            words = (walk.plain(part).split() for part in walk._PARAGRAPH_BREAK.split(value))
            assert walk.paragraphs(value) == tuple(" ".join(w) for w in words if w), value
            assert morphology.mask_proper_names(value) == _reference_mask(value), value


def _reference_near_duplicate(ctx: types.SimpleNamespace) -> Iterator[Hit]:
    """The all-pairs comparison near_duplicate replaced, owner by owner, in order."""
    for owner in ("site", *(register.id for register in ctx.content.registers)):
        seen: dict[str | None, list[tuple[int, str, TextItem]]] = {}
        numbers: dict[tuple[object, ...], int] = {}
        reported: set[tuple[object, ...]] = set()
        for item in ctx.localized_texts(owner):
            number = numbers.setdefault(text._section(item), len(numbers))
            earlier = seen.setdefault(item.language, [])
            for paragraph in paragraphs(item.text):
                if len(text._tokens(paragraph)) < text._MIN_TOKENS:
                    continue
                for other_number, other_paragraph, other in earlier:
                    pair = (item.key_path, other.key_path)
                    if (
                        other_number != number
                        and text._similar(paragraph, other_paragraph)
                        and pair not in reported
                    ):
                        reported.add(pair)
                        params = {"other": format_key(other.key_path)}
                        yield Hit(item.key_path, item.language, params, owner=owner)
                        break
                earlier.append((number, paragraph, item))


_WORDS = "we keep the data two years then delete it you may ask us to fix wrong records".split()


def _random_site(rng: random.Random) -> types.SimpleNamespace:
    def paragraph() -> str:
        return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 20)))

    def edited(value: str) -> str:
        words = value.split()
        for _ in range(rng.randint(0, 2)):
            words[rng.randrange(len(words))] = rng.choice(_WORDS)
        return " ".join(words + ([rng.choice(_WORDS)] if rng.random() < 0.3 else []))

    pool = [paragraph() for _ in range(rng.randint(2, 10))]
    pool += [edited(rng.choice(pool)) for _ in range(rng.randint(0, 6))]
    owners: dict[str, tuple[TextItem, ...]] = {}
    for owner in ["site", *(f"r{n}" for n in range(rng.randint(1, 5)))]:
        items = []
        for n in range(rng.randint(0, 10)):
            section = rng.choice(["summary", "purposes", "retention", "rights", "security"])
            key: tuple[str | int, ...] = (section, n)
            if section in {"rights", "security"}:
                key = (section, rng.choice(["access", "erasure"]), "text", n)
            for lang in rng.sample(["fi", "en", "sv"], rng.randint(1, 3)):
                parts = [
                    rng.choice(pool) if rng.random() < 0.8 else paragraph()
                    for _ in range(rng.randint(1, 3))
                ]
                items.append(TextItem((*key, lang), lang, "\n\n".join(parts)))
        owners[owner] = tuple(items)
    registers = [types.SimpleNamespace(id=owner) for owner in owners if owner != "site"]
    return types.SimpleNamespace(
        content=types.SimpleNamespace(registers=registers),
        owners=lambda: tuple(owners),
        localized_texts=owners.__getitem__,
    )


def test_near_duplicate_finds_what_comparing_every_pair_finds() -> None:
    found = 0
    for seed in range(150):
        ctx = _random_site(random.Random(seed))
        with memo.fresh_run():
            expected = list(_reference_near_duplicate(ctx))
        with memo.fresh_run():
            assert list(text.near_duplicate(ctx)) == expected, seed  # type: ignore[arg-type]
        found += len(expected)
    assert found > 500  # the random sites do repeat themselves, often


def test_similar_is_difflibs_ratio_whatever_its_shortcuts() -> None:
    rng = random.Random(3)
    agree = similar = 0
    for _ in range(3000):
        first = " ".join(rng.choice(_WORDS[:8]) for _ in range(rng.randint(8, 16)))
        words = first.split()
        for _ in range(rng.randint(0, 4)):
            words[rng.randrange(len(words))] = rng.choice(_WORDS)
        second = " ".join(words + [rng.choice(_WORDS) for _ in range(rng.randint(0, 3))])
        with memo.fresh_run():
            found = text._similar(first, second)
        tokens, other = text._tokens(first), text._tokens(second)
        ratio = difflib.SequenceMatcher(None, tokens, other, autojunk=False).ratio()
        assert found == (ratio >= text._SIMILAR), (first, second)
        agree += 1
        similar += found
    assert 300 < similar < agree - 300  # both answers are asked for, often


def test_any_typo_finds_a_text_any_typo_entry_finds() -> None:
    for language in ("fi", "sv", "en"):
        entries = lexicon.typos(language)
        for value in _texts() + [typo.wrong for typo in entries]:
            some = any(typo.pattern.search(value) for typo in entries)
            assert bool(lexicon.any_typo(language).search(value)) == some, (language, value)


def test_a_word_boundary_every_match_starts_at_is_said_first() -> None:
    assert prefilter.compile(r"\bab|\b(?:cd|\bef)").pattern.startswith(r"\b(?=[")
    assert prefilter.compile(r"\bab|cd").pattern.startswith("(?=[")  # not every branch has one
