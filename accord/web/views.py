"""What each page and API route shows, as plain data: one function per view, shared by both.

Role-based redaction happens once, on the case itself (`redact_case`), before any view runs:
for a viewer, every confidential source is replaced by its public label under an opaque id and
every quote and locator taken from it is dropped, so no page, API answer or export built from
the redacted case can carry the source's identity, URL or text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ..case.models import Case, Source, date_floor
from ..positions import derive_positions, statements_as_of
from ..positions import parse_as_of as _case_as_of

if TYPE_CHECKING:  # the analysis engine is optional on a server: loaded only where an analysis exists
    from ..analysis.contracts import Analysis

CONFIDENTIAL_PREFIX = "confidential-"


def redact_case(case: Case, opaque) -> Case:
    """The case as a viewer may see it (see the module docstring)."""
    hidden = {s.id: s for s in case.sources if s.confidential}
    if not hidden:
        return case
    alias = {sid: CONFIDENTIAL_PREFIX + opaque(case.meta.id, sid) for sid in hidden}
    sources = []
    for s in case.sources:
        if s.id in hidden:
            label = s.public_label or "a confidential source"
            s = Source(id=alias[s.id], outlet=label, language=s.language, reliability=s.reliability,
                       credibility=s.credibility, confidential=True, public_label=label)
        sources.append(s)

    def scrub(item, **extra):
        if item.source not in hidden:
            return item
        return item.model_copy(update={"source": alias[item.source], "locator": None, **extra})

    return case.model_copy(update={
        "sources": sources,
        "statements": [scrub(s, quote=None) for s in case.statements],
        "events": [scrub(e) for e in case.events],
        "figures": [scrub(f) for f in case.figures],
    })


def visible_case(case: Case) -> Case:
    """Only reviewed, accepted evidence is shown as fact; pending items live in the review queue."""
    return case.model_copy(update={"statements": [s for s in case.statements if s.status == "accepted"]})


def parse_as_of(value: str | None, case: Case) -> dt.date:
    """A query's as_of (YYYY-MM-DD), else the case's (accord.positions.parse_as_of: one rule for all)."""
    return _case_as_of(value or None, case)


def known(date: str, as_of: dt.date) -> bool:
    # Same rule as accord.positions: a partial date counts from the first day of its period.
    return date_floor(date) <= as_of


def source_ref(case: Case, source_id: str) -> dict[str, Any]:
    s = next((x for x in case.sources if x.id == source_id), None)
    if s is None:
        return {"id": source_id, "name": source_id, "confidential": False, "grade": None}
    return {"id": s.id, "name": s.display_name(public=s.id.startswith(CONFIDENTIAL_PREFIX)),
            "confidential": s.confidential, "grade": f"{s.reliability}{s.credibility}"}


def _names(case: Case) -> dict[str, str]:
    return {a.id: a.name for a in case.actors} | {i.id: i.name for i in case.issues}


# -- overview ---------------------------------------------------------------------------------
def overview(case: Case, as_of: dt.date, analysis: Analysis | None, answers: list[dict] | None) -> dict:
    stmts = statements_as_of(case, as_of)
    return {
        "case": case.meta.model_dump(mode="json"),
        "as_of": as_of.isoformat(),
        "counts": {
            "actors": len(case.actors), "issues": len(case.issues), "sources": len(case.sources),
            "statements": len(stmts),
            "events": sum(known(e.date, as_of) for e in case.events),
            "figures": sum(known(f.date, as_of) for f in case.figures),
        },
        "answers": answers if answers is not None else key_answers(case, analysis),
        "analysis_available": analysis is not None,
    }


def key_answers(case: Case, analysis: Analysis | None, audience: str = "public") -> list[dict[str, Any]]:
    """The briefing's answers to the case's key questions (accord.report.answers: one source for both)."""
    from ..report.answers import key_answers as answers

    return [a.model_dump(mode="json") for a in answers(case, analysis, audience=audience)]


# -- matrix -------------------------------------------------------------------------------------
def matrix(case: Case, as_of: dt.date) -> dict:
    positions = derive_positions(case, as_of)
    by = {(p.actor, p.issue): p for p in positions}
    actors = [a for a in case.principals() if any(p.actor == a.id for p in positions)]
    extra = sorted({p.actor for p in positions} - {a.id for a in actors})
    issues = [i for i in case.issues]
    return {
        "as_of": as_of.isoformat(),
        "issues": [{"id": i.id, "name": i.name, "scale": {str(k): v for k, v in i.scale.items()}} for i in issues],
        "actors": [{"id": a.id, "name": a.name} for a in actors] + [{"id": x, "name": x} for x in extra],
        "positions": [p.model_dump(mode="json") for p in positions],
        "cells": {f"{a}|{i}": p.model_dump(mode="json") for (a, i), p in by.items()},
    }


def evidence(case: Case, actor: str, issue: str, as_of: dt.date, spans: dict[str, dict]) -> dict:
    """Every accepted statement behind one matrix cell, with its source and text span."""
    positions = {(p.actor, p.issue): p for p in derive_positions(case, as_of)}
    pos = positions.get((actor, issue))
    used = set(pos.evidence) if pos else set()
    items = []
    for s in statements_as_of(case, as_of):
        if s.issue == issue and case.principal(s.actor) == actor:
            items.append(s.model_dump(mode="json") | {
                "used": s.id in used, "source_ref": source_ref(case, s.source), "span": spans.get(s.id)})
    items.reverse()  # newest first: the one that sets the position leads
    iss = next(i for i in case.issues if i.id == issue)
    return {"actor": {"id": actor, "name": _names(case).get(actor, actor)},
            "issue": {"id": iss.id, "name": iss.name, "scale": {str(k): v for k, v in iss.scale.items()}},
            "as_of": as_of.isoformat(), "position": pos.model_dump(mode="json") if pos else None,
            "evidence": items}


# -- chronology and figures -----------------------------------------------------------------------
def chronology(case: Case, as_of: dt.date, *, kind: str | None = None, actor: str | None = None) -> dict:
    names = _names(case)
    items = []
    if kind in (None, "", "event"):
        for e in case.events:
            if known(e.date, as_of) and (not actor or actor in e.actors):
                items.append({"kind": "event", "id": e.id, "date": e.date, "type": e.type,
                              "actors": [names.get(a, a) for a in e.actors], "summary": e.summary,
                              "source_ref": source_ref(case, e.source)})
    if kind in (None, "", "statement"):
        for s in statements_as_of(case, as_of):
            if not actor or case.principal(s.actor) == actor:
                items.append({"kind": "statement", "id": s.id, "date": s.date, "type": s.stance,
                              "actors": [names.get(case.principal(s.actor), s.actor)],
                              "issue": s.issue, "summary": s.summary, "source_ref": source_ref(case, s.source)})
    items.sort(key=lambda x: (date_floor(x["date"]), x["kind"], x["id"]))
    return {"as_of": as_of.isoformat(), "items": items,
            "actors": [{"id": a.id, "name": a.name} for a in case.principals()]}


def figures(case: Case, as_of: dt.date) -> dict:
    series: dict[str, list] = defaultdict(list)
    for f in case.figures:
        if known(f.date, as_of):
            series[f.quantity].append({"id": f.id, "date": f.date, "value": f.value, "unit": f.unit,
                                       "note": f.note, "source_ref": source_ref(case, f.source)})
    out = []
    for q, pts in sorted(series.items()):
        pts.sort(key=lambda p: date_floor(p["date"]))
        out.append({"quantity": q, "unit": pts[0]["unit"], "points": pts, "chart": line_chart(pts)})
    return {"as_of": as_of.isoformat(), "series": out}


def line_chart(points: list[dict], width: int = 640, height: int = 220) -> dict:
    """Coordinates for a server-drawn SVG line chart (no JavaScript needed to read it)."""
    pad_l, pad_r, pad_t, pad_b = 56, 16, 12, 28
    xs = [date_floor(p["date"]).toordinal() for p in points]
    ys = [p["value"] for p in points]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(0.0, min(ys)), max(ys)
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1
    sx = lambda x: pad_l + (x - x0) / (x1 - x0) * (width - pad_l - pad_r)
    sy = lambda y: height - pad_b - (y - y0) / (y1 - y0) * (height - pad_t - pad_b)
    pts = [{"x": round(sx(x), 1), "y": round(sy(y), 1), "label": f"{p['date']}: {p['value']:g} {p['unit']}"}
           for x, y, p in zip(xs, ys, points)]
    return {"width": width, "height": height, "points": pts,
            "path": " ".join(f"{p['x']},{p['y']}" for p in pts),
            "y_ticks": [{"y": round(sy(v), 1), "label": f"{v:g}"} for v in (y0, (y0 + y1) / 2, y1)],
            "x_ticks": [{"x": round(sx(xs[0]), 1), "label": points[0]["date"]},
                        {"x": round(sx(xs[-1]), 1), "label": points[-1]["date"]}],
            "left": pad_l, "bottom": height - pad_b, "right": width - pad_r}


def bar_chart(rows: list[dict], value_key: str, label_key: str, width: int = 640) -> dict:
    """A horizontal bar chart (e.g. the risk tornado) centred on zero."""
    bar_h, gap, pad_l = 22, 6, 220
    vals = [float(r.get(value_key) or 0) for r in rows]
    m = max([abs(v) for v in vals] + [1e-9])
    mid = pad_l + (width - pad_l - 16) / 2
    half = (width - pad_l - 16) / 2
    bars = []
    for k, (r, v) in enumerate(zip(rows, vals)):
        w = abs(v) / m * half
        bars.append({"x": round(mid if v >= 0 else mid - w, 1), "y": k * (bar_h + gap) + 4, "w": round(w, 1),
                     "h": bar_h, "label": r[label_key], "value": f"{v:+.1f}", "neg": v < 0})
    return {"width": width, "height": len(rows) * (bar_h + gap) + 8, "mid": round(mid, 1), "bars": bars,
            "label_x": pad_l - 8}


# -- forecasts and scenarios ----------------------------------------------------------------------
def forecasts(case: Case, as_of: dt.date, analysis: Analysis | None) -> dict:
    names = _names(case)
    if analysis is None:
        return {"as_of": as_of.isoformat(), "available": False}
    data = analysis.json_dict()
    fc = data["forecast"]
    models = list(fc)
    issues = [i.id for i in case.issues if any(i.id in fc[m] for m in models)]
    risks = data["risks"]
    top = [r | {"label": f"{names.get(r['actor'], r['actor'])} · {names.get(r['issue'], r['issue'])}"}
           for r in risks[:12]]
    return {"as_of": as_of.isoformat(), "available": True, "models": models,
            "issues": [{"id": i, "name": names.get(i, i)} for i in issues],
            "forecast": fc, "risks": risks, "risk_chart": bar_chart(top, "effect", "label") if top else None,
            "not_forecast": data["not_forecast"], "zopa": data["zopa"], "settlement": data["settlement"],
            "volatility": data["volatility"], "montecarlo": data["montecarlo"]}


def scenario_diff(case: Case, baseline: Analysis, scenario: Analysis) -> dict:
    """What a scenario changes against the baseline: forecasts, ZOPAs and the settlement."""
    names = _names(case)
    rows = []
    for model, vals in scenario.forecast.items():
        base = baseline.forecast.get(model, {})
        for issue, v in vals.items():
            b = base.get(issue)
            if v is not None and b is not None:
                rows.append({"model": model, "issue": issue, "issue_name": names.get(issue, issue),
                             "baseline": round(b, 2), "scenario": round(v, 2), "delta": round(v - b, 2)})
    zb = {z.issue: z for z in baseline.zopa}
    zopa = []
    for z in scenario.zopa:
        b = zb.get(z.issue)
        zopa.append({"issue": z.issue, "issue_name": names.get(z.issue, z.issue),
                     "baseline": b.exists if b else None, "scenario": z.exists,
                     "baseline_gap": b.gap if b else None, "scenario_gap": z.gap,
                     "changed": b is None or b.exists != z.exists or b.gap != z.gap})
    sb = baseline.settlement.feasible if baseline.settlement else None
    ss = scenario.settlement.feasible if scenario.settlement else None
    return {"forecast": rows, "changed": [r for r in rows if abs(r["delta"]) >= 0.005], "zopa": zopa,
            "settlement": {"baseline": sb, "scenario": ss, "changed": sb != ss}}
