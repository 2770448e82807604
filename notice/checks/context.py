"""What every rule sees: the content, "today", and facts derived from the site once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from notice.checks import lexicon
from notice.checks.walk import TextItem, iter_texts, localized, sentence_predicate, sentences
from notice.loader import Content
from notice.model import AnalyticsService, CookieCategory, LegalBasis, Register, Site

GOOGLE_SERVICES = {AnalyticsService.google_analytics_4, AnalyticsService.universal_analytics}


@dataclass(frozen=True)
class Context:
    """The content under check and the date the check treats as today."""

    content: Content
    today: dt.date
    _texts: dict[str, tuple[TextItem, ...]] = field(default_factory=dict, repr=False)
    _localized: dict[str, tuple[TextItem, ...]] = field(default_factory=dict, repr=False)
    _fields: dict[str, dict[str, tuple[TextItem, ...]]] = field(default_factory=dict, repr=False)
    _owners_of: dict[frozenset[str] | None, dict[tuple[str | None, str], set[str]]] = field(
        default_factory=dict, repr=False
    )
    _by_section: dict[str, dict[tuple[str | None, str], set[str]]] = field(
        default_factory=dict, repr=False
    )
    _sentences_of: dict[frozenset[str] | None, dict[tuple[str | None, str], set[str]]] = field(
        default_factory=dict, repr=False
    )
    _with: dict[tuple[Callable[..., object], bool, frozenset[str] | None], frozenset[str]] = field(
        default_factory=dict, repr=False
    )

    def owners(self) -> tuple[str, ...]:
        """Return `"site"` and the register ids, in content order."""
        return ("site", *(register.id for register in self.content.registers))

    def texts(self, owner: str) -> tuple[TextItem, ...]:
        """Return every text of the site or a register, plain strings included (walked once)."""
        if owner not in self._texts:
            model = self.site if owner == "site" else self.content.register(owner)
            self._texts[owner] = tuple(iter_texts(model))
        return self._texts[owner]

    def localized_texts(self, owner: str) -> tuple[TextItem, ...]:
        """Return the language versions of the localized texts of the site or a register."""
        # Most rules ask for these, once per register each: filter the walk once.
        if owner not in self._localized:
            texts = self.texts(owner)
            self._localized[owner] = tuple(item for item in texts if item.language is not None)
        return self._localized[owner]

    def localized_in(self, owner: str, name: str) -> tuple[TextItem, ...]:
        """Return the localized texts under one top-level field of the site or a register.

        The same as `localized(model.<name>, (name,))`, taken from the walk already made.
        """
        fields = self._fields.get(owner)
        if fields is None:
            grouped: dict[str, list[TextItem]] = {}
            for item in self.localized_texts(owner):
                grouped.setdefault(str(item.key_path[0]), []).append(item)
            fields = self._fields[owner] = {key: tuple(items) for key, items in grouped.items()}
        return fields.get(name, ())

    def owners_with(
        self,
        test: Callable[[str | None, str], object],
        *,
        plain: bool = False,
        sections: frozenset[str] | None = None,
    ) -> frozenset[str]:
        """Return the owners with a localized text (with `plain`, any text) that `test` passes.

        `test(language, text)` must be pure; it is asked once per distinct text of the whole
        content (a plain string's language is None), or with `sections` of the texts under those
        top-level keys only. Registers share most of their texts, so a rule that finds something
        only in texts passing `test` can skip, at once, every owner outside this set instead of
        asking of its texts one by one.
        """
        key = (test, plain, sections)
        found = self._with.get(key)
        if found is None:
            chosen: set[str] = set()
            predicate = sentence_predicate(test)
            if predicate is not None:
                # A text passes when one of its sentences does: ask each distinct sentence once.
                for (language, sentence), owners in self._sentence_owners(sections).items():
                    if (plain or language is not None) and predicate(language, sentence):
                        chosen.update(owners)
            else:
                for (language, text), owners in self._text_owners(sections).items():
                    if (plain or language is not None) and test(language, text):
                        chosen.update(owners)
            found = self._with[key] = frozenset(chosen)
        return found

    def _sentence_owners(
        self, sections: frozenset[str] | None
    ) -> dict[tuple[str | None, str], set[str]]:
        """Return which owners have each distinct (language, sentence) of `walk.sentences`."""
        owners_of = self._sentences_of.get(sections)
        if owners_of is None:
            owners_of = self._sentences_of[sections] = {}
            for (language, text), owners in self._text_owners(sections).items():
                for sentence in sentences(text):
                    pair = (language, sentence)
                    found = owners_of.get(pair)
                    if found is None:
                        owners_of[pair] = set(owners)
                    else:
                        found.update(owners)
        return owners_of

    def _text_owners(
        self, sections: frozenset[str] | None
    ) -> dict[tuple[str | None, str], set[str]]:
        """Return which owners have each distinct (language, text), in `sections` if given."""
        owners_of = self._owners_of.get(sections)
        if owners_of is None:
            by_section = self._owners_by_section()
            chosen = by_section.keys() if sections is None else sections & by_section.keys()
            if len(chosen) == 1:  # one section's texts: as they are (no caller changes them)
                (only,) = chosen
                self._owners_of[sections] = by_section[only]
                return by_section[only]
            owners_of = {}
            for section in chosen:
                for pair, owners in by_section[section].items():
                    found = owners_of.get(pair)
                    if found is None:
                        owners_of[pair] = set(owners)
                    else:
                        found |= owners
            self._owners_of[sections] = owners_of
        return owners_of

    def _owners_by_section(self) -> dict[str, dict[tuple[str | None, str], set[str]]]:
        """Return `_text_owners` of each top-level key alone, from one walk over every owner's
        texts: rules ask for several sets of sections, which are then put together from these
        instead of each walking all the texts again."""
        found = self._by_section
        if not found:
            for owner in self.owners():
                for item in self.texts(owner):
                    section = found.get(item.key_path[0])
                    if section is None:
                        section = found[item.key_path[0]] = {}
                    pair = (item.language, item.text)
                    owners = section.get(pair)
                    if owners is None:
                        section[pair] = {owner}
                    else:
                        owners.add(owner)
        return found

    @property
    def site(self) -> Site:
        """Return the site."""
        return self.content.site

    @property
    def languages(self) -> list[str]:
        """Return the site's languages as plain strings."""
        return [lang.value for lang in self.site.languages]

    def uses_google_analytics(self) -> bool:
        """Return whether the site runs Google Analytics (analytics block or `_ga` cookies)."""
        analytics = self.site.analytics
        if analytics is not None and analytics.service in GOOGLE_SERVICES:
            return True
        return any(cookie.name.startswith("_ga") for cookie in self.site.cookies)

    def uses_consent_cookies(self) -> bool:
        """Return whether the site uses anything that needs consent (917/2014 §205)."""
        if self.site.analytics is not None:
            return True
        return any(c.category != CookieCategory.necessary for c in self.site.cookies)

    def site_texts(self) -> Iterator[TextItem]:
        """Yield the site's cookie and analytics texts, which website registers include."""
        site = self.site
        yield from localized(site.cookie_intro, ("cookie_intro",))
        yield from localized(site.cookies, ("cookies",))
        yield from localized(site.analytics, ("analytics",))
        yield from localized(site.consent, ("consent",))


def bases(register: Register) -> set[LegalBasis]:
    """Return the legal bases the register's purposes name."""
    return register.bases


def has_marketing_purpose(register: Register) -> bool:
    """Return whether any purpose is (direct) marketing, which makes Art 21(2) objection apply.

    A format-2 register says so in `purposes[].direct_marketing`; a format-1 register only in the
    words of its purposes ("newsletter", "suoramarkkinointi", "nyhetsbrev").
    """
    if register.direct_marketing or register.structured:
        return register.direct_marketing
    return any(
        lexicon.has("marketing", item.language, item.text)
        for item in localized(register.purposes, ("purposes",))
        if item.key_path[2] == "description"
    )


def empty_languages(text: dict[str, str] | None, languages: list[str]) -> list[str]:
    """Return the languages in which a localized text is missing or blank."""
    if text is None:
        return list(languages)
    return [lang for lang in languages if not (text.get(lang) or "").strip()]
