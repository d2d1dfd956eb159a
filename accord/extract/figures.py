"""Figures (dated quantities with units) and the contradictions between them or in titles.

Contradictions found here:
- the same quantity for the same date (or the same period) given different values;
- a unit that cannot be right for the magnitude (a share of a country's territory given in km²
  that is orders of magnitude off the country's area; a share over 100 percent);
- one person given incompatible titles ("A's ambassador to B" and "B's ambassador to A").
"""

from __future__ import annotations

import re

from .dates import MONTHS
from .gazetteer import COUNTRY_AREA_KM2, ActorResolver

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100, "dozens": 24, "a dozen": 12,
}
FRACTIONS = {"one-fifth": 20.0, "a fifth": 20.0, "one-quarter": 25.0, "a quarter": 25.0,
             "one-third": 100 / 3, "a third": 100 / 3, "two-thirds": 200 / 3, "three-quarters": 75.0,
             "half": 50.0, "one-half": 50.0, "one-tenth": 10.0, "a tenth": 10.0}

_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + r")"
_SCALE = r"(?:\s+(million|billion|thousand|trillion))?"
UNITS = [
    (r"%|percent|per cent", "percent"),
    (r"-?square[- ]kilomet(?:er|re)s?|km2|km²|sq\.? km", "km2"),
    (r"-?square[- ]miles?", "mi2"),
    (r"-?kilomet(?:er|re)s?|km\b", "km"),
    (r"-?miles?\b", "mi"),
    (r"(?:US\s)?dollars|USD|euros|EUR\b", "currency"),
    (r"(?:\w+\s)?(?:drones|missiles|rockets|shells|tanks|aircraft|warplanes|troops|soldiers|people|civilians|children|refugees|prisoners|hostages|countries|casualties|deaths|fighters|vehicles|trucks|detainees|pows|ships)\b", "count"),
    (r"days?|weeks?|months?|years?", "duration"),
]
FIG_RX = re.compile(
    r"(?<![\w.,])(?:\$|€|£)?" + _NUM + r"(?:\s*(?:[–-]|to)\s*(\d+(?:\.\d+)?))?" + _SCALE + r"\s*(" +
    "|".join(f"(?:{u})" for u, _ in UNITS) + r")", re.I)
FRACTION_RX = re.compile(r"\b(" + "|".join(re.escape(f) for f in FRACTIONS) + r")\s+of\b", re.I)
TITLE_RX = re.compile(
    r"(?P<from>[A-Z][\w.’'-]+(?:\s[A-Z][\w’'-]+)?)(?:’s|'s)\s+(?:\w+\s)?(?P<title>ambassador|envoy|consul|representative)\s+(?:to|in|at)\s+(?:the\s)?(?P<to>[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?)")


def _num(token: str) -> float | None:
    token = token.lower().replace(",", "")
    if token in WORD_NUMBERS:
        return float(WORD_NUMBERS[token])
    try:
        return float(token)
    except ValueError:
        return None


def _unit(raw: str) -> tuple[str, str]:
    """The normalised unit and, for counts, the counted noun."""
    for rx, name in UNITS:
        if re.fullmatch(rx, raw.strip(), re.I):
            if name == "count":
                return "count", raw.strip().split()[-1].lower()
            return name, raw.strip().lower().lstrip("-")
    return raw.lower(), raw.lower()


def _quantity(sentence: str, m_start: int, m_end: int, unit: str, noun: str) -> str:
    """A name for what is measured, from the unit and the words around the number."""
    after = sentence[m_end:m_end + 60].lower()
    around = sentence[max(0, m_start - 80):m_end + 80].lower()
    if unit == "percent":
        if re.search(r"\b(territor\w*|land)\b", around) or re.search(r"occup", around):
            base = "occupied_share" if re.search(r"occup|seiz|control", around) else "territory_share"
            if re.match(r"\s*(more|additional|extra)\b", after):
                return base + "_change"
            return base
        if re.search(r"customs|tariff|duty", around):
            return "tariff_rate"
        m = re.match(r"\s+of\s+(?:the\s+)?([a-z]+(?:\s[a-z]+)?)", after)
        return f"share_of_{m.group(1).replace(' ', '_')}" if m else "share"
    if unit == "count":
        m = re.match(r"\s*(?:were|have been|had been|was)?\s*(killed|injured|wounded|launched|fired|captured|released|displaced|detained|freed|exchanged)", after)
        return f"{noun}_{m.group(1)}" if m else noun
    if unit in ("km2", "mi2"):
        return "area_occupied" if re.search(r"occup", around) else "area"
    if unit in ("km", "mi"):
        return "front_length" if re.search(r"front", around) else "distance"
    if unit == "duration":
        return "deadline" if re.search(r"deadline|ultimatum|within", around) else "duration"
    return unit


