"""Hypothesis strategies that build VALID notice content from the model (`notice/model.py`).

`contents()` draws a site and its registers as plain YAML-ready data: every optional field of the
model is sometimes there and sometimes not, in one, two or all three languages (fi, sv, en), with
long lists, long multi-paragraph Markdown, joint controllers, many recipients (third-country ones
with their transfer mechanisms), per-category retention and sources, restrictions, automated
decisions and history. Every drawn content loads with `notice.loader.load_content` (what makes it
valid is kept here: ids that purposes are referred by, a DPO's name or title, the age bounds,
unique slugs per language, no raw HTML).

Each localized text ends in a marker unique to the text and its language (`zq12fi`), so a test
can tell one text from another when it looks for them on a page.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from notice.model import (
    Art9Condition,
    Art22Ground,
    Art49Ground,
    CookieCategory,
    CookieParty,
    LegalBasis,
    MarketingBasis,
    MarketingChannel,
    ProvisionRequirement,
    RecipientRole,
    Right,
    RightExtent,
    SccModule,
    SpecialCategory,
    StorageType,
    TransferMechanism,
)

Data = dict[str, Any]

LANGUAGE_ORDERS: tuple[tuple[str, ...], ...] = (
    ("fi", "sv", "en"),
    ("sv", "fi", "en"),
    ("en", "fi", "sv"),
    ("fi", "en"),
    ("sv", "en"),
    ("en",),
    ("sv",),
)
"""Languages of a drawn site; every one of fi, sv and en comes first in some."""

EEA = ("FI", "SE", "DE", "EE", "NO")
THIRD_COUNTRIES = ("US", "IN", "GB", "JP", "BR", "CH", "CA")

# Words of the three languages and of other scripts the shipped fonts cover; letters that need
# care on paper (ä, ö, å, ß, ł, Greek, Cyrillic) come up often.
WORDS = (
    "henkilötiedot",
    "säilytetään",
    "väestötietojärjestelmä",
    "yhteistyökumppani",
    "työterveyshuolto",
    "personuppgifter",
    "vårdnadshavare",
    "bevaras",
    "förvaltningsdomstol",
    "customer",
    "retention",
    "processor",
    "subscription",
    "Straße",
    "Łódź",
    "Ελλάδα",
    "данные",
    "Kanta-palvelut",
    "1050/2018",
    "§ 34",
    "€",
    "e-mail",
    "24/7",
    "Oy",
    "AB",
    "ry",
)

_words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
# A long text repeats a short draw: hundreds of words for the layout, little for hypothesis to draw.
_long_words = st.builds(
    lambda words, times, tail: " ".join([words] * times + [tail]),
    _words,
    st.integers(min_value=30, max_value=120),
    _words,
)


@st.composite
def _markdown(draw: st.DrawFn, *, long: bool) -> str:
    """A Markdown text: words, sometimes emphasis, a link, several paragraphs or a list."""
    kind = draw(st.sampled_from(["plain", "plain", "emphasis", "link", "paragraphs", "list"]))
    body = draw(_long_words if long else _words)
    if kind == "emphasis":
        return f"{draw(_words)} **{body}** *{draw(_words)}*"
    if kind == "link":
        return f"{body} [{draw(_words)}](https://example.org/ohje)"
    if kind == "paragraphs":
        paragraphs = draw(st.lists(_long_words if long else _words, min_size=2, max_size=4))
        return "\n\n".join([body, *paragraphs])
    if kind == "list":
        items = draw(st.lists(_words, min_size=2, max_size=12 if long else 4))
        return body + "\n\n" + "\n".join(f"- {item}" for item in items)
    return body


def markdown(*, long_chance: bool = True) -> st.SearchStrategy[str]:
    """A Markdown text, now and then a long one (hundreds of words, long paragraphs or lists)."""
    if not long_chance:
        return _markdown(long=False)
    return st.one_of(_markdown(long=False), _markdown(long=False), _markdown(long=True))


def text(languages: tuple[str, ...], *, long_chance: bool = True) -> st.SearchStrategy[Data]:
    """A localized text `{lang: markdown}` with one entry per site language."""
    return st.fixed_dictionaries({lang: markdown(long_chance=long_chance) for lang in languages})


def label(languages: tuple[str, ...]) -> st.SearchStrategy[Data]:
    """A localized name without Markdown (a register's name is also the page's title)."""
    return st.fixed_dictionaries({lang: _words for lang in languages})


def plain(*, max_size: int = 6) -> st.SearchStrategy[str]:
    """A plain (not localized) string such as a name or an address."""
    return st.lists(st.sampled_from(WORDS), min_size=1, max_size=max_size).map(" ".join)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The value or None (then the field is left out)."""
    return st.one_of(st.none(), strategy)


