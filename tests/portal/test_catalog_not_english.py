"""Finnish and Swedish catalogs hold Finnish and Swedish, not the English msgids copied over.

`portal.catalogs update` once gave every new message of the Swedish catalog its English text
(Babel's Catalog.update shares the template's Message objects, and the English identity was set
on them), so "Days left" and a hundred other strings read in English on Swedish pages while the
completeness test saw a translation.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from notice import i18n as notice_i18n
from portal import catalogs

SAME_IN_BOTH = {
    "fi": {"PDF"},
    "sv": {"PDF", "Register", "Status", "Status:"},
}
"""Words that are spelled the same in English and the language."""


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_message_is_left_in_english(lang: str) -> None:
    catalog = catalogs.read_catalog(lang)
    english = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if any(string in ids for string in strings) and ids[0] not in SAME_IN_BOTH[lang]:
            english.append(ids[0])
    assert english == []


def test_update_leaves_a_new_message_untranslated_outside_english(tmp_path: Path) -> None:
    directory = tmp_path / "translations"
    shutil.copytree(catalogs.TRANSLATIONS_DIR, directory)
    new = "Days left or outcome"
    for lang in catalogs.LANGUAGES:  # as if the message had just been added to a template
        catalog = catalogs.read_catalog(lang, directory)
        del catalog[new]
        notice_i18n.write_catalog(catalogs.po_path(lang, directory), catalog, catalogs.HEADER)
    catalogs.update(directory)
    strings = {}
    for lang in catalogs.LANGUAGES:
        with catalogs.po_path(lang, directory).open("rb") as handle:
            strings[lang] = read_po(handle).get(new).string
    assert strings == {"fi": "", "en": new, "sv": ""}
