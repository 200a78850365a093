"""A safe subset of text formatting for descriptions typed in a plain textarea.

What people type, the way they type it in an e-mail: paragraphs separated by a blank line, lists with
lines starting "- " (or "* ", "• "), and web addresses (http/https) that become links. Everything else
is escaped: no HTML typed by anyone reaches the page. Pure: text in, ``Markup`` out.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_BULLET = re.compile(r"^\s*[-*•]\s+")
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


def _inline(text: str) -> Markup:
    """Escaped text with its web addresses as links (the address itself is the link's text)."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(escape(text[last:match.start()]))
        url = match.group(0)
        out.append(Markup('<a href="{0}" rel="nofollow noopener">{0}</a>').format(url))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def render(text: str | None) -> Markup:
    """Paragraphs, "- " lists and links; a single line break inside a paragraph is kept as ``<br>``."""
    if not text or not text.strip():
        return Markup("")
    blocks: list[Markup] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip()):
        lines = [line for line in block.split("\n") if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []

        def flush_paragraph() -> None:
            if paragraph:
                blocks.append(Markup("<p>{}</p>").format(Markup("<br>\n").join(_inline(p.strip()) for p in paragraph)))
                paragraph.clear()

        def flush_items() -> None:
            if items:
                blocks.append(Markup("<ul>{}</ul>").format(Markup("").join(
                    Markup("<li>{}</li>").format(_inline(item)) for item in items)))
                items.clear()

        for line in lines:
            if _BULLET.match(line):
                flush_paragraph()
                items.append(_BULLET.sub("", line, count=1).strip())
            elif items and line.startswith(("  ", "\t")):
                items[-1] += " " + line.strip()  # an item continued on the next line
            else:
                flush_items()
                paragraph.append(line)
        flush_paragraph()
        flush_items()
    return Markup("\n").join(blocks)