def _drop_none(data: Data) -> Data:
    return {key: value for key, value in data.items() if value is not None}


def _model(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Data]:
    """A mapping of `fields` whose None values are left out (optional fields not given)."""
    return st.fixed_dictionaries(fields).map(_drop_none)


_emails = st.sampled_from(["tietosuoja@example.fi", "dpo@example.se", "privacy@example.com"])
_phones = st.sampled_from(["+358 9 123 4567", "09 123 4000", "+46 8 555 010 00"])
_urls = st.sampled_from(["https://example.fi/", "https://www.example.org/privacy?x=1"])
_dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))


def _contact_fields() -> dict[str, st.SearchStrategy[Any]]:
    return {
        "name": plain(),
        "street_address": maybe(plain(max_size=3)),
        "postal_code": maybe(st.sampled_from(["00100", "FI-20100", "114 55"])),
        "city": maybe(st.sampled_from(["Helsinki", "Åbo", "Oulu", "Stockholm"])),
        "phone": maybe(_phones),
        "email": maybe(_emails),
        "url": maybe(_urls),
    }


def contact() -> st.SearchStrategy[Data]:
    """A `Contact`."""
    return _model(_contact_fields())


def controller(languages: tuple[str, ...]) -> st.SearchStrategy[Data]:
    """A `Controller`: a contact with a business id and sometimes localized names."""
    return _model(
        {
            **_contact_fields(),
            "business_id": maybe(st.sampled_from(["1234567-8", "556677-8899"])),
            "localized_name": maybe(text(languages, long_chance=False)),
        }
    )


def joint_controller(languages: tuple[str, ...]) -> st.SearchStrategy[Data]:
    """A `JointController` (Art 26)."""
    return _model(
        {
            **_contact_fields(),
            "business_id": maybe(st.sampled_from(["2769790-1", "0201256-6"])),
            "localized_name": maybe(text(languages, long_chance=False)),
            "role": text(languages),
            "essence": maybe(text(languages)),
            "contact_point": maybe(st.booleans()),
            "dpo": maybe(officer(languages)),
        }
    )