def find_figures(sentence: str, offset: int) -> list[dict]:
    """Numbers with units in one sentence → figure dicts with absolute offsets."""
    out = []
    for m in FIG_RX.finditer(sentence):
        value = _num(m.group(1))
        if value is None:
            continue
        # a year ("in 2022 days") or an ordinal is not a figure; "2-year-old" neither
        if re.match(r"-year-old", sentence[m.end():m.end() + 9]) or (1900 <= value <= 2100 and m.group(4).lower().startswith(("day", "year", "month", "week"))):
            continue
        scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}.get((m.group(3) or "").lower(), 1)
        value *= scale
        high = float(m.group(2)) * scale if m.group(2) else None
        unit, noun = _unit(m.group(4))
        if unit == "count" and noun in ("days", "years", "months", "weeks"):
            unit = "duration"
        fig = {
            "quantity": _quantity(sentence, m.start(), m.end(), unit, noun),
            "value": value, "unit": unit if unit != "count" else noun,
            "start": offset + m.start(), "end": offset + m.end(),
        }
        if high is not None:
            fig["value_high"] = high
        out.append(fig)
    for m in FRACTION_RX.finditer(sentence):
        out.append({
            "quantity": _quantity(sentence, m.start(), m.end(), "percent", "percent"),
            "value": round(FRACTIONS[m.group(1).lower()], 2), "unit": "percent",
            "start": offset + m.start(), "end": offset + m.end(),
        })
    return out


def _close(a: dict, b: dict) -> bool:
    """Values agree when their ranges overlap or they differ by under 10 %."""
    lo_a, hi_a = a["value"], a.get("value_high", a["value"])
    lo_b, hi_b = b["value"], b.get("value_high", b["value"])
    if lo_a <= hi_b and lo_b <= hi_a:
        return True
    return abs(lo_a - lo_b) <= 0.1 * max(abs(lo_a), abs(lo_b), 1e-9)


def figure_contradictions(figures: list[dict], text: str) -> list[dict]:
    """Same quantity, same date (or same period), different values."""
    out = []
    for i, b in enumerate(figures):
        for a in figures[:i]:
            if a["quantity"] != b["quantity"] or a["unit"] != b["unit"]:
                continue
            same_date = a.get("date") and a.get("date") == b.get("date") and not a.get("period") and not b.get("period")
            same_period = a.get("period") and b.get("period") and [p[:4] for p in a["period"]] == [p[:4] for p in b["period"]]
            if (same_date or same_period) and not _close(a, b):
                when = "/".join(a["period"]) if same_period else a["date"]
                out.append({
                    "kind": "contradiction", "why": (
                        f"{b['quantity']} for {when} given as {_fmt(b)} {b['unit']} here and as "
                        f"{_fmt(a)} {a['unit']} at {a['start']}–{a['end']}"),
                    "start": b["start"], "end": b["end"], "other_start": a["start"], "other_end": a["end"],
                    "quantity": b["quantity"], "date": b.get("date"), "confidence": 0.7,
                })
    return out


def _fmt(fig: dict) -> str:
    v = f"{fig['value']:g}"
    return f"{v}–{fig['value_high']:g}" if "value_high" in fig else v


