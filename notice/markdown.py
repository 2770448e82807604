"""Turn content Markdown into safe HTML: the only place where content becomes markup.

Content is CommonMark with raw HTML disabled, so whatever an editor types is escaped, never
interpreted. Images are disabled too: an image is a request to another host, and a notice page makes
none. Headings written in content are moved two levels down, because the page's own `h1`/`h2`
structure belongs to the template and a stray `# ...` would otherwise break it.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_PARSER.disable("image")

_HEADING_SHIFT = 2


@lru_cache(maxsize=8192)
def render_markdown(text: str, lang: str) -> Markup:
    """Render a block of Markdown (paragraphs, lists) in language `lang` to safe HTML."""
    tokens = _PARSER.parse(text, {"lang": lang})
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = min(6, int(token.tag[1]) + _HEADING_SHIFT)
            token.tag = f"h{level}"
    return Markup(_PARSER.renderer.render(tokens, _PARSER.options, {}))


@lru_cache(maxsize=8192)
def render_inline(text: str, lang: str) -> Markup:
    """Render one line of Markdown (emphasis, links; no paragraphs) to safe HTML."""
    return Markup(_PARSER.renderInline(text, {"lang": lang}))
