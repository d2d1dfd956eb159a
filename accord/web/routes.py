"""Routes of the workspace. Each view has an HTML page and a JSON twin under /api/ computed by
the same function in `views`; the JSON twins are the documented API (/openapi.json)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from fastapi import Body, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from .. import review
from ..case.folder import CaseError, read_case, write_case
from ..store import StaleWrite
from ..store import schema
from ..store.store import KIND_MODELS
from . import audit, auth, views

CSRF_MESSAGE = "The form's security token is missing or does not match (CSRF check); reload the page and try again."
PAGE = 50


class ReviewAction(BaseModel):
    """A review decision: the candidate version you read, and for edit/accept the fields you changed."""
    version: int
    changes: dict[str, Any] = {}
    alias: str | None = None
    actor: str | None = None


class NewUser(BaseModel):
    username: str
    password: str
    role: str


def register(app: FastAPI, ws, render) -> None:
    api = "/api"

    # -- helpers ---------------------------------------------------------------------------------
    async def check_csrf(request: Request) -> None:
        token = request.headers.get("x-csrf-token")
        if token is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")):
            token = (await request.form()).get("csrf_token")
        if not ws.sessions.check_csrf(getattr(request.state, "nonce", None), token):
            raise HTTPException(403, CSRF_MESSAGE)

    def as_of_for(request: Request, case) -> dt.date:
        try:
            return views.parse_as_of(request.query_params.get("as_of"), case)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None

    def load(request: Request, cid: str, role: str = "viewer"):
        user = ws.require(request, role)
        case, key = ws.case(cid, user)
        request.state.case_key = key  # lets read-only pages reuse their rendered body (see render)
        return user, case, key, as_of_for(request, case)

    def viewer(user: auth.User) -> bool:
        return not user.can("analyst")

    def nav_ctx(case, user, as_of, section: str) -> dict:
        return {"case": case.meta, "section": section, "as_of": as_of.isoformat(), "user": user}

    def back(request: Request, path: str, **params) -> RedirectResponse:
        q = {k: v for k, v in params.items() if v}
        if request.query_params.get("as_of"):
            q["as_of"] = request.query_params["as_of"]
        return RedirectResponse(path + ("?" + urlencode(q) if q else ""), status_code=303)

    # -- login -----------------------------------------------------------------------------------
    def safe_next(value: str | None) -> str:
        return value if value and value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"

    def login_page(request: Request, *, status: int = 200, message: str | None = None, headers=None):
        pre = ws.sessions.read_pre(request.cookies.get(auth.Sessions.PRE_COOKIE))
        cookie = None
        if pre is None:
            cookie = ws.sessions.issue_pre()
            pre = ws.sessions.read_pre(cookie)
        resp = render(request, "login.html", status=status, headers=headers, user=None,
                      csrf_token=ws.sessions.csrf_token(pre), message=message,
                      why=request.query_params.get("why"), next=safe_next(request.query_params.get("next")))
        if cookie:
            resp.set_cookie(auth.Sessions.PRE_COOKIE, cookie, httponly=True, samesite="lax",
                            secure=secure(request), path="/")
        return resp

    def secure(request: Request) -> bool:
        return ws.secure_cookies or request.url.scheme == "https"

    @app.get("/login", include_in_schema=False)
    def login_form(request: Request):
        return login_page(request)

    @app.post("/login", tags=["session"], summary="Log in (form fields username, password, csrf_token)")
    def login(request: Request, username: str = Form(..., max_length=200), password: str = Form(..., max_length=1000),
              csrf_token: str = Form(..., max_length=200), next: str = Form("/")):
        pre = ws.sessions.read_pre(request.cookies.get(auth.Sessions.PRE_COOKIE))
        if not ws.sessions.check_csrf(pre, csrf_token):
            return login_page(request, status=403, message=CSRF_MESSAGE)
        ip = request.client.host if request.client else "?"
        wait = auth.throttle_wait(ws.engine, username, ip)
        if wait:
            return login_page(request, status=429, headers={"Retry-After": str(wait)},
                              message=f"Too many failed attempts: wait {wait} seconds before trying again.")
        user = auth.authenticate(ws.engine, username, password)
        if user is None:
            auth.record_failure(ws.engine, username, ip)
            return login_page(request, status=401, message="Wrong username or password.")
        auth.clear_failures(ws.engine, username, ip)
        resp = RedirectResponse(safe_next(next), status_code=303)
        resp.set_cookie(auth.Sessions.COOKIE, ws.sessions.issue(user), max_age=ws.sessions.max_age_s,
                        httponly=True, samesite="lax", secure=secure(request), path="/")
        resp.delete_cookie(auth.Sessions.PRE_COOKIE, path="/")
        return resp

    @app.post("/logout", tags=["session"], summary="Log out")
    async def logout(request: Request):
        ws.user(request)
        await check_csrf(request)
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(auth.Sessions.COOKIE, path="/")
        return resp

    @app.get(api + "/session", tags=["session"], summary="Who is logged in, and the CSRF token for writes")
    def session(request: Request):
        user = ws.user(request)
        return {"username": user.username, "role": user.role,
                "csrf_token": ws.sessions.csrf_token(request.state.nonce)}

    # -- cases -------------------------------------------------------------------------------------
    def case_list(request: Request) -> list[dict]:
        ws.user(request)
        out = []
        for cid in ws.store.case_ids():
            with ws.engine.connect() as conn:
                meta = conn.execute(select(schema.cases.c.meta).where(schema.cases.c.id == cid)).scalar()
            out.append({"id": cid, "title": meta.get("title"), "as_of": meta.get("as_of")})
        return out

    @app.get("/", include_in_schema=False)
    def index(request: Request):
        cases = case_list(request)
        return render(request, "index.html", cases=cases)

    @app.get(api + "/cases", tags=["cases"], summary="The cases in the store")
    def api_cases(request: Request):
        return case_list(request)

    def overview_data(request: Request, cid: str):
        user, case, key, as_of = load(request, cid)
        analysis = ws.analysis(case, key, as_of)
        data = ws.cached(key + ("overview", as_of), lambda: views.overview(
            case, as_of, analysis, ws.answers(case, key, as_of, analysis, viewer(user))))
        return user, case, as_of, data

    @app.get("/cases/{cid}", include_in_schema=False)
    def overview_page(request: Request, cid: str):
        user, case, as_of, data = overview_data(request, cid)
        return render(request, "overview.html", cache_key=request.state.case_key, data=data, **nav_ctx(case, user, as_of, "overview"))

    @app.get(api + "/cases/{cid}", tags=["cases"], summary="Case overview and answers to the key questions")
    def overview_api(request: Request, cid: str, as_of: str | None = None):
        return overview_data(request, cid)[3]

    # -- matrix ------------------------------------------------------------------------------------
    def matrix_data(request: Request, cid: str):
        user, case, key, as_of = load(request, cid)
        return user, case, as_of, ws.cached(key + ("matrix", as_of), lambda: views.matrix(case, as_of))

    @app.get("/cases/{cid}/matrix", include_in_schema=False)
    def matrix_page(request: Request, cid: str):
        user, case, as_of, data = matrix_data(request, cid)
        return render(request, "matrix.html", cache_key=request.state.case_key, data=data, **nav_ctx(case, user, as_of, "matrix"))

    @app.get(api + "/cases/{cid}/matrix", tags=["cases"], summary="Who wants what: positions as of a date")
    def matrix_api(request: Request, cid: str, as_of: str | None = None):
        return matrix_data(request, cid)[3]

    def evidence_data(request: Request, cid: str, actor: str, issue: str):
        user, case, key, as_of = load(request, cid)
        if not any(i.id == issue for i in case.issues):
            raise HTTPException(404, f"There is no issue {issue!r} in this case.")
        if not any(a.id == actor for a in case.actors):
            raise HTTPException(404, f"There is no actor {actor!r} in this case.")

        def build():
            ids = [s.id for s in case.statements if s.issue == issue]
            return views.evidence(case, actor, issue, as_of, ws.spans(cid, ids, case, viewer(user)))
        return user, case, as_of, ws.cached(key + ("evidence", actor, issue, as_of), build)

    @app.get("/cases/{cid}/matrix/{actor}/{issue}", include_in_schema=False)
    def evidence_page(request: Request, cid: str, actor: str, issue: str):
        user, case, as_of, data = evidence_data(request, cid, actor, issue)
        return render(request, "evidence.html", cache_key=request.state.case_key, data=data, **nav_ctx(case, user, as_of, "matrix"))

    @app.get(api + "/cases/{cid}/matrix/{actor}/{issue}", tags=["cases"],
             summary="Every piece of evidence behind one position, with its source and span")
    def evidence_api(request: Request, cid: str, actor: str, issue: str, as_of: str | None = None):
        return evidence_data(request, cid, actor, issue)[3]

    # -- chronology, figures -----------------------------------------------------------------------
    def chronology_data(request: Request, cid: str):
        user, case, key, as_of = load(request, cid)
        kind = request.query_params.get("kind") or None
        if kind not in (None, "event", "statement"):
            raise HTTPException(400, "kind must be event or statement.")
        actor = request.query_params.get("actor") or None
        return user, case, as_of, ws.cached(key + ("chronology", as_of, kind, actor),
                                            lambda: views.chronology(case, as_of, kind=kind, actor=actor))

    @app.get("/cases/{cid}/chronology", include_in_schema=False)
    def chronology_page(request: Request, cid: str):
        user, case, as_of, data = chronology_data(request, cid)
        return render(request, "chronology.html", cache_key=request.state.case_key, data=data, kind=request.query_params.get("kind") or "",
                      actor=request.query_params.get("actor") or "", **nav_ctx(case, user, as_of, "chronology"))

    @app.get(api + "/cases/{cid}/chronology", tags=["cases"], summary="Events and statements in date order")
    def chronology_api(request: Request, cid: str, as_of: str | None = None, kind: str | None = None,
                       actor: str | None = None):
        return chronology_data(request, cid)[3]

    def figures_data(request: Request, cid: str):
        user, case, key, as_of = load(request, cid)
        return user, case, as_of, ws.cached(key + ("figures", as_of), lambda: views.figures(case, as_of))

    @app.get("/cases/{cid}/figures", include_in_schema=False)
    def figures_page(request: Request, cid: str):
        user, case, as_of, data = figures_data(request, cid)
        return render(request, "figures.html", cache_key=request.state.case_key, data=data, **nav_ctx(case, user, as_of, "figures"))

    @app.get(api + "/cases/{cid}/figures", tags=["cases"], summary="Dated quantities over time")
    def figures_api(request: Request, cid: str, as_of: str | None = None):
        return figures_data(request, cid)[3]

    # -- sources and documents ---------------------------------------------------------------------
    def source_data(request: Request, cid: str, sid: str):
        user, case, key, as_of = load(request, cid)
        src = next((s for s in case.sources if s.id == sid), None)
        if src is None:
            # The same words for an unknown id and a confidential one a viewer may not see.
            raise HTTPException(404, f"There is no source {sid!r} in this case.")
        cited = [{"kind": k, "id": x.id, "date": x.date, "summary": getattr(x, "summary", None) or
                  f"{x.quantity} = {x.value:g} {x.unit}"}
                 for k, items in (("statement", case.statements), ("event", case.events), ("figure", case.figures))
                 for x in items if x.source == sid]
        docs = []
        if not src.id.startswith(views.CONFIDENTIAL_PREFIX):
            d = schema.documents.c
            with ws.engine.connect() as conn:
                docs = [dict(r._mapping) for r in conn.execute(select(d.id, d.title, d.date, d.status).where(
                    d.case_id == cid, d.source_id == sid))]
        return user, case, as_of, {"source": src.model_dump(mode="json"), "cited_by": cited, "documents": docs,
                                   "redacted": src.id.startswith(views.CONFIDENTIAL_PREFIX)}

    @app.get("/cases/{cid}/sources", include_in_schema=False)
    def sources_page(request: Request, cid: str):
        user, case, key, as_of = load(request, cid)
        return render(request, "sources.html", cache_key=key, sources=[s.model_dump(mode="json") for s in case.sources],
                      **nav_ctx(case, user, as_of, "sources"))

    @app.get(api + "/cases/{cid}/sources", tags=["sources"], summary="The case's sources (confidential ones redacted for viewers)")
    def sources_api(request: Request, cid: str):
        user, case, key, as_of = load(request, cid)
        return [s.model_dump(mode="json") for s in case.sources]

    @app.get("/cases/{cid}/sources/{sid}", include_in_schema=False)
    def source_page(request: Request, cid: str, sid: str):
        user, case, as_of, data = source_data(request, cid, sid)
        version = None
        if user.can("admin"):
            version = ws.store.get_record(cid, "source", sid)[1]
        return render(request, "source.html", cache_key=request.state.case_key, data=data, version=version, **nav_ctx(case, user, as_of, "sources"))

    @app.get(api + "/cases/{cid}/sources/{sid}", tags=["sources"], summary="One source and the evidence citing it")
    def source_api(request: Request, cid: str, sid: str):
        return source_data(request, cid, sid)[3]

    def document_data(request: Request, cid: str, doc_id: str):
        user, case, key, as_of = load(request, cid)
        d = schema.documents.c
        with ws.engine.connect() as conn:
            row = conn.execute(select(schema.documents).where(d.case_id == cid, d.id == doc_id)).first()
        known_sources = {s.id for s in case.sources}
        if row is None or (viewer(user) and row.source_id and row.source_id not in known_sources):
            raise HTTPException(404, f"There is no document {doc_id[:80]!r} in this case.")
        data = {k: row._mapping[k] for k in ("id", "path", "source_id", "title", "outlet", "url", "date",
                                             "language", "status", "note", "text")}
        if viewer(user):
            data["path"] = None  # a server path says nothing a viewer needs
        return user, case, as_of, data

    @app.get("/cases/{cid}/documents/{doc_id}", include_in_schema=False)
    def document_page(request: Request, cid: str, doc_id: str):
        user, case, as_of, data = document_data(request, cid, doc_id)
        return render(request, "document.html", doc=data, **nav_ctx(case, user, as_of, "sources"))

    @app.get(api + "/cases/{cid}/documents/{doc_id}", tags=["sources"], summary="One ingested document's text")
    def document_api(request: Request, cid: str, doc_id: str):
        return document_data(request, cid, doc_id)[3]

    # -- review queue --------------------------------------------------------------------------------
    def queue_data(request: Request, cid: str):
        user, case, key, as_of = load(request, cid, "analyst")
        try:
            page = max(0, int(request.query_params.get("page", "0")))
        except ValueError:
            raise HTTPException(400, "page must be a whole number.") from None
        items = []
        for c in review.list_candidates(ws.store, cid, status="pending", limit=PAGE, offset=page * PAGE):
            ctx = review.candidate_context(ws.store, c)
            items.append({"id": c.id, "kind": c.kind, "version": c.version, "confidence": c.confidence,
                          "data": c.data, "document_id": c.document_id, "start": c.start, "end": c.end,
                          "context": {"before": ctx.before, "span": ctx.span, "after": ctx.after,
                                      "title": ctx.title, "source_id": ctx.source_id}})
        counts = review.count_candidates(ws.store, cid)
        return user, case, as_of, {"counts": counts, "page": page, "page_size": PAGE, "items": items,
                                   "actors": [{"id": a.id, "name": a.name} for a in case.actors],
                                   "editable": sorted(review.EDITABLE)}

    @app.get("/cases/{cid}/review", include_in_schema=False)
    def queue_page(request: Request, cid: str):
        user, case, as_of, data = queue_data(request, cid)
        return render(request, "review.html", data=data, done=request.query_params.get("done"),
                      **nav_ctx(case, user, as_of, "review"))

    @app.get(api + "/cases/{cid}/review", tags=["review"], summary="Pending candidates (analyst)")
    def queue_api(request: Request, cid: str, page: int = 0):
        return queue_data(request, cid)[3]

    def do_review(request: Request, user, cid: str, cand_id: str, action: str, body: ReviewAction) -> dict:
        cb = ws.on_change(user.username)
        try:
            if action == "accept":
                if body.changes:
                    c = review.edit(ws.store, cid, cand_id, body.changes, reviewer=user.username,
                                    expected_version=body.version, on_change=cb)
                    body.version = c.version
                res = review.accept(ws.store, cid, cand_id, reviewer=user.username,
                                    expected_version=body.version, on_change=cb)
                return {"status": "accepted", "records": res.records, "version": res.candidate.version}
            if action == "reject":
                c = review.reject(ws.store, cid, cand_id, reviewer=user.username, expected_version=body.version,
                                  on_change=cb)
                return {"status": "rejected", "version": c.version}
            if action == "edit":
                c = review.edit(ws.store, cid, cand_id, body.changes, reviewer=user.username,
                                expected_version=body.version, on_change=cb)
                return {"status": c.status, "version": c.version, "data": c.data}
            if action == "merge":
                if not body.alias or not body.actor:
                    raise HTTPException(422, "Merging needs the name (alias) and the actor it stands for.")
                actor, rewritten = review.merge_alias(ws.store, cid, body.alias, body.actor, reviewer=user.username,
                                                      on_change=cb)
                return {"status": "merged", "actor": actor.id, "rewritten": rewritten}
        except KeyError:
            raise HTTPException(404, f"There is no candidate {cand_id!r} (or no such actor) in this case.") from None
        except StaleWrite:
            raise HTTPException(409, "Someone else changed this item since you opened it; your change was not "
                                     "saved. Reload it, check their change and apply yours again.") from None
        except review.ReviewError as exc:
            raise HTTPException(422, str(exc)) from None
        raise HTTPException(404, f"Unknown review action {action!r}: use accept, reject, edit or merge.")

    @app.post(api + "/cases/{cid}/review/{cand_id}/{action}", tags=["review"],
              summary="accept | reject | edit | merge one candidate (analyst; send the version you read)")
    async def review_api(request: Request, cid: str, cand_id: str, action: str, body: ReviewAction):
        user = ws.require(request, "analyst")
        await check_csrf(request)
        ws.case(cid, user)  # 404 for an unknown case
        return do_review(request, user, cid, cand_id, action, body)

    @app.post("/cases/{cid}/review/{cand_id}", include_in_schema=False)
    async def review_form(request: Request, cid: str, cand_id: str):
        user = ws.require(request, "analyst")
        await check_csrf(request)
        case, key = ws.case(cid, user)
        form = await request.form()
        action = form.get("action")
        try:
            version = int(form.get("version", ""))
        except ValueError:
            raise HTTPException(422, "The form is malformed: version must be a whole number.") from None
        changes = {k[2:]: v for k, v in form.items() if k.startswith("f_")}
        try:
            current = review.get_candidate(ws.store, cid, cand_id)
        except KeyError:
            raise HTTPException(404, f"There is no candidate {cand_id!r} in this case.") from None
        # Only send fields the reviewer actually changed, so an accept does not rewrite untouched ones.
        changes = {k: v for k, v in changes.items() if str(current.data.get(k) if current.data.get(k) is not None else "") != v}
        body = ReviewAction(version=version, changes=changes, alias=form.get("alias") or None,
                            actor=form.get("actor_id") or None)
        try:
            result = do_review(request, user, cid, cand_id, action or "", body)
        except HTTPException as exc:
            if exc.status_code in (409, 422) and action != "merge":
                ctx = review.candidate_context(ws.store, current)
                fresh = review.get_candidate(ws.store, cid, cand_id)
                return render(request, "review_conflict.html", status=exc.status_code, message=exc.detail,
                              item={"id": fresh.id, "kind": fresh.kind, "version": fresh.version, "data": fresh.data,
                                    "status": fresh.status,
                                    "context": {"before": ctx.before, "span": ctx.span, "after": ctx.after}},
                              mine=changes, editable=sorted(review.EDITABLE),
                              **nav_ctx(case, user, as_of_for(request, case), "review"))
            raise
        return back(request, f"/cases/{cid}/review", done=f"{result['status']} {cand_id}")

    # -- editing records (analysts; sources: admins) -------------------------------------------------
    def editable_kind(user, kind: str) -> None:
        if kind not in KIND_MODELS:
            raise HTTPException(404, f"There is no kind of record called {kind!r}.")
        need = "admin" if kind == "source" else "analyst"
        if not user.can(need):
            raise HTTPException(403, f"Editing a {kind} needs the {need} role; you are signed in as a {user.role}.")

    def get_record(cid: str, kind: str, rid: str):
        try:
            return ws.store.get_record(cid, kind, rid)
        except KeyError:
            raise HTTPException(404, f"There is no {kind} {rid!r} in this case.") from None

    def save_record(user, cid: str, kind: str, rid: str, new: dict, version: int) -> tuple[Any, int]:
        before, _ = get_record(cid, kind, rid)
        try:
            item = KIND_MODELS[kind].model_validate(new)
        except ValidationError as exc:
            msgs = "; ".join(f"{'.'.join(map(str, e['loc'])) or kind}: {e['msg']}" for e in exc.errors())
            raise HTTPException(422, f"The {kind} is not valid: {msgs}.") from None
        key_of = (lambda x: f"{x.actor}:{x.issue}") if kind == "salience" else (lambda x: x.id)
        if key_of(item) != rid:
            raise HTTPException(422, "The id cannot be changed here.")
        try:
            with ws.store.transaction() as conn:
                new_version = ws.store.update_record(cid, kind, item, version, conn=conn)
                ws.generation += 1
                audit.record(conn, user.username, f"{kind}.edit", case_id=cid, kind=kind, record_id=rid,
                             before=before, after=item)
        except StaleWrite:
            raise HTTPException(409, "Someone else saved this item since you opened it; your edit was not saved. "
                                     "Their version is shown; your text is kept below so you can apply it again.") from None
        return item, new_version

    @app.get("/cases/{cid}/records/{kind}/{rid}/edit", include_in_schema=False)
    def edit_form(request: Request, cid: str, kind: str, rid: str):
        user = ws.user(request)
        editable_kind(user, kind)
        case, key = ws.case(cid, user)
        item, version = get_record(cid, kind, rid)
        return render(request, "edit.html", kind=kind, rid=rid, version=version,
                      text=yaml.safe_dump(item.model_dump(mode="json"), sort_keys=False, allow_unicode=True),
                      **nav_ctx(case, user, as_of_for(request, case), "review"))

    @app.post("/cases/{cid}/records/{kind}/{rid}/edit", include_in_schema=False)
    async def edit_save(request: Request, cid: str, kind: str, rid: str, version: int = Form(...),
                        text: str = Form(..., max_length=200_000)):
        user = ws.user(request)
        await check_csrf(request)
        editable_kind(user, kind)
        case, key = ws.case(cid, user)
        try:
            new = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise HTTPException(422, f"The text is not valid YAML: {str(exc).splitlines()[0]}") from None
        if not isinstance(new, dict):
            raise HTTPException(422, "The text must be a YAML mapping of field: value.")
        try:
            save_record(user, cid, kind, rid, new, version)
        except HTTPException as exc:
            if exc.status_code not in (409, 422):
                raise
            current, cur_version = get_record(cid, kind, rid)
            return render(request, "edit.html", status=exc.status_code, message=exc.detail, kind=kind, rid=rid,
                          version=cur_version if exc.status_code == 409 else version,
                          text=text, theirs=yaml.safe_dump(current.model_dump(mode="json"), sort_keys=False,
                                                           allow_unicode=True) if exc.status_code == 409 else None,
                          **nav_ctx(case, user, as_of_for(request, case), "review"))
        target = f"/cases/{cid}/sources/{rid}" if kind == "source" else f"/cases/{cid}/records/{kind}/{rid}/edit"
        return back(request, target, saved="1")

    @app.put(api + "/cases/{cid}/records/{kind}/{rid}", tags=["records"],
             summary="Replace one record (analyst; sources: admin). Send the version you read; 409 if stale.")
    async def edit_api(request: Request, cid: str, kind: str, rid: str, version: int,
                       record: dict[str, Any] = Body(...)):
        user = ws.user(request)
        await check_csrf(request)
        editable_kind(user, kind)
        ws.case(cid, user)
        item, new_version = save_record(user, cid, kind, rid, record, version)
        return {"record": item.model_dump(mode="json"), "version": new_version}

    @app.get(api + "/cases/{cid}/records/{kind}/{rid}", tags=["records"], summary="One record and its version (analyst)")
    def record_api(request: Request, cid: str, kind: str, rid: str):
        user = ws.require(request, "analyst")
        if kind not in KIND_MODELS:
            raise HTTPException(404, f"There is no kind of record called {kind!r}.")
        ws.case(cid, user)
        item, version = get_record(cid, kind, rid)
        return {"record": item.model_dump(mode="json"), "version": version}

    # -- forecasts and scenarios -----------------------------------------------------------------------
    def forecasts_data(request: Request, cid: str):
        user, case, key, as_of = load(request, cid)
        analysis = ws.analysis(case, key, as_of)
        return user, case, as_of, ws.cached(key + ("forecasts", as_of), lambda: views.forecasts(case, as_of, analysis))

    @app.get("/cases/{cid}/forecasts", include_in_schema=False)
    def forecasts_page(request: Request, cid: str):
        user, case, as_of, data = forecasts_data(request, cid)
        return render(request, "forecasts.html", cache_key=request.state.case_key, data=data, **nav_ctx(case, user, as_of, "forecasts"))

    @app.get(api + "/cases/{cid}/forecasts", tags=["analysis"], summary="Forecasts, ZOPAs, settlement and risks")
    def forecasts_api(request: Request, cid: str, as_of: str | None = None):
        return forecasts_data(request, cid)[3]

    def run_scenario(request: Request, cid: str, text: str):
        user, case, key, as_of = load(request, cid)
        try:
            scenario = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError as exc:
            raise HTTPException(422, f"The scenario is not valid YAML: {str(exc).splitlines()[0]}") from None
        if not isinstance(scenario, dict):
            raise HTTPException(422, "A scenario is a YAML mapping; see the example on the page.")
        baseline = ws.analysis(case, key, as_of)
        if baseline is None:
            raise HTTPException(503, "The analysis engine is not available on this server.")
        from ..analysis.scenario import Scenario
        try:
            result = ws.analysis(case, key, as_of, scenario=Scenario.from_dict(scenario, "scenario"))
        except (ValueError, KeyError, TypeError) as exc:
            raise HTTPException(422, f"The scenario cannot be applied: {exc}") from None
        return user, case, as_of, {"scenario": scenario, "diff": views.scenario_diff(case, baseline, result)}

    @app.get("/cases/{cid}/scenario", include_in_schema=False)
    def scenario_page(request: Request, cid: str):
        user, case, key, as_of = load(request, cid)
        return render(request, "scenario.html", text=example_scenario(case), result=None,
                      **nav_ctx(case, user, as_of, "scenario"))

    @app.post("/cases/{cid}/scenario", include_in_schema=False)
    async def scenario_form(request: Request, cid: str, scenario: str = Form(..., max_length=100_000)):
        ws.user(request)
        await check_csrf(request)
        try:
            user, case, as_of, data = run_scenario(request, cid, scenario)
        except HTTPException as exc:
            if exc.status_code != 422:
                raise
            user, case, key, as_of = load(request, cid)
            return render(request, "scenario.html", status=422, message=exc.detail, text=scenario, result=None,
                          **nav_ctx(case, user, as_of, "scenario"))
        return render(request, "scenario.html", text=scenario, result=data, **nav_ctx(case, user, as_of, "scenario"))

    @app.post(api + "/cases/{cid}/scenario", tags=["analysis"],
              summary="Run a scenario (YAML or JSON mapping in `scenario`) and get its difference from the baseline")
    async def scenario_api(request: Request, cid: str, body: dict[str, Any] = Body(...)):
        ws.user(request)
        await check_csrf(request)
        sc = body.get("scenario")
        text = sc if isinstance(sc, str) else yaml.safe_dump(sc) if isinstance(sc, dict) else ""
        return run_scenario(request, cid, text)[3]

    def example_scenario(case) -> str:
        # A runnable starting point built from the case's own first party and issue (format: docs/analysis.md).
        parties = case.meta.parties or [a.id for a in case.principals()[:2]]
        issue = case.issues[0].id if case.issues else "ISSUE"
        actor = parties[0] if parties else "ACTOR"
        return (f"name: {actor} moves on {issue}\n"
                "# kinds: set_position, set_fallback (null removes it), set_salience, set_capability, remove_actor\n"
                f"changes:\n  - set_fallback: {{actor: {actor}, issue: {issue}, value: 50}}\n")

    # -- exports -----------------------------------------------------------------------------------------
    @app.get(api + "/cases/{cid}/export", tags=["cases"], summary="The whole case as JSON (redacted for viewers)")
    def export_api(request: Request, cid: str):
        user, case, key, as_of = load(request, cid)
        return case.model_dump(mode="json")

    @app.get("/cases/{cid}/export.zip", tags=["cases"], summary="The case folder as a zip (redacted for viewers)")
    def export_zip(request: Request, cid: str):
        user, case, key, as_of = load(request, cid)
        buf = io.BytesIO()
        with tempfile.TemporaryDirectory() as tmp:
            write_case(case, Path(tmp) / cid)
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for f in sorted((Path(tmp) / cid).rglob("*")):
                    if f.is_file():
                        zf.write(f, f.relative_to(tmp).as_posix())
        return Response(buf.getvalue(), media_type="application/zip",
                        headers={"content-disposition": f'attachment; filename="{cid}.zip"'})

    # -- admin: users, audit log, case upload ---------------------------------------------------------------
    def users_data():
        return [{"username": u.username, "role": u.role, "active": u.active} for u in auth.list_users(ws.engine)]

    @app.get("/admin/users", include_in_schema=False)
    def users_page(request: Request):
        ws.require(request, "admin")
        return render(request, "users.html", users=users_data(), roles=auth.ROLES, section="admin",
                      done=request.query_params.get("done"))

    @app.get(api + "/users", tags=["admin"], summary="Accounts (admin)")
    def users_api(request: Request):
        ws.require(request, "admin")
        return users_data()

    def user_change(request: Request, admin, action: str, username: str, **kw):
        try:
            if action == "add":
                u = auth.add_user(ws.engine, username, kw["password"], kw["role"])
                audit.record(ws.engine, admin.username, "user.add", record_id=username, kind="user",
                             after={"username": u.username, "role": u.role, "active": u.active})
                return u
            before, after = auth.set_user(ws.engine, username, **kw)
        except auth.AuthError as exc:
            raise HTTPException(409 if "already exists" in str(exc) else 404 if str(exc).startswith("no user")
                                else 422, str(exc)) from None
        show = lambda u: {"username": u.username, "role": u.role, "active": u.active,
                          "password_changed": u.password_changed_at}
        audit.record(ws.engine, admin.username, "user.change", record_id=username, kind="user",
                     before=show(before), after=show(after))
        return after

    @app.post("/admin/users", include_in_schema=False)
    async def users_add_form(request: Request, username: str = Form(..., max_length=100),
                             password: str = Form(..., max_length=1000), role: str = Form(...)):
        admin = ws.require(request, "admin")
        await check_csrf(request)
        user_change(request, admin, "add", username, password=password, role=role)
        return back(request, "/admin/users", done=f"added {username}")

    @app.post("/admin/users/{username}", include_in_schema=False)
    async def users_change_form(request: Request, username: str, role: str = Form(...),
                                active: str = Form("0"), password: str = Form("")):
        admin = ws.require(request, "admin")
        await check_csrf(request)
        user_change(request, admin, "change", username, role=role, active=active in ("1", "on", "true"),
                    password=password or None)
        return back(request, "/admin/users", done=f"changed {username}")

    @app.post(api + "/users", tags=["admin"], summary="Add an account (admin)", status_code=201)
    async def users_add_api(request: Request, body: NewUser):
        admin = ws.require(request, "admin")
        await check_csrf(request)
        u = user_change(request, admin, "add", body.username, password=body.password, role=body.role)
        return {"username": u.username, "role": u.role}

    def audit_data(request: Request):
        ws.require(request, "admin")
        try:
            page = max(0, int(request.query_params.get("page", "0")))
        except ValueError:
            raise HTTPException(400, "page must be a whole number.") from None
        rows, total = audit.entries(ws.engine, case_id=request.query_params.get("case") or None,
                                    limit=100, offset=page * 100)
        return {"entries": rows, "total": total, "page": page}

    @app.get("/admin/audit", include_in_schema=False)
    def audit_page(request: Request):
        data = audit_data(request)
        return render(request, "audit.html", data=data, section="admin")

    @app.get(api + "/audit", tags=["admin"], summary="The audit log, newest first (admin; read-only)")
    def audit_api(request: Request, case: str | None = None, page: int = 0):
        return audit_data(request)

    @app.post("/admin/cases", tags=["admin"], summary="Upload a case folder as a zip (admin); 413 if too large")
    async def upload_case(request: Request, archive: UploadFile = File(...)):
        admin = ws.require(request, "admin")
        await check_csrf(request)
        data = await archive.read(ws.max_upload + 1)
        if len(data) > ws.max_upload:
            raise HTTPException(413, f"The upload is larger than the limit of {ws.max_upload // (1024 * 1024)} MB.")
        case = case_from_zip(data)
        existed = ws.store.has_case(case.meta.id)
        before = ws.store.load_case(case.meta.id) if existed else None
        ws.store.save_case(case)
        ws.generation += 1
        audit.record(ws.engine, admin.username, "case.import", case_id=case.meta.id, kind="case",
                     record_id=case.meta.id, before=before, after=case)
        if request.headers.get("accept", "").startswith("application/json"):
            return {"case": case.meta.id, "replaced": existed}
        return back(request, f"/cases/{case.meta.id}")

    @app.get("/admin", include_in_schema=False)
    def admin_page(request: Request):
        ws.require(request, "admin")
        return render(request, "admin.html", section="admin", cases=ws.store.case_ids())


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
            if total > 200 * 1024 * 1024:
                raise HTTPException(413, "The zip expands to more than 200 MB.")
        zf.extractall(tmp)
        found = [p.parent for p in Path(tmp).rglob("case.yaml")]
        if len(found) != 1:
            raise HTTPException(422, "The zip must hold exactly one case folder (one case.yaml).")
        try:
            return read_case(found[0])
        except CaseError as exc:
            raise HTTPException(422, "The case has problems: " + " | ".join(str(p) for p in exc.problems[:20])) from None