def magnitude_contradictions(sentence: str, offset: int, figures: list[dict],
                             resolver: ActorResolver, date: str | None) -> list[dict]:
    """A unit that cannot be right for the magnitude, checked within one sentence."""
    out = []
    shares = [f for f in figures if f["unit"] == "percent"]
    areas = [f for f in figures if f["unit"] in ("km2", "mi2")]
    for f in shares:
        if f["value"] > 100 and f["quantity"] != "tariff_rate" and "share" in f["quantity"]:
            out.append({"kind": "contradiction", "why": f"a share of {f['value']:g} percent is over 100",
                        "start": f["start"], "end": f["end"], "date": date, "confidence": 0.6})
    if not areas:
        return out
    country = None
    for m in re.finditer(r"([A-Z][\w’'-]+)(?:’s|'s)?\s+(?:\w+\s)?territor", sentence):
        country = resolver.code(m.group(1))
        if country:
            break
    if country is None or country not in COUNTRY_AREA_KM2:
        return out
    total = COUNTRY_AREA_KM2[country]
    for a in areas:
        km2 = a["value"] * (2.59 if a["unit"] == "mi2" else 1)
        implied = 100 * km2 / total
        for s in shares:
            if s["value"] > 0 and (implied / s["value"] < 0.1 or implied / s["value"] > 10):
                out.append({
                    "kind": "contradiction", "start": a["start"], "end": a["end"], "date": date,
                    "other_start": s["start"], "other_end": s["end"], "confidence": 0.8,
                    "quantity": a["quantity"],
                    "why": (f"{a['value']:g} {a['unit']} is {implied:.3g} percent of {country}'s "
                            f"{total:,} km², not the {s['value']:g} percent stated: the unit or the "
                            f"number cannot be right"),
                })
    return out


def find_titles(text: str, resolver: ActorResolver) -> list[dict]:
    """'X's ambassador to Y' mentions with the person they are attached to, if any."""
    out = []
    for m in TITLE_RX.finditer(text):
        src, dst = resolver.code(m.group("from")), resolver.code(m.group("to"))
        if not src or not dst:
            continue
        person = None
        before = text[max(0, m.start() - 60):m.start()]
        after = text[m.end():m.end() + 60]
        pb = re.search(r"([A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)+),\s*$", before)
        pa = re.match(r",\s*([A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)+)", after)
        if pb:
            person = pb.group(1)
        elif pa:
            person = pa.group(1)
        out.append({"from": src, "to": dst, "title": m.group("title").lower(), "person": person,
                    "start": m.start(), "end": m.end(), "text": m.group(0)})
    return out


def title_contradictions(titles: list[dict]) -> list[dict]:
    """One person given incompatible titles; an unnamed reversed title is flagged as the same."""
    out = []
    named = [t for t in titles if t["person"]]
    for i, t in enumerate(titles):
        for u in titles[:i]:
            if t["title"] != u["title"]:
                continue
            same_person = t["person"] and u["person"] and t["person"].split()[-1] == u["person"].split()[-1]
            reversed_ = (t["from"], t["to"]) == (u["to"], u["from"])
            differs = (t["from"], t["to"]) != (u["from"], u["to"])
            if (same_person and differs) or (reversed_ and (t["person"] is None or u["person"] is None)):
                who = t["person"] or u["person"] or next((n["person"] for n in named), None)
                out.append({
                    "kind": "contradiction", "start": t["start"], "end": t["end"],
                    "other_start": u["start"], "other_end": u["end"], "speaker": who,
                    "why": (f"'{t['text']}' contradicts '{u['text']}'" + (f" for {who}" if who else "")
                            + ": one person cannot hold both titles"),
                    "confidence": 0.8 if same_person else 0.6,
                })
                break
    return out


_PERIOD = re.compile(
    r"\b(?:from|between)\s+(?:the\s+\w+\s+of\s+\w+\s+in\s+)?(\d{4})\s*(?:to|until|till|and|[–-])\s*(?:(January|February|March|April|May|June|July|August|September|October|November|December)\s+)?(\d{4})", re.I)


def period(sentence: str) -> list[str] | None:
    """[start, end] of a stated period ("from 2022 to 2024", "2014–2022"), else None."""
    m = _PERIOD.search(sentence)
    if not m:
        m2 = re.search(r"\b(\d{4})\s*[–-]\s*(\d{4})\b", sentence)
        if m2:
            return [m2.group(1), m2.group(2)]
        return None
    end = m.group(3)
    if m.group(2):
        end = f"{end}-{MONTHS[m.group(2).lower()]:02d}"
    return [m.group(1), end]


def figure_date(sentence: str, hits, doc_date: str | None) -> str | None:
    """A figure's date: the end of a stated period, else the sentence's date, else the document's."""
    rng = period(sentence)
    if rng:
        return rng[1]
    if hits:
        return hits[0].value
    return doc_date
