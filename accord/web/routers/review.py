"""The review queue (analysts): pending candidates, and accept / reject / edit / merge as `accord review`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field, ValidationError

from ... import review
from ...store import StaleWrite
from .common import MAX_VERSION, Ctx, Paged, View, back, check_csrf, load_case, mount, nav, page_as_of

router = APIRouter()
PAGE = 50


class ReviewAction(BaseModel):
    """A review decision: the candidate version you read, and for edit/accept the fields you changed."""
    version: int = Field(ge=0, le=MAX_VERSION)
    changes: dict[str, Any] = {}
    alias: str | None = None
    actor: str | None = None


def queue(ctx: Ctx, q: Paged) -> dict:
    store, cid = ctx.ws.store, ctx.case.meta.id
    items = []
    for c in review.list_candidates(store, cid, status="pending", limit=PAGE, offset=q.page * PAGE):
        cx = review.candidate_context(store, c)
        items.append({"id": c.id, "kind": c.kind, "version": c.version, "confidence": c.confidence,
                      "data": c.data, "document_id": c.document_id, "start": c.start, "end": c.end,
                      "context": {"before": cx.before, "span": cx.span, "after": cx.after,
                                  "title": cx.title, "source_id": cx.source_id}})
    return {"counts": review.count_candidates(store, cid), "page": q.page, "page_size": PAGE, "items": items,
            "actors": [{"id": a.id, "name": a.name} for a in ctx.case.actors], "editable": sorted(review.EDITABLE)}


mount(router, View("review", "/cases/{cid}/review", "review.html", queue, "Pending candidates (analyst)",
                   tags=("review",), role="analyst", query=Paged, section="review"))


def decide(ctx: Ctx, cand_id: str, action: str, body: ReviewAction) -> dict:
    ws, cid, reviewer = ctx.ws, ctx.case.meta.id, ctx.user.username  # the store audits each write
    try:
        if action == "accept":
            if body.changes:
                c = review.edit(ws.store, cid, cand_id, body.changes, reviewer=reviewer,
                                expected_version=body.version)
                body.version = c.version
            res = review.accept(ws.store, cid, cand_id, reviewer=reviewer, expected_version=body.version)
            return {"status": "accepted", "records": res.records, "version": res.candidate.version}
        if action == "reject":
            c = review.reject(ws.store, cid, cand_id, reviewer=reviewer, expected_version=body.version)
            return {"status": "rejected", "version": c.version}
        if action == "edit":
            c = review.edit(ws.store, cid, cand_id, body.changes, reviewer=reviewer,
                            expected_version=body.version)
            return {"status": c.status, "version": c.version, "data": c.data}
        if action == "merge":
            if not body.alias or not body.actor:
                raise HTTPException(422, "Merging needs the name (alias) and the actor it stands for.")
            actor, rewritten = review.merge_alias(ws.store, cid, body.alias, body.actor, reviewer=reviewer)
            return {"status": "merged", "actor": actor.id, "rewritten": rewritten}
    except KeyError:
        raise HTTPException(404, f"There is no candidate {cand_id!r} (or no such actor) in this case.") from None
    except StaleWrite:
        raise HTTPException(409, "Someone else changed this item since you opened it; your change was not "
                                 "saved. Reload it, check their change and apply yours again.") from None
    except review.ReviewError as exc:
        raise HTTPException(422, str(exc)) from None
    raise HTTPException(404, f"Unknown review action {action!r}: use accept, reject, edit or merge.")


@router.post("/api/cases/{cid}/review/{cand_id}/{action}", tags=["review"],
             summary="accept | reject | edit | merge one candidate (analyst; send the version you read)")
async def review_api(request: Request, cid: str, cand_id: str, action: str, body: ReviewAction):
    ctx = load_case(request, cid, "analyst")
    await check_csrf(request)
    return decide(ctx, cand_id, action, body)


@router.post("/cases/{cid}/review/{cand_id}", include_in_schema=False)
async def review_form(request: Request, cid: str, cand_id: str):
    ctx = load_case(request, cid, "analyst")
    await check_csrf(request)
    ctx.as_of = page_as_of(request, ctx.case)
    store = ctx.ws.store
    form = await request.form()
    action = form.get("action")
    try:
        body = ReviewAction(version=form.get("version", ""), alias=form.get("alias") or None,
                            actor=form.get("actor_id") or None)
    except ValidationError:
        raise HTTPException(422, "The form is malformed: version must be a whole number.") from None
    try:
        current = review.get_candidate(store, cid, cand_id)
    except KeyError:
        raise HTTPException(404, f"There is no candidate {cand_id!r} in this case.") from None
    # Only send fields the reviewer actually changed, so an accept does not rewrite untouched ones.
    shown = lambda v: "" if v is None else str(v)
    body.changes = {k[2:]: v for k, v in form.items() if k.startswith("f_") and shown(current.data.get(k[2:])) != v}
    try:
        result = decide(ctx, cand_id, action or "", body)
    except HTTPException as exc:
        if exc.status_code in (409, 422) and action != "merge":
            cx = review.candidate_context(store, current)
            fresh = review.get_candidate(store, cid, cand_id)
            return request.app.state.render(
                request, "review_conflict.html", status=exc.status_code, message=exc.detail,
                item={"id": fresh.id, "kind": fresh.kind, "version": fresh.version, "data": fresh.data,
                      "status": fresh.status, "context": {"before": cx.before, "span": cx.span, "after": cx.after}},
                mine=body.changes, editable=sorted(review.EDITABLE), **nav(ctx, "review"))
        raise
    return back(request, f"/cases/{cid}/review", done=f"{result['status']} {cand_id}")
