"""Load errors in the reader's language: the loader's English messages in Finnish and Swedish.

The loader, the model and the slug check write their messages in English (`LoadError.message`;
tools and tests read them so). `notice check --lang fi|sv` shows them translated: each message
shape the loader can produce is a pattern over the English text here, with its Finnish and
Swedish wording; what the pattern captures (quoted values, key names, line numbers, paths) is
carried over unchanged, and the few English pieces inside it (a hint, "or", a list of places)
are translated in turn. A YAML syntax error is told in words of its own (`notice.yaml_errors`);
one it does not recognise keeps the parser's problem, which `_yaml_problem` translates when it is
one of the usual ones ("did not find expected key"). A message that no pattern matches is
returned as it is: English is better than nothing, and never a crash.

tests/notice/test_load_messages.py makes a real bad input for every shape (`SHAPES`), so a
reworded message in the loader fails a test instead of silently falling back to English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

LANGUAGES = ("fi", "sv")
"""The languages messages are translated into (English is the loader's own)."""

_REPR = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
"""A value as Python's repr() quotes it: 'text', or "text" when the text holds a '."""

Part = Callable[[str, str], str]
"""Translates one captured piece of a message: (its English text, language) → its text."""

ALL_SHAPES: list[Shape] = []
"""Every shape of this module: the messages' (`SHAPES`) and those of the pieces inside them
(hints, "did you mean", "none; give … an `id`"), in the order they are made."""

_USED: ContextVar[list[str] | None] = ContextVar("_USED", default=None)


@dataclass(frozen=True)
class Shape:
    """One message shape: a pattern over the English message and its fi and sv wording.

    The templates name the pattern's groups (`{value}`); a group listed in `parts` is translated
    by its function first (a hint, a list joined with "or"), the others are kept as they are.
    """

    name: str
    pattern: str
    fi: str
    sv: str
    parts: dict[str, Part] = field(default_factory=dict)
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern, re.DOTALL))
        ALL_SHAPES.append(self)

    def translate(self, message: str, lang: str) -> str | None:
        """Return `message` in `lang`, or None if it is not of this shape."""
        match = self.regex.fullmatch(message)
        if match is None:
            return None
        used = _USED.get()
        if used is not None:
            used.append(self.name)
        values = {
            name: self.parts[name](value or "", lang) if name in self.parts else (value or "")
            for name, value in match.groupdict().items()
        }
        return getattr(self, lang).format_map(values)


def _pieces(shapes: list[Shape]) -> Part:
    """Translate a piece by the first of `shapes` it matches (an empty piece stays empty; one
    that none matches stays English)."""

    def translate(text: str, lang: str) -> str:
        for shape in shapes:
            done = shape.translate(text, lang)
            if done is not None:
                return done
        return text

    return translate


def _words(fi: dict[str, str], sv: dict[str, str]) -> Part:
    """Translate a piece that is one of a few fixed English words."""
    table = {"fi": fi, "sv": sv}
    return lambda text, lang: table[lang].get(text, text)


def _or_list(text: str, lang: str) -> str:
    """Translate the "or" of a list of choices: "'a', 'b' or 'c'" → "'a', 'b' tai 'c'"."""
    word = {"fi": " tai ", "sv": " eller "}[lang]
    return re.sub(r"(?<=['`]) or (?=['`])", word, text)


def _and_list(text: str, lang: str) -> str:
    """Translate a list of the allowed values: "'a', 'b' or 'c'" → "'a', 'b' ja 'c'"."""
    word = {"fi": " ja ", "sv": " och "}[lang]
    return re.sub(r"(?<=['`]) or (?=['`])", word, text)


_DID_YOU_MEAN = _pieces(
    [
        Shape(
            "did-you-mean",
            rf" \(did you mean (?P<word>{_REPR})\?\)",
            " (tarkoititko {word}?)",
            " (menade du {word}?)",
        )
    ]
)

_NONE_GIVEN = _pieces(
    [
        Shape(
            "none-purposes",
            r"none; give purposes an `id`",
            "ei yhtään; anna käyttötarkoituksille `id`",
            "inga; ge ändamålen ett `id`",
        ),
        Shape(
            "none-processor",
            r"none; give a processor an `id`",
            "ei yhtään; anna käsittelijälle `id`",
            "inga; ge ett personuppgiftsbiträde ett `id`",
        ),
        Shape(
            "none-categories",
            r"none; give data categories an `id`",
            "ei yhtään; anna tietoryhmille `id`",
            "inga; ge uppgiftskategorierna ett `id`",
        ),
    ]
)


def _spaces(text: str, lang: str) -> str:
    """Translate "1 space" or "4 spaces"."""
    count = text.split()[0]
    if lang == "fi":
        return f"{count} {'välilyönti' if count == '1' else 'välilyöntiä'}"
    return f"{count} blanksteg"


def _indent_choices(text: str, lang: str) -> str:
    """Translate "2 (`fi:` on line 3), 4 ('-' on line 5) or 0 (`name:` on line 1)"."""
    words = {"fi": (" rivillä ", " tai "), "sv": (" på rad ", " eller ")}[lang]
    text = re.sub(r"(?<=[`'])( on line )(?=\d+\))", words[0], text)
    return re.sub(r"(?<=\)) or (?=\d)", words[1], text)


_YAML_HINT = _pieces(
    [
        Shape(
            "hint-indent-block",
            r"check this line's indentation: it does not line up with the keys or '-' items "
            r"of the block that starts on line (?P<line>\d+)",
            "tarkista rivin sisennys: se ei ole samassa tasossa kuin rivillä {line} alkavan "
            "lohkon avaimet tai '-'-kohdat",
            "kontrollera radens indrag: den ligger inte i linje med nycklarna eller "
            "'-'-posterna i blocket som börjar på rad {line}",
        ),
        Shape(
            "hint-colon-in-value",
            r"a ': ' inside a value, or a line indented too far: put the value in quotes "
            r"or check the indentation",
            "arvon sisällä on ': ' tai rivi on sisennetty liian syvälle: kirjoita arvo "
            "lainausmerkkeihin tai tarkista sisennys",
            "ett ': ' inne i ett värde eller en rad som är för långt indragen: sätt värdet "
            "inom citattecken eller kontrollera indraget",
        ),
    ]
)

_QUOTE_FIX = _pieces(
    [
        Shape(
            "fix-single-quotes",
            r"put the whole text in single quotes \('…'\), inside which \" is an ordinary "
            r"character",
            "kirjoita koko teksti heittomerkkeihin ('…'), joiden sisällä \" on tavallinen merkki",
            "sätt hela texten inom enkla citattecken ('…'), där \" är ett vanligt tecken",
        ),
        Shape(
            "fix-double-quotes",
            r"put the whole text in double quotes \(\"…\"\), inside which ' is an ordinary "
            r"character",
            'kirjoita koko teksti lainausmerkkeihin ("…"), joiden sisällä \' on tavallinen merkki',
            'sätt hela texten inom dubbla citattecken ("…"), där \' är ett vanligt tecken',
        ),
        Shape(
            "fix-apostrophe",
            r"write the apostrophe in (?P<word>\S+) twice \((?P<twice>\S+)\), or put the whole "
            r"text in double quotes \(\"…\"\)",
            "kirjoita sanan {word} heittomerkki kahdesti ({twice}) tai kirjoita koko teksti "
            'lainausmerkkeihin ("…")',
            "skriv apostrofen i {word} två gånger ({twice}) eller sätt hela texten inom dubbla "
            'citattecken ("…")',
        ),
    ]
)

