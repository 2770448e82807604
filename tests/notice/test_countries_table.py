"""The country names the notice reads from its own table are Babel's (CLDR), and reading them
needs no Babel: `notice.countries` answers for fi, sv and en from `data/countries.json`."""

from __future__ import annotations

import subprocess
import sys

from notice import countries


def test_the_table_holds_what_babel_says() -> None:
    # After an upgrade of Babel that renames a country, this fails: run
    # `python -m notice.countries` and review the diff of notice/data/countries.json.
    assert countries._table() == countries.table_from_babel()


def test_names_and_codes_in_the_notice_languages() -> None:
    assert countries.code_of("Yhdysvallat") == "US"
    assert countries.code_of("storbritannien") == "GB"
    assert countries.code_of("Intia") == "IN"
    assert countries.code_of("Sydkorea") == "KR"
    assert countries.code_of("nowhere") is None
    assert countries.name("US", "fi") == "Yhdysvallat"
    assert countries.name("CH", "sv") == "Schweiz"
    assert countries.name("DE", "en") == "Germany"
    assert "FI" in countries.codes() and "EU" not in countries.codes()


def test_another_language_still_asks_babel() -> None:
    assert countries.name("US", "de") == "Vereinigte Staaten"
    assert countries.name("QQ", "fi") == "QQ"


def test_loading_content_with_countries_needs_no_babel_data() -> None:
    # Babel's locale data imported its date module and looked the machine's time zone up:
    # 30 ms before the first register was read. A register with a country loads without it.
    code = (
        "import sys\n"
        "from notice.loader import load_content\n"
        "content = load_content('content')\n"
        "assert any(t.country for r in content.registers for t in r.third_country_transfers)"
        " or any(r2.country for r in content.registers for r2 in r.recipients)\n"
        "print('babel.dates' in sys.modules, 'babel.localedata' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
