"""What every router shares: the view declaration and the one function that mounts a view as an HTML
page and its JSON twin, the typed query parameters, and the small helpers of the write routes.

A view is declared once (`View`): its path, template, data function, required role and query model.
`mount` adds `GET <path>` (the page) and `GET /api<path>` (the JSON twin); both authenticate, load the
case as the user may see it, validate the query and call the same data function, so the page and the
API cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import yaml
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ...case.models import Case
from .. import auth, views

CSRF_MESSAGE = "The form's security token is missing or does not match (CSRF check); reload the page and try again."
MAX_VERSION = 2**62  # record and candidate versions: both stores hold it in a 64-bit integer
MAX_YAML_DEPTH = 20  # a record or a scenario is a few levels deep
MAX_PAGE = 1_000_000  # far past any real queue or log; keeps LIMIT/OFFSET inside a 64-bit integer


# -- query parameters ---------------------------------------------------------------------------------
class QueryModel(BaseModel):
    """Query parameters of a view. An empty value (a form's "all" option) means "not given"."""
    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v != ""}
        return data


class AsOf(QueryModel):
    as_of: dt.date | None = Field(None, description="Show the case as known on this date (YYYY-MM-DD); "
                                                    "default: the case's own as-of date.")

    @field_validator("as_of", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        # Only the ISO form: pydantic would also take a number of seconds, which nobody means here.
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"must be a date written YYYY-MM-DD, not {value[:40]!r}") from None
        return value


class Chronology(AsOf):
    kind: Literal["event", "statement"] | None = Field(None, description="Only events or only statements.")
    actor: str | None = Field(None, max_length=200, description="Only this actor's items.")


class Paged(QueryModel):
    page: int = Field(0, ge=0, le=MAX_PAGE, description="Page number, from 0.")


class AuditQuery(Paged):
    case: str | None = Field(None, max_length=200, description="Only entries about this case.")


# -- the context a data function gets -------------------------------------------------------------------
@dataclass
class Ctx:
    """Who asks, and (for case views) the case as they may see it, its cache key and the as-of date."""
    request: Request
    ws: Any  # accord.web.app.Workspace (not imported: app imports the routers)
    user: auth.User
    case: Case | None = None
    key: tuple = ()
    as_of: dt.date | None = None

    @property
    def viewer(self) -> bool:
        return not self.user.can("analyst")

    def cached(self, parts: tuple, fn: Callable[[], Any]) -> Any:
        """fn() once per case version and role (the key) and the given parts."""
        return self.ws.cached(self.key + parts, fn)


def load_case(request: Request, cid: str, role: str = "viewer", as_of: dt.date | None = None) -> Ctx:
    ws = request.app.state.ws
    user = ws.require(request, role)
    key = getattr(request.state, "case_key", None)  # the stamp this request already read
    case, key = ws.case(cid, user, key if key and key[0] == cid else None)
    return Ctx(request, ws, user, case, key, as_of or views.parse_as_of(None, case))


def nav(ctx: Ctx, section: str | None) -> dict:
    """The template variables of the case header (tabs, as-of control)."""
    if ctx.case is None:
        return {"section": section}
    return {"case": ctx.case.meta, "section": section, "as_of": ctx.as_of.isoformat() if ctx.as_of else None}


# -- a view, declared once ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class View:
    name: str
    path: str  # of the page; the JSON twin is at /api + (api_path or path)
    template: str
    data: Callable[..., Any]  # data(ctx, query, **path parameters but cid) -> JSON-able
    summary: str
    tags: tuple[str, ...] = ("cases",)
    role: str = "viewer"
    query: type[QueryModel] | None = None
    section: str | None = None
    cached: bool = False  # the data depends only on the case version, the role, the path and the query
    api_path: str | None = None
    params: tuple[str, ...] = field(default=())

    def __post_init__(self):
        object.__setattr__(self, "params", tuple(re.findall(r"{(\w+)}", self.path)))
        assert not self.cached or "cid" in self.params, "only a case's views are cached (by its stamp)"


def run_view(view: View, request: Request, q: QueryModel | None, path: dict[str, str]) -> tuple[Ctx, Any]:
    if "cid" in path:
        ctx = load_case(request, path["cid"], view.role, getattr(q, "as_of", None))
    else:
        ws = request.app.state.ws
        ctx = Ctx(request, ws, ws.require(request, view.role))
    args = {k: v for k, v in path.items() if k != "cid"}
    if view.cached and ctx.key:
        qparts = tuple(sorted(q.model_dump().items())) if q is not None else ()
        data = ctx.cached((view.name, ctx.as_of, qparts, tuple(sorted(args.items()))),
                          lambda: view.data(ctx, q, **args) if view.query else view.data(ctx, **args))
    else:
        data = view.data(ctx, q, **args) if view.query else view.data(ctx, **args)
    return ctx, data


