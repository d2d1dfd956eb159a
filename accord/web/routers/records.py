"""Editing one record as YAML (analysts; sources: admins), with the version it was read at (409 if stale)."""

from __future__ import annotations

from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Body, Form, HTTPException, Query, Request
from pydantic import ValidationError

from ...case.folder import (
    _Loader as DateAsTextLoader,  # the case files' SafeLoader: dates stay text
)
from ...store import StaleWrite
from ...store.errors import Refused
from ...store.store import KIND_MODELS
from .. import auth
from .common import (
    MAX_VERSION,
    Ctx,
    back,
    check_csrf,
    load_case,
    nav,
    page_as_of,
    read_yaml,
)

router = APIRouter()
Version = Annotated[int, Query(ge=0, le=MAX_VERSION, description="The version you read.")]


def editable_kind(user: auth.User, kind: str) -> None:
    if kind not in KIND_MODELS:
        raise HTTPException(404, f"There is no kind of record called {kind!r}.")
    need = "admin" if kind == "source" else "analyst"
    if not user.can(need):
        raise HTTPException(403, f"Editing a {kind} needs the {need} role; you are signed in as a {user.role}.")


def get_record(ctx: Ctx, kind: str, rid: str) -> tuple[Any, int]:
    try:
        return ctx.ws.store.get_record(ctx.case.meta.id, kind, rid)
    except KeyError:
        raise HTTPException(404, f"There is no {kind} {rid!r} in this case.") from None


def save_record(ctx: Ctx, kind: str, rid: str, new: dict, version: int) -> tuple[Any, int]:
    ws, cid = ctx.ws, ctx.case.meta.id
    get_record(ctx, kind, rid)  # 404 before any validation message
    if isinstance(new, dict) and "reviewed" in KIND_MODELS[kind].model_fields:
        new = {**new, "reviewed": True}  # a person saved it: an auto-accepted record is now confirmed
    try:
        item = KIND_MODELS[kind].model_validate(new)
    except ValidationError as exc:
        msgs = "; ".join(f"{'.'.join(map(str, e['loc'])) or kind}: {e['msg']}" for e in exc.errors())
        raise HTTPException(422, f"The {kind} is not valid: {msgs}.") from None
    key_of = (lambda x: f"{x.actor}:{x.issue}") if kind == "salience" else (lambda x: x.id)
    if key_of(item) != rid:
        raise HTTPException(422, "The id cannot be changed here.")
    try:
        new_version = ws.store.update_record(cid, kind, item, version, actor=ctx.user.username)
    except Refused as exc:
        raise HTTPException(422, f"The {kind} is not valid: {exc}.") from None
    except StaleWrite:
        raise HTTPException(409, "Someone else saved this item since you opened it; your edit was not saved. "
                                 "Their version is shown; your text is kept below so you can apply it again.") from None
    return item, new_version


def as_yaml(item: Any) -> str:
    return yaml.safe_dump(item.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def edit_ctx(request: Request, cid: str, kind: str) -> Ctx:
    ctx = load_case(request, cid)
    editable_kind(ctx.user, kind)
    ctx.as_of = page_as_of(request, ctx.case)
    return ctx


@router.get("/cases/{cid}/records/{kind}/{rid}/edit", include_in_schema=False)
def edit_form(request: Request, cid: str, kind: str, rid: str):
    ctx = edit_ctx(request, cid, kind)
    item, version = get_record(ctx, kind, rid)
    return request.app.state.render(request, "edit.html", kind=kind, rid=rid, version=version, text=as_yaml(item),
                                    **nav(ctx, "review"))


@router.post("/cases/{cid}/records/{kind}/{rid}/edit", include_in_schema=False)
async def edit_save(request: Request, cid: str, kind: str, rid: str,
                    version: Annotated[int, Form(ge=0, le=MAX_VERSION)],
                    text: Annotated[str, Form(max_length=200_000)]):
    ctx = edit_ctx(request, cid, kind)
    await check_csrf(request)
    new = read_yaml(text, "record", DateAsTextLoader)
    if not isinstance(new, dict):
        raise HTTPException(422, "The text must be a YAML mapping of field: value.")
    try:
        save_record(ctx, kind, rid, new, version)
    except HTTPException as exc:
        if exc.status_code not in (409, 422):
            raise
        current, cur_version = get_record(ctx, kind, rid)
        stale = exc.status_code == 409
        return request.app.state.render(request, "edit.html", status=exc.status_code, message=exc.detail, kind=kind,
                                        rid=rid, version=cur_version if stale else version, text=text,
                                        theirs=as_yaml(current) if stale else None, **nav(ctx, "review"))
    target = f"/cases/{cid}/sources/{rid}" if kind == "source" else f"/cases/{cid}/records/{kind}/{rid}/edit"
    return back(request, target, saved="1")


@router.put("/api/cases/{cid}/records/{kind}/{rid}", tags=["records"],
            summary="Replace one record (analyst; sources: admin). Send the version you read; 409 if stale.")
async def edit_api(request: Request, cid: str, kind: str, rid: str, version: Version,
                   record: Annotated[dict[str, Any], Body()]):
    ctx = load_case(request, cid)
    editable_kind(ctx.user, kind)
    await check_csrf(request)
    item, new_version = save_record(ctx, kind, rid, record, version)
    return {"record": item.model_dump(mode="json"), "version": new_version}


@router.get("/api/cases/{cid}/records/{kind}/{rid}", tags=["records"], summary="One record and its version (analyst)")
def record_api(request: Request, cid: str, kind: str, rid: str):
    ctx = load_case(request, cid, "analyst")
    if kind not in KIND_MODELS:
        raise HTTPException(404, f"There is no kind of record called {kind!r}.")
    item, version = get_record(ctx, kind, rid)
    return {"record": item.model_dump(mode="json"), "version": version}