_AFTER_WORD = _pieces(
    [
        Shape(
            "after-word",
            r" \(after `(?P<word>[^`]*)`\)",
            " (sanan `{word}` jälkeen)",
            " (efter `{word}`)",
        )
    ]
)

_PROBLEMS: list[tuple[str, str, str]] = [
    # libyaml's wording, which the loader uses, then PyYAML's own (without libyaml).
    (
        r"mapping values are not allowed (?:in this context|here)",
        "tässä kohdassa ei voi olla avainta ja arvoa (avain: arvo)",
        "här kan det inte stå en nyckel med ett värde (nyckel: värde)",
    ),
    (r"did not find expected key", "tähän odotettiin avainta", "här väntades en nyckel"),
    (
        r"did not find expected '-' indicator",
        "tähän odotettiin luettelon '-'-merkkiä",
        "här väntades listans '-'",
    ),
    (r"did not find expected node content", "tähän odotettiin arvoa", "här väntades ett värde"),
    (
        r"did not find expected ',' or '(?P<close>[\]}])'",
        "tähän odotettiin merkkiä ',' tai '{close}'",
        "här väntades ',' eller '{close}'",
    ),
    (
        r"expected ',' or '(?P<close>[\]}])', but got (?P<found>.+)",
        "tähän odotettiin merkkiä ',' tai '{close}', mutta tässä on {found}",
        "här väntades ',' eller '{close}', men här står {found}",
    ),
    (r"could not find expected ':'", "tähän odotettiin merkkiä ':'", "här väntades ':'"),
    (
        r"expected <block end>, but found (?P<found>.+)",
        "lohkon piti päättyä tähän, mutta tässä on {found}",
        "blocket borde sluta här, men här står {found}",
    ),
    (
        r"found character (?P<char>.+ )?that cannot start any token",
        "mikään YAML-merkintä ei voi alkaa merkillä {char}tässä",
        "ingenting i YAML kan börja med tecknet {char}här",
    ),
    (r"found unexpected end of stream", "tiedosto loppuu kesken", "filen tar slut för tidigt"),
    (
        r"found unknown escape character(?P<char> .+)?",
        "tuntematon kenoviivamerkintä{char}",
        "okänd sekvens med bakstreck{char}",
    ),
    (
        r"did not find expected alphabetic or numeric character",
        "tähän odotettiin kirjainta tai numeroa",
        "här väntades en bokstav eller siffra",
    ),
    (
        r"expected alphabetic or numeric character, but found (?P<found>.+)",
        "tähän odotettiin kirjainta tai numeroa, mutta tässä on {found}",
        "här väntades en bokstav eller siffra, men här står {found}",
    ),
    (
        r"did not find expected comment or line break",
        "tähän odotettiin kommenttia tai rivinvaihtoa",
        "här väntades en kommentar eller en radbrytning",
    ),
    (
        r"expected a comment or a line break, but found (?P<found>.+)",
        "tähän odotettiin kommenttia tai rivinvaihtoa, mutta tässä on {found}",
        "här väntades en kommentar eller en radbrytning, men här står {found}",
    ),
    (
        r"(?:block )?sequence entries are not allowed (?:in this context|here)",
        "luettelon '-'-kohta ei ole sallittu tässä",
        "en '-'-post är inte tillåten här",
    ),
    (
        r"found a tab character (?:that violates indentation|where an indentation space is "
        r"expected)",
        "sisennyksessä on sarkainmerkki",
        "indraget innehåller ett tabbtecken",
    ),
    (
        r"found undefined alias (?P<name>.+)",
        "tuntematon viittaus (alias) {name}",
        "okänt alias {name}",
    ),
    (
        r"but found another document",
        "tiedostossa on toinen dokumentti",
        "filen innehåller ett andra dokument",
    ),
]
_PROBLEM_PATTERNS = [(re.compile(pattern), fi, sv) for pattern, fi, sv in _PROBLEMS]


def _yaml_problem(text: str, lang: str) -> str:
    """Translate the parser's problem (libyaml's wording, or PyYAML's own when it runs without
    libyaml); one not in the table stays English."""
    for pattern, fi, sv in _PROBLEM_PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            values = {name: value or "" for name, value in match.groupdict().items()}
            return (fi if lang == "fi" else sv).format_map(values)
    return text


def _hint_suffix(text: str, lang: str) -> str:
    """Translate " (hint: …)" after libyaml's problem."""
    if not text:
        return ""
    label = {"fi": "vihje", "sv": "tips"}[lang]
    return f" ({label}: {_YAML_HINT(text[len(' (hint: ') : -1], lang)})"


_EXPECTED_WORDS = {
    "fi": {"a mapping": "avain–arvo-rakenne", "a list": "luettelo", "a string": "teksti"},
    "sv": {"a mapping": "nycklar med värden", "a list": "en lista", "a string": "en text"},
}
_ALTERNATIVE = r"(?:`[^`]*`|a mapping|a list|a string)"


def _alternatives(text: str, lang: str) -> str:
    """Translate "`a`, `b` or a list" (the union of what a value may be)."""
    words = _EXPECTED_WORDS[lang]
    text = re.sub(r"a mapping|a list|a string", lambda m: words[m.group(0)], text)
    return text.replace(" or ", {"fi": " tai ", "sv": " eller "}[lang])


_CONTRAST_PURPOSES = _words(
    {
        "text": "tekstin",
        "text in the header and footer band": "ylä- ja alapalkin tekstin",
        "secondary text": "toissijaisen tekstin",
        "secondary text in the header and footer band": "ylä- ja alapalkin toissijaisen tekstin",
        "links and button text": "linkkien ja painiketekstin",
        "links in the header and footer band": "ylä- ja alapalkin linkkien",
        "text on a filled button": "täytetyn painikkeen tekstin",
        "error messages": "virheilmoitusten",
        "boundaries of fields, tables and boxes": "kenttien, taulukoiden ja laatikoiden reunojen",
        "the focus indicator": "kohdistuksen ilmaisimen",
        "the focus indicator in the header and footer band": "ylä- ja alapalkin kohdistuksen "
        "ilmaisimen",
    },
    {
        "text": "text",
        "text in the header and footer band": "text i sidhuvudets och sidfotens band",
        "secondary text": "sekundär text",
        "secondary text in the header and footer band": "sekundär text i sidhuvudets och "
        "sidfotens band",
        "links and button text": "länkar och knapptext",
        "links in the header and footer band": "länkar i sidhuvudets och sidfotens band",
        "text on a filled button": "text på en fylld knapp",
        "error messages": "felmeddelanden",
        "boundaries of fields, tables and boxes": "kanter på fält, tabeller och rutor",
        "the focus indicator": "fokusmarkeringen",
        "the focus indicator in the header and footer band": "fokusmarkeringen i sidhuvudets "
        "och sidfotens band",
    },
)


def _places(text: str, lang: str) -> str:
    """Translate "`a.b` or `c.d`" and " (and 2 more places)"."""

    def more(match: re.Match[str]) -> str:
        count = match.group(1)
        if lang == "fi":
            return f" (ja {count} muussa kohdassa)"
        return f" (och på {count} {'annat ställe' if count == '1' else 'andra ställen'})"

    return re.sub(r" \(and (\d+) more places\)", more, _or_list(text, lang))


def _more_texts(text: str, lang: str) -> str:
    """Translate " (and in 3 more texts of this file)"."""
    match = re.fullmatch(r" \(and in (\d+) more texts of this file\)", text)
    if match is None:
        return text
    count = match.group(1)
    if lang == "fi":
        return f" (ja {count} muussa tämän tiedoston tekstissä)"
    return f" (och i {count} {'annan text' if count == '1' else 'andra texter'} i filen)"


