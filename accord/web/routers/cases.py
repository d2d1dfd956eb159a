"""The case views: the list of cases, overview, matrix and its evidence, chronology, figures, exports."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from ...case.folder import write_case
from .. import views
from .common import AsOf, Chronology, Ctx, View, load_case, mount

router = APIRouter()


def case_list(ctx: Ctx) -> list[dict]:
    store = ctx.ws.store
    metas = [m for m in (store.case_meta(cid) for cid in store.case_ids()) if m is not None]
    return [{"id": m.id, "title": m.title, "as_of": m.as_of} for m in metas]


def overview(ctx: Ctx, q: AsOf) -> dict:
    analysis = ctx.ws.analysis(ctx.case, ctx.key, ctx.as_of)
    return views.overview(ctx.case, ctx.as_of, analysis,
                          ctx.ws.answers(ctx.case, ctx.key, ctx.as_of, analysis, ctx.viewer))


def matrix(ctx: Ctx, q: AsOf) -> dict:
    return views.matrix(ctx.case, ctx.as_of)


def evidence(ctx: Ctx, q: AsOf, actor: str, issue: str) -> dict:
    case = ctx.case
    if not any(i.id == issue for i in case.issues):
        raise HTTPException(404, f"There is no issue {issue!r} in this case.")
    if not any(a.id == actor for a in case.actors):
        raise HTTPException(404, f"There is no actor {actor!r} in this case.")
    ids = [s.id for s in case.statements if s.issue == issue]
    return views.evidence(case, actor, issue, ctx.as_of, ctx.ws.spans(case.meta.id, ids, case, ctx.viewer))


def chronology(ctx: Ctx, q: Chronology) -> dict:
    return views.chronology(ctx.case, ctx.as_of, kind=q.kind, actor=q.actor)


def figures(ctx: Ctx, q: AsOf) -> dict:
    return views.figures(ctx.case, ctx.as_of)


VIEWS = [
    View("cases", "/", "index.html", case_list, "The cases in the store", api_path="/cases"),
    View("overview", "/cases/{cid}", "overview.html", overview, "Case overview and answers to the key questions",
         query=AsOf, section="overview", cached=True),
    View("matrix", "/cases/{cid}/matrix", "matrix.html", matrix, "Who wants what: positions as of a date",
         query=AsOf, section="matrix", cached=True),
    View("evidence", "/cases/{cid}/matrix/{actor}/{issue}", "evidence.html", evidence,
         "Every piece of evidence behind one position, with its source and span",
         query=AsOf, section="matrix", cached=True),
    View("chronology", "/cases/{cid}/chronology", "chronology.html", chronology,
         "Events and statements in date order", query=Chronology, section="chronology", cached=True),
    View("figures", "/cases/{cid}/figures", "figures.html", figures, "Dated quantities over time",
         query=AsOf, section="figures", cached=True),
]
for _view in VIEWS:
    mount(router, _view)


# -- exports ------------------------------------------------------------------------------------------------
@router.get("/api/cases/{cid}/export", tags=["cases"], summary="The whole case as JSON (redacted for viewers)")
def export_api(request: Request, cid: str):
    return load_case(request, cid).case.model_dump(mode="json")


@router.get("/cases/{cid}/export.zip", tags=["cases"], summary="The case folder as a zip (redacted for viewers)")
def export_zip(request: Request, cid: str):
    case = load_case(request, cid).case
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        write_case(case, Path(tmp) / cid)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted((Path(tmp) / cid).rglob("*")):
                if f.is_file():
                    zf.write(f, f.relative_to(tmp).as_posix())
    return Response(buf.getvalue(), media_type="application/zip",
                    headers={"content-disposition": f'attachment; filename="{cid}.zip"'})
