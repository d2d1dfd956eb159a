"""The team workspace: `create_app(db_url)` builds the FastAPI app over the same store and core
as the CLI. HTML pages are server-rendered (Jinja2, autoescaped); every page has a JSON twin
under /api/… described at /openapi.json.

Security in one place: `Workspace.user()` authenticates every request from the signed session
cookie, `Workspace.case()` redacts confidential sources for viewers before any view sees the
case, `check_csrf` guards every state-changing request, and the error handlers never echo
anything but our own messages.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..case.models import Case
from ..store import CaseNotFound, Store
from . import auth, views
from .cache import LRU

HERE = Path(__file__).parent
DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024  # a case folder or a document: generous, but bounded


def http_url(value: object) -> str | None:
    """The URL if it is a plain http(s) link, else None: a source or a document line may hold
    `javascript:` or `data:` (or a scheme hidden behind whitespace and control characters, which
    browsers drop), and only http(s) is ever made a link."""
    if not isinstance(value, str) or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else None


class NotLoggedIn(Exception):
    def __init__(self, reason: str = "Log in to continue."):
        self.reason = reason


class Workspace:
    def __init__(self, db_url: str | None, *, secret: str | None = None, secure_cookies: bool = False,
                 session_hours: float = 12, max_upload: int = DEFAULT_MAX_UPLOAD):
        self.store = Store(db_url)  # migrated the schema; it owns every table and writes the audit log
        self.sessions = auth.Sessions(auth.instance_secret(self.store, secret), int(session_hours * 3600),
                                      self.store.users)
        self.secure_cookies = secure_cookies
        self.max_upload = max_upload
        self.cases = LRU(8)
        self.derived = LRU(256)  # view data and analyses, by case key
        self.responses = LRU(512)  # finished page and API bodies, by case key, address and session

    # -- who is asking ------------------------------------------------------------------------
    def user(self, request: Request) -> auth.User:
        known = getattr(request.state, "user", None)
        if known is not None:  # already checked earlier in this request
            return known
        user, nonce, problem = self.sessions.resolve(request.cookies.get(auth.Sessions.COOKIE))
        if user is None:
            raise NotLoggedIn("Your session has expired; log in again." if problem == "expired" else
                              "Your session is no longer valid; log in again." if problem else "Log in to continue.")
        request.state.user, request.state.nonce = user, nonce
        return user

    def require(self, request: Request, role: str) -> auth.User:
        user = self.user(request)
        if not user.can(role):
            raise HTTPException(403, f"This needs the {role} role; you are signed in as a {user.role}.")
        return user

    # -- the case as this user may see it -------------------------------------------------------
    def case_key(self, case_id: str, viewer: bool) -> tuple:
        """What every cache of this case is keyed by: its stamp in the store (changed by any write,
        from any worker or the CLI) and the role's view of it."""
        stamp = self.store.case_stamp(case_id)
        if stamp is None:
            raise HTTPException(404, f"There is no case {case_id!r}.")
        return (case_id, stamp, viewer)

    def case(self, case_id: str, user: auth.User, key: tuple | None = None) -> tuple[Case, tuple]:
        viewer = not user.can("analyst")
        key = key or self.case_key(case_id, viewer)
        try:
            return self.cases.get_or_make(key, lambda: self._load_for(case_id, viewer)), key
        except CaseNotFound:
            raise HTTPException(404, f"There is no case {case_id!r}.") from None

    def cached(self, key: tuple, fn):
        return self.derived.get_or_make(key, fn)

    def warm(self, case_ids: list[str]) -> None:
        """Compute what the first page of each case needs (its analysis and key answers, for both
        roles) so that the first request finds it ready."""
        log = logging.getLogger("accord.web")
        try:
            for cid in case_ids:
                for viewer in (True, False):
                    key = self.case_key(cid, viewer)
                    case = self.cases.get_or_make(key, lambda cid=cid, viewer=viewer: self._load_for(cid, viewer))
                    as_of = views.parse_as_of(None, case)
                    self.answers(case, key, as_of, self.analysis(case, key, as_of), viewer)
        except Exception:  # warming is an optimisation: a failure must not stop the server
            log.exception("warming the caches failed")

    def _load_for(self, case_id: str, viewer: bool) -> Case:
        case = self.store.load_case(case_id)
        return views.visible_case(views.redact_case(case, self.sessions.opaque)) if viewer else case

    def analysis(self, case: Case, key: tuple, as_of: dt.date, scenario=None, scenario_id: str | None = None):
        """The analysis of this case version as of a date (and under a scenario, named by
        `scenario_id`, its canonical text): computed once, then shared by every request."""
        try:
            from ..analysis import analyze_case
        except ImportError:  # the analysis engine is optional until it is installed
            return None
        if scenario is not None:  # errors go to the caller: a scenario that cannot apply is a 422
            return self.cached(key + ("scenario", as_of, scenario_id),
                               lambda: analyze_case(case, as_of, scenario=scenario))
        try:
            from .routers.ledger import (
                recorded,  # computed once per case version: recorded once, not per request
            )
            return self.cached(key + ("analysis", as_of), lambda: recorded(self, key, analyze_case(case, as_of)))
        except Exception:  # keep the evidence pages up when the engine fails; the log has the cause
            logging.getLogger("accord.web").exception("analysis failed for %s as of %s", case.meta.id, as_of)
            return None

    def answers(self, case: Case, key: tuple, as_of: dt.date, analysis, viewer: bool) -> list[dict]:
        """The key answers as the briefing gives them (accord.report.answers, the one source), for
        this role and date: once per case version."""
        if analysis is None:
            return []
        from ..report.answers import key_answers

        def build() -> list[dict]:
            return [a.model_dump(mode="json") for a in key_answers(
                case, analysis, audience="public" if viewer else "internal", as_of=as_of)]
        try:
            return self.cached(key + ("answers", as_of), build)
        except Exception:  # a briefing bug must not take the overview down; the log has the cause
            logging.getLogger("accord.web").exception("key answers failed for %s as of %s", case.meta.id, as_of)
            return []

    def spans(self, case_id: str, statement_ids: list[str], case: Case, viewer: bool) -> dict[str, dict]:
        """The document text around each statement that came from a reviewed candidate."""
        from ..review import record_id_for
        prefix = record_id_for("")
        cand_ids = {sid.removeprefix(prefix): sid for sid in statement_ids if sid.startswith(prefix)}
        known = {s.id for s in case.sources}
        out = {}
        for sp in self.store.candidate_spans(case_id, list(cand_ids)):
            if viewer and sp.source_id and sp.source_id not in known:
                continue  # redacted: a viewer's case no longer knows the confidential source's id
            if sp.start is None or sp.end is None:
                continue
            lo, hi = max(0, sp.start - 160), min(len(sp.text), sp.end + 160)
            out[cand_ids[sp.candidate_id]] = {"document": sp.document_id, "start": sp.start, "end": sp.end,
                                              "before": sp.text[lo:sp.start], "text": sp.text[sp.start:sp.end],
                                              "after": sp.text[sp.end:hi]}
        return out


