"""The review queue (analysts): pending candidates, and accept / reject / edit / merge as `accord review`."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, ValidationError

from ... import review, review_history
from ...store import StaleWrite
from .common import (
    MAX_VERSION,
    Ctx,
    Paged,
    QueryModel,
    View,
    back,
    check_csrf,
    load_case,
    mount,
    nav,
    page_as_of,
)

router = APIRouter()
PAGE = 50


class ReviewAction(BaseModel):
    """A review decision: the candidate version you read, and for edit/accept the fields you changed."""
    version: int = Field(ge=0, le=MAX_VERSION)
    changes: dict[str, Any] = {}
    alias: str | None = None
    actor: str | None = None


class BatchQuery(QueryModel):
    min_confidence: float = Field(0.9, ge=0, le=1, description="Accept candidates at or above this confidence.")


class BatchItem(BaseModel):
    id: str = Field(max_length=200)
    version: int = Field(ge=0, le=MAX_VERSION)


class BatchAccept(BaseModel):
    """The candidates a preview showed, with the versions it showed: only those are accepted."""
    items: list[BatchItem] = Field(max_length=PAGE * 20)


def sentence_and_paragraph(text: str, start: int, end: int) -> dict[str, str]:
    """The span's sentence and paragraph (review.span_bounds), as pieces for the page."""
    b = review.span_bounds(text, start, end)
    return {"sentence_before": text[b.sentence_start:b.start], "span": text[b.start:b.end],
            "sentence_after": text[b.end:b.sentence_end], "paragraph_before": text[b.paragraph_start:b.sentence_start],
            "paragraph_after": text[b.sentence_end:b.paragraph_end]}


def _item(store, c, texts: dict[str, str]) -> dict:
    if c.document_id not in texts:
        doc = store.document(c.case_id, c.document_id)
        texts[c.document_id] = doc.text if doc else ""
    text = texts[c.document_id]
    cx = review.candidate_context(store, c)
    return {"id": c.id, "kind": c.kind, "version": c.version, "confidence": c.confidence,
            "data": c.data, "document_id": c.document_id, "start": c.start, "end": c.end,
            "context": {"before": cx.before, "span": cx.span, "after": cx.after,
                        "title": cx.title, "source_id": cx.source_id},
            "text": sentence_and_paragraph(text, c.start or 0, c.end if c.end is not None else c.start or 0)}


def queue(ctx: Ctx, q: Paged) -> dict:
    store, cid = ctx.ws.store, ctx.case.meta.id
    texts: dict[str, str] = {}
    items = [_item(store, c, texts)
             for c in review.list_candidates(store, cid, status="pending", limit=PAGE, offset=q.page * PAGE)]
    return {"counts": review.count_candidates(store, cid), "page": q.page, "page_size": PAGE, "items": items,
            "actors": [{"id": a.id, "name": a.name} for a in ctx.case.actors], "editable": sorted(review.EDITABLE)}


def batch_preview(ctx: Ctx, q: BatchQuery) -> dict:
    """What a batch accept at this threshold would accept (the page then confirms exactly these)."""
    store, texts = ctx.ws.store, {}
    items = [_item(store, c, texts) for c in store.candidates(ctx.case.meta.id, status="pending",
                                                              min_confidence=q.min_confidence, limit=PAGE * 20)]
    return {"min_confidence": q.min_confidence, "items": items}


mount(router, View("review", "/cases/{cid}/review", "review.html", queue, "Pending candidates (analyst)",
                   tags=("review",), role="analyst", query=Paged, section="review"))
mount(router, View("review_batch", "/cases/{cid}/review/batch", "review_batch.html", batch_preview,
                   "Preview a batch accept: the pending candidates at or above a confidence (analyst)",
                   tags=("review",), role="analyst", query=BatchQuery, section="review"))


def accept_batch(ctx: Ctx, body: BatchAccept) -> dict:
    """Accept each previewed candidate at the version previewed; the others stay pending, with why."""
    done, left = [], []
    for it in body.items:
        try:
            decide(ctx, it.id, "accept", ReviewAction(version=it.version))
            done.append(it.id)
        except HTTPException as exc:
            left.append({"id": it.id, "why": exc.detail})
    return {"accepted": done, "left": left}


@router.post("/api/cases/{cid}/review/batch", tags=["review"],
             summary="Accept the previewed candidates (analyst; send the ids and versions the preview showed)")
