"""The plain-text shortcut of `notice.markdown`: what Python-Markdown would print, text by text.

Nine in ten texts of a register are one line of prose; `render_markdown` and `render_inline`
print those without running Markdown. The shortcut is only right if Markdown's own output for
every text it takes is exactly the same, which these tests compare: generated texts, and every
text of every content folder in the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from notice import markdown
from notice.markdown import is_plain, render_inline, render_markdown
from tests import REPO_ROOT


def markdowns_own(text: str) -> tuple[str, str]:
    """What Python-Markdown itself makes of `text`: as a block, and inline (as the module does)."""
    block = markdown._PARSERS.block.reset().convert(text) + "\n"
    inline = markdown._PARSERS.inline.reset().convert(text)
    if inline.startswith("<p>") and inline.endswith("</p>"):
        inline = inline[3:-4].replace("</p>\n<p>", " ")
    return block, inline


PROSE = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 äöåÄÖÅéü")
        + list(".,:;?()/%€@-+='\"§$^{}–—…«»„“”’ ·")  # noqa: RUF001 - the quotes are the test
        + ["\u00a0", "ж", "Ω", "\u200b", "\t", "\n", "*", "_", "&", "<", "#", "!", "[", "]", "`"]
    ),
    min_size=1,
    max_size=80,
)


@settings(max_examples=3000, deadline=None)
@given(PROSE)
def test_a_text_taken_as_plain_is_printed_as_markdown_prints_it(text: str) -> None:
    if not is_plain(text):
        return
    block, inline = markdowns_own(text)
    assert str(render_markdown.__wrapped__(text, "fi")) == block
    assert str(render_inline.__wrapped__(text, "fi")) == inline


def _texts(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return [value] if isinstance(value, str) else []


CONTENT_FILES = sorted(
    [*REPO_ROOT.glob("content/**/*.yaml"), *REPO_ROOT.glob("tests/fixtures/**/*.yaml")]
)


def test_every_text_of_the_repositorys_content_comes_out_as_markdown_makes_it() -> None:
    texts: set[str] = set()
    for path in CONTENT_FILES:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # the fixtures of broken files
        texts.update(_texts(data))
    plain = [text for text in texts if is_plain(text)]
    assert len(plain) > 1000  # the shortcut is taken for most texts
    assert len(plain) < len(texts)  # and not for texts with Markdown in them
    for text in plain:
        block, inline = markdowns_own(text)
        assert (str(render_markdown.__wrapped__(text, "en")), text) == (block, text)
        assert (str(render_inline.__wrapped__(text, "en")), text) == (inline, text)


@pytest.mark.parametrize(
    "text",
    [
        "*tärkeä*",
        "Katso [ohje](https://example.fi).",
        "1. ensimmäinen",
        "2024. vuonna",
        "- kohta",
        "# Otsikko",
        "> lainaus",
        "rivi  \ntoinen",
        "A &amp; B",
        "<b>lihava</b>",
        "    koodia",
        "teksti ",
        "",
        "טקסט בעברית",
        "snake_case",
        "a `koodi` b",
    ],
)
def test_markdown_or_what_html_escapes_is_left_to_markdown(text: str) -> None:
    assert not is_plain(text)