def _list_under(text: str, lang: str) -> str:
    """Translate "; for several, write them as a list under `legal_bases`"."""
    words = {
        "fi": r"; jos arvoja on useita, kirjoita ne luettelona kohtaan \1",
        "sv": r"; skriv flera värden som en lista under \1",
    }
    return re.sub(r"; for several, write them as a list under (`[^`]*`)", words[lang], text)


_R = _REPR
_LANG_LIST = r"[a-z]{2}(?:, [a-z]{2})*"

SHAPES: list[Shape] = [
    # --- The file itself (notice/loader.py) ----------------------------------------------------
    Shape(
        "not-utf8-utf16",
        r"the file is not UTF-8 \(it is UTF-16\); save it as UTF-8",
        "tiedosto ei ole UTF-8-muodossa (se on UTF-16-muodossa); tallenna se UTF-8-muodossa",
        "filen är inte i UTF-8 (den är i UTF-16); spara den i UTF-8",
    ),
    Shape(
        "not-utf8-byte",
        rf"the file is not UTF-8 \(byte 0x(?P<byte>[0-9A-F]{{2}}), (?P<shown>{_R}) in Latin-1 "
        r"or Windows-1252\); save it as UTF-8",
        "tiedosto ei ole UTF-8-muodossa (tavu 0x{byte} on Latin-1- tai Windows-1252-merkistössä "
        "{shown}); tallenna se UTF-8-muodossa",
        "filen är inte i UTF-8 (byte 0x{byte} är {shown} i Latin-1 eller Windows-1252); spara "
        "den i UTF-8",
    ),
    Shape("file-not-found", r"file not found", "tiedostoa ei löydy", "filen finns inte"),
    Shape("file-empty", r"file is empty", "tiedosto on tyhjä", "filen är tom"),
    Shape(
        "yml-suffix",
        r"register files must end in \.yaml, not \.yml",
        "rekisteritiedoston nimen on päätyttävä .yaml, ei .yml",
        "registerfilens namn ska sluta på .yaml, inte .yml",
    ),
    Shape(
        "no-registers",
        r"no register files \(\*\.yaml\) found",
        "rekisteritiedostoja (*.yaml) ei löytynyt",
        "inga registerfiler (*.yaml) hittades",
    ),
    # --- YAML syntax (notice/yaml_errors.py) ---------------------------------------------------
    Shape(
        "tab-indent",
        r"tab character in indentation; indent with spaces",
        "sisennyksessä on sarkainmerkki; sisennä välilyönneillä",
        "indraget innehåller ett tabbtecken; dra in med blanksteg",
    ),
    Shape(
        "yaml-quote-open",
        r"the quote (?P<q>[\"']) that starts this text is not closed on its line: end the text "
        r"with (?P=q)",
        "tekstin aloittavaa lainausmerkkiä {q} ei suljeta samalla rivillä: päätä teksti "
        "merkkiin {q}",
        "citattecknet {q} som inleder texten stängs inte på samma rad: avsluta texten med {q}",
    ),
    Shape(
        "yaml-after-quoted",
        r"the line goes on after the quoted text `(?P<quoted>.+)`: (?P<fix>(?:put|write) .+)",
        "rivi jatkuu lainausmerkeissä olevan tekstin `{quoted}` jälkeen: {fix}",
        "raden fortsätter efter texten inom citattecken `{quoted}`: {fix}",
        {"fix": _QUOTE_FIX},
    ),
    Shape(
        "yaml-escape",
        r"`(?P<escape>\\.)` is no escape YAML knows in a text in double quotes: write the "
        r"backslash twice \(`\\\\`\), or put the text in single quotes \('…'\)",
        "YAML ei tunne merkintää `{escape}` lainausmerkeissä olevassa tekstissä: kirjoita "
        "kenoviiva kahdesti (`\\\\`) tai kirjoita teksti heittomerkkeihin ('…')",
        "YAML känner inte till `{escape}` i en text inom dubbla citattecken: skriv bakstrecket "
        "två gånger (`\\\\`) eller sätt texten inom enkla citattecken ('…')",
    ),
    Shape(
        "yaml-bracket-open",
        r"the '(?P<open>[\[{])' on this line is not closed: add '(?P<close>[\]}])' after its "
        r"last item",
        "tällä rivillä olevaa merkkiä '{open}' ei suljeta: lisää '{close}' viimeisen kohdan perään",
        "tecknet '{open}' på den här raden stängs inte: lägg till '{close}' efter det sista ledet",
    ),
    Shape(
        "yaml-missing-comma",
        r"a comma is missing before `(?P<key>[^`]+):`: separate the items inside "
        r"'(?P<open>[\[{])…(?P<close>[\]}])' with commas",
        "ennen kohtaa `{key}:` puuttuu pilkku: erota merkkien '{open}…{close}' sisällä olevat "
        "kohdat toisistaan pilkuilla",
        "ett kommatecken saknas före `{key}:`: skilj leden inom '{open}…{close}' åt med "
        "kommatecken",
    ),
    Shape(
        "yaml-wrong-closer",
        r"the '(?P<open>[\[{])' is closed with '(?P<wrong>[\]}])': close it with "
        r"'(?P<close>[\]}])'",
        "merkki '{open}' suljetaan merkillä '{wrong}': sulje se merkillä '{close}'",
        "tecknet '{open}' stängs med '{wrong}': stäng det med '{close}'",
    ),
    Shape(
        "yaml-extra-closer",
        r"one '(?P<extra>[\]}])' too many: the '(?P<open>[\[{])' is closed before it; remove "
        r"the extra '(?P=extra)'",
        "yksi '{extra}' liikaa: merkki '{open}' on suljettu jo ennen sitä; poista ylimääräinen "
        "'{extra}'",
        "ett '{extra}' för mycket: tecknet '{open}' är redan stängt före det; ta bort det "
        "extra '{extra}'",
    ),
    Shape(
        "yaml-dash-space",
        r"the '-' of a list item needs a space after it: write `- (?P<rest>[^`]+)`",
        "luettelon kohdan '-'-merkin perään tarvitaan välilyönti: kirjoita `- {rest}`",
        "'-' i en listpost behöver ett blanksteg efter sig: skriv `- {rest}`",
    ),
    Shape(
        "yaml-block-header",
        r"text follows `(?P<header>[^`]+)` on its line: start the text on the next line, "
        r"indented more than this one",
        "merkin `{header}` perässä on tekstiä samalla rivillä: aloita teksti seuraavalta "
        "riviltä ja sisennä se syvemmälle kuin tämä rivi",
        "texten står efter `{header}` på samma rad: börja texten på nästa rad, längre "
        "indragen än den här",
    ),
    Shape(
        "yaml-reserved-start",
        r"the text starts with '(?P<char>.+?)', which YAML reserves at the start of a value: "
        r"put the whole text in quotes (?P<quotes>\(.….\))",
        "teksti alkaa merkillä '{char}', jolla on YAMLissa oma merkityksensä arvon alussa: "
        "kirjoita koko teksti lainausmerkkeihin {quotes}",
        "texten börjar med '{char}', som har en egen betydelse i YAML i början av ett värde: "
        "sätt hela texten inom citattecken {quotes}",
    ),
    Shape(
        "yaml-item-on-key-line",
        r"a '- ' item cannot stand on the line of `(?P<key>[^`]+):`: put each item on a line of "
        r"its own below it, indented more than `(?P=key):`, or write the list as \[…\] on this "
        r"line",
        "'- '-kohta ei voi olla samalla rivillä kuin `{key}:`: kirjoita kukin kohta omalle "
        "rivilleen sen alle syvemmälle sisennettynä kuin `{key}:` tai kirjoita luettelo tälle "
        "riville muodossa […]",
        "en '- '-post kan inte stå på samma rad som `{key}:`: skriv varje post på en egen rad "
        "under den, längre indragen än `{key}:`, eller skriv listan som […] på den här raden",
    ),
    Shape(
        "yaml-key-at-dash",
        r"`(?P<key>[^`]+):` is indented as far as the '-' of the items of `(?P<list>[^`]+)`, "
        r"where only a '- ' item can start: indent it as far as `(?P<first>[^`]+):` on line "
        r"(?P<line>\d+)",
        "`{key}:` on sisennetty yhtä syvälle kuin luettelon `{list}` kohtien '-'-merkit, ja "
        "sillä tasolla voi alkaa vain uusi '- '-kohta: sisennä se samalle tasolle kuin rivin "
        "{line} `{first}:`",
        "`{key}:` är lika långt indraget som '-' för posterna i `{list}`, där bara en ny "
        "'- '-post kan börja: dra in det lika långt som `{first}:` på rad {line}",
    ),
    Shape(
        "yaml-no-space",
        r"no space after `(?P<key>[^`]+):`: put a space between the ':' and the value",
        "avaimen `{key}:` perästä puuttuu välilyönti: lisää välilyönti kaksoispisteen ja arvon "
        "väliin",
        "blanksteg saknas efter `{key}:`: sätt ett blanksteg mellan ':' och värdet",
    ),
    Shape(
        "yaml-no-colon",
        r"no ':' after the key `(?P<key>[^`]+)`: write `(?P=key):`",
        "avaimen `{key}` perästä puuttuu ':': kirjoita `{key}:`",
        "':' saknas efter nyckeln `{key}`: skriv `{key}:`",
    ),
    Shape(
        "yaml-colon-typo",
        r"`(?P<key>[^`]+?)(?P<mark>[;.,=])` has '(?P=mark)' where a key's ':' belongs: write "
        r"`(?P=key):`",
        "avaimen `{key}{mark}` perässä on '{mark}' kaksoispisteen paikalla: kirjoita `{key}:`",
        "`{key}{mark}` har '{mark}' där nyckelns ':' ska stå: skriv `{key}:`",
    ),
    Shape(
        "yaml-no-key",
        r"this line has no key \(`key:`\): write the key before its text, or check its "
        r"indentation",
        "tällä rivillä ei ole avainta (`avain:`): kirjoita avain tekstin eteen tai tarkista "
        "rivin sisennys",
        "raden har ingen nyckel (`nyckel:`): skriv nyckeln före texten eller kontrollera "
        "radens indrag",
    ),
    Shape(
        "yaml-continued",
        r"this line goes on with the text of `(?P<key>[^`]+):` but is indented only as far as "
        r"`(?P=key):`: indent it more than `(?P=key):`, or join it to the line above",
        "tämä rivi jatkaa kohdan `{key}:` tekstiä, mutta se on sisennetty vain yhtä syvälle "
        "kuin `{key}:`: sisennä rivi syvemmälle kuin `{key}:` tai yhdistä se edelliseen riviin",
        "raden fortsätter texten under `{key}:` men är bara lika långt indragen som `{key}:`: "
        "dra in raden längre än `{key}:` eller slå ihop den med raden ovanför",
    ),
    Shape(
        "yaml-colon-in-text",
        r"the text of `(?P<key>[^`]+):` has ': ' in it(?P<after> \(after `[^`]*`\))?, which "
        r"YAML reads as the start of a key: put the whole text in quotes (?P<quotes>\(.….\))",
        "kohdan `{key}:` tekstissä on ': '{after}, jonka YAML lukee avaimen aluksi: kirjoita "
        "koko teksti lainausmerkkeihin {quotes}",
        "texten under `{key}:` innehåller ': '{after}, som YAML läser som början på en "
        "nyckel: sätt hela texten inom citattecken {quotes}",
        {"after": _AFTER_WORD},
    ),
    Shape(
        "yaml-key-on-line",
        r"`(?P<key>[^`]+):` is on the line of `(?P<above>[^`]+):`: put `(?P=key):` on a line of "
        r"its own, as far in as `(?P=above):`",
        "`{key}:` on samalla rivillä kuin `{above}:`: siirrä `{key}:` omalle rivilleen samalle "
        "tasolle kuin `{above}:`",
        "`{key}:` står på samma rad som `{above}:`: flytta `{key}:` till en egen rad, lika långt "
        "indragen som `{above}:`",
    ),
    Shape(
        "yaml-not-under-empty-key",
        r"`(?P<key>[^`]+):` is not indented under `(?P<parent>[^`]+):` above it, which has no "
        r"value of its own: indent `(?P=key):` as far as `(?P<below>[^`]+):` below it",
        "`{key}:` ei ole sisennetty yläpuolella olevan kohdan `{parent}:` alle, jolla ei ole "
        "omaa arvoa: sisennä `{key}:` samalle tasolle kuin sen alla oleva `{below}:`",
        "`{key}:` är inte indraget under `{parent}:` ovanför, som inte har något eget värde: "
        "dra in `{key}:` lika långt som `{below}:` nedanför",
    ),
    Shape(
        "yaml-deeper-or",
        r"`(?P<key>[^`]+):` is indented more than `(?P<above>[^`]+):` on line (?P<line>\d+), as "
        r"if it belonged under it, but `(?P=above):` already has its value: indent "
        r"`(?P=above):` as far as the keys above it \((?P<spaces>\d+ spaces?)\), or `(?P=key):` "
        r"as far as `(?P=above):`",
        "`{key}:` on sisennetty syvemmälle kuin rivin {line} `{above}:`, ikään kuin se kuuluisi "
        "sen alle, mutta kohdalla `{above}:` on jo arvo: sisennä `{above}:` samalle tasolle kuin "
        "sen yläpuolella olevat avaimet ({spaces}) tai `{key}:` samalle tasolle kuin `{above}:`",
        "`{key}:` är längre indraget än `{above}:` på rad {line}, som om det låg under den, men "
        "`{above}:` har redan ett värde: dra in `{above}:` lika långt som nycklarna ovanför "
        "({spaces}) eller `{key}:` lika långt som `{above}:`",
        {"spaces": _spaces},
    ),
    Shape(
        "yaml-deeper",
        r"`(?P<key>[^`]+):` is indented more than `(?P<above>[^`]+):` on line (?P<line>\d+), as "
        r"if it belonged under it, but `(?P=above):` already has its value: indent `(?P=key):` "
        r"as far as `(?P=above):`",
        "`{key}:` on sisennetty syvemmälle kuin rivin {line} `{above}:`, ikään kuin se kuuluisi "
        "sen alle, mutta kohdalla `{above}:` on jo arvo: sisennä `{key}:` samalle tasolle kuin "
        "`{above}:`",
        "`{key}:` är längre indraget än `{above}:` på rad {line}, som om det låg under den, men "
        "`{above}:` har redan ett värde: dra in `{key}:` lika långt som `{above}:`",
    ),
    Shape(
        "yaml-language-under-braces",
        r"`(?P<key>[^`]+):` is indented under `(?P<above>[^`]+):`, whose texts are written in "
        r"'\{…\}' on its line: add `(?P=key): …` inside the '\{…\}', or write each language on "
        r"a line of its own under `(?P=above):`",
        "`{key}:` on sisennetty kohdan `{above}:` alle, jonka tekstit on kirjoitettu sen riville "
        "merkkien '{{…}}' sisään: lisää `{key}: …` merkkien '{{…}}' sisään tai kirjoita kukin "
        "kieli omalle rivilleen kohdan `{above}:` alle",
        "`{key}:` är indraget under `{above}:`, vars texter står inom '{{…}}' på samma rad: lägg "
        "till `{key}: …` inom '{{…}}' eller skriv varje språk på en egen rad under `{above}:`",
    ),
    Shape(
        "yaml-under-indented",
        r"`(?P<key>[^`]+):` is indented (?P<own>\d+) spaces?, less than `(?P<above>[^`]+):` "
        r"above it \((?P<theirs>\d+)\); indent it as far as `(?P=above):`",
        "`{key}:` on sisennetty {own} välilyönnillä, vähemmän kuin sen yläpuolella oleva "
        "`{above}:` ({theirs}); sisennä rivi samalle tasolle kuin `{above}:`",
        "`{key}:` är indraget {own} blanksteg, mindre än `{above}:` ovanför ({theirs}); "
        "dra in raden lika långt som `{above}:`",
    ),
    Shape(
        "yaml-block-text-indent",
        r"this line is indented less than the first line of the text of `(?P<key>[^`]+):` "
        r"\(line (?P<line>\d+), (?P<spaces>\d+ spaces?)\), which sets the text's indentation: "
        r"indent all its lines equally",
        "tämä rivi on sisennetty vähemmän kuin kohdan `{key}:` tekstin ensimmäinen rivi (rivi "
        "{line}, {spaces}), joka määrää tekstin sisennyksen: sisennä tekstin kaikki rivit yhtä "
        "paljon",
        "raden är mindre indragen än första raden i texten under `{key}:` (rad {line}, "
        "{spaces}), som bestämmer textens indrag: dra in alla textens rader lika mycket",
        {"spaces": _spaces},
    ),
    Shape(
        "yaml-key-level",
        r"`(?P<key>[^`]+):` is indented (?P<own>\d+) spaces?, but the keys and '-' items above "
        r"it are indented (?P<choices>.+): line it up with the one it belongs beside",
        "`{key}:` on sisennetty {own} välilyönnillä, mutta sen yläpuolella olevien avainten ja "
        "'-'-kohtien sisennys on {choices}: tasaa se sen kohdan kanssa, jonka rinnalle se kuuluu",
        "`{key}:` är indraget {own} blanksteg, men nycklarna och '-'-posterna ovanför har "
        "indraget {choices}: dra in raden lika långt som den nyckel eller post den hör ihop med",
        {"choices": _indent_choices},
    ),
    Shape(
        "yaml-item-indent",
        r"this '-' item is indented (?P<own>\d+) spaces?, but the items of `(?P<list>[^`]+)` "
        r"above it are indented (?P<theirs>\d+) \(line (?P<line>\d+)\): line it up with them",
        "tämä '-'-kohta on sisennetty {own} välilyönnillä, mutta luettelon `{list}` "
        "yläpuolella olevat kohdat {theirs} välilyönnillä (rivi {line}): tasaa se niiden kanssa",
        "den här '-'-posten är indragen {own} blanksteg, men posterna i `{list}` ovanför är "
        "indragna {theirs} blanksteg (rad {line}): rada upp den med dem",
    ),
    Shape(
        "yaml-stray-dash",
        r"a '-' list item among keys \(`(?P<sibling>[^`]+):` on line (?P<line>\d+) is at the "
        r"same indentation\): remove the '-'",
        "'-'-luettelokohta avainten joukossa (rivin {line} `{sibling}:` on samalla "
        "sisennyksellä): poista '-'",
        "en '-'-post bland nycklar (`{sibling}:` på rad {line} har samma indrag): ta bort '-'",
    ),
    Shape(
        "yaml-second-document",
        r"a second document starts here \(`---`\); a content file holds one: remove the line, "
        r"or move what follows into a file of its own",
        "tästä alkaa toinen dokumentti (`---`); sisältötiedostossa on vain yksi: poista rivi "
        "tai siirrä sitä seuraava osa omaan tiedostoonsa",
        "här börjar ett andra dokument (`---`); en innehållsfil har bara ett: ta bort raden "
        "eller flytta det som följer till en egen fil",
    ),
    Shape(
        "invalid-yaml",
        r"invalid YAML: (?P<problem>.+?)(?P<hint> \(hint: .+\))?",
        "virheellinen YAML: {problem}{hint}",
        "ogiltig YAML: {problem}{hint}",
        {"problem": _yaml_problem, "hint": _hint_suffix},
    ),
    Shape(
        "too-many-values",
        r"the file expands to more than (?P<count>\d+) values \(an alias such as \*name counts "
        r"at every use\); write the values out or use fewer aliases",
        "tiedosto laajenee yli {count} arvoksi (alias kuten *nimi lasketaan jokaisella "
        "käyttökerralla); kirjoita arvot auki tai käytä vähemmän aliaksia",
        "filen expanderar till fler än {count} värden (ett alias som *namn räknas vid varje "
        "användning); skriv ut värdena eller använd färre alias",
    ),
    Shape(
        "too-deep",
        r"nested more than (?P<depth>\d+) levels deep; a content file needs far fewer",
        "sisäkkäisiä tasoja on yli {depth}; sisältötiedosto tarvitsee niitä paljon vähemmän",
        "nästlad mer än {depth} nivåer djupt; en innehållsfil behöver betydligt färre",
    ),
    Shape(
        "duplicate-key",
        r"duplicate key \(first defined on line (?P<line>\d+)\)",
        "avain toistuu (se on määritelty ensin rivillä {line})",
        "nyckeln upprepas (den angavs första gången på rad {line})",
    ),
    Shape(
        "key-not-word",
        r"a key must be a plain word",
        "avaimen on oltava tavallinen sana",
        "en nyckel måste vara ett vanligt ord",
    ),
    Shape(
        "top-not-mapping",
        r"expected a mapping of keys at the top",
        "tiedoston ylimmällä tasolla on oltava avaimia arvoineen (avain: arvo)",
        "filens översta nivå ska bestå av nycklar med värden (nyckel: värde)",
    ),
    # --- Validation (notice/loader.py `_message`) ----------------------------------------------
    Shape(
        "unknown-key-elsewhere",
        r"unknown key at this level; `(?P<word>[^`]*)` belongs at (?P<places>.+)",
        "tuntematon avain tällä tasolla; `{word}` kuuluu kohtaan {places}",
        "okänd nyckel på den här nivån; `{word}` hör hemma under {places}",
        {"places": _places},
    ),
    Shape(
        "unknown-key",
        r"unknown key(?P<suggestion> \(did you mean .*\?\))?",
        "tuntematon avain{suggestion}",
        "okänd nyckel{suggestion}",
        {"suggestion": _DID_YOU_MEAN},
    ),
    Shape(
        "missing-key",
        r"required key is missing",
        "pakollinen avain puuttuu",
        "en obligatorisk nyckel saknas",
    ),
    Shape(
        "not-a-date",
        rf"(?P<value>{_R}) is not a date; write YYYY-MM-DD",
        "{value} ei ole päivämäärä; kirjoita se muodossa VVVV-KK-PP",
        "{value} är inte ett datum; skriv det som ÅÅÅÅ-MM-DD",
    ),
    Shape(
        "one-not-list",
        r"expected one value, not a list(?P<where>; for several, .*)?",
        "tähän kuuluu yksi arvo, ei luettelo{where}",
        "här ska stå ett värde, inte en lista{where}",
        {"where": _list_under},
    ),
    Shape(
        "not-one-of",
        rf"(?P<value>{_R}) is not one of (?P<expected>{_R}(?:, {_R})*(?: or {_R})?)"
        r"(?P<suggestion> \(did you mean .*\?\))?",
        "{value} ei ole sallittu arvo; sallitut arvot ovat {expected}{suggestion}",
        "{value} är inte ett tillåtet värde; tillåtna värden är {expected}{suggestion}",
        {"expected": _and_list, "suggestion": _DID_YOU_MEAN},
    ),
    Shape(
        "expected-language-map",
        r"expected a mapping of language to text, e\.g\. \{fi: \.\.\., en: \.\.\.\}",
        "tähän kuuluu teksti kielittäin, esim. {{fi: ..., en: ...}}",
        "här ska stå en text per språk, t.ex. {{fi: ..., en: ...}}",
    ),
    Shape(
        "expected-mapping",
        r"expected a mapping of keys",
        "tähän kuuluu avaimia arvoineen (avain: arvo)",
        "här ska stå nycklar med värden (nyckel: värde)",
    ),
    Shape(
        "expected-list",
        r"expected a list \(items starting with `- `\)",
        "tähän kuuluu luettelo (kohdat alkavat merkeillä `- `)",
        "här ska stå en lista (poster som börjar med `- `)",
    ),
    Shape(
        "indented-under-text",
        r"`(?P<word>[^`]+)` is indented under `(?P<parent>[^`]+)`, which holds a text in each "
        r"language; indent `(?P=word)` as far as `(?P=parent)`",
        "`{word}` on sisennetty kohdan `{parent}` alle, jossa on teksti kullakin kielellä; "
        "sisennä `{word}` samalle tasolle kuin `{parent}`",
        "`{word}` är indraget under `{parent}`, som har en text på varje språk; dra in `{word}` "
        "lika långt som `{parent}`",
    ),
    Shape(
        "language-is-a-key",
        rf"unknown language (?P<lang>{_R}): it is a key of the format, indented under a text; "
        r"indent it less, as far as the text's own key",
        "tuntematon kieli {lang}: se on tiedostomuodon avain, joka on sisennetty tekstin alle; "
        "sisennä se vähemmän, samalle tasolle kuin tekstin oma avain",
        "okänt språk {lang}: det är en nyckel i formatet, indragen under en text; dra in den "
        "mindre, lika långt som textens egen nyckel",
    ),
    Shape(
        "expected-text-not-list",
        r"expected text, not a list",
        "tähän kuuluu tekstiä, ei luetteloa",
        "här ska stå text, inte en lista",
    ),
    Shape(
        "expected-text-not-mapping",
        r"expected text, not a mapping of keys",
        "tähän kuuluu tekstiä, ei avaimia arvoineen",
        "här ska stå text, inte nycklar med värden",
    ),
    Shape(
        "expected-text",
        r"expected text, not (?P<value>.+); put the value in quotes",
        "tähän kuuluu tekstiä, ei {value}; kirjoita arvo lainausmerkkeihin",
        "här ska stå text, inte {value}; sätt värdet inom citattecken",
    ),
    Shape(
        "expected-either",
        rf"expected (?P<alternatives>{_ALTERNATIVE}(?:(?:, | or ){_ALTERNATIVE})+)",
        "arvon on oltava {alternatives}",
        "värdet ska vara {alternatives}",
        {"alternatives": _alternatives},
    ),
    Shape(
        "empty-value",
        r"the value is empty; write the text after the colon",
        "arvo on tyhjä; kirjoita teksti kaksoispisteen perään",
        "värdet är tomt; skriv texten efter kolonet",
    ),
    Shape(
        "not-bool",
        r"(?P<value>.+) is not true or false",
        "{value} ei ole true eikä false",
        "{value} är varken true eller false",
    ),
    Shape(
        "not-integer",
        r"(?P<value>.+) is not a whole number",
        "{value} ei ole kokonaisluku",
        "{value} är inte ett heltal",
    ),
    Shape(
        "out-of-range",
        r"(?P<value>.+) is out of range; it must be (?P<bound>at least|at most) (?P<limit>\S+)",
        "{value} on sallitun alueen ulkopuolella; arvon on oltava {bound} {limit}",
        "{value} ligger utanför det tillåtna intervallet; värdet måste vara {bound} {limit}",
        {
            "bound": _words(
                {"at least": "vähintään", "at most": "enintään"},
                {"at least": "minst", "at most": "högst"},
            )
        },
    ),
    Shape(
        "must-not-be-empty",
        r"must not be empty",
        "ei saa olla tyhjä",
        "får inte vara tom",
    ),
    Shape(
        "bad-id",
        rf"(?P<value>{_R}) is not a valid id; use lowercase letters, digits and hyphens",
        "{value} ei kelpaa tunnukseksi; käytä pieniä kirjaimia, numeroita ja yhdysmerkkejä",
        "{value} är inte ett giltigt id; använd gemener, siffror och bindestreck",
    ),
    Shape(
        "pattern",
        rf"(?P<value>{_R}) does not match the pattern (?P<pattern>.+)",
        "{value} ei vastaa mallia {pattern}",
        "{value} matchar inte mönstret {pattern}",
    ),
    Shape(
        "no-common-language",
        r"this register is written in (?P<written>.+?) and site\.yaml declares "
        rf"(?P<declared>{_LANG_LIST}): no language in common, so none of its (?P<count>\d+) "
        r"texts can be shown; add .+? to `languages` in site\.yaml, or write the register in .+",
        "rekisteri on kirjoitettu kielillä {written}, mutta site.yaml määrittelee kielet "
        "{declared}: yhteistä kieltä ei ole, joten yhtäkään sen {count} tekstistä ei voi näyttää; "
        "lisää {written} site.yaml-tiedoston `languages`-kohtaan tai kirjoita rekisteri kielillä "
        "{declared}",
        "registret är skrivet på {written} men site.yaml anger {declared}: inget gemensamt språk, "
        "så ingen av dess {count} texter kan visas; lägg till {written} under `languages` i "
        "site.yaml eller skriv registret på {declared}",
    ),
    Shape(
        "unknown-language-in-file",
        rf"unknown language (?P<lang>{_R})(?P<more> \(and in \d+ more texts of this file\))?; "
        rf"site\.yaml declares (?P<declared>{_LANG_LIST}): add (?P=lang) to `languages` in "
        rf"site\.yaml, or remove the (?P=lang) texts",
        "tuntematon kieli {lang}{more}; site.yaml määrittelee kielet {declared}: lisää {lang} "
        "site.yaml-tiedoston `languages`-kohtaan tai poista {lang}-kieliset tekstit",
        "okänt språk {lang}{more}; site.yaml anger {declared}: lägg till {lang} under "
        "`languages` i site.yaml eller ta bort texterna på {lang}",
        {"more": _more_texts},
    ),
    Shape(
        "updated-before-prepared",
        r"(?P<updated>\d{4}-\d\d-\d\d) is earlier than the `prepared` date "
        r"(?P<prepared>\d{4}-\d\d-\d\d) on line (?P<line>\d+); a notice cannot change before it "
        r"was prepared",
        "{updated} on aiempi kuin rivin {line} laatimispäivä (`prepared`) {prepared}; selostetta "
        "ei voi muuttaa ennen kuin se on laadittu",
        "{updated} är tidigare än datumet `prepared` {prepared} på rad {line}; beskrivningen kan "
        "inte ha ändrats innan den upprättades",
    ),
    Shape(
        "id-reserved",
        rf"(?P<id>{_R}) is reserved for site\.yaml; choose another id",
        "{id} on varattu site.yaml-tiedostolle; valitse toinen tunnus",
        "{id} är reserverat för site.yaml; välj ett annat id",
    ),
    Shape(
        "id-taken",
        rf"(?P<id>{_R}) is already the id of (?P<path>.+)",
        "{id} on jo tiedoston {path} tunnus",
        "{id} är redan id för {path}",
    ),
    # --- The model's own checks (notice/model.py) ----------------------------------------------
    Shape(
        "unknown-language",
        rf"unknown language (?P<lang>{_R}); site\.yaml declares (?P<declared>{_LANG_LIST})",
        "tuntematon kieli {lang}; site.yaml määrittelee kielet {declared}",
        "okänt språk {lang}; site.yaml anger {declared}",
    ),
    Shape(
        "missing-translation",
        rf"missing translation for language (?P<lang>{_R})",
        "käännös kielelle {lang} puuttuu",
        "översättning till språket {lang} saknas",
    ),
    Shape(
        "raw-html",
        rf"raw HTML (?P<tag>{_R}) in (?P<lang>{_R}) text; write Markdown instead",
        "{lang}-tekstissä on HTML-koodia {tag}; kirjoita Markdownia",
        "texten på {lang} innehåller HTML-kod {tag}; skriv Markdown i stället",
    ),
    Shape(
        "url-scheme",
        rf"(?P<value>{_R}) is not a web address; write it as https://\.\.\.",
        "{value} ei ole verkko-osoite; kirjoita se muodossa https://...",
        "{value} är inte en webbadress; skriv den som https://...",
    ),
    Shape(
        "url-space",
        rf"(?P<value>{_R}) is not a web address; it contains a space, control or invisible "
        r"character",
        "{value} ei ole verkko-osoite; siinä on välilyönti, ohjausmerkki tai näkymätön merkki",
        "{value} är inte en webbadress; den innehåller ett blanksteg, ett styrtecken eller ett "
        "osynligt tecken",
    ),
    Shape(
        "url-character",
        rf"(?P<value>{_R}) is not a web address; (?P<bad>.+) cannot appear in one "
        r'\(percent-encode it, e\.g\. %22 for "\)',
        "{value} ei ole verkko-osoite; osoitteessa ei voi olla merkkiä {bad} (käytä "
        'prosenttikoodausta, esim. %22 merkille ")',
        "{value} är inte en webbadress; {bad} får inte förekomma i en sådan (procentkoda, t.ex. "
        '%22 för ")',
    ),
    Shape(
        "email",
        rf"(?P<value>{_R}) is not an e-mail address \(write it as name@example\.fi\)",
        "{value} ei ole sähköpostiosoite (kirjoita se muodossa nimi@example.fi)",
        "{value} är inte en e-postadress (skriv den som namn@example.fi)",
    ),
    Shape(
        "country",
        rf"unknown country (?P<value>{_R}); give an ISO 3166-1 alpha-2 code such as US",
        "tuntematon maa {value}; anna ISO 3166-1 alpha-2 -maakoodi, esimerkiksi US",
        "okänt land {value}; ange en landskod enligt ISO 3166-1 alpha-2, till exempel US",
    ),
    Shape(
        "cookie-name",
        rf"(?P<value>{_R}) is not a cookie name: it contains (?P<bad>{_R}); a name is letters, "
        r"digits and (?P<chars>\S+) \(RFC 6265\), with `<placeholder>` or `\*` for a varying part",
        "{value} ei kelpaa evästeen nimeksi: siinä on merkki {bad}; nimessä voi olla kirjaimia, "
        "numeroita ja merkkejä {chars} (RFC 6265) sekä vaihtuvan osan kohdalla `<paikkamerkki>` "
        "tai `*`",
        "{value} är inte ett giltigt namn på en kaka: det innehåller {bad}; ett namn består av "
        "bokstäver, siffror och {chars} (RFC 6265), med `<platshållare>` eller `*` för en del "
        "som varierar",
    ),
    Shape(
        "scc-module",
        r"`scc_module` is given but `sccs` is not among the `mechanisms`",
        "`scc_module` on annettu, mutta `sccs` puuttuu `mechanisms`-luettelosta",
        "`scc_module` är angiven men `sccs` finns inte bland `mechanisms`",
    ),
    Shape(
        "ga4-id",
        rf"(?P<value>{_R}) is not a Google Analytics 4 measurement ID; it is `G-` followed by "
        r"capital letters and digits, e\.g\. G-ABC123XYZ \(Admin → Data streams\)",
        "{value} ei ole Google Analytics 4 -mittaustunnus; tunnus on `G-` ja sen perässä isoja "
        "kirjaimia ja numeroita, esim. G-ABC123XYZ (Admin → Data streams)",
        "{value} är inte ett mät-id för Google Analytics 4; det består av `G-` följt av versaler "
        "och siffror, t.ex. G-ABC123XYZ (Admin → Data streams)",
    ),
    Shape(
        "colour",
        rf"(?P<value>{_R}) is not a colour; write it as #rrggbb \(or #rgb\), e\.g\. #0b4f8a",
        "{value} ei ole väri; kirjoita se muodossa #rrggbb (tai #rgb), esim. #0b4f8a",
        "{value} är inte en färg; skriv den som #rrggbb (eller #rgb), t.ex. #0b4f8a",
    ),
    Shape(
        "contrast",
        r"(?P<colour>#[0-9a-f]+) on (?P<against>\w+) (?P<other>#[0-9a-f]+) has a contrast ratio "
        r"of (?P<ratio>\S+); (?P<purpose>.+) must have at least (?P<least>\S+):1 \(WCAG 2\.2 AA\)",
        "värin {colour} kontrastisuhde kohdan `{against}` väriin {other} on {ratio}; "
        "{purpose} kontrastisuhteen on oltava vähintään {least}:1 (WCAG 2.2 AA)",
        "färgen {colour} mot `{against}` {other} har kontrastförhållandet {ratio}; {purpose} "
        "måste ha minst {least}:1 (WCAG 2.2 AA)",
        {"purpose": _CONTRAST_PURPOSES},
    ),
    Shape(
        "logo-path",
        rf"(?P<value>{_R}) is not a logo file; give a path inside the content folder ending in "
        r"\.svg or \.png, e\.g\. logo\.svg",
        "{value} ei kelpaa logotiedostoksi; anna sisältökansiossa olevan tiedoston polku, joka "
        "päättyy .svg tai .png, esim. logo.svg",
        "{value} är inte en logotypfil; ange sökvägen till en fil i innehållsmappen som slutar "
        "på .svg eller .png, t.ex. logo.svg",
    ),
    Shape(
        "language-twice",
        rf"(?P<lang>{_R}) is listed twice; list each language once",
        "{lang} on luettelossa kahdesti; mainitse kukin kieli vain kerran",
        "{lang} står två gånger; ange varje språk en gång",
    ),
    Shape(
        "unknown-purpose",
        rf"(?P<key>(?:recipients|automated_decisions)\.\d+) names unknown purpose id (?P<id>{_R}) "
        r"\(purpose ids: (?P<ids>.+)\)",
        "{key} viittaa tuntemattomaan käyttötarkoituksen tunnukseen {id} "
        "(käyttötarkoitusten tunnukset: {ids})",
        "{key} anger ett okänt id för ändamål {id} (ändamålens id: {ids})",
        {"ids": _NONE_GIVEN},
    ),
    Shape(
        "recipient-id-twice",
        rf"recipient id (?P<id>{_R}) is given twice",
        "vastaanottajan tunnus {id} on annettu kahdesti",
        "mottagar-id {id} anges två gånger",
    ),
    Shape(
        "processor-role",
        r"(?P<key>recipients\.\d+) names a `processor` but its role is not `sub_processor`",
        "{key} antaa `processor`-kohdan, mutta sen rooli ei ole `sub_processor`",
        "{key} anger en `processor` men dess roll är inte `sub_processor`",
    ),
    Shape(
        "unknown-processor",
        rf"(?P<key>recipients\.\d+) names unknown processor id (?P<id>{_R}) \(ids of "
        r"recipients with role `processor`: (?P<ids>.+)\)",
        "{key} viittaa tuntemattomaan käsittelijän tunnukseen {id} "
        "(`processor`-roolisten vastaanottajien tunnukset: {ids})",
        "{key} anger ett okänt id för personuppgiftsbiträde {id} (id för mottagare "
        "med rollen `processor`: {ids})",
        {"ids": _NONE_GIVEN},
    ),
    Shape(
        "category-id-twice",
        rf"data category id (?P<id>{_R}) is given twice",
        "tietoryhmän tunnus {id} on annettu kahdesti",
        "id:t {id} för en uppgiftskategori anges två gånger",
    ),
    Shape(
        "unknown-category",
        rf"(?P<key>purposes\.\d+\.data_categories) names unknown data category id (?P<id>{_R}) "
        r"\(data category ids: (?P<ids>.+)\)",
        "{key} viittaa tuntemattomaan tietoryhmän tunnukseen {id} (tietoryhmien tunnukset: {ids})",
        "{key} anger ett okänt id för uppgiftskategori {id} (uppgiftskategoriernas id: {ids})",
        {"ids": _NONE_GIVEN},
    ),
    # --- The logo file (notice/theme.py `logo_problem`) ----------------------------------------
    Shape(
        "logo-missing",
        rf"(?P<logo>{_R}) is not a file in the content folder (?P<root>.+)",
        "{logo} ei ole tiedosto sisältökansiossa {root}",
        "{logo} är inte en fil i innehållsmappen {root}",
    ),
    Shape(
        "logo-size",
        rf"(?P<logo>{_R}) is (?P<size>\d+) KiB; a logo may be at most 512 KiB",
        "{logo} on {size} KiB; logo saa olla enintään 512 KiB",
        "{logo} är {size} KiB; en logotyp får vara högst 512 KiB",
    ),
    Shape(
        "logo-not-png",
        rf"(?P<logo>{_R}) is not a PNG image \(its first bytes are not a PNG signature\)",
        "{logo} ei ole PNG-kuva (tiedoston alussa ei ole PNG-tunnistetta)",
        "{logo} är inte en PNG-bild (filen börjar inte med en PNG-signatur)",
    ),
    Shape(
        "svg-doctype",
        rf"(?P<logo>{_R}) declares a DOCTYPE or entities; save the SVG without them",
        "{logo} sisältää DOCTYPE-määrittelyn tai entiteettejä; tallenna SVG ilman niitä",
        "{logo} innehåller en DOCTYPE eller entiteter; spara SVG-filen utan dem",
    ),
    Shape(
        "svg-malformed",
        rf"(?P<logo>{_R}) is not a well-formed SVG file \((?P<problem>.+)\)",
        "{logo} ei ole muodoltaan kelvollinen SVG-tiedosto ({problem})",
        "{logo} är inte en välformad SVG-fil ({problem})",
    ),
    Shape(
        "svg-root",
        rf"(?P<logo>{_R}) is not an SVG image \(its root element is <(?P<tag>[^>]*)>\)",
        "{logo} ei ole SVG-kuva (sen juurielementti on <{tag}>)",
        "{logo} är inte en SVG-bild (dess rotelement är <{tag}>)",
    ),
    Shape(
        "svg-element",
        rf"(?P<logo>{_R}) contains <(?P<tag>[^>]*)>; a logo may not run code or embed other files",
        "{logo} sisältää elementin <{tag}>; logo ei saa suorittaa koodia eikä upottaa muita "
        "tiedostoja",
        "{logo} innehåller <{tag}>; en logotyp får inte köra kod eller bädda in andra filer",
    ),
    Shape(
        "svg-style",
        rf"(?P<logo>{_R}) has a style that loads another file; a logo must be self-contained",
        "{logo} sisältää tyylin, joka lataa toisen tiedoston; logon on toimittava ilman muita "
        "tiedostoja",
        "{logo} har en stil som läser in en annan fil; en logotyp måste vara fristående",
    ),
    Shape(
        "svg-handler",
        rf"(?P<logo>{_R}) has an event handler \((?P<key>[^)]*)\); a logo may not run code",
        "{logo} sisältää tapahtumankäsittelijän ({key}); logo ei saa suorittaa koodia",
        "{logo} har en händelsehanterare ({key}); en logotyp får inte köra kod",
    ),
    Shape(
        "svg-reference-in",
        rf"(?P<logo>{_R}) refers to another file in (?P<key>{_R}); a logo must be self-contained",
        "{logo} viittaa toiseen tiedostoon kohdassa {key}; logon on toimittava ilman muita "
        "tiedostoja",
        "{logo} hänvisar till en annan fil i {key}; en logotyp måste vara fristående",
    ),
    Shape(
        "svg-reference",
        rf"(?P<logo>{_R}) refers to (?P<target>{_R}); a logo must be self-contained",
        "{logo} viittaa kohteeseen {target}; logon on toimittava ilman muita tiedostoja",
        "{logo} hänvisar till {target}; en logotyp måste vara fristående",
    ),
    # --- Slugs (notice/checking.py `refuse_bad_slugs`) -----------------------------------------
    Shape(
        "slug-characters",
        rf"slug (?P<slug>{_R}) may hold only lowercase letters a-z, digits and hyphens \(it "
        r"becomes part of the page's address\)",
        "osoitetunnuksessa (slug) {slug} saa olla vain pieniä kirjaimia a–z, numeroita ja "
        "yhdysmerkkejä (siitä tulee osa sivun osoitetta)",
        "adressnamnet (slug) {slug} får bara innehålla gemena bokstäver a–z, siffror och "
        "bindestreck (det blir en del av sidans adress)",
    ),
    Shape(
        "slug-reserved",
        rf"(?P<slug>{_R}) is reserved",
        "{slug} on varattu",
        "{slug} är reserverat",
    ),
    Shape(
        "slug-taken",
        rf"slug (?P<slug>{_R}) is also used by register (?P<id>{_R})",
        "osoitetunnusta (slug) {slug} käyttää myös rekisteri {id}",
        "adressnamnet (slug) {slug} används också av registret {id}",
    ),
]
"""Every message shape of the loader, the model and the slug check, most specific first."""


