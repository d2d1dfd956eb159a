"""Line layout: which line breaks are a text's own and which are only a hard wrap.

News dumps, wire copy and e-mail keep the wrap of the page they came from ("...Supreme Leader
Ayatollah\\nAli Khamenei said..."): spaCy sees a SPACE token in mid-clause, the parser loses the
subject, and every line counts as a paragraph. Other texts put one paragraph, headline or bullet
on a line, and a sentence never runs over a line break. `unwrap` tells the two apart and turns
the wrap breaks into spaces, the same length, so every offset still points into the text as given;
the breaks that remain are real ones, and `line_starts` marks them for the sentence splitter.
"""

from __future__ import annotations

import re

# a line that starts a list item, a dateline-free heading marker or a new record is never a wrap
_ITEM = re.compile(r"\s*(?:[*•·▪‣◦–—-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
_WRAP_MIN_LINES = 5


def wrap_width(lines: list[str]) -> int | None:
    """The column a hard-wrapped text breaks at, or None when its lines are not wrapped.

    Wrapped prose fills its lines to within a few characters of one width: at least half of
    the lines of text fall in [0.8·W, W] for W their 90th-percentile length, and W is a page
    width (≤ 100), not a paragraph's."""
    lengths = sorted(len(s.rstrip()) for s in lines if len(s.strip()) > 0)
    if len(lengths) < _WRAP_MIN_LINES:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 30 <= width <= 100:
        return None
    full = sum(1 for n in lengths if 0.8 * width <= n <= width)
    return width if full >= 0.5 * len(lengths) else None


def unwrap(text: str) -> str:
    """The text with its wrap line breaks turned into spaces (same length, same offsets)."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return text
    out = list(text)
    pos = 0
    for here, nxt in zip(lines, lines[1:]):
        pos += len(here)  # the index of the '\n' after `here`
        if (here.strip() and nxt.strip() and len(here.rstrip()) >= 0.6 * width
                and not _ITEM.match(nxt)):
            out[pos] = " "
        pos += 1
    return "".join(out)


def line_starts(text: str) -> list[int]:
    """Offsets where a line of text starts after a line break (the first non-space character)."""
    return [m.end() for m in re.finditer(r"\n[ \t\r\f\v\n]*(?=\S)", text)]