def response_key(view: View, request: Request, path: dict[str, str], api: bool) -> tuple | None:
    """Where a finished page or API body of a cached view is kept: the case version and role, the
    address, and for pages the session (a page carries its user's name and CSRF token)."""
    if not view.cached:
        return None
    ws = request.app.state.ws
    user = ws.require(request, view.role)
    key = request.state.case_key = ws.case_key(path["cid"], not user.can("analyst"))
    who = () if api else (user.username, user.role, request.state.nonce)
    return key + (view.name, api, request.url.path, request.url.query) + who


def mount(router: APIRouter, view: View) -> None:
    """Add the view's page and its /api JSON twin to the router.

    A cached view answers from the finished body when the case has not changed (two small queries:
    who is asking, and the case's stamp); only a miss goes to the thread pool to compute and render.
    """

    def build(request: Request, q: QueryModel | None, path: dict[str, str], api: bool, rkey: tuple | None):
        ctx, data = run_view(view, request, q, path)
        if api:
            resp = JSONResponse(jsonable_encoder(data))
        else:
            resp = request.app.state.render(request, view.template, data=data, q=q, **nav(ctx, view.section))
        if rkey is not None:
            request.app.state.ws.responses.put(rkey, resp.body)
        return resp

    def endpoint(api: bool):
        media = JSONResponse.media_type if api else HTMLResponse.media_type

        async def handle(request: Request, q: QueryModel | None = None, **path: str):
            rkey = response_key(view, request, path, api)
            body = request.app.state.ws.responses.get(rkey) if rkey else None
            if body is not None:
                return Response(body, media_type=media)
            return await run_in_threadpool(build, request, q, path, api, rkey)
        return handle

    # FastAPI reads parameters from the signature: give each endpoint the view's own.
    sig = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    sig += [inspect.Parameter(p, inspect.Parameter.KEYWORD_ONLY, annotation=str) for p in view.params]
    if view.query is not None:
        sig.append(inspect.Parameter("q", inspect.Parameter.KEYWORD_ONLY,
                                     annotation=Annotated[view.query, Query()]))
    page, api = endpoint(False), endpoint(True)
    for fn, suffix in ((page, "page"), (api, "api")):
        fn.__signature__ = inspect.Signature(sig)
        fn.__name__ = f"{view.name}_{suffix}"
    router.add_api_route(view.path, page, methods=["GET"], include_in_schema=False, name=f"{view.name}_page")
    router.add_api_route("/api" + (view.api_path or view.path), api, methods=["GET"], tags=list(view.tags),
                         summary=view.summary, name=view.name)


# -- helpers of the write routes --------------------------------------------------------------------------
async def check_csrf(request: Request) -> None:
    token = request.headers.get("x-csrf-token")
    if token is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        token = (await request.form()).get("csrf_token")
    if not request.app.state.ws.sessions.check_csrf(getattr(request.state, "nonce", None), token):
        raise HTTPException(403, CSRF_MESSAGE)


def back(request: Request, path: str, **params) -> RedirectResponse:
    """303 to a page after a form post, keeping the as-of date."""
    q = {k: v for k, v in params.items() if v}
    if request.query_params.get("as_of"):
        q["as_of"] = request.query_params["as_of"]
    return RedirectResponse(path + ("?" + urlencode(q) if q else ""), status_code=303)


def read_yaml(text: str, what: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """A form's YAML, or 422 saying why. With the case folder's loader dates stay text (an
    impossible `2025-02-30` is then refused by the model, field by field); nesting
    deeper than any record or scenario needs, and anchors/aliases (self-referencing data that would
    crash whatever serialises it next), are refused by a first pass over the parser's events."""
    try:
        depth = 0
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise HTTPException(422, f"The {what} is nested more than {MAX_YAML_DEPTH} levels deep.")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                raise HTTPException(422, f"The {what} uses YAML anchors and aliases (& and *); write it out.")
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise HTTPException(422, f"The {what} is not valid YAML: {str(exc).splitlines()[0]}") from None
    except ValueError as exc:  # a constructor refusing a value, e.g. an impossible date
        raise HTTPException(422, f"The {what} is not valid YAML: {exc}") from None


def page_as_of(request: Request, case: Case) -> dt.date:
    """The as-of date of a form page (its header control); a bad value is a 400 as on every view."""
    try:
        return views.parse_as_of(request.query_params.get("as_of"), case)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
