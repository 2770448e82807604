"""Content Markdown: Python-Markdown, raw HTML escaped, safe links, no images, shifted headings."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup

from notice.markdown import is_safe_url, render_inline, render_markdown


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_content_markdown_is_rendered_by_python_markdown_alone() -> None:
    code = (
        "import sys, notice.markdown; "
        "print('markdown_it' in sys.modules, 'markdown' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java&#115;cript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://files.example.org/x",
        "sms:+358401234567",
    ],
)
def test_links_to_other_schemes_lose_their_target(target: str) -> None:
    soup = _soup(render_markdown(f"See [the page]({target}) now.", "en"))
    assert soup.find("a") is None
    assert soup.get_text() == "See the page now.\n"


def test_reference_links_and_autolinks_are_checked_too() -> None:
    soup = _soup(render_markdown("[a][1] <ftp://x.example>\n\n[1]: javascript:alert(1)", "en"))
    assert soup.find("a") is None
    assert "a" in soup.get_text()


@pytest.mark.parametrize(
    ("target", "href"),
    [
        ("https://tietosuoja.fi/en", "https://tietosuoja.fi/en"),
        ("http://example.org", "http://example.org"),
        ("mailto:jörg@example.com", "mailto:jörg@example.com"),
        ("tel:+358401234567", "tel:+358401234567"),
        ("/fi/evasteet/", "/fi/evasteet/"),
        ("../history/", "../history/"),
        ("#rights", "#rights"),
    ],
)
def test_safe_and_relative_links_are_kept(target: str, href: str) -> None:
    link = _soup(render_inline(f"[here]({target})", "fi")).find("a")
    assert link is not None and link["href"] == href and link.get_text() == "here"


def test_is_safe_url_ignores_what_browsers_ignore_in_a_scheme() -> None:
    assert not is_safe_url(" java\tscript:alert(1)")
    assert not is_safe_url("\x01javascript:alert(1)")
    assert is_safe_url("privacy/notice.html")


def test_raw_html_is_shown_as_text_never_as_markup() -> None:
    text = '<script>alert(1)</script>\n\n<div onclick="x()">hi</div> <b>bold</b> <!-- c -->'
    soup = _soup(render_markdown(text, "en"))
    assert [tag.name for tag in soup.find_all(True)] == ["p", "p"]
    assert "<script>alert(1)</script>" in soup.get_text()
    assert '<div onclick="x()">hi</div>' in soup.get_text()


def test_images_are_off() -> None:
    soup = _soup(render_markdown("![tracker](https://evil.example/x.png)", "en"))
    assert soup.find("img") is None


def test_headings_move_two_levels_below_the_page_structure() -> None:
    soup = _soup(render_markdown("# One\n\n## Two\n\nThree\n-----\n\n##### Five", "en"))
    assert [tag.name for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == [
        "h3",
        "h4",
        "h4",
        "h6",
    ]


def test_a_list_may_start_right_under_a_paragraph_line() -> None:
    soup = _soup(render_markdown("We keep:\n- name\n- e-mail\n\nSince\n2024. no more", "fi"))
    assert [li.get_text() for li in soup.find_all("li")] == ["name", "e-mail"]
    assert soup.find_all("p")[-1].get_text() == "Since\n2024. no more"


def test_inline_markdown_has_no_block_structure() -> None:
    html = render_inline("# not a heading *but* - text <b>", "sv")
    assert html == "# not a heading <em>but</em> - text &lt;b&gt;"


def test_rendering_is_cached_per_text_and_language() -> None:
    render_markdown.cache_clear()
    first = render_markdown("Same *text*", "fi")
    assert render_markdown("Same *text*", "fi") is first
    render_markdown("Same *text*", "en")
    info = render_markdown.cache_info()
    assert (info.hits, info.misses) == (1, 2)


def test_names_in_any_script_survive() -> None:
    text = "Иван Петров, Γιώργος, Ștefan Țurcanu, Zoë ≠ ∑, Åsa 😀, שלום, مرحبا, 李小龍, e\u0301"
    assert _soup(render_inline(text, "en")).get_text() == text


def test_threads_rendering_at_once_each_get_their_own_text() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from notice.markdown import render_markdown

    texts = [
        f"Paragraph *{n}* with [a link](https://example.com/{n}).\n\n- item {n}" for n in range(400)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        rendered = list(pool.map(lambda text: render_markdown(text, "en"), texts))
    for n, html in enumerate(rendered):
        assert f"<em>{n}</em>" in html and f"https://example.com/{n}" in html
        assert f"item {n}<" in html


def test_right_to_left_blocks_take_their_own_direction_and_left_to_right_ones_stay_plain() -> None:
    from bs4 import BeautifulSoup

    from notice.markdown import render_inline, render_markdown

    html = render_markdown("Contact:\n\n- يوسف الأحمد\n- Anna Virtanen\n\nשלום לכולם", "en")
    soup = BeautifulSoup(html, "html.parser")
    assert [li.get("dir") for li in soup.find_all("li")] == ["auto", None]
    assert [p.get("dir") for p in soup.find_all("p")] == [None, "auto"]
    inline = BeautifulSoup(render_inline("Name: *דוד לוי*", "en"), "html.parser")
    assert inline.find("bdi") is not None and inline.find("bdi").em.text == "דוד לוי"
    assert "<bdi>" not in render_inline("Name: *Zoë Ștefan*", "en")


TRANSFERS = (
    "The decision is available at https://eur-lex.europa.eu/eli/dec_impl/2023/1795/oj and the"
    " list of certified companies at https://www.dataprivacyframework.gov."
)


@pytest.mark.parametrize("render", [render_markdown, render_inline])
def test_a_bare_address_is_a_link_without_the_sentences_full_stop(
    render: Callable[[str, str], str],
) -> None:
    soup = _soup(render(TRANSFERS, "en"))
    assert [(a["href"], a.get_text()) for a in soup.find_all("a")] == [
        ("https://eur-lex.europa.eu/eli/dec_impl/2023/1795/oj",) * 2,
        ("https://www.dataprivacyframework.gov",) * 2,
    ]
    assert soup.get_text().strip() == TRANSFERS


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("(see https://example.org/a_(b)_c).", ["https://example.org/a_(b)_c"]),
        ("see (https://example.org/x), then", ["https://example.org/x"]),
        ("Is it https://example.org/?q=1&r=2?", ["https://example.org/?q=1&r=2"]),
        ("Katso ”https://tietosuoja.fi/en”.", ["https://tietosuoja.fi/en"]),
        ("HTTP://EXAMPLE.ORG/A_B_C!", ["HTTP://EXAMPLE.ORG/A_B_C"]),
        ("[https://shown.example](https://target.example)", ["https://target.example"]),
        ("<https://angle.example>.", ["https://angle.example"]),
        ("`https://code.example` stays code", []),
        ("ftp://files.example and javascript://x and xhttps://no.example", []),
        ("https:// alone", []),
    ],
)
def test_bare_addresses_become_links_as_in_gfm(text: str, links: list[str]) -> None:
    soup = _soup(render_markdown(text, "en"))
    assert [a["href"] for a in soup.find_all("a")] == links
    assert [a.get_text() for a in soup.find_all("a") if a["href"] != "https://target.example"] == [
        link for link in links if link != "https://target.example"
    ]
    assert soup.select("a a") == [] and soup.find("em") is None


@pytest.mark.parametrize("render", [render_markdown, render_inline])
@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("Write to esa.kemppainen@proleader.fi.", ["esa.kemppainen@proleader.fi"]),
        ("first_last@x.fi or last_first@x.fi", ["first_last@x.fi", "last_first@x.fi"]),
        ("a@b.fi and priva-cy+x@sub.example.org", ["a@b.fi", "priva-cy+x@sub.example.org"]),
        ("[x@example.fi](mailto:x@example.fi) is a link", []),
        ("<x@example.fi> is a link", []),
        ("`x@example.fi` is code", []),
        ("https://user@example.fi/ is a link", []),
        ("no address: a@b, @home, x@", []),
    ],
)
def test_an_e_mail_address_written_as_text_is_marked_and_reads_the_same(
    render: Callable[[str, str], str], text: str, marked: list[str]
) -> None:
    """print.css never hyphenates a `span.email`; the page's text is the author's, unchanged."""
    soup = _soup(render(text, "en"))
    assert [span.get_text() for span in soup.select("span.email")] == marked
    assert [span.attrs for span in soup.find_all("span")] == [{"class": ["email"]}] * len(marked)
    if not soup.find(["a", "code"]):
        assert soup.get_text().strip() == text