async def batch_api(request: Request, cid: str, body: BatchAccept):
    ctx = load_case(request, cid, "analyst")
    await check_csrf(request)
    return await run_in_threadpool(accept_batch, ctx, body)


@router.post("/cases/{cid}/review/batch", include_in_schema=False)
async def batch_form(request: Request, cid: str):
    ctx = load_case(request, cid, "analyst")
    await check_csrf(request)
    form = await request.form()
    try:
        body = BatchAccept(items=[BatchItem(id=i, version=v) for i, v in
                                  zip(form.getlist("id"), form.getlist("version"), strict=True)])
    except (ValidationError, ValueError):
        raise HTTPException(422, "The form is malformed: each candidate needs its id and version.") from None
    res = await run_in_threadpool(accept_batch, ctx, body)
    note = f"accepted {len(res['accepted'])}" + (f"; {len(res['left'])} left pending: " + "; ".join(
        f"{x['id']}: {x['why']}" for x in res["left"][:5]) if res["left"] else "")
    return back(request, f"/cases/{cid}/review", done=note)


def decide(ctx: Ctx, cand_id: str, action: str, body: ReviewAction) -> dict:
    ws, cid, reviewer = ctx.ws, ctx.case.meta.id, ctx.user.username  # the store audits each write
    try:
        if action == "accept":
            if body.changes:  # both or neither: a refused accept leaves the candidate unedited
                res = review.edit_and_accept(ws.store, cid, cand_id, body.changes, reviewer=reviewer,
                                             expected_version=body.version)
            else:
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


_VERB = {"review.accept": "accept", "review.auto_accept": "automatic accept", "review.reject": "reject",
         "review.edit": "edit"}
_CLI_HINT = re.compile(r" \(--revert [^)]*\)")  # the core's hint names a CLI option the page does not have


def undo_last(ctx: Ctx) -> dict:
    """Take back this reviewer's last review decision in this case — an accept (a batch accept is
    taken back one candidate at a time, newest first), a reject or an edit — through the review
    core the CLI's `--undo` and `u` use (`review_history.undo_last`): one transaction audited as
    `review.undo` naming the audit row it undid, so the next undo goes one step further back. An
    accept sent with changed fields is an edit then an accept (made together or not at all): the first undo leaves the candidate
    pending with those edits, the second puts its fields back."""
    store, cid, me = ctx.ws.store, ctx.case.meta.id, ctx.user.username
    try:
        done = review_history.undo_last(store, cid, reviewer=me)
    except LookupError:
        raise HTTPException(404, "You have nothing to undo in this case: no accept, reject or edit of yours "
                                 "is left to take back.") from None
    except StaleWrite as exc:
        raise HTTPException(409, _CLI_HINT.sub("", str(exc)) + ".") from None
    except review.ReviewError as exc:
        raise HTTPException(422, f"Nothing was undone: {exc}.") from None
    c = done.candidate
    return {"id": c.id, "undid": _VERB.get(done.action, done.action), "audit_id": done.audit_id,
            "status": c.status, "version": c.version, "data": c.data, "deleted": done.records}


@router.post("/api/cases/{cid}/review/undo", tags=["review"],
             summary="Undo your last accept, reject or edit in this case (analyst; 404 if there is none, "
                     "409 if it changed since)")
async def undo_api(request: Request, cid: str):
    ctx = load_case(request, cid, "analyst")
    await check_csrf(request)
    return await run_in_threadpool(undo_last, ctx)


@router.post("/cases/{cid}/review/undo", include_in_schema=False)
async def undo_form(request: Request, cid: str):
    ctx = load_case(request, cid, "analyst")
    await check_csrf(request)
    res = await run_in_threadpool(undo_last, ctx)
    note = f"undid your {res['undid']} of {res['id']}: " + (
        "its fields are as before" if res["undid"] == "edit" else f"it is {res['status']} again")
    if res["deleted"]:
        note += f" ({', '.join(res['deleted'])} taken out of the evidence)"
    return back(request, f"/cases/{cid}/review", done=note)


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
        decide(ctx, cand_id, action or "", body)
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
    done = {"accept": "accepted", "reject": "rejected", "edit": "edited", "merge": "merged"}[action or ""]
    return back(request, f"/cases/{cid}/review", done=f"{done} {cand_id}")
