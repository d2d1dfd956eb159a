"""Where a sentence sits in the text: inside which quotation, in which paragraph.

Quotations are found on the raw text (curly, guillemets, straight double quotes); scare quotes
("peace") are not speech, so a quotation has at least four words.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable

QUOTE_PAIRS = [("“", "”"), ("«", "»"), ("„", "“")]
QUOTE_MARKS = '"' + "".join(dict.fromkeys(m for pair in QUOTE_PAIRS for m in pair))  # every mark read


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Char spans of quotations, long ones only, in text order."""
    regions = []
    for op, cl in QUOTE_PAIRS:
        i = 0
        while True:
            s = text.find(op, i)
            if s < 0:
                break
            e = text.find(cl, s + 1)
            if e < 0:
                break
            regions.append((s, e + 1))
            i = e + 1
    pos = [m.start() for m in re.finditer('"', text)]
    for a, b in zip(pos[::2], pos[1::2]):
        regions.append((a, b + 1))
    return sorted(r for r in regions if len(text[r[0]:r[1]].split()) >= 4)


def quote_at(quotes: list[tuple[int, int]], start: int, end: int) -> int | None:
    """Index of the quotation a sentence [start, end) sits in (or opens), else None."""
    for i, (qs, qe) in enumerate(quotes):
        if qs <= start + 2 and end <= qe + 2 and (end - start) > 0:
            return i
        if qs > start and qs < end and qe >= end - 2 and (qs - start) < 3:
            return i
    return None


def paragraph_index(text: str) -> Callable[[int], int]:
    """offset → paragraph number (a line break starts a new one)."""
    breaks = [m.end() for m in re.finditer(r"\n", text)]

    def para(pos: int) -> int:
        return bisect.bisect_right(breaks, pos)
    return para