def dpo(languages: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """`none` or a `Dpo` with a name, a title or both."""
    return st.one_of(st.just("none"), officer(languages))


def officer(languages: tuple[str, ...]) -> st.SearchStrategy[Data]:
    """A `Dpo` with a name, a title or both."""
    named = st.sampled_from([(True, False), (False, True), (True, True)])

    @st.composite
    def build(draw: st.DrawFn) -> Data:
        has_name, has_title = draw(named)
        fields = {key: draw(value) for key, value in _contact_fields().items() if key != "name"}
        if has_name:
            fields["name"] = draw(plain())
        if has_title:
            fields["title"] = draw(text(languages, long_chance=False))
        return _drop_none(fields)

    return build()


def law(languages: tuple[str, ...], *references: str) -> st.SearchStrategy[Any]:
    """A law reference: one string (format 2) or a localized text (format 2.1)."""
    return st.one_of(st.sampled_from(references), label(languages))


def safeguards(languages: tuple[str, ...]) -> st.SearchStrategy[Data]:
    """A `Safeguards`: mechanisms (a derogation with its ground), decision and details."""

    @st.composite
    def build(draw: st.DrawFn) -> Data:
        mechanisms = draw(
            st.lists(st.sampled_from(list(TransferMechanism)), max_size=3, unique=True)
        )
        data: Data = {"mechanisms": [m.value for m in mechanisms]}
        if TransferMechanism.derogation in mechanisms or draw(st.booleans()):
            data["derogation_ground"] = draw(st.sampled_from(list(Art49Ground))).value
        data["decision"] = draw(maybe(law(languages, "(EU) 2023/1795", "C(2021) 3972")))
        data["details"] = draw(maybe(text(languages)))
        if TransferMechanism.sccs in mechanisms:
            data["scc_module"] = draw(maybe(st.sampled_from([m.value for m in SccModule])))
        data["impact_assessment"] = draw(maybe(text(languages)))
        return _drop_none(data)

    return build()


def recipient(languages: tuple[str, ...], purpose_ids: list[str]) -> st.SearchStrategy[Data]:
    """A `Recipient`; one abroad carries its transfer ground."""

    @st.composite
    def build(draw: st.DrawFn) -> Data:
        country = draw(maybe(st.sampled_from(EEA + THIRD_COUNTRIES)))
        role = draw(maybe(st.sampled_from(list(RecipientRole))))
        data: Data = {
            "name": draw(text(languages, long_chance=False)),
            "role": role.value if role else None,
            "purpose": draw(maybe(text(languages))),
            "country": country,
        }
        if purpose_ids:
            data["purposes"] = draw(st.lists(st.sampled_from(purpose_ids), unique=True))
        if country in THIRD_COUNTRIES:
            data["transfer"] = draw(maybe(safeguards(languages)))
        return _drop_none(data)

    return build()


def transfer(languages: tuple[str, ...]) -> st.SearchStrategy[Data]:
    """A `Transfer` not tied to a listed recipient."""
    return st.tuples(safeguards(languages), plain(), st.sampled_from(THIRD_COUNTRIES)).map(
        lambda parts: {**parts[0], "recipient": parts[1], "country": parts[2]}
    )


def source(languages: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """`data_subject` or a named `Source`, publicly accessible or not."""
    named = _model(
        {"name": text(languages, long_chance=False), "publicly_accessible": maybe(st.booleans())}
    )
    return st.one_of(st.just("data_subject"), named)


def data_category(
    languages: tuple[str, ...], category_id: str | None = None
) -> st.SearchStrategy[Data]:
    """A `DataCategory` with what may differ per category: retention, sources, Art 9 and 10."""
    special = _model(
        {
            "category": st.sampled_from([c.value for c in SpecialCategory]),
            "condition": maybe(st.sampled_from([c.value for c in Art9Condition])),
            "national_law": maybe(text(languages, long_chance=False)),
        }
    )
    return _model(
        {
            "id": st.just(category_id),
            "name": text(languages, long_chance=False),
            "retention": maybe(text(languages)),
            "provision": maybe(st.sampled_from([p.value for p in ProvisionRequirement])),
            "provision_consequence": maybe(text(languages)),
            "sources": maybe(st.lists(source(languages), max_size=4)),
            "special": maybe(special),
            "criminal": maybe(_model({"authorisation": maybe(text(languages))})),
        }
    )


def purpose(
    languages: tuple[str, ...], purpose_id: str | None, category_ids: tuple[str, ...] = ()
) -> st.SearchStrategy[Data]:
    """A `Purpose` with one or several legal bases, sometimes naming its data and people."""
    return _model(
        {
            "id": st.just(purpose_id),
            "description": text(languages),
            "legal_bases": st.lists(
                st.sampled_from([b.value for b in LegalBasis]), min_size=1, max_size=3, unique=True
            ),
            "national_law": maybe(text(languages, long_chance=False)),
            "legitimate_interest": maybe(text(languages)),
            "withdrawal": maybe(text(languages)),
            "direct_marketing": maybe(st.booleans()),
            "cookies": maybe(
                st.lists(st.sampled_from([c.value for c in CookieCategory]), unique=True)
            ),
            "data_categories": (
                maybe(st.lists(st.sampled_from(list(category_ids)), unique=True))
                if category_ids
                else st.none()
            ),
            "data_subjects": maybe(text(languages)),
        }
    )


def automated_decision(
    languages: tuple[str, ...], purpose_ids: tuple[str, ...] = ()
) -> st.SearchStrategy[Data]:
    """An `AutomatedDecision`."""
    return _model(
        {
            "description": text(languages),
            "logic": maybe(text(languages)),
            "significance": maybe(text(languages)),
            "consequences": maybe(text(languages)),
            "ground": maybe(st.sampled_from([g.value for g in Art22Ground])),
            "safeguards": maybe(text(languages)),
            "solely_automated": maybe(st.booleans()),
            "purposes": (
                maybe(st.lists(st.sampled_from(purpose_ids), unique=True))
                if purpose_ids
                else st.none()
            ),
        }
    )


def research(languages: tuple[str, ...]) -> st.SearchStrategy[Data]:
    """A `Research` section (format 2.1)."""
    return _model(
        {
            "plan": text(languages),
            "ethics_review": maybe(text(languages)),
            "impact_assessment": maybe(text(languages)),
            "pseudonymisation_key": maybe(text(languages)),
            "archive": maybe(text(languages)),
        }
    )


def cctv(languages: tuple[str, ...]) -> st.SearchStrategy[Data]:
    """A `Cctv` section (format 2.1)."""
    return _model(
        {
            "areas": st.lists(text(languages, long_chance=False), min_size=1, max_size=12),
            "signs": text(languages),
            "audio": maybe(st.booleans()),
            "viewers": text(languages),
        }
    )


def marketing(languages: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """`none` or the direct-marketing channels and their bases (format 2.1)."""
    channel = st.fixed_dictionaries(
        {
            "channel": st.sampled_from([c.value for c in MarketingChannel]),
            "basis": st.sampled_from([b.value for b in MarketingBasis]),
        }
    )
    channels = _model(
        {"channels": st.lists(channel, min_size=1, max_size=6), "refusal": maybe(text(languages))}
    )
    return st.one_of(st.just("none"), channels)


def restriction(languages: tuple[str, ...], right: Right) -> st.SearchStrategy[Data]:
    """A `RightRestriction` of `right`."""
    return _model(
        {
            "right": st.just(right.value),
            "extent": maybe(st.sampled_from([e.value for e in RightExtent])),
            "reason": text(languages),
            "law": maybe(law(languages, "Tietosuojalaki 1050/2018 34 §", "Lag 1050/2018 31 §")),
        }
    )


@st.composite
def register(draw: st.DrawFn, languages: tuple[str, ...], number: int) -> Data:
    """A `Register` numbered `number` (its id and slugs derive from it, unique in a site)."""
    many = st.integers(min_value=0, max_value=12)
    purpose_count = draw(st.integers(min_value=1, max_value=6))
    ids = [draw(maybe(st.just(f"p{n}"))) for n in range(purpose_count)]
    purpose_ids = [pid for pid in ids if pid]
    restricted = draw(st.lists(st.sampled_from(list(Right)), max_size=4, unique=True))
    category_count = draw(st.sampled_from([0, 1, 3, 40]))
    category_ids = [draw(maybe(st.just(f"c{n}"))) for n in range(category_count)]
    recipients = draw(maybe(st.lists(recipient(languages, purpose_ids), max_size=draw(many))))
    _link_sub_processors(draw, recipients or [])
    prepared = draw(_dates)
    data: Data = {
        "version": draw(maybe(st.sampled_from([2, 2.1]))),
        "controller": draw(maybe(controller(languages))),
        "id": f"register-{number}",
        "slug": {lang: f"r{number}-{lang}" for lang in languages},
        "name": draw(label(languages)),
        "prepared": prepared,
        # The loader refuses a change before the notice existed.
        "updated": draw(maybe(st.dates(min_value=prepared, max_value=dt.date(2030, 12, 31)))),
        "summary": draw(maybe(text(languages))),
        "contact": draw(maybe(contact())),
        "joint_controllers": draw(maybe(st.lists(joint_controller(languages), max_size=3))),
        "dpo": draw(maybe(dpo(languages))),
        "representative": draw(maybe(st.one_of(st.just("none"), contact()))),
        "purposes": [
            draw(purpose(languages, pid, tuple(c for c in category_ids if c))) for pid in ids
        ],
        "provision_requirement": draw(maybe(text(languages))),
        "data_subjects": draw(maybe(text(languages))),
        "children": draw(
            maybe(
                _model(
                    {
                        "consent_age": maybe(st.integers(min_value=13, max_value=16)),
                        "guardians": maybe(text(languages)),
                        "minimum_age": maybe(st.integers(min_value=0, max_value=17)),
                        "parental_consent": maybe(text(languages)),
                    }
                )
            )
        ),
        "data_categories": [draw(data_category(languages, cid)) for cid in category_ids] or None,
        "sources": draw(maybe(text(languages))),
        "recipients": recipients,
        "disclosures": draw(maybe(text(languages))),
        "transfers": draw(
            maybe(st.one_of(st.just("none"), st.lists(transfer(languages), max_size=4)))
        ),
        "transfers_note": draw(maybe(text(languages))),
        "retention": draw(maybe(text(languages))),
        "consent": draw(maybe(text(languages))),
        "automated_decisions": draw(
            maybe(
                st.one_of(
                    st.just("none"),
                    st.lists(automated_decision(languages, tuple(purpose_ids)), max_size=3),
                )
            )
        ),
        "profiling": draw(maybe(text(languages))),
        "research": draw(maybe(research(languages))),
        "health": draw(
            maybe(
                _model(
                    {
                        "kanta_refusal": maybe(text(languages)),
                        "access_log": maybe(text(languages)),
                    }
                )
            )
        ),
        "cctv": draw(maybe(cctv(languages))),
        "marketing": draw(maybe(marketing(languages))),
        "cookies": draw(maybe(st.lists(cookie(languages), max_size=6))),
        "security": draw(
            maybe(_model({"manual": maybe(text(languages)), "electronic": maybe(text(languages))}))
        ),
        "website": draw(maybe(st.booleans())),
        "restrictions": [draw(restriction(languages, right)) for right in restricted],
        "rights": draw(
            maybe(st.dictionaries(st.sampled_from([r.value for r in Right]), text(languages)))
        ),
        "history": draw(
            maybe(st.lists(_model({"date": _dates, "change": text(languages)}), max_size=6))
        ),
        "record": draw(
            maybe(
                _model(
                    {
                        "systems": maybe(st.lists(plain(max_size=2), max_size=3)),
                        "security_measures": maybe(text(languages, long_chance=False)),
                        "review_date": maybe(_dates),
                    }
                )
            )
        ),
    }
    return _drop_none(data)


def _link_sub_processors(draw: st.DrawFn, recipients: list[Data]) -> None:
    """Give some processors an id and link some sub-processors to one of them (format 2.1)."""
    ids = []
    for index, item in enumerate(recipients):
        if item.get("role") == RecipientRole.processor.value and draw(st.booleans()):
            item["id"] = f"r{index}"
            ids.append(item["id"])
    for item in recipients:
        if ids and item.get("role") == RecipientRole.sub_processor.value and draw(st.booleans()):
            item["processor"] = draw(st.sampled_from(ids))


def cookie(languages: tuple[str, ...]) -> st.SearchStrategy[Data]:
    """A `Cookie`."""
    return _model(
        {
            "name": st.sampled_from(["_ga", "session", "lang", "_fbp", "consent"]),
            "provider": plain(max_size=3),
            "party": st.sampled_from([p.value for p in CookieParty]),
            "category": st.sampled_from([c.value for c in CookieCategory]),
            "purpose": text(languages, long_chance=False),
            "duration": text(languages, long_chance=False),
            "third_party_access": maybe(text(languages, long_chance=False)),
            "legal_basis": maybe(st.sampled_from([b.value for b in LegalBasis])),
            "storage": maybe(st.sampled_from([t.value for t in StorageType])),
        }
    )


@st.composite
def site(draw: st.DrawFn, languages: tuple[str, ...]) -> Data:
    """A `Site`: the controller and what its registers share."""
    analytics = _model(
        {
            "service": st.sampled_from(["google_analytics_4", "universal_analytics", "other"]),
            "provider": maybe(plain(max_size=3)),
            "measurement_id": maybe(st.just("G-ABC123")),
            "google_signals": maybe(st.booleans()),
            "data_retention_months": maybe(st.integers(min_value=1, max_value=50)),
            "transfers": maybe(st.lists(transfer(languages), max_size=2)),
            "description": maybe(text(languages, long_chance=False)),
            "opt_out": maybe(text(languages, long_chance=False)),
        }
    )
    authority = _model(
        {
            "name": text(languages, long_chance=False),
            "street_address": maybe(plain(max_size=3)),
            "postal_address": maybe(st.just("PL 800, 00531 Helsinki")),
            "postal_code": maybe(st.just("00530")),
            "city": maybe(st.just("Helsinki")),
            "phone": maybe(_phones),
            "email": maybe(_emails),
            "url": maybe(st.just("https://tietosuoja.fi")),
        }
    )
    consent = _model(
        {
            "mechanism": text(languages, long_chance=False),
            "withdrawal": text(languages, long_chance=False),
            "settings_url": maybe(_urls),
        }
    )
    return _drop_none(
        {
            "version": draw(maybe(st.sampled_from([2, 2.1]))),
            "languages": list(languages),
            "base_url": "https://privacy.example.org/",
            "portal_url": draw(maybe(st.just("https://privacy.example.org/requests/"))),
            "controller": draw(controller(languages)),
            "contact": draw(maybe(contact())),
            "representative": draw(maybe(st.one_of(st.just("none"), contact()))),
            "dpo": draw(maybe(dpo(languages))),
            "supervisory_authority": draw(maybe(authority)),
            "cookie_intro": draw(maybe(text(languages, long_chance=False))),
            "cookies": draw(maybe(st.lists(cookie(languages), max_size=6))),
            "analytics": draw(maybe(analytics)),
            "consent": draw(maybe(consent)),
        }
    )


def mark_texts(content: Any) -> Any:
    """Append a marker unique to each text and language (`zq7fi`) to every localized text."""
    counter = itertools.count(1)

    def visit(value: Any) -> Any:
        if isinstance(value, dict):
            if (
                value
                and set(value) <= {"fi", "sv", "en"}
                and all(isinstance(v, str) for v in value.values())
            ):
                number = next(counter)
                return {lang: f"{words} zq{number}{lang}" for lang, words in value.items()}
            return {key: item if key == "slug" else visit(item) for key, item in value.items()}
        if isinstance(value, list):
            return [visit(item) for item in value]
        return value

    return visit(content)


@st.composite
def contents(draw: st.DrawFn, *, max_registers: int = 2) -> tuple[Data, list[Data]]:
    """A site and 1..`max_registers` registers, each text marked (see `mark_texts`)."""
    languages = draw(st.sampled_from(LANGUAGE_ORDERS))
    count = draw(st.integers(min_value=1, max_value=max_registers))
    drawn_site = draw(site(languages))
    registers = [draw(register(languages, number)) for number in range(1, count + 1)]
    marked = mark_texts({"site": drawn_site, "registers": registers})
    return marked["site"], marked["registers"]


def write_content(root: Path, site_data: Data, registers: list[Data]) -> Path:
    """Write a drawn content as `root/site.yaml` and `root/registers/<id>.yaml`; return root."""
    (root / "registers").mkdir(parents=True, exist_ok=True)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 100}
    (root / "site.yaml").write_text(yaml.safe_dump(site_data, **dump), encoding="utf-8")
    for data in registers:
        path = root / "registers" / f"{data['id']}.yaml"
        path.write_text(yaml.safe_dump(data, **dump), encoding="utf-8")
    return root