def translate(message: str, lang: str | None) -> str:
    """Return a load error's English `message` in `lang` (fi or sv); unchanged for English, for
    another language, or when no shape matches it."""
    if lang not in LANGUAGES:
        return message
    for shape in SHAPES:
        try:
            done = shape.translate(message, lang)
        except (KeyError, IndexError, ValueError):  # a template that does not fit: stay English
            done = None
        if done:
            return done
    return message


def shapes_used(message: str) -> list[str]:
    """Return the names of the shapes that translating `message` uses: its own, then those of
    its pieces (for the test that every shape is produced by some real bad input)."""
    used: list[str] = []
    token = _USED.set(used)
    try:
        translate(message, LANGUAGES[0])
    finally:
        _USED.reset(token)
    return used


def closing_line(count: int, lang: str | None, *, writes: bool) -> str:
    """Return the line after the load errors: "1 error in content." in `lang` (en by default)."""
    if lang == "fi":
        line = f"Sisällössä on {count} {'virhe' if count == 1 else 'virhettä'}"
        return line + ("; mitään ei kirjoitettu." if writes else ".")
    if lang == "sv":
        return f"Innehållet har {count} fel" + ("; ingenting har skrivits." if writes else ".")
    line = f"{count} {'error' if count == 1 else 'errors'} in content"
    return line + ("; nothing was written." if writes else ".")
