"""Logging in and out, and who is logged in (with the CSRF token API clients send on writes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from .. import auth
from .common import CSRF_MESSAGE, check_csrf

router = APIRouter()


def safe_next(value: str | None) -> str:
    return value if value and value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


def secure(request: Request) -> bool:
    return request.app.state.ws.secure_cookies or request.url.scheme == "https"


def login_page(request: Request, *, status: int = 200, message: str | None = None, headers=None):
    sessions = request.app.state.ws.sessions
    pre = sessions.read_pre(request.cookies.get(auth.Sessions.PRE_COOKIE))
    cookie = None
    if pre is None:
        cookie = sessions.issue_pre()
        pre = sessions.read_pre(cookie)
    resp = request.app.state.render(request, "login.html", status=status, headers=headers, user=None,
                                    csrf_token=sessions.csrf_token(pre), message=message,
                                    why=request.query_params.get("why"),
                                    next=safe_next(request.query_params.get("next")))
    if cookie:
        resp.set_cookie(auth.Sessions.PRE_COOKIE, cookie, httponly=True, samesite="lax", secure=secure(request),
                        path="/")
    return resp


@router.get("/login", include_in_schema=False)
def login_form(request: Request):
    return login_page(request)


@router.post("/login", tags=["session"], summary="Log in (form fields username, password, csrf_token)")
def login(request: Request, username: Annotated[str, Form(max_length=200)],
          password: Annotated[str, Form(max_length=1000)], csrf_token: Annotated[str, Form(max_length=200)],
          next: Annotated[str, Form(max_length=2000)] = "/"):
    ws = request.app.state.ws
    pre = ws.sessions.read_pre(request.cookies.get(auth.Sessions.PRE_COOKIE))
    if not ws.sessions.check_csrf(pre, csrf_token):
        return login_page(request, status=403, message=CSRF_MESSAGE)
    result = auth.login(ws.store, username, password, request.client.host if request.client else "?")
    if result.wait:
        return login_page(request, status=429, headers={"Retry-After": str(result.wait)},
                          message=f"Too many failed attempts: wait {result.wait} seconds before trying again.")
    if result.user is None:
        return login_page(request, status=401, message="Wrong username or password.")
    resp = RedirectResponse(safe_next(next), status_code=303)
    resp.set_cookie(auth.Sessions.COOKIE, ws.sessions.issue(result.user), max_age=ws.sessions.max_age_s,
                    httponly=True, samesite="lax", secure=secure(request), path="/")
    resp.delete_cookie(auth.Sessions.PRE_COOKIE, path="/")
    return resp


@router.post("/logout", tags=["session"], summary="Log out")
async def logout(request: Request):
    ws = request.app.state.ws
    ws.user(request)
    await check_csrf(request)
    ws.sessions.end(request.cookies.get(auth.Sessions.COOKIE))  # a copy of the cookie stops working too
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(auth.Sessions.COOKIE, path="/")
    return resp


@router.get("/api/session", tags=["session"], summary="Who is logged in, and the CSRF token for writes")
def session(request: Request):
    ws = request.app.state.ws
    user = ws.user(request)
    return {"username": user.username, "role": user.role, "csrf_token": ws.sessions.csrf_token(request.state.nonce)}
