"""Alert Markdown, rendered for each channel and fitted to its length limit. Pure functions.

Alerts are written in a small, fixed subset of Markdown that this module knows
completely, so that each channel gets exactly what it understands and nothing
from an article can turn into markup:

- blocks separated by a blank line; in a block, lines that start ``- `` (or
  ``  - `` nested) are list items, ``> `` a quotation, a `````` fence opens and
  closes code; other lines are paragraph lines;
- inline: ``**bold**``, ``_italic_``, `` `code` ``, ``[text](http-url)`` and
  backslash escapes. Text that comes from articles goes through ``md_escape``.

``render(md, "html")`` escapes every character that means something in HTML
(article text included) and only then adds tags; links are kept only for
http(s) URLs. ``render(md, "text")`` drops the markup and writes each link's URL
after its text (``title <https://...>``). ``render(md, "email")`` is the HTML of
an e-mail: apprise writes the mail's plain-text part from it and drops every
``href`` on the way, so each link is numbered (``title [1]``) and the URLs follow
in a closing **Links** list, and inline code is a monospace ``<span>`` because
apprise breaks the line around a ``<code>``. ``fit`` shortens an alert
that a channel would refuse (Telegram 4096 characters, Discord 2000) by
dropping its least useful lines, never its first block (what happened) nor its
last (the alert id and the query).
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

FORMATS = ("markdown", "html", "text", "email")
HTML_FORMATS = ("html", "email")

# what a backslash may escape (CommonMark's ASCII punctuation)
_ESCAPABLE = r"""!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~"""
_ESCAPE_NEEDED = re.compile(r"([\\`*_\[\]<>|~#])")
_LINE_START = re.compile(r"^(\s*)([-+>])(\s)")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])(\s)")

_INLINE = re.compile(
    r"\\([" + _ESCAPABLE + r"])"  # 1: an escaped character
    r"|`([^`\n]+)`"  # 2: code
    r"|\*\*(.+?)\*\*"  # 3: bold
    r"|\[((?:\\.|[^\]\\\n])+)\]\(([^)\s]+)\)"  # 4, 5: link
    r"|(?<![\w\\])_(.+?)_(?!\w)"  # 6: italic
)


# --- writing Markdown --------------------------------------------------------------


def md_escape(text: str) -> str:
    """Untrusted text (an article's title, a sentence) as literal Markdown on one line."""
    text = " ".join(text.split())
    text = _ESCAPE_NEEDED.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2\3", text)
    return _NUMBERED.sub(r"\1\\\2\3", text)


def sql_footer(alert_id: str, about: str, query: str) -> str:
    """An alert's last lines: its id, what it is about, and the SQL that shows more."""
    return "\n".join([f"**Alert** `{alert_id}` · {about}:", "```sql", query, "```"])


def md_link(text: str, url: str | None) -> str:
    """``[text](url)`` for an http(s) URL; the escaped text alone for anything else."""
    label = md_escape(text) or "link"
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return label
    safe = quote(url, safe=":/?#[]@!$&'*+,;=%~-._")
    safe = safe.replace("(", "%28").replace(")", "%29")
    return f"[{label}]({safe})"


# --- reading it back ---------------------------------------------------------------


class _Links:
    """The URLs an e-mail's links point to, numbered in order of first use."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def number(self, url: str) -> int:
        return self.numbers.setdefault(url, len(self.numbers) + 1)

    def block(self) -> str:
        if not self.numbers:
            return ""
        lines = [f'[{n}] <a href="{html.escape(url, quote=True)}">{html.escape(url, quote=False)}</a>'
                 for url, n in self.numbers.items()]
        return "<p><b>Links</b>:<br>" + "<br>".join(lines) + "</p>"


def _inline(text: str, fmt: str, links: _Links | None = None) -> str:
    out: list[str] = []
    pos = 0
    for match in _INLINE.finditer(text):
        out.append(_plain(text[pos : match.start()], fmt))
        out.append(_token(match, fmt, links))
        pos = match.end()
    out.append(_plain(text[pos:], fmt))
    return "".join(out)


def _plain(text: str, fmt: str) -> str:
    return html.escape(text, quote=False) if fmt in HTML_FORMATS else text


def _token(match: re.Match[str], fmt: str, links: _Links | None) -> str:
    escaped, code, bold, label, url, italic = match.groups()
    tagged = fmt in HTML_FORMATS
    if escaped is not None:
        return _plain(escaped, fmt)
    if code is not None:
        if fmt == "email":
            return f'<span style="font-family:monospace">{html.escape(code, quote=False)}</span>'
        return f"<code>{html.escape(code, quote=False)}</code>" if tagged else code
    if bold is not None:
        return f"<b>{_inline(bold, fmt, links)}</b>" if tagged else _inline(bold, fmt, links)
    if italic is not None:
        return f"<i>{_inline(italic, fmt, links)}</i>" if tagged else _inline(italic, fmt, links)
    text = _inline(label, fmt, links)
    shows_url = _inline(label, "text") == url  # a bare URL needs no second copy
    if not tagged:
        return text if shows_url else f"{text} <{url}>"
    if not re.match(r"^https?://", url, re.IGNORECASE):
        return text
    anchor = f'<a href="{html.escape(url, quote=True)}">{text}</a>'
    return anchor if links is None or shows_url else f"{anchor} [{links.number(url)}]"


def _blocks(md: str) -> list[tuple[str, list[str]]]:
    """Lines grouped into runs of one kind: para, list, quote, code."""
    runs: list[tuple[str, list[str]]] = []
    fence: list[str] | None = None
    for line in md.split("\n"):
        if fence is not None:
            if line.strip().startswith("```"):
                runs.append(("code", fence))
                fence = None
            else:
                fence.append(line)
            continue
        if line.strip().startswith("```"):
            fence = []
            continue
        if not line.strip():
            runs.append(("gap", []))
            continue
        kind = "list" if re.match(r"^\s*- ", line) else "quote" if line.startswith("> ") else "para"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(line)
        else:
            runs.append((kind, [line]))
    if fence is not None:
        runs.append(("code", fence))
    return runs


def _html_list(lines: list[str], fmt: str, links: _Links | None) -> str:
    out = ["<ul>"]
    open_sub = False
    for line in lines:
        nested = line.startswith("  ")
        item = _inline(line.strip()[2:], fmt, links)
        if nested and not open_sub:
            out[-1] = out[-1].removesuffix("</li>") + "<ul>"
            open_sub = True
        elif not nested and open_sub:
            out.append("</ul></li>")
            open_sub = False
        out.append(f"<li>{item}</li>")
    if open_sub:
        out.append("</ul></li>")
    out.append("</ul>")
    return "".join(out)


def to_html(md: str, fmt: str = "html", links: _Links | None = None) -> str:
    parts = []
    for kind, lines in _blocks(md):
        if kind == "code":
            parts.append("<pre><code>" + html.escape("\n".join(lines), quote=False) + "</code></pre>")
        elif kind == "list":
            parts.append(_html_list(lines, fmt, links))
        elif kind == "quote":
            parts.append("<blockquote>" + "<br>".join(_inline(l[2:], fmt, links) for l in lines) + "</blockquote>")
        elif kind == "para":
            parts.append("<p>" + "<br>".join(_inline(l, fmt, links) for l in lines) + "</p>")
    return "\n".join(parts)


def to_email(md: str) -> str:
    """HTML whose plain-text rendering keeps every link: numbered, the URLs listed at the end."""
    links = _Links()
    body = to_html(md, "email", links)
    return "\n".join(p for p in (body, links.block()) if p)


def to_text(md: str) -> str:
    out: list[str] = []
    for kind, lines in _blocks(md):
        if kind == "gap":
            out.append("")
        elif kind == "code":
            out.extend("    " + line for line in lines)
        elif kind == "list":
            for line in lines:
                bullet = "    - " if line.startswith("  ") else "• "
                out.append(bullet + _inline(line.strip()[2:], "text"))
        elif kind == "quote":
            out.extend("> " + _inline(line[2:], "text") for line in lines)
        else:
            out.extend(_inline(line, "text") for line in lines)
    return "\n".join(out).strip("\n")


def render(md: str, fmt: str) -> str:
    """The alert's Markdown for a channel that takes ``markdown``, ``html``, ``text`` or ``email``."""
    if fmt == "html":
        return to_html(md)
    if fmt == "email":
        return to_email(md)
    if fmt == "text":
        return to_text(md)
    if fmt == "markdown":
        return md
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


# --- length limits -----------------------------------------------------------------

SHORTENED = "_Shortened to fit this channel: every source and sentence is in the outbox (`sahel-monitor alerts show {alert_id}`)._"


def fit(md: str, fmt: str, limit: int, alert_id: str = "") -> str:
    """``render(md, fmt)`` in at most ``limit`` characters (0: no limit).

    The longest middle block loses its last line first (evidence and source
    lists are the long ones), so every kind of information keeps its head.
    """
    rendered = render(md, fmt)
    if limit <= 0 or len(rendered) <= limit:
        return rendered
    blocks = md.split("\n\n")
    head, middle, foot = blocks[0], [b.split("\n") for b in blocks[1:-1]], blocks[-1] if len(blocks) > 1 else ""
    note = SHORTENED.format(alert_id=alert_id or "ID")
    while True:
        candidate = render("\n\n".join([head, *("\n".join(b) for b in middle), note, foot]).strip(), fmt)
        if len(candidate) <= limit:
            return candidate
        if not middle:
            break
        longest = max(range(len(middle)), key=lambda i: (len(middle[i]), i))
        if len(middle[longest]) <= 2:  # a heading and one line: drop the whole block
            middle.pop(longest)
        else:
            middle[longest].pop()
    return _cut(render(f"{head}\n\n{foot}", "text"), fmt, limit)


def _cut(text: str, fmt: str, limit: int) -> str:
    """Last resort: plain text cut at the limit (escaped for HTML, never mid-entity)."""
    while True:
        shown = text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"
        out = html.escape(shown, quote=False) if fmt in HTML_FORMATS else shown
        if len(out) <= limit:
            return out
        text = text[: max(0, len(text) - (len(out) - limit) - 1)]
