"""Turn content Markdown into safe HTML: the only place where content becomes markup.

Content is Markdown (the Python-Markdown package) with raw HTML escaped, never interpreted. Links
keep only the schemes a notice needs (`http`, `https`, `mailto`, `tel`, and relative links); a link
to any other scheme (`javascript:`, `data:`, `file:` ...) loses its target and stays as its text.
A bare `http(s)://` address in prose becomes a link as in GitHub Flavored Markdown: punctuation
that ends the sentence (`.`, `,`, an unmatched `)` ...) stays outside it, and an address already in
a link or in code is left alone.
Images are off too: an image is a request to another host, and a notice page makes none. Headings
written in content are moved two levels down, because the page's own `h1`/`h2` structure belongs to
the template and a stray `# ...` would otherwise break it.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from functools import lru_cache

from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from markupsafe import Markup

_HEADING_SHIFT = 2

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""Link schemes content may use; a link without a scheme is relative and allowed."""

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# Browsers ignore ASCII whitespace and control characters inside a URL's scheme ("java\tscript:").
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")

_HTML_PARTS = ("html_block",)
_HTML_INLINE = ("html",)
_IMAGE_PATTERNS = ("image_link", "image_reference", "short_image_ref")
_INLINE_ONLY_BLOCKS = (
    "empty",
    "indent",
    "code",
    "hashheader",
    "setextheader",
    "hr",
    "olist",
    "ulist",
    "quote",
    "reference",
)


def is_safe_url(url: str) -> bool:
    """Whether a link target is relative or uses one of `SAFE_SCHEMES`."""
    # Entities are decoded first: the serializer keeps `&#106;` as an entity, which a browser reads
    # as `j`.
    plain = _IGNORED_IN_URL.sub("", html.unescape(url))
    match = _SCHEME.match(plain)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_BLOCKS = frozenset({"p", "li", "blockquote", "h3", "h4", "h5", "h6"})


def has_rtl(text: str) -> bool:
    """Whether `text` holds a right-to-left letter (Hebrew, Arabic, ...)."""
    return _RTL.search(text) is not None


class _SafeTree(Treeprocessor):
    """Drop unsafe link targets, move headings under the page's own, and let a block holding
    right-to-left text take its direction from its own first letter (`dir="auto"`)."""

    def __init__(self, md: Markdown, *, blocks: bool) -> None:
        super().__init__(md)
        self.blocks = blocks  # the inline parser's one paragraph is unwrapped: no attribute

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if self.blocks and element.tag in _BLOCKS and has_rtl("".join(element.itertext())):
                element.set("dir", "auto")
            if element.tag == "a" and not is_safe_url(element.get("href", "")):
                del element.attrib["href"]
                element.attrib.pop("title", None)
                element.tag = "span"
            elif len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1] in "123456":
                element.tag = f"h{min(6, int(element.tag[1]) + _HEADING_SHIFT)}"


# GFM's extended autolink: at the start or after a space, `*_~(` or a quote, up to a space or
# `<`. Python-Markdown's placeholders (STX/ETX around an escaped or parsed part) end it too.
_BARE_URL = r"(?<![^\s*_~(\x03\"'“”„«»])(?i:https?)://[\w\-]+(?:[^\s<\x02\x03]*)"
_TRAILING_PUNCTUATION = "?!.,:;*_~'\"”’»"  # noqa: RUF001 - closing quotes end a sentence too
_ENTITY_AT_END = re.compile(r"&[a-z0-9]+;$", re.IGNORECASE)


def _trim_autolink(url: str) -> str:
    """Drop what GFM leaves out of an autolink's end: punctuation, an unmatched `)`, an entity."""
    while url:
        if url[-1] in _TRAILING_PUNCTUATION:
            entity = _ENTITY_AT_END.search(url) if url[-1] == ";" else None
            url = url[: entity.start()] if entity else url[:-1]
        elif url[-1] == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            return url
    return url


