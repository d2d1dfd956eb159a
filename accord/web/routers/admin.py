"""Administration (admins): accounts, the audit log, case upload."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from pydantic import BaseModel

from ...case.folder import CaseError, read_case
from ...store.errors import Refused
from .. import auth
from .common import AuditQuery, Ctx, View, back, check_csrf, mount

router = APIRouter()
MAX_UNZIPPED = 200 * 1024 * 1024  # refuse zip bombs


class NewUser(BaseModel):
    username: str
    password: str
    role: str


def users(ctx: Ctx) -> list[dict]:
    return [u.public() for u in ctx.ws.store.users.list()]


def audit_log(ctx: Ctx, q: AuditQuery) -> dict:
    rows, total = ctx.ws.store.audit.entries(case_id=q.case, limit=100, offset=q.page * 100)
    return {"entries": [r.model_dump() for r in rows], "total": total, "page": q.page}


mount(router, View("users", "/admin/users", "users.html", users, "Accounts (admin)", tags=("admin",), role="admin",
                   section="admin", api_path="/users"))
mount(router, View("audit", "/admin/audit", "audit.html", audit_log, "The audit log, newest first (admin; read-only)",
                   tags=("admin",), role="admin", query=AuditQuery, section="admin", api_path="/audit"))


def user_change(ws, admin: auth.User, action: str, username: str, **kw) -> auth.User:
    """Add or change an account; the store writes the audit row with the change."""
    try:
        if action == "add":
            return ws.store.users.add(username, kw["password"], kw["role"], actor=admin.username)
        return ws.store.users.change(username, actor=admin.username, **kw)[1]
    except auth.AuthError as exc:
        raise HTTPException(409 if "already exists" in str(exc) else 404 if str(exc).startswith("no user")
                            else 422, str(exc)) from None


@router.post("/admin/users", include_in_schema=False)
async def users_add_form(request: Request, username: Annotated[str, Form(max_length=100)],
                         password: Annotated[str, Form(max_length=1000)], role: Annotated[str, Form()]):
    ws = request.app.state.ws
    admin = ws.require(request, "admin")
    await check_csrf(request)
    user_change(ws, admin, "add", username, password=password, role=role)
    return back(request, "/admin/users", done=f"added {username}")


@router.post("/admin/users/{username}", include_in_schema=False)
async def users_change_form(request: Request, username: str, role: Annotated[str, Form()],
                            active: Annotated[str, Form()] = "0", password: Annotated[str, Form()] = ""):
    ws = request.app.state.ws
    admin = ws.require(request, "admin")
    await check_csrf(request)
    user_change(ws, admin, "change", username, role=role, active=active in ("1", "on", "true"),
                password=password or None)
    return back(request, "/admin/users", done=f"changed {username}")


@router.post("/api/users", tags=["admin"], summary="Add an account (admin)", status_code=201)
async def users_add_api(request: Request, body: NewUser):
    ws = request.app.state.ws
    admin = ws.require(request, "admin")
    await check_csrf(request)
    u = user_change(ws, admin, "add", body.username, password=body.password, role=body.role)
    return {"username": u.username, "role": u.role}


@router.post("/admin/cases", tags=["admin"], summary="Upload a case folder as a zip (admin); 413 if too large")
async def upload_case(request: Request, archive: Annotated[UploadFile, File()]):
    ws = request.app.state.ws
    admin = ws.require(request, "admin")
    await check_csrf(request)
    data = await archive.read(ws.max_upload + 1)
    if len(data) > ws.max_upload:
        raise HTTPException(413, f"The upload is larger than the limit of {ws.max_upload // (1024 * 1024)} MB.")
    case = case_from_zip(data)
    try:
        result = ws.store.save_case(case, actor=admin.username)  # merged as a new revision; audited
    except Refused as exc:
        raise HTTPException(422, f"The case has problems: {exc}") from None
    if request.headers.get("accept", "").startswith("application/json"):
        return {"case": case.meta.id, "replaced": not result.created, "revision": result.revision}
    return back(request, f"/cases/{case.meta.id}")


@router.get("/admin", include_in_schema=False)
def admin_page(request: Request):
    ws = request.app.state.ws
    ws.require(request, "admin")
    return request.app.state.render(request, "admin.html", section="admin", cases=ws.store.case_ids())


def case_from_zip(data: bytes):
    """Read a case folder from a zip, refusing anything that is not a safe, valid case."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise HTTPException(400, "The upload is not a zip file.") from None
    with zf, tempfile.TemporaryDirectory() as tmp:
        total = 0
        for info in zf.infolist():
            name = info.filename
            if name.startswith(("/", "\\")) or ".." in Path(name).parts or ":" in name:
                raise HTTPException(400, f"The zip holds an unsafe path: {name[:100]!r}.")
            total += info.file_size
            if total > MAX_UNZIPPED:
                raise HTTPException(413, "The zip expands to more than 200 MB.")
        zf.extractall(tmp)
        found = [p.parent for p in Path(tmp).rglob("case.yaml")]
        if len(found) != 1:
            raise HTTPException(422, "The zip must hold exactly one case folder (one case.yaml).")
        try:
            return read_case(found[0])
        except CaseError as exc:
            raise HTTPException(422, "The case has problems: " + " | ".join(str(p) for p in exc.problems[:20])) from None
