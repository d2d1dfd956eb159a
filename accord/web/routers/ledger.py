"""The forecast ledger in the workspace: each computed analysis is recorded (`recorded`, called where
the workspace computes an analysis, so once per case version and date, not per request), and the
track-record view shows a case's recorded forecasts, its outcomes and each model's scores
(accord/ledger.py; docs/analysis.md, "Forecast ledger")."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...ledger import Ledger, record_quietly
from .common import AsOf, Ctx, View, mount

router = APIRouter()
MAX_ROWS = 1000  # the most recent forecasts shown; the ledger keeps them all


def recorded(ws: Any, key: tuple, analysis: Any) -> Any:
    """Record a freshly computed analysis in the ledger and return it. Only the analyst's view is
    recorded: a viewer's case hides pending and confidential evidence, so its forecasts would be a
    second, partial record of the same date. A failed write is logged, never raised."""
    if analysis is not None and not key[2]:
        record_quietly(Ledger(ws.store), analysis)
    return analysis


def track_record(ctx: Ctx, q: AsOf) -> dict:
    assert ctx.case is not None
    ctx.ws.analysis(ctx.case, ctx.key, ctx.as_of)  # today's forecasts are in the ledger before it is read
    book = Ledger(ctx.ws.store)
    cid = ctx.case.meta.id
    scored = {(f.issue, f.model, f.as_of, f.digest, f.kind, f.source): (o, s) for f, o, s in book.scored(cid)}
    forecasts = book.forecasts(cid)
    rows = []
    for f in reversed(forecasts[-MAX_ROWS:]):
        o, s = scored.get((f.issue, f.model, f.as_of, f.digest, f.kind, f.source), (None, None))
        rows.append({**f.model_dump(mode="json"), "digest": f.digest[:12], "outcome": o.value if o else None,
                     "score": s})
    names = {i.id: i.name for i in ctx.case.issues}
    return {"case": cid, "issues": names,
            "scores": [s.model_dump() for s in book.scores(cid)],
            "elsewhere": [s.model_dump() for s in book.scores(besides=cid)],
            "outcomes": [o.model_dump(mode="json") for o in book.outcomes(cid)],
            "forecasts": rows, "forecast_count": len(forecasts), "shown": len(rows)}


# Analysts only: the recorded values come from all the evidence, pending and confidential included.
mount(router, View("ledger", "/cases/{cid}/ledger", "ledger.html", track_record,
                   "Recorded forecasts, outcomes and each model's track record (MAE, Brier)", tags=("analysis",),
                   role="analyst", query=AsOf, section="ledger"))
