"""Turning forum markup into the plain text the models read.

Code and quotes stay recognisable in the plain text (code blocks fenced with
```` ``` ````, quoted lines prefixed with ``> ``), because "the error I get is
…" inside a code block means something different from prose.

Discourse's ``cooked`` HTML adds its own furniture, read as a person reads it:
a quote of another post becomes ``> name wrote:`` and its quoted lines (the
words are someone else's, not the poster's); a onebox (a link preview that
carries another site's text) shrinks to its title and URL; a lightbox image
to ``[image: name]`` without its size caption; a mention or hashtag to
``@name`` / ``#tag``; an emoji image to its ``:code:``; avatars disappear.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
               "aside", "section", "article", "header", "footer", "details", "summary"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg"}
_LINK_CLASSES = {"mention", "mention-group", "hashtag", "hashtag-cooked"}
_NO_HIGHLIGHT = {"auto", "plaintext", "nohighlight", "text"}
_BLANKS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")  # a lone space needs no change


def _classes(node: Node) -> set[str]:
    return set((node.attributes.get("class") or "").split())


def _code_language(node: Node) -> str:
    code = node.css_first("code")
    for name in _classes(code) if code is not None else ():
        if name.startswith("lang-") and name[5:] not in _NO_HIGHLIGHT:
            return name[5:]
    return ""


def _render_quote(node: Node, out: list[str]) -> None:
    """A Discourse quote of another post: who wrote it, then their words."""
    title = node.css_first("div.title")
    who = node.attributes.get("data-username") or (
        title.text(deep=True).strip().rstrip(":").strip() if title is not None else ""
    )
    body = node.css_first("blockquote")
    inner: list[str] = []
    for child in (body or node).iter(include_text=True):
        if child.tag == "div" and "title" in _classes(child):
            continue
        _render(child, inner)
    lines = _tidy("".join(inner)).splitlines()
    if who:
        lines.insert(0, f"{who} wrote:")
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    out.append(f"\n{quoted}\n")


def _render_onebox(node: Node, out: list[str]) -> None:
    """A link preview: keep where it points and its title, drop the other
    site's text (it is not what the poster wrote)."""
    link = node.css_first("h3 a") or node.css_first("header a") or node.css_first("a[href]")
    href = node.attributes.get("data-onebox-src") or (
        link.attributes.get("href") if link is not None else None
    ) or ""
    title = link.text(deep=True).strip() if link is not None else ""
    if title and href and title != href:
        out.append(f"\n{title} ({href})\n")
    elif href or title:
        out.append(f"\n{href or title}\n")


def _render_children(node: Node, out: list[str]) -> None:
    for child in node.iter(include_text=True):
        _render(child, out)


def _render_block(node: Node, out: list[str]) -> None:
    out.append("\n")
    _render_children(node, out)
    out.append("\n")


def _render_aside(node: Node, out: list[str]) -> None:
    classes = _classes(node)
    if "quote" in classes:
        _render_quote(node, out)
    elif "onebox" in classes:
        _render_onebox(node, out)
    else:
        _render_block(node, out)


def _render_div(node: Node, out: list[str]) -> None:
    if "meta" not in _classes(node):  # a lightbox's file name and size
        _render_block(node, out)


def _render_img(node: Node, out: list[str]) -> None:
    classes = _classes(node)
    if "avatar" in classes:
        return
    if "emoji" in classes:
        out.append(node.attributes.get("alt") or node.attributes.get("title") or "")
        return
    alt = node.attributes.get("alt")
    if alt:
        out.append(f"[image: {alt}]")


def _render_a(node: Node, out: list[str]) -> None:
    classes = _classes(node)
    if "lightbox" in classes:
        image = node.css_first("img")
        name = (image.attributes.get("alt") if image is not None else None) \
            or node.attributes.get("title") or "image"
        out.append(f"[image: {name}]")
        return
    label = node.text(deep=True).strip()
    if classes & _LINK_CLASSES:
        out.append(label)
        return
    href = node.attributes.get("href") or ""
    if href and label and href not in label and not href.startswith("#"):
        out.append(f"{label} ({href})")
    else:
        out.append(label or href)


def _render_pre(node: Node, out: list[str]) -> None:
    code = node.text(deep=True).strip("\n")
    out.append(f"\n```{_code_language(node)}\n{code}\n```\n")


def _render_code(node: Node, out: list[str]) -> None:
    out.append(f"`{node.text(deep=True)}`")


def _render_blockquote(node: Node, out: list[str]) -> None:
    inner: list[str] = []
    _render_children(node, inner)
    text = _tidy("".join(inner))
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
    out.append(f"\n{quoted}\n")


def _render_li(node: Node, out: list[str]) -> None:
    out.append("\n- ")
    _render_children(node, out)


def _render_br(node: Node, out: list[str]) -> None:
    out.append("\n")


def _skip(node: Node, out: list[str]) -> None:
    return None


_RENDERERS = {
    **{tag: _render_block for tag in _BLOCK_TAGS},
    **{tag: _skip for tag in _SKIP_TAGS},
    "aside": _render_aside,
    "div": _render_div,
    "img": _render_img,
    "a": _render_a,
    "pre": _render_pre,
    "code": _render_code,
    "blockquote": _render_blockquote,
    "li": _render_li,
    "br": _render_br,
}


def _render(node: Node, out: list[str]) -> None:
    tag = node.tag
    if tag == "-text":
        out.append(node.text(deep=False) or "")
        return
    renderer = _RENDERERS.get(tag)
    if renderer is None:
        _render_children(node, out)
    else:
        renderer(node, out)


_FENCE = re.compile(r"```[\w+#.-]*")


def _tidy(text: str) -> str:
    """Collapse runs of spaces and blank lines, except inside code fences,
    where indentation is meaning."""
    if "```" not in text:
        if "  " in text or "\t" in text or "\u00a0" in text:
            text = _SPACES.sub(" ", text)
        text = "\n".join([line.strip() for line in text.splitlines()])
        return (_BLANKS.sub("\n\n", text) if "\n\n\n" in text else text).strip()
    lines = []
    in_code = False
    for line in text.splitlines():
        fence = line.strip()
        if fence == "```" or (not in_code and fence.startswith("```") and _FENCE.fullmatch(fence)):
            in_code = not in_code
            lines.append(fence)
        elif in_code:
            lines.append(line.rstrip())
        elif "  " in line or "\t" in line or "\u00a0" in line:
            lines.append(_SPACES.sub(" ", line).strip())
        else:
            lines.append(fence)
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
