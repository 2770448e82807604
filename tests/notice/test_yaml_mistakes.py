"""YAML mistakes a person makes editing the content, told where, what and how in fi, sv and en.

Each case is one realistic mistake in a clean content folder of tests/notice/fixtures_yaml/ (a
physiotherapy practice in Kuopio, a sailing club in Vasa that writes Swedish first, a housing
company in Tampere): `notice check --lang` reports it as `file:line: key: message` and exits 1.
The line is the one to fix, which is often not where the parser stopped (an unclosed quote is
found at the next quote, a missing colon on the line after it); the key is the nearest key the
line stands under; the message names the mistake and its fix, with no word of the parser's own.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from click.testing import CliRunner

from notice import loader
from notice.cli import main
from notice.loader import ContentError, load_content

FIXTURES = Path(__file__).parent / "fixtures_yaml"


class Mistake(NamedTuple):
    """A mistake: the file, its clean text and the text written instead; what is reported."""

    story: str
    file: str  # <folder>/<path in the content folder>
    old: str
    new: str
    line: int
    key: str
    en: str
    fi: str
    sv: str

    def write(self, tmp_path: Path) -> tuple[Path, Path]:
        """Copy the clean folder to `tmp_path` with the mistake; return it and the file."""
        folder, rel = self.file.split("/", 1)
        root = Path(shutil.copytree(FIXTURES / folder, tmp_path / folder))
        path = root / rel
        text = path.read_text("utf-8")
        assert text.count(self.old) == 1, self.story
        path.write_text(text.replace(self.old, self.new), "utf-8")
        return root, path

    def reported(self, path: Path, lang: str) -> str:
        """Return the line `notice check --lang lang` prints for the mistake in `path`."""
        key = f" {self.key}:" if self.key else ""
        return f"{path}:{self.line}:{key} {getattr(self, lang)}"


MISTAKES = [
    Mistake(
        "a purpose's '-' one space too far",
        "mannisto/registers/asiakkaat.yaml",
        "  - id: laskutus",
        "   - id: laskutus",
        32,
        "purposes",
        "this '-' item is indented 3 spaces, but the items of `purposes` above it are indented "
        "2 (line 22): line it up with them",
        "tämä '-'-kohta on sisennetty 3 välilyönnillä, mutta luettelon `purposes` yläpuolella "
        "olevat kohdat 2 välilyönnillä (rivi 22): tasaa se niiden kanssa",
        "den här '-'-posten är indragen 3 blanksteg, men posterna i `purposes` ovanför är "
        "indragna 2 blanksteg (rad 22): rada upp den med dem",
    ),
    Mistake(
        "a purpose pasted at the left margin",
        "kvarken/registers/medlemmar.yaml",
        "  - id: kvarkenbladet\n    description:\n      sv: Medlemsbladet Kvarkenbladet per "
        "e-post.\n      fi: Kvarkenbladet-jäsenlehti sähköpostitse.\n      en: The members' "
        "newsletter Kvarkenbladet by e-mail.\n    legal_bases: [consent]\n",
        "- id: kvarkenbladet\n  description:\n    sv: Medlemsbladet Kvarkenbladet per e-post.\n "
        "   fi: Kvarkenbladet-jäsenlehti sähköpostitse.\n    en: The members' newsletter "
        "Kvarkenbladet by e-mail.\n  legal_bases: [consent]\n",
        28,
        "purposes",
        "this '-' item is indented 0 spaces, but the items of `purposes` above it are indented "
        "2 (line 18): line it up with them",
        "tämä '-'-kohta on sisennetty 0 välilyönnillä, mutta luettelon `purposes` yläpuolella "
        "olevat kohdat 2 välilyönnillä (rivi 18): tasaa se niiden kanssa",
        "den här '-'-posten är indragen 0 blanksteg, men posterna i `purposes` ovanför är "
        "indragna 2 blanksteg (rad 18): rada upp den med dem",
    ),
    Mistake(
        "a data category's '-' one space short",
        "pyynikinrinne/registers/asukkaat.yaml",
        "  - fi: Puhelinnumero ja sähköpostiosoite\n    en: Phone",
        " - fi: Puhelinnumero ja sähköpostiosoite\n   en: Phone",
        36,
        "data_categories",
        "this '-' item is indented 1 space, but the items of `data_categories` above it are "
        "indented 2 (line 34): line it up with them",
        "tämä '-'-kohta on sisennetty 1 välilyönnillä, mutta luettelon `data_categories` "
        "yläpuolella olevat kohdat 2 välilyönnillä (rivi 34): tasaa se niiden kanssa",
        "den här '-'-posten är indragen 1 blanksteg, men posterna i `data_categories` ovanför "
        "är indragna 2 blanksteg (rad 34): rada upp den med dem",
    ),
    Mistake(
        "the first data category one space short, the next one right",
        "pyynikinrinne/registers/asukkaat.yaml",
        "  - fi: Nimi, huoneisto ja osakkeiden numerot\n    en: Name,",
        " - fi: Nimi, huoneisto ja osakkeiden numerot\n   en: Name,",
        36,
        "data_categories",
        "this '-' item is indented 2 spaces, but the items of `data_categories` above it are "
        "indented 1 (line 34): line it up with them",
        "tämä '-'-kohta on sisennetty 2 välilyönnillä, mutta luettelon `data_categories` "
        "yläpuolella olevat kohdat 1 välilyönnillä (rivi 34): tasaa se niiden kanssa",
        "den här '-'-posten är indragen 2 blanksteg, men posterna i `data_categories` ovanför "
        "är indragna 1 blanksteg (rad 34): rada upp den med dem",
    ),
    Mistake(
        "a purpose's '-' as far in as the keys above it",
        "mannisto/registers/asiakkaat.yaml",
        "  - id: laskutus",
        "    - id: laskutus",
        32,
        "purposes",
        "this '-' item is indented 4 spaces, but the items of `purposes` above it are indented "
        "2 (line 22): line it up with them",
        "tämä '-'-kohta on sisennetty 4 välilyönnillä, mutta luettelon `purposes` yläpuolella "
        "olevat kohdat 2 välilyönnillä (rivi 22): tasaa se niiden kanssa",
        "den här '-'-posten är indragen 4 blanksteg, men posterna i `purposes` ovanför är "
        "indragna 2 blanksteg (rad 22): rada upp den med dem",
    ),
    Mistake(
        "a '-' without its space",
        "kvarken/registers/medlemmar.yaml",
        "  - id: forteckning",
        "  -id: forteckning",
        18,
        "purposes",
        "the '-' of a list item needs a space after it: write `- id:`",
        "luettelon kohdan '-'-merkin perään tarvitaan välilyönti: kirjoita `- id:`",
        "'-' i en listpost behöver ett blanksteg efter sig: skriv `- id:`",
    ),
    Mistake(
        "a list item's key at the indentation of its '-'",
        "pyynikinrinne/registers/asukkaat.yaml",
        "  - id: huolto\n    description:",
        "  - id: huolto\n  description:",
        20,
        "purposes.1",
        "`description:` is indented as far as the '-' of the items of `purposes`, where only a "
        "'- ' item can start: indent it as far as `id:` on line 19",
        "`description:` on sisennetty yhtä syvälle kuin luettelon `purposes` kohtien "
        "'-'-merkit, ja sillä tasolla voi alkaa vain uusi '- '-kohta: sisennä se samalle "
        "tasolle kuin rivin 19 `id:`",
        "`description:` är lika långt indraget som '-' för posterna i `purposes`, där bara en "
        "ny '- '-post kan börja: dra in det lika långt som `id:` på rad 19",
    ),
    Mistake(
        "a list item on its key's line",
        "kvarken/registers/medlemmar.yaml",
        "    legal_bases: [contract]",
        "    legal_bases: - contract",
        17,
        "purposes.0.legal_bases",
        "a '- ' item cannot stand on the line of `legal_bases:`: put each item on a line of its "
        "own below it, indented more than `legal_bases:`, or write the list as […] on this line",
        "'- '-kohta ei voi olla samalla rivillä kuin `legal_bases:`: kirjoita kukin kohta "
        "omalle rivilleen sen alle syvemmälle sisennettynä kuin `legal_bases:` tai kirjoita "
        "luettelo tälle riville muodossa […]",
        "en '- '-post kan inte stå på samma rad som `legal_bases:`: skriv varje post på en egen "
        "rad under den, längre indragen än `legal_bases:`, eller skriv listan som […] på den "
        "här raden",
    ),
    Mistake(
        "a key alone on its line without its colon",
        "mannisto/registers/tyonhakijat.yaml",
        "retention:\n",
        "retention\n",
        36,
        "retention",
        "no ':' after the key `retention`: write `retention:`",
        "avaimen `retention` perästä puuttuu ':': kirjoita `retention:`",
        "':' saknas efter nyckeln `retention`: skriv `retention:`",
    ),
    Mistake(
        "a key and its list without the colon",
        "kvarken/registers/medlemmar.yaml",
        "    legal_bases: [contract]\n",
        "    legal_bases [contract]\n",
        17,
        "purposes.0.legal_bases",
        "no ':' after the key `legal_bases`: write `legal_bases:`",
        "avaimen `legal_bases` perästä puuttuu ':': kirjoita `legal_bases:`",
        "':' saknas efter nyckeln `legal_bases`: skriv `legal_bases:`",
    ),
    Mistake(
        "a list item's first key without its colon",
        "mannisto/registers/asiakkaat.yaml",
        "  - id: laskutus",
        "  - id laskutus",
        32,
        "purposes.1.id",
        "no ':' after the key `id`: write `id:`",
        "avaimen `id` perästä puuttuu ':': kirjoita `id:`",
        "':' saknas efter nyckeln `id`: skriv `id:`",
    ),
    Mistake(
        "a key and its texts in braces without the colon",
        "mannisto/registers/tyonhakijat.yaml",
        "name: {fi:",
        "name {fi:",
        5,
        "name",
        "no ':' after the key `name`: write `name:`",
        "avaimen `name` perästä puuttuu ':': kirjoita `name:`",
        "':' saknas efter nyckeln `name`: skriv `name:`",
    ),
    Mistake(
        "no space after the colon of an e-mail address",
        "pyynikinrinne/site.yaml",
        "  email: hallitus@",
        "  email:hallitus@",
        11,
        "controller.email",
        "no space after `email:`: put a space between the ':' and the value",
        "avaimen `email:` perästä puuttuu välilyönti: lisää välilyönti kaksoispisteen ja arvon "
        "väliin",
        "blanksteg saknas efter `email:`: sätt ett blanksteg mellan ':' och värdet",
    ),
    Mistake(
        "a semicolon for a colon",
        "kvarken/registers/medlemmar.yaml",
        "  sv: Utan namn och hemort",
        "  sv; Utan namn och hemort",
        39,
        "provision_requirement.sv",
        "`sv;` has ';' where a key's ':' belongs: write `sv:`",
        "avaimen `sv;` perässä on ';' kaksoispisteen paikalla: kirjoita `sv:`",
        "`sv;` har ';' där nyckelns ':' ska stå: skriv `sv:`",
    ),
    Mistake(
        "a tab before a key",
        "kvarken/registers/medlemmar.yaml",
        "security:\n  electronic:",
        "security:\n\telectronic:",
        80,
        "security",
        "tab character in indentation; indent with spaces",
        "sisennyksessä on sarkainmerkki; sisennä välilyönneillä",
        "indraget innehåller ett tabbtecken; dra in med blanksteg",
    ),
    Mistake(
        "a tab amid the spaces",
        "mannisto/registers/asiakkaat.yaml",
        "      sv: Fakturering",
        "    \t  sv: Fakturering",
        35,
        "purposes.1.description",
        "tab character in indentation; indent with spaces",
        "sisennyksessä on sarkainmerkki; sisennä välilyönneillä",
        "indraget innehåller ett tabbtecken; dra in med blanksteg",
    ),
    Mistake(
        "a tab before a language",
        "pyynikinrinne/registers/asukkaat.yaml",
        "  en: Shareholders and residents.",
        "\ten: Shareholders and residents.",
        32,
        "data_subjects",
        "tab character in indentation; indent with spaces",
        "sisennyksessä on sarkainmerkki; sisennä välilyönneillä",
        "indraget innehåller ett tabbtecken; dra in med blanksteg",
    ),
    Mistake(
        "a double quote never closed",
        "mannisto/registers/asiakkaat.yaml",
        "  - fi: Nimi, henkilötunnus ja yhteystiedot",
        '  - fi: "Nimi, henkilötunnus ja yhteystiedot',
        47,
        "data_categories.0.fi",
        'the quote " that starts this text is not closed on its line: end the text with "',
        'tekstin aloittavaa lainausmerkkiä " ei suljeta samalla rivillä: päätä teksti merkkiin "',
        'citattecknet " som inleder texten stängs inte på samma rad: avsluta texten med "',
    ),
    Mistake(
        "a double quote closed by the next quote in the file",
        "mannisto/site.yaml",
        '  postal_code: "70100"',
        '  postal_code: "70100',
        9,
        "controller.postal_code",
        'the quote " that starts this text is not closed on its line: end the text with "',
        'tekstin aloittavaa lainausmerkkiä " ei suljeta samalla rivillä: päätä teksti merkkiin "',
        'citattecknet " som inleder texten stängs inte på samma rad: avsluta texten med "',
    ),
    Mistake(
        "a single quote closed by an apostrophe further down",
        "kvarken/registers/medlemmar.yaml",
        "  en: Without your name and home town you cannot become a member.",
        "  en: 'Without your name and home town you cannot become a member.",
        41,
        "provision_requirement.en",
        "the quote ' that starts this text is not closed on its line: end the text with '",
        "tekstin aloittavaa lainausmerkkiä ' ei suljeta samalla rivillä: päätä teksti merkkiin '",
        "citattecknet ' som inleder texten stängs inte på samma rad: avsluta texten med '",
    ),
    Mistake(
        "an apostrophe inside single quotes",
        "kvarken/registers/medlemmar.yaml",
        "  en: The club's members and honorary members.",
        "  en: 'The club's members and honorary members.'",
        45,
        "data_subjects.en",
        "the line goes on after the quoted text `'The club'`: write the apostrophe in club's "
        "twice (club''s), or put the whole text in double quotes (\"…\")",
        "rivi jatkuu lainausmerkeissä olevan tekstin `'The club'` jälkeen: kirjoita sanan "
        "club's heittomerkki kahdesti (club''s) tai kirjoita koko teksti lainausmerkkeihin "
        '("…")',
        "raden fortsätter efter texten inom citattecken `'The club'`: skriv apostrofen i club's "
        "två gånger (club''s) eller sätt hela texten inom dubbla citattecken (\"…\")",
    ),
    Mistake(
        "a list in brackets never closed",
        "mannisto/registers/asiakkaat.yaml",
        "legal_bases: [contract, legal_obligation]",
        "legal_bases: [contract, legal_obligation",
        37,
        "purposes.1.legal_bases",
        "the '[' on this line is not closed: add ']' after its last item",
        "tällä rivillä olevaa merkkiä '[' ei suljeta: lisää ']' viimeisen kohdan perään",
        "tecknet '[' på den här raden stängs inte: lägg till ']' efter det sista ledet",
    ),
    Mistake(
        "texts in braces never closed",
        "kvarken/registers/medlemmar.yaml",
        "slug: {sv: medlemsregister, fi: jasenrekisteri, en: members}",
        "slug: {sv: medlemsregister, fi: jasenrekisteri, en: members",
        4,
        "slug",
        "the '{' on this line is not closed: add '}' after its last item",
        "tällä rivillä olevaa merkkiä '{' ei suljeta: lisää '}' viimeisen kohdan perään",
        "tecknet '{' på den här raden stängs inte: lägg till '}' efter det sista ledet",
    ),
    Mistake(
        "a comma missing between two texts in braces",
        "pyynikinrinne/registers/asukkaat.yaml",
        "slug: {fi: osakkaat-ja-asukkaat, en:",
        "slug: {fi: osakkaat-ja-asukkaat en:",
        4,
        "slug",
        "a comma is missing before `en:`: separate the items inside '{…}' with commas",
        "ennen kohtaa `en:` puuttuu pilkku: erota merkkien '{…}' sisällä olevat kohdat "
        "toisistaan pilkuilla",
        "ett kommatecken saknas före `en:`: skilj leden inom '{…}' åt med kommatecken",
    ),
    Mistake(
        "a list closed with the wrong bracket",
        "mannisto/registers/tyonhakijat.yaml",
        "legal_bases: [contract]",
        "legal_bases: [contract}",
        14,
        "purposes.0.legal_bases",
        "the '[' is closed with '}': close it with ']'",
        "merkki '[' suljetaan merkillä '}': sulje se merkillä ']'",
        "tecknet '[' stängs med '}': stäng det med ']'",
    ),
    Mistake(
        "one ']' too many",
        "mannisto/registers/asiakkaat.yaml",
        "legal_bases: [contract, legal_obligation]",
        "legal_bases: [contract, legal_obligation]]",
        37,
        "purposes.1.legal_bases",
        "one ']' too many: the '[' is closed before it; remove the extra ']'",
        "yksi ']' liikaa: merkki '[' on suljettu jo ennen sitä; poista ylimääräinen ']'",
        "ett ']' för mycket: tecknet '[' är redan stängt före det; ta bort det extra ']'",
    ),
    Mistake(
        "a '-' before a recipient's next key",
        "mannisto/registers/asiakkaat.yaml",
        "    role: processor\n    purpose:",
        "    role: processor\n    - purpose:",
        63,
        "recipients.0",
        "a '-' list item among keys (`role:` on line 62 is at the same indentation): remove the "
        "'-'",
        "'-'-luettelokohta avainten joukossa (rivin 62 `role:` on samalla sisennyksellä): "
        "poista '-'",
        "en '-'-post bland nycklar (`role:` på rad 62 har samma indrag): ta bort '-'",
    ),
    Mistake(
        "a '-' before the next language of a data category",
        "kvarken/registers/medlemmar.yaml",
        "  - sv: Båtens namn, typ och båtplats\n    fi:",
        "  - sv: Båtens namn, typ och båtplats\n    - fi:",
        51,
        "data_categories.1",
        "a '-' list item among keys (`sv:` on line 50 is at the same indentation): remove the '-'",
        "'-'-luettelokohta avainten joukossa (rivin 50 `sv:` on samalla sisennyksellä): poista '-'",
        "en '-'-post bland nycklar (`sv:` på rad 50 har samma indrag): ta bort '-'",
    ),
    Mistake(
        "a '-' before a top-level key",
        "pyynikinrinne/registers/asukkaat.yaml",
        "transfers: none",
        "- transfers: none",
        49,
        "",
        "a '-' list item among keys (`recipients:` on line 41 is at the same indentation): "
        "remove the '-'",
        "'-'-luettelokohta avainten joukossa (rivin 41 `recipients:` on samalla sisennyksellä): "
        "poista '-'",
        "en '-'-post bland nycklar (`recipients:` på rad 41 har samma indrag): ta bort '-'",
    ),
    Mistake(
        "a language after a folded text, one space too far",
        "mannisto/registers/asiakkaat.yaml",
        "    120 vuotta syntymästä.\n  sv: >-",
        "    120 vuotta syntymästä.\n   sv: >-",
        72,
        "retention.fi",
        "`sv:` is indented more than `fi:` on line 69, as if it belonged under it, but `fi:` "
        "already has its value: indent `sv:` as far as `fi:`",
        "`sv:` on sisennetty syvemmälle kuin rivin 69 `fi:`, ikään kuin se kuuluisi sen alle, "
        "mutta kohdalla `fi:` on jo arvo: sisennä `sv:` samalle tasolle kuin `fi:`",
        "`sv:` är längre indraget än `fi:` på rad 69, som om det låg under den, men `fi:` har "
        "redan ett värde: dra in `sv:` lika långt som `fi:`",
    ),
    Mistake(
        "a language after a folded text, one space short",
        "kvarken/registers/medlemmar.yaml",
        "    medlemskapet upphört, utom det som bokföringslagen kräver.\n  fi: >-",
        "    medlemskapet upphört, utom det som bokföringslagen kräver.\n fi: >-",
        72,
        "retention",
        "`fi:` is indented 1 space, but the keys and '-' items above it are indented 2 (`sv:` "
        "on line 69) or 0 (`retention:` on line 68): line it up with the one it belongs beside",
        "`fi:` on sisennetty 1 välilyönnillä, mutta sen yläpuolella olevien avainten ja "
        "'-'-kohtien sisennys on 2 (`sv:` rivillä 69) tai 0 (`retention:` rivillä 68): tasaa se "
        "sen kohdan kanssa, jonka rinnalle se kuuluu",
        "`fi:` är indraget 1 blanksteg, men nycklarna och '-'-posterna ovanför har indraget 2 "
        "(`sv:` på rad 69) eller 0 (`retention:` på rad 68): dra in raden lika långt som den "
        "nyckel eller post den hör ihop med",
    ),
    Mistake(
        "a quoted name followed by more words",
        "kvarken/registers/medlemmar.yaml",
        "      fi: Kvarkenbladet-jäsenlehti sähköpostitse.",
        '      fi: "Kvarkenbladet" -jäsenlehti sähköpostitse.',
        31,
        "purposes.2.description.fi",
        'the line goes on after the quoted text `"Kvarkenbladet"`: put the whole text in single '
        "quotes ('…'), inside which \" is an ordinary character",
        'rivi jatkuu lainausmerkeissä olevan tekstin `"Kvarkenbladet"` jälkeen: kirjoita koko '
        "teksti heittomerkkeihin ('…'), joiden sisällä \" on tavallinen merkki",
        'raden fortsätter efter texten inom citattecken `"Kvarkenbladet"`: sätt hela texten '
        "inom enkla citattecken ('…'), där \" är ett vanligt tecken",
    ),
    Mistake(
        "a quoted title followed by a remark",
        "pyynikinrinne/registers/asukkaat.yaml",
        "  fi: Osakas- ja asukasluettelo",
        '  fi: "Osakas- ja asukasluettelo" (taloyhtiön rekisteri)',
        6,
        "name.fi",
        'the line goes on after the quoted text `"Osakas- ja asukasluettelo"`: put the whole '
        "text in single quotes ('…'), inside which \" is an ordinary character",
        'rivi jatkuu lainausmerkeissä olevan tekstin `"Osakas- ja asukasluettelo"` jälkeen: '
        "kirjoita koko teksti heittomerkkeihin ('…'), joiden sisällä \" on tavallinen merkki",
        'raden fortsätter efter texten inom citattecken `"Osakas- ja asukasluettelo"`: sätt '
        "hela texten inom enkla citattecken ('…'), där \" är ett vanligt tecken",
    ),
    Mistake(
        "a single-quoted name followed by more words",
        "kvarken/registers/medlemmar.yaml",
        "      sv: Medlemsbladet Kvarkenbladet per e-post.",
        "      sv: 'Kvarkenbladet' per e-post.",
        30,
        "purposes.2.description.sv",
        "the line goes on after the quoted text `'Kvarkenbladet'`: put the whole text in double "
        'quotes ("…"), inside which \' is an ordinary character',
        "rivi jatkuu lainausmerkeissä olevan tekstin `'Kvarkenbladet'` jälkeen: kirjoita koko "
        'teksti lainausmerkkeihin ("…"), joiden sisällä \' on tavallinen merkki',
        "raden fortsätter efter texten inom citattecken `'Kvarkenbladet'`: sätt hela texten "
        'inom dubbla citattecken ("…"), där \' är ett vanligt tecken',
    ),
    Mistake(
        "double quotes inside a double-quoted text",
        "mannisto/registers/asiakkaat.yaml",
        "      fi: Käyntien laskuttaminen ja Kela-korvausten hakeminen.",
        '      fi: "Käyntien laskuttaminen ja "Kela-korvausten" hakeminen."',
        34,
        "purposes.1.description.fi",
        'the line goes on after the quoted text `"Käyntien laskuttaminen ja "`: put the whole '
        "text in single quotes ('…'), inside which \" is an ordinary character",
        'rivi jatkuu lainausmerkeissä olevan tekstin `"Käyntien laskuttaminen ja "` jälkeen: '
        "kirjoita koko teksti heittomerkkeihin ('…'), joiden sisällä \" on tavallinen merkki",
        'raden fortsätter efter texten inom citattecken `"Käyntien laskuttaminen ja "`: sätt '
        "hela texten inom enkla citattecken ('…'), där \" är ett vanligt tecken",
    ),
    Mistake(
        "a ': ' in a one-line text",
        "mannisto/registers/tyonhakijat.yaml",
        "  fi: Hakemukset hävitetään",
        "  fi: Huom: hakemukset hävitetään",
        37,
        "retention.fi",
        "the text of `fi:` has ': ' in it (after `Huom`), which YAML reads as the start of a "
        "key: put the whole text in quotes ('…')",
        "kohdan `fi:` tekstissä on ': ' (sanan `Huom` jälkeen), jonka YAML lukee avaimen "
        "aluksi: kirjoita koko teksti lainausmerkkeihin ('…')",
        "texten under `fi:` innehåller ': ' (efter `Huom`), som YAML läser som början på en "
        "nyckel: sätt hela texten inom citattecken ('…')",
    ),
    Mistake(
        "a ': ' in a Swedish text",
        "kvarken/registers/medlemmar.yaml",
        "  sv: Medlemmen själv.",
        "  sv: Obs: medlemmen själv.",
        54,
        "sources.sv",
        "the text of `sv:` has ': ' in it (after `Obs`), which YAML reads as the start of a "
        "key: put the whole text in quotes ('…')",
        "kohdan `sv:` tekstissä on ': ' (sanan `Obs` jälkeen), jonka YAML lukee avaimen aluksi: "
        "kirjoita koko teksti lainausmerkkeihin ('…')",
        "texten under `sv:` innehåller ': ' (efter `Obs`), som YAML läser som början på en "
        "nyckel: sätt hela texten inom citattecken ('…')",
    ),
    Mistake(
        "a ': ' after a word that is also a key",
        "mannisto/registers/tyonhakijat.yaml",
        "  en: Applying is voluntary; without the data we cannot process your application.",
        "  en: Applying is voluntary; ask by email: tietosuoja@fysiomannisto.example.fi",
        18,
        "provision_requirement.en",
        "the text of `en:` has ': ' in it (after `email`), which YAML reads as the start of a "
        "key: put the whole text in quotes ('…')",
        "kohdan `en:` tekstissä on ': ' (sanan `email` jälkeen), jonka YAML lukee avaimen "
        "aluksi: kirjoita koko teksti lainausmerkkeihin ('…')",
        "texten under `en:` innehåller ': ' (efter `email`), som YAML läser som början på en "
        "nyckel: sätt hela texten inom citattecken ('…')",
    ),
    Mistake(
        "two languages on one line",
        "pyynikinrinne/registers/asukkaat.yaml",
        "  fi: Osakkaat ja asukkaat.\n  en: Shareholders and residents.",
        "  fi: Osakkaat ja asukkaat. en: Shareholders and residents.",
        31,
        "data_subjects.fi",
        "`en:` is on the line of `fi:`: put `en:` on a line of its own, as far in as `fi:`",
        "`en:` on samalla rivillä kuin `fi:`: siirrä `en:` omalle rivilleen samalle tasolle "
        "kuin `fi:`",
        "`en:` står på samma rad som `fi:`: flytta `en:` till en egen rad, lika långt indragen "
        "som `fi:`",
    ),
    Mistake(
        "a text's second line at its key's indentation",
        "mannisto/registers/tyonhakijat.yaml",
        "  fi: Hakija itse; ammattioikeudet tarkistetaan Terhikki-rekisteristä.",
        "  fi: Hakija itse; ammattioikeudet tarkistetaan\n  Terhikki-rekisteristä.",
        32,
        "sources.fi",
        "this line goes on with the text of `fi:` but is indented only as far as `fi:`: indent "
        "it more than `fi:`, or join it to the line above",
        "tämä rivi jatkaa kohdan `fi:` tekstiä, mutta se on sisennetty vain yhtä syvälle kuin "
        "`fi:`: sisennä rivi syvemmälle kuin `fi:` tai yhdistä se edelliseen riviin",
        "raden fortsätter texten under `fi:` men är bara lika långt indragen som `fi:`: dra in "
        "raden längre än `fi:` eller slå ihop den med raden ovanför",
    ),
    Mistake(
        "a folded text not indented under its key",
        "pyynikinrinne/registers/asukkaat.yaml",
        "  fi: Osakasluettelon tietoja säilytetään pysyvästi; asukastiedot poistetaan muuton "
        "jälkeen.",
        "  fi: >-\n  Osakasluettelon tietoja säilytetään pysyvästi; asukastiedot poistetaan "
        "muuton jälkeen.",
        52,
        "retention.fi",
        "this line goes on with the text of `fi:` but is indented only as far as `fi:`: indent "
        "it more than `fi:`, or join it to the line above",
        "tämä rivi jatkaa kohdan `fi:` tekstiä, mutta se on sisennetty vain yhtä syvälle kuin "
        "`fi:`: sisennä rivi syvemmälle kuin `fi:` tai yhdistä se edelliseen riviin",
        "raden fortsätter texten under `fi:` men är bara lika långt indragen som `fi:`: dra in "
        "raden längre än `fi:` eller slå ihop den med raden ovanför",
    ),
    Mistake(
        "a Markdown link at the start of a text",
        "mannisto/registers/tyonhakijat.yaml",
        "  fi: Hakija itse; ammattioikeudet tarkistetaan Terhikki-rekisteristä.",
        "  fi: [Valviran](https://www.valvira.fi) Terhikki-rekisteri ja hakija itse.",
        31,
        "sources.fi",
        "the text starts with '[', which YAML reserves at the start of a value: put the whole "
        "text in quotes ('…')",
        "teksti alkaa merkillä '[', jolla on YAMLissa oma merkityksensä arvon alussa: kirjoita "
        "koko teksti lainausmerkkeihin ('…')",
        "texten börjar med '[', som har en egen betydelse i YAML i början av ett värde: sätt "
        "hela texten inom citattecken ('…')",
    ),
    Mistake(
        "Markdown emphasis at the start of a text",
        "kvarken/registers/medlemmar.yaml",
        "    sv: Medlemsregistret nås",
        "    sv: *Endast* styrelsen; medlemsregistret nås",
        81,
        "security.electronic.sv",
        "the text starts with '*', which YAML reserves at the start of a value: put the whole "
        "text in quotes ('…')",
        "teksti alkaa merkillä '*', jolla on YAMLissa oma merkityksensä arvon alussa: kirjoita "
        "koko teksti lainausmerkkeihin ('…')",
        "texten börjar med '*', som har en egen betydelse i YAML i början av ett värde: sätt "
        "hela texten inom citattecken ('…')",
    ),
    Mistake(
        "Markdown code at the start of a text",
        "kvarken/registers/medlemmar.yaml",
        "      sv: Medlemsbladet Kvarkenbladet per e-post.",
        "      sv: `Kvarkenbladet` per e-post.",
        30,
        "purposes.2.description.sv",
        "the text starts with '`', which YAML reserves at the start of a value: put the whole "
        "text in quotes ('…')",
        "teksti alkaa merkillä '`', jolla on YAMLissa oma merkityksensä arvon alussa: kirjoita "
        "koko teksti lainausmerkkeihin ('…')",
        "texten börjar med '`', som har en egen betydelse i YAML i början av ett värde: sätt "
        "hela texten inom citattecken ('…')",
    ),
    Mistake(
        "a Markdown list in a one-line text",
        "pyynikinrinne/registers/asukkaat.yaml",
        "  fi: Osakkaat ja asukkaat.",
        "  fi: - osakkaat\n    - asukkaat",
        31,
        "data_subjects.fi",
        "the text starts with '- ', which YAML reserves at the start of a value: put the whole "
        "text in quotes ('…')",
        "teksti alkaa merkillä '- ', jolla on YAMLissa oma merkityksensä arvon alussa: kirjoita "
        "koko teksti lainausmerkkeihin ('…')",
        "texten börjar med '- ', som har en egen betydelse i YAML i början av ett värde: sätt "
        "hela texten inom citattecken ('…')",
    ),
    Mistake(
        "a Markdown escape inside double quotes",
        "kvarken/registers/medlemmar.yaml",
        "    sv: Medlemsregistret nås bara av styrelsen med personliga lösenord.",
        '    sv: "\\*Endast\\* styrelsen når medlemsregistret, med personliga lösenord."',
        81,
        "security.electronic.sv",
        "`\\*` is no escape YAML knows in a text in double quotes: write the backslash twice "
        "(`\\\\`), or put the text in single quotes ('…')",
        "YAML ei tunne merkintää `\\*` lainausmerkeissä olevassa tekstissä: kirjoita kenoviiva "
        "kahdesti (`\\\\`) tai kirjoita teksti heittomerkkeihin ('…')",
        "YAML känner inte till `\\*` i en text inom dubbla citattecken: skriv bakstrecket två "
        "gånger (`\\\\`) eller sätt texten inom enkla citattecken ('…')",
    ),
    Mistake(
        "the text on the line of its `>-`",
        "mannisto/registers/asiakkaat.yaml",
        "  fi: >-\n    Potilasasiakirjoja",
        "  fi: >- Potilasasiakirjoja",
        69,
        "retention.fi",
        "text follows `>-` on its line: start the text on the next line, indented more than "
        "this one",
        "merkin `>-` perässä on tekstiä samalla rivillä: aloita teksti seuraavalta riviltä ja "
        "sisennä se syvemmälle kuin tämä rivi",
        "texten står efter `>-` på samma rad: börja texten på nästa rad, längre indragen än den "
        "här",
    ),
    Mistake(
        "a folded text's first line one space deeper than the rest",
        "mannisto/registers/asiakkaat.yaml",
        "    Käsittelemme asiakkaidemme",
        "     Käsittelemme asiakkaidemme",
        14,
        "summary.fi",
        "this line is indented less than the first line of the text of `fi:` (line 13, 5 "
        "spaces), which sets the text's indentation: indent all its lines equally",
        "tämä rivi on sisennetty vähemmän kuin kohdan `fi:` tekstin ensimmäinen rivi (rivi 13, "
        "5 välilyöntiä), joka määrää tekstin sisennyksen: sisennä tekstin kaikki rivit yhtä "
        "paljon",
        "raden är mindre indragen än första raden i texten under `fi:` (rad 13, 5 blanksteg), "
        "som bestämmer textens indrag: dra in alla textens rader lika mycket",
    ),
    Mistake(
        "a line of a folded text one space short",
        "kvarken/registers/medlemmar.yaml",
        "    Tietoja säilytetään jäsenyyden ajan ja ne poistetaan kolmen kuukauden kuluessa "
        "sen\n    päättymisestä",
        "    Tietoja säilytetään jäsenyyden ajan ja ne poistetaan kolmen kuukauden kuluessa "
        "sen\n   päättymisestä",
        74,
        "retention.fi",
        "this line is indented less than the first line of the text of `fi:` (line 73, 4 "
        "spaces), which sets the text's indentation: indent all its lines equally",
        "tämä rivi on sisennetty vähemmän kuin kohdan `fi:` tekstin ensimmäinen rivi (rivi 73, "
        "4 välilyöntiä), joka määrää tekstin sisennyksen: sisennä tekstin kaikki rivit yhtä "
        "paljon",
        "raden är mindre indragen än första raden i texten under `fi:` (rad 73, 4 blanksteg), "
        "som bestämmer textens indrag: dra in alla textens rader lika mycket",
    ),
    Mistake(
        "a key indented under a key that has a text",
        "mannisto/site.yaml",
        "  name: Päivi Hämäläinen\n  email:",
        "  name: Päivi Hämäläinen\n    email:",
        15,
        "contact.name",
        "`email:` is indented more than `name:` on line 14, as if it belonged under it, but "
        "`name:` already has its value: indent `email:` as far as `name:`",
        "`email:` on sisennetty syvemmälle kuin rivin 14 `name:`, ikään kuin se kuuluisi sen "
        "alle, mutta kohdalla `name:` on jo arvo: sisennä `email:` samalle tasolle kuin `name:`",
        "`email:` är längre indraget än `name:` på rad 14, som om det låg under den, men "
        "`name:` har redan ett värde: dra in `email:` lika långt som `name:`",
    ),
    Mistake(
        "a key one space deeper than the one above it",
        "mannisto/registers/asiakkaat.yaml",
        "  - id: laskutus\n    description:",
        "  - id: laskutus\n     description:",
        33,
        "purposes.1.id",
        "`description:` is indented more than `id:` on line 32, as if it belonged under it, but "
        "`id:` already has its value: indent `description:` as far as `id:`",
        "`description:` on sisennetty syvemmälle kuin rivin 32 `id:`, ikään kuin se kuuluisi "
        "sen alle, mutta kohdalla `id:` on jo arvo: sisennä `description:` samalle tasolle kuin "
        "`id:`",
        "`description:` är längre indraget än `id:` på rad 32, som om det låg under den, men "
        "`id:` har redan ett värde: dra in `description:` lika långt som `id:`",
    ),
    Mistake(
        "a language indented under the one above it",
        "pyynikinrinne/registers/asukkaat.yaml",
        "  en: Shareholders and residents.",
        "    en: Shareholders and residents.",
        32,
        "data_subjects.fi",
        "`en:` is indented more than `fi:` on line 31, as if it belonged under it, but `fi:` "
        "already has its value: indent `en:` as far as `fi:`",
        "`en:` on sisennetty syvemmälle kuin rivin 31 `fi:`, ikään kuin se kuuluisi sen alle, "
        "mutta kohdalla `fi:` on jo arvo: sisennä `en:` samalle tasolle kuin `fi:`",
        "`en:` är längre indraget än `fi:` på rad 31, som om det låg under den, men `fi:` har "
        "redan ett värde: dra in `en:` lika långt som `fi:`",
    ),
    Mistake(
        "a language one space short",
        "mannisto/registers/tyonhakijat.yaml",
        "  en: Job applicants.",
        " en: Job applicants.",
        22,
        "data_subjects",
        "`en:` is indented 1 space, but the keys and '-' items above it are indented 2 (`sv:` "
        "on line 21) or 0 (`data_subjects:` on line 19): line it up with the one it belongs "
        "beside",
        "`en:` on sisennetty 1 välilyönnillä, mutta sen yläpuolella olevien avainten ja "
        "'-'-kohtien sisennys on 2 (`sv:` rivillä 21) tai 0 (`data_subjects:` rivillä 19): "
        "tasaa se sen kohdan kanssa, jonka rinnalle se kuuluu",
        "`en:` är indraget 1 blanksteg, men nycklarna och '-'-posterna ovanför har indraget 2 "
        "(`sv:` på rad 21) eller 0 (`data_subjects:` på rad 19): dra in raden lika långt som "
        "den nyckel eller post den hör ihop med",
    ),
    Mistake(
        "a language under-indented between two others",
        "kvarken/registers/medlemmar.yaml",
        "      fi: Jäsenyyden hoitaminen",
        "    fi: Jäsenyyden hoitaminen",
        15,
        "purposes.0.description",
        "`fi:` is indented 4 spaces, less than `sv:` above it (6); indent it as far as `sv:`",
        "`fi:` on sisennetty 4 välilyönnillä, vähemmän kuin sen yläpuolella oleva `sv:` (6); "
        "sisennä rivi samalle tasolle kuin `sv:`",
        "`fi:` är indraget 4 blanksteg, mindre än `sv:` ovanför (6); dra in raden lika långt "
        "som `sv:`",
    ),
    Mistake(
        "a language added under texts in braces",
        "mannisto/registers/tyonhakijat.yaml",
        "name: {fi: Työnhakijarekisteri, sv: Register över arbetssökande, en: Job applicants}\n",
        "name: {fi: Työnhakijarekisteri, en: Job applicants}\n  sv: Register över arbetssökande\n",
        6,
        "name",
        "`sv:` is indented under `name:`, whose texts are written in '{…}' on its line: add "
        "`sv: …` inside the '{…}', or write each language on a line of its own under `name:`",
        "`sv:` on sisennetty kohdan `name:` alle, jonka tekstit on kirjoitettu sen riville "
        "merkkien '{…}' sisään: lisää `sv: …` merkkien '{…}' sisään tai kirjoita kukin kieli "
        "omalle rivilleen kohdan `name:` alle",
        "`sv:` är indraget under `name:`, vars texter står inom '{…}' på samma rad: lägg till "
        "`sv: …` inom '{…}' eller skriv varje språk på en egen rad under `name:`",
    ),
    Mistake(
        "the first language not indented under its key",
        "mannisto/registers/tyonhakijat.yaml",
        "data_subjects:\n  fi: Työnhakijat.",
        "data_subjects:\nfi: Työnhakijat.",
        20,
        "data_subjects",
        "`fi:` is not indented under `data_subjects:` above it, which has no value of its own: "
        "indent `fi:` as far as `sv:` below it",
        "`fi:` ei ole sisennetty yläpuolella olevan kohdan `data_subjects:` alle, jolla ei ole "
        "omaa arvoa: sisennä `fi:` samalle tasolle kuin sen alla oleva `sv:`",
        "`fi:` är inte indraget under `data_subjects:` ovanför, som inte har något eget värde: "
        "dra in `fi:` lika långt som `sv:` nedanför",
    ),
    Mistake(
        "a data category without its language key",
        "pyynikinrinne/registers/asukkaat.yaml",
        "  - fi: Puhelinnumero ja sähköpostiosoite\n",
        "  - Puhelinnumero ja sähköpostiosoite\n",
        36,
        "data_categories.1",
        "this line has no key (`key:`): write the key before its text, or check its indentation",
        "tällä rivillä ei ole avainta (`avain:`): kirjoita avain tekstin eteen tai tarkista "
        "rivin sisennys",
        "raden har ingen nyckel (`nyckel:`): skriv nyckeln före texten eller kontrollera radens "
        "indrag",
    ),
    Mistake(
        "a second document after `---`",
        "pyynikinrinne/registers/asukkaat.yaml",
        "transfers: none",
        "---\ntransfers: none",
        49,
        "",
        "a second document starts here (`---`); a content file holds one: remove the line, or "
        "move what follows into a file of its own",
        "tästä alkaa toinen dokumentti (`---`); sisältötiedostossa on vain yksi: poista rivi "
        "tai siirrä sitä seuraava osa omaan tiedostoonsa",
        "här börjar ett andra dokument (`---`); en innehållsfil har bara ett: ta bort raden "
        "eller flytta det som följer till en egen fil",
    ),
]


@pytest.mark.parametrize("folder", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_the_clean_folders_load(folder: str) -> None:
    """The mistake is the only thing wrong in each case."""
    content = load_content(FIXTURES / folder)
    assert content.registers


@pytest.mark.parametrize("lang", ["en", "fi", "sv"])
@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.story for m in MISTAKES])
def test_each_mistake_is_told_in_the_readers_language(
    tmp_path: Path, mistake: Mistake, lang: str
) -> None:
    root, path = mistake.write(tmp_path)
    args = ["check", "--content", str(root), "--no-cache", "--lang", lang]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    closing = {
        "en": "1 error in content.",
        "fi": "Sisällössä on 1 virhe.",
        "sv": "Innehållet har 1 fel.",
    }
    assert result.stderr.splitlines() == [mistake.reported(path, lang), closing[lang]]


class _PurePython(yaml.SafeLoader):
    """PyYAML's own parser (no libyaml), which words its problems otherwise."""


_PurePython.add_constructor("tag:yaml.org,2002:timestamp", _PurePython.construct_yaml_str)


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.story for m in MISTAKES])
def test_the_same_without_libyaml(
    tmp_path: Path, mistake: Mistake, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, path = mistake.write(tmp_path)
    text = path.read_text("utf-8")
    monkeypatch.setattr(loader, "_Loader", _PurePython)
    with pytest.raises(ContentError) as caught:
        loader._parse_text(path, text)
    (error,) = caught.value.errors
    assert (error.line, error.key, error.message) == (mistake.line, mistake.key, mistake.en)


def test_build_says_it_in_its_lang_and_writes_nothing(tmp_path: Path) -> None:
    mistake = next(m for m in MISTAKES if m.story == "a double quote never closed")
    root, path = mistake.write(tmp_path)
    out = tmp_path / "site"
    args = ["build", "--content", str(root), "--out", str(out), "--no-pdf", "--lang", "fi"]
    result = CliRunner().invoke(main, [*args, "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        mistake.reported(path, "fi"),
        "Sisällössä on 1 virhe; mitään ei kirjoitettu.",
    ]
    assert not out.exists()
