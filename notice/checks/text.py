"""Text rules: placeholders, raw HTML, duplicates, hedging, typos and languages that disagree."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlparse

from notice.checks import lexicon
from notice.checks.context import Context
from notice.checks.cookies import cookie_names_in
from notice.checks.findings import Hit
from notice.checks.walk import TextItem, list_items, paragraphs
from notice.loader import format_key
from notice.model import find_raw_html


def _all_texts(ctx: Context) -> Iterator[tuple[str, TextItem]]:
    """Yield every text of the site and the registers, plain strings included, with its owner."""
    for owner in ("site", *(register.id for register in ctx.content.registers)):
        yield from ((owner, item) for item in ctx.texts(owner))


def placeholder(ctx: Context) -> Iterator[Hit]:
    """Find placeholders left in: TODO, XXX, lorem, "(s-postiosoite)", "[name]", "muuta?"."""
    for owner, item in _all_texts(ctx):
        found = lexicon.find("placeholder", item.language, item.text)
        if found is None:
            # A short list item ending in "?" is an author's open question, not content.
            found = next(
                (i for i in list_items(item.text) if i.endswith("?") and len(i.split()) <= 3),
                None,
            )
        if found:
            yield Hit(item.key_path, item.language, {"text": found}, owner=owner)


def raw_html(ctx: Context) -> Iterator[Hit]:
    """Find raw HTML in texts, which must be Markdown."""
    for owner, item in _all_texts(ctx):
        tag = find_raw_html(item.text)
        if tag:
            yield Hit(item.key_path, item.language, {"tag": tag}, owner=owner)


_MIN_TOKENS = 8
_SIMILAR = 0.85


def _tokens(paragraph: str) -> list[str]:
    return re.findall(r"\w+", paragraph.lower())


def near_duplicate(ctx: Context) -> Iterator[Hit]:
    """Find paragraphs repeated (almost) word for word in another section of the same notice."""
    for owner in ("site", *(register.id for register in ctx.content.registers)):
        seen: list[tuple[TextItem, list[str], Counter[str]]] = []
        reported: set[tuple[object, ...]] = set()
        for item in ctx.localized_texts(owner):
            for paragraph in paragraphs(item.text):
                tokens = _tokens(paragraph)
                if len(tokens) < _MIN_TOKENS:
                    continue
                bag = Counter(tokens)
                for other, other_tokens, other_bag in seen:
                    if other.language != item.language or _section(other) == _section(item):
                        continue
                    # Shared words bound difflib's ratio from above and cost little to count.
                    shared = sum((bag & other_bag).values())
                    if 2 * shared / (len(tokens) + len(other_tokens)) < _SIMILAR:
                        continue
                    matcher = difflib.SequenceMatcher(None, tokens, other_tokens, autojunk=False)
                    pair = (item.key_path, other.key_path)
                    if matcher.ratio() >= _SIMILAR and pair not in reported:
                        reported.add(pair)
                        params = {"other": format_key(other.key_path)}
                        yield Hit(item.key_path, item.language, params, owner=owner)
                        break
                seen.append((item, tokens, bag))


def _section(item: TextItem) -> tuple[object, ...]:
    """Return the notice section a text belongs to: a top-level key, or one right's text."""
    grouped = item.key_path[0] in {"rights", "security"} and len(item.key_path) > 2
    return item.key_path[:2] if grouped else item.key_path[:1]


def hedging(ctx: Context) -> Iterator[Hit]:
    """Find hedging qualifiers that make a notice vague (WP260 rev.01)."""
    for owner, item in _all_texts(ctx):
        if item.language is None:
            continue
        words = lexicon.find_all("hedging", item.language, item.text)
        if words:
            yield Hit(item.key_path, item.language, {"words": ", ".join(words)}, owner=owner)


def typo(ctx: Context) -> Iterator[Hit]:
    """Find misspellings from the project's word list (mostly wrongly split compounds)."""
    for owner, item in _all_texts(ctx):
        if item.language is None:
            continue
        taken: list[range] = []
        fixes: list[tuple[int, str]] = []
        for entry in lexicon.typos(item.language):
            for match in entry.pattern.finditer(item.text):
                if any(match.start() in span for span in taken):
                    continue  # a longer entry already covers this spot
                taken.append(range(match.start(), match.end()))
                word = match.group(0)
                fixed = entry.right + word[len(_collapse(word, entry.wrong)) :]
                if word[:1].isupper():
                    fixed = fixed[:1].upper() + fixed[1:]
                fixes.append((match.start(), f"{' '.join(word.split())} → {fixed}"))
        if fixes:
            joined = "; ".join(fix for _, fix in sorted(fixes))
            yield Hit(item.key_path, item.language, {"fixes": joined}, owner=owner)


def _collapse(word: str, stem: str) -> str:
    """Return the part of `word` that matched `stem` (the stem may span collapsed whitespace)."""
    parts = stem.split()
    match = re.match(r"\s+".join(re.escape(p) for p in parts), word, re.I)
    return match.group(0) if match else stem


_URL = re.compile(r"https?://[^\s)\]>\"']+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _facts(text: str, cookies: list[str]) -> set[str]:
    """Return what must read the same in every language: e-mails, web hosts, cookie names."""
    hosts = {urlparse(url).hostname or "" for url in _URL.findall(text)}
    emails = {email.lower().rstrip(".") for email in _EMAIL.findall(text)}
    return {h.removeprefix("www.") for h in hosts if h} | emails | cookie_names_in(text, cookies)


def languages_disagree(ctx: Context) -> Iterator[Hit]:
    """Find e-mails, web sites or cookie names that one language's text has and another lacks."""
    cookies = [cookie.name for cookie in ctx.site.cookies]
    for owner, item_group in _localized_groups(ctx):
        facts = {item.language: _facts(item.text, cookies) for item in item_group}
        union = set().union(*facts.values())
        for item in item_group:
            missing = sorted(union - facts[item.language])
            if missing and item.text.strip():
                yield Hit(item.key_path, item.language, {"facts": ", ".join(missing)}, owner=owner)


def _localized_groups(ctx: Context) -> Iterator[tuple[str, list[TextItem]]]:
    """Yield each localized text as the list of its language versions."""
    groups: dict[tuple[str, tuple[object, ...]], list[TextItem]] = {}
    for owner, item in _all_texts(ctx):
        if item.language is not None:
            groups.setdefault((owner, item.key_path[:-1]), []).append(item)
    for (owner, _), items in groups.items():
        if len(items) > 1:
            yield owner, items