class _BareUrl(InlineProcessor):
    """A bare `http://` or `https://` address becomes a link to itself."""

    ANCESTOR_EXCLUDES = ("a",)  # the text of `[https://x.example](...)` stays text

    def handleMatch(  # noqa: N802 - Python-Markdown's name
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        url = _trim_autolink(m.group(0))
        if "://" not in url or url.endswith("://"):
            return None, None, None
        link = etree.Element("a", {"href": url})
        link.text = AtomicString(url)
        return link, m.start(0), m.start(0) + len(url)


# An e-mail address written out (not `<a@b.fi>`, which is a link already): its local part, `@`,
# and a domain of at least two labels; a full stop after it ends the sentence, not the domain.
_EMAIL = r"(?<![\w.+\-@/\x02])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"


class _Email(InlineProcessor):
    """A written-out e-mail address is marked `<span class="email">`, text as before.

    Paper must never hyphenate or split it where it need not (print.css): a cookie table's cells
    are hyphenated, and "priva‐cy@example.fi" would be read, and typed, with the hyphen. It stays
    text, not a link: the page shows what the author wrote.
    """

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(  # noqa: N802 - Python-Markdown's name
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        span = etree.Element("span", {"class": "email"})
        span.text = AtomicString(m.group(0))
        return span, m.start(0), m.end(0)


_LIST_START = re.compile(r" {0,3}(?:[-*+]|1[.)])[ \t]+\S")


class _ListAfterParagraph(Preprocessor):
    """Let a list start right under a paragraph line, as in CommonMark (`Intro:` then `- a`).

    Python-Markdown wants a blank line before a list; without one, the items would be printed as
    one paragraph of dashes. Only a bullet or `1.` starts a list there, as CommonMark says, so a
    line such as `2024. ...` inside a paragraph stays text.
    """

    def run(self, lines: list[str]) -> list[str]:
        result: list[str] = []
        in_list = False
        for line in lines:
            if not line.strip():
                in_list = False
            elif _LIST_START.match(line):
                if result and result[-1].strip() and not in_list:
                    result.append("")
                in_list = True
            result.append(line)
        return result


def _parser(*, inline: bool) -> Markdown:
    parser = Markdown(output_format="html")
    for name in _HTML_PARTS:
        parser.preprocessors.deregister(name)
    for name in (*_HTML_INLINE, *_IMAGE_PATTERNS):
        parser.inlinePatterns.deregister(name)
    if inline:
        for name in _INLINE_ONLY_BLOCKS:
            parser.parser.blockprocessors.deregister(name)
    else:
        parser.preprocessors.register(_ListAfterParagraph(parser), "seloste-lists", 25)
    # After code, links and `<...>` autolinks, before emphasis: an `_` in an address is no markup.
    parser.inlinePatterns.register(_BareUrl(_BARE_URL, parser), "seloste-bare-url", 115)
    # After `<a@b.fi>` (automail, 110), before emphasis: `first_last@…` holds no emphasis.
    parser.inlinePatterns.register(_Email(_EMAIL, parser), "seloste-email", 105)
    # After `unescape` (priority 0), so that a backslash escape cannot hide a scheme.
    parser.treeprocessors.register(_SafeTree(parser, blocks=not inline), "seloste-safe", -10)
    return parser


class _Parsers(threading.local):
    """A Markdown instance keeps state while it converts: one pair per thread (the portal's
    server threads render notice content too)."""

    def __init__(self) -> None:
        self.block = _parser(inline=False)
        self.inline = _parser(inline=True)


_PARSERS = _Parsers()


_PLAIN = re.compile(r"[^\x00-\x1f\x7f&<>*_`\[\]\\!#~|]+")
_PLAIN_START = re.compile(r"[\d\-+*=>\s]")


def is_plain(text: str) -> bool:
    """Whether `text` is one line of prose that Markdown would print exactly as it is.

    Nine in ten of a register's texts are: no character that starts Markdown syntax or that HTML
    escapes (`&<>*_[]` ...), no line break or control character, nothing at the start that opens
    a list, a heading, a quote or code, no trailing space and no right-to-left letter (which
    gets `dir="auto"`), no `://` (a bare address becomes a link) and no `@` (an e-mail address is
    marked). Python-Markdown spends about
    0.14 ms on each such text to return it in a paragraph; `test_markdown` holds the shortcut to
    its output, text by text.
    """
    return (
        _PLAIN.fullmatch(text) is not None
        and _PLAIN_START.match(text) is None
        and not text[-1].isspace()
        and not has_rtl(text)
        and "://" not in text
        and "@" not in text
    )


@lru_cache(maxsize=8192)
def render_markdown(text: str, lang: str) -> Markup:
    """Render a block of Markdown (paragraphs, lists) in language `lang` to safe HTML."""
    if is_plain(text):
        return Markup(f"<p>{text}</p>\n")
    return Markup(_PARSERS.block.reset().convert(text) + "\n")


@lru_cache(maxsize=8192)
def render_inline(text: str, lang: str) -> Markup:
    """Render one line of Markdown (emphasis, links; no paragraphs) to safe HTML."""
    if is_plain(text):
        return Markup(text)
    rendered = _PARSERS.inline.reset().convert(text)
    # The inline parser knows paragraphs only: unwrap them, joining any by a space.
    if rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4].replace("</p>\n<p>", " ")
    if has_rtl(rendered):
        # Isolated, so a right-to-left name does not reorder the text around it.
        rendered = f"<bdi>{rendered}</bdi>"
    return Markup(rendered)
