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
_ITEM = re.compile(r"\s*(?:[*•·▪‣◦–—-]|\(?\d{1,2}[.)]|\(?[a-z][.)]|[A-Z][A-Za-z]{1,20}:)(?:\s|$)")  # "Outlet: ..." is a record
_WRAP_MIN_LINES = 5
_BLOCK_MIN_LINES = 4  # a block of fewer lines tells nothing of a wrap
_BLOCK_MIN_WIDTH = 60


def wrap_width(lines: list[str], min_lines: int = _WRAP_MIN_LINES) -> int | None:
    """The column a hard-wrapped text breaks at, or None when its lines are not wrapped.

    Wrapped prose fills its lines to within a few characters of one width: at least half of
    the lines of text fall in [0.8·W, W] for W their 90th-percentile length, and W is a page
    width (≤ 100), not a paragraph's."""
    lengths = sorted(len(s.rstrip()) for s in lines if len(s.strip()) > 0)
    if len(lengths) < min_lines:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 30 <= width <= 100:
        return None
    full = sum(1 for n in lengths if 0.8 * width <= n <= width)
    return width if full >= 0.5 * len(lengths) else None


# a blank line inside a sentence: the text before it stops without a sentence's or a lead-in's end
# and the text after goes on in lower case ("... IR-6 and IR-8\n\ncentrifuges, and will ...", a
# page's or a converter's break); a paragraph, a heading or a list item never starts so
_BROKEN = re.compile(r"(?<=[\w,)\-–])[ \t]*\n(?:[ \t]*\n)+[ \t]*(?=[a-z])")


def unwrap(text: str) -> str:
    """The text with its wrap line breaks turned into spaces (same length, same offsets).

    The wrap is found for the whole text, else block by block (lines between blank lines): a
    news page with one paragraph a line can quote a hard-wrapped fact sheet. A sentence broken
    by blank lines (`_BROKEN`) is joined too."""
    text = _BROKEN.sub(lambda m: " " * len(m.group(0)), text)
    if "\n" not in text:
        return text
    lines = text.split("\n")
    width = wrap_width(lines)
    widths = [width] * len(lines)
    if width is None:
        start = 0
        for k in range(len(lines) + 1):
            if k == len(lines) or not lines[k].strip():
                block = wrap_width(lines[start:k], _BLOCK_MIN_LINES) if k - start >= _BLOCK_MIN_LINES else None
                # a block is a page's wrap only at a page's width (a short list is not wrapped)
                widths[start:k] = [block if block and block >= _BLOCK_MIN_WIDTH else None] * (k - start)
                start = k + 1
        if not any(widths):
            return text
    out = list(text)
    pos = 0
    for k, (here, nxt) in enumerate(zip(lines, lines[1:])):
        pos += len(here)  # the index of the '\n' after `here`
        w = widths[k]
        if (w and here.strip() and nxt.strip() and len(here.rstrip()) >= 0.6 * w
                and not _ITEM.match(nxt) and not here.rstrip().endswith(":")):  # a lead-in ends its line
            out[pos] = " "
        pos += 1
    return "".join(out)


def line_starts(text: str) -> list[int]:
    """Offsets where a line of text starts after a line break (the first non-space character)."""
    return [m.end() for m in re.finditer(r"\n[ \t\r\f\v\n]*(?=\S)", text)]


# A wire dateline before the lead ("TEHRAN (FNA)- The Iranian Foreign Ministry ...", "MOSCOW, Aug
# 11 (Reuters) - ...", "VIENNA—Iran and ..."): the parser took the city for the lead's subject.
# A city in capitals (or a name before an agency in brackets), an optional region and day, an
# optional agency, and a dash: a hyphen only with a space or a bracket before it ("IAEA-Iran
# roadmap" is no dateline).
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?:[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?(?= ?\())"
    r"(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?(?:,? [A-Z][a-z]{2,8}\.? \d{1,2})?(?: ?\([A-Za-z .&]{2,25}\))?"
    r"(?: [-–—]+|(?<=\))[-–—]+|[–—]+)[ \t]*(?=[A-Z“\"‘'])")


DATELINE_WITHIN = 1500  # a wire story's dateline opens its body, after a headline and a byline at most


def blank_datelines(text: str) -> str:
    """The text with its dateline as spaces (same length, same offsets), for the parser. Only the
    first, near the top: further down a line in capitals before a dash is a speaker's."""
    m = _DATELINE.search(text, 0, DATELINE_WITHIN)
    return text if m is None else text[:m.start()] + " " * len(m.group(0)) + text[m.end():]
