"""Turning forum markup into the plain text the models read.

Code and quotes stay recognisable in the plain text (code blocks fenced with
```` ``` ````, quoted lines prefixed with ``> ``), because "the error I get is
…" inside a code block means something different from prose.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
               "aside", "section", "article", "header", "footer", "details", "summary"}
_SKIP_TAGS = {"script", "style", "noscript", "template"}
_BLANKS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0]+")


def _render(node: Node, out: list[str]) -> None:
    tag = node.tag
    if tag in _SKIP_TAGS:
        return
    if tag == "-text":
        out.append(node.text(deep=False) or "")
        return
    if tag == "br":
        out.append("\n")
        return
    if tag == "pre":
        code = node.text(deep=True).strip("\n")
        out.append(f"\n```\n{code}\n```\n")
        return
    if tag == "code":
        out.append(f"`{node.text(deep=True)}`")
        return
    if tag == "blockquote":
        inner: list[str] = []
        for child in node.iter(include_text=True):
            _render(child, inner)
        text = _tidy("".join(inner))
        quoted = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
        out.append(f"\n{quoted}\n")
        return
    if tag == "img":
        alt = node.attributes.get("alt")
        if alt:
            out.append(f"[image: {alt}]")
        return
    if tag == "a":
        label = node.text(deep=True).strip()
        href = node.attributes.get("href") or ""
        if href and label and href not in label and not href.startswith("#"):
            out.append(f"{label} ({href})")
        else:
            out.append(label or href)
        return
    if tag == "li":
        out.append("\n- ")
        for child in node.iter(include_text=True):
            _render(child, out)
        return
    block = tag in _BLOCK_TAGS
    if block:
        out.append("\n")
    for child in node.iter(include_text=True):
        _render(child, out)
    if block:
        out.append("\n")


def _tidy(text: str) -> str:
    """Collapse runs of spaces and blank lines, except inside code fences,
    where indentation is meaning."""
    lines = []
    in_code = False
    for line in text.splitlines():
        if line.strip() == "```":
            in_code = not in_code
            lines.append("```")
        elif in_code:
            lines.append(line.rstrip())
        else:
            lines.append(_SPACES.sub(" ", line).strip())
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(html: str | None) -> str:
    """Readable plain text from forum HTML (Discourse ``cooked``, Stack
    Exchange bodies, feed entries)."""
    if not html:
        return ""
    tree = HTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    out: list[str] = []
    for child in root.iter(include_text=True):
        _render(child, out)
    return _tidy("".join(out))


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~)(.+?)\1")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE)


def markdown_to_text(markdown: str | None) -> str:
    """Plain text from Reddit/Discourse-style markdown, keeping fenced code and
    quotes as they are (they already read as code and quotes)."""
    if not markdown:
        return ""
    text = markdown.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(1) else m.group(2), text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_HEADING.sub("", text)
    return _tidy(text)


def to_text(body: str | None, markup_format: str) -> str:
    if markup_format == "html":
        return html_to_text(body)
    if markup_format == "markdown":
        return markdown_to_text(body)
    return (body or "").strip()
