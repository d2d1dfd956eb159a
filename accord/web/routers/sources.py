"""The source views: the case's sources, one source and what cites it, one ingested document."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from .. import views
from .common import Ctx, View, mount

router = APIRouter()


def sources(ctx: Ctx) -> list[dict]:
    return [s.model_dump(mode="json") for s in ctx.case.sources]


def source(ctx: Ctx, sid: str) -> dict:
    case = ctx.case
    src = next((s for s in case.sources if s.id == sid), None)
    if src is None:
        # The same words for an unknown id and a confidential one a viewer may not see.
        raise HTTPException(404, f"There is no source {sid!r} in this case.")
    redacted = src.id.startswith(views.CONFIDENTIAL_PREFIX)
    cited = [{"kind": k, "id": x.id, "date": x.date,
              "summary": getattr(x, "summary", None) or f"{x.quantity} = {x.value:g} {x.unit}"}
             for k, items in (("statement", case.statements), ("event", case.events), ("figure", case.figures))
             for x in items if x.source == sid]
    docs = [] if redacted else [{"id": d.id, "title": d.title, "date": d.date, "status": d.status}
                                for d in ctx.ws.store.documents_for_source(case.meta.id, sid)]
    # Admins edit sources: they need the version the edit form will send back.
    version = ctx.ws.store.get_record(case.meta.id, "source", sid)[1] if ctx.user.can("admin") else None
    return {"source": src.model_dump(mode="json"), "cited_by": cited, "documents": docs, "redacted": redacted,
            "version": version}


def document(ctx: Ctx, doc_id: str) -> dict:
    doc = ctx.ws.store.document(ctx.case.meta.id, doc_id)
    known_sources = {s.id for s in ctx.case.sources}
    if doc is None or (ctx.viewer and doc.source_id and doc.source_id not in known_sources):
        raise HTTPException(404, f"There is no document {doc_id[:80]!r} in this case.")
    data = {k: getattr(doc, k) for k in ("id", "path", "source_id", "title", "outlet", "url", "date",
                                         "language", "status", "note", "text")}
    if ctx.viewer:
        data["path"] = None  # a server path says nothing a viewer needs
    return data


VIEWS = [
    View("sources", "/cases/{cid}/sources", "sources.html", sources,
         "The case's sources (confidential ones redacted for viewers)", tags=("sources",), section="sources",
         cached=True),
    View("source", "/cases/{cid}/sources/{sid}", "source.html", source, "One source and the evidence citing it",
         tags=("sources",), section="sources"),
    View("document", "/cases/{cid}/documents/{doc_id}", "document.html", document, "One ingested document's text",
         tags=("sources",), section="sources"),
]
for _view in VIEWS:
    mount(router, _view)