class UploadLimit:
    """ASGI middleware: refuse request bodies over the limit with 413 before the app reads them."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await self._too_large(scope, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message
        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._too_large(scope, send)

    async def _too_large(self, scope, send):
        msg = f"The upload is larger than the limit of {self.limit // (1024 * 1024)} MB."
        if scope["path"].startswith("/api/"):
            resp = JSONResponse({"detail": msg}, status_code=413)
        else:
            resp = HTMLResponse(f"<!doctype html><title>413</title><h1>Too large</h1><p>{msg}</p>", status_code=413)
        await resp(scope, None, send)


class _TooLarge(Exception):
    pass


class SecurityHeaders:
    """ASGI middleware adding the headers below to every response (cheaper than BaseHTTPMiddleware)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        if not scope["path"].startswith("/static/"):
            extra.append((b"cache-control", b"no-store"))  # pages may carry role-restricted content

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in extra if k not in have]
            await send(message)
        await self.app(scope, receive, send_with_headers)


SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def create_app(db_url: str | None = None, *, secret: str | None = None, secure_cookies: bool = False,
               session_hours: float = 12, max_upload: int = DEFAULT_MAX_UPLOAD, warm: bool = False) -> FastAPI:
    """The workspace app. With `warm`, startup imports the analysis engine, compiles the templates and
    computes the first case's first page before serving, then the other cases' in the background."""
    ws = Workspace(db_url, secret=secret, secure_cookies=secure_cookies, session_hours=session_hours,
                   max_upload=max_upload)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm:
            import_engine()
            for name in env.list_templates():
                env.get_template(name)
            # The first case before serving: its analysis also compiles the engine's JIT kernels
            # (seconds, once per process); the other cases in the background.
            cases = ws.store.case_ids()
            await run_in_threadpool(ws.warm, cases[:1])
            threading.Thread(target=ws.warm, args=(cases[1:],), name="accord-warm", daemon=True).start()
        yield

    app = FastAPI(title="accord workspace API", version="1",
                  description="The JSON twin of every workspace page. Authenticate with the session cookie "
                              "from POST /login; send X-CSRF-Token (from GET /api/session) on every write.",
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.ws = ws
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["num"] = lambda v, d=0: "–" if v is None else f"{float(v):.{d}f}"
    env.globals["roles"] = auth.ROLES
    env.filters["http_url"] = http_url
    env.filters["bucket"] = lambda v: "none" if v is None else str(min(10, max(0, round(float(v) / 10))))
    app.state.templates = env

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    app.add_middleware(SecurityHeaders)
    app.add_middleware(UploadLimit, limit=max_upload)

    # -- errors: our message, the right status, HTML or JSON by path ------------------------------
    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, exc: NotLoggedIn):
        if request.url.path.startswith("/api/"):
            resp = JSONResponse({"detail": exc.reason}, status_code=401, headers={"WWW-Authenticate": "Cookie"})
        else:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            resp = RedirectResponse("/login?" + urlencode({"next": target, "why": exc.reason}), status_code=303)
        resp.delete_cookie(auth.Sessions.COOKIE, path="/")
        return resp

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "Request refused."
        if exc.status_code == 404 and detail == "Not Found":
            detail = "There is no such page."
        if exc.status_code == 405:
            detail = "This address does not accept that method."
        return error(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        if all(e["loc"][:1] == ("query",) for e in errors):
            # A bad address (query string) is 400 and says what is wrong with each value.
            msgs = sorted({f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg'].removeprefix('Value error, ')}"
                           for e in errors})
            return error(request, 400, "Bad query parameter: " + "; ".join(msgs) + ".")
        fields = sorted({".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]) for e in errors})
        return error(request, 422, "The request is malformed: check " + ", ".join(fields) + ".")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        # Never show internals (they could quote a confidential record); the server log has them.
        import logging
        logging.getLogger("accord.web").exception("unhandled error on %s", request.url.path)
        return error(request, 500, "Something went wrong on the server; the error was logged.")

    def error(request: Request, status: int, message: str, headers: dict | None = None) -> Response:
        if request.url.path.startswith("/api/") or request.headers.get("accept", "").startswith("application/json"):
            return JSONResponse({"detail": message}, status_code=status, headers=headers)
        user = getattr(request.state, "user", None)
        return render(request, "error.html", status=status, headers=headers, status_code=status, message=message,
                      user=user)

    def render(request: Request, name: str, *, status: int = 200, headers: dict | None = None, **ctx) -> HTMLResponse:
        user = ctx.pop("user", getattr(request.state, "user", None))
        nonce = getattr(request.state, "nonce", None)
        as_of = request.query_params.get("as_of") or ""

        def link(path: str, **params) -> str:
            q = {k: v for k, v in params.items() if v not in (None, "")}
            if as_of and "as_of" not in params:
                q["as_of"] = as_of
            return path + ("?" + urlencode(q) if q else "")
        ctx.setdefault("csrf_token", ws.sessions.csrf_token(nonce) if nonce else "")
        ctx.setdefault("done", request.query_params.get("done"))  # the flash message after a form post
        variables = dict(request=request, user=user, as_of_param=as_of, link=link, path=request.url.path, **ctx)
        html = env.get_template(name).render(**variables)
        return HTMLResponse(html, status_code=status, headers=headers)

    app.state.render = render
    app.state.error = error

    from . import routers
    routers.include(app)
    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory` with several workers: configuration comes from the environment."""
    return create_app(os.environ.get("ACCORD_DATABASE_URL"), secret=os.environ.get("ACCORD_SECRET_KEY") or None,
                      secure_cookies=os.environ.get("ACCORD_SECURE_COOKIES", "") in ("1", "true", "yes"),
                      session_hours=float(os.environ.get("ACCORD_SESSION_HOURS", "12")),
                      max_upload=int(os.environ.get("ACCORD_MAX_UPLOAD", DEFAULT_MAX_UPLOAD)), warm=True)


def import_engine() -> None:
    """Import the analysis engine and the briefing (numpy, scipy: seconds) once, at startup."""
    try:
        from .. import analysis  # noqa: F401
        from ..report import answers  # noqa: F401
    except ImportError:  # optional until installed; the pages say so
        pass
