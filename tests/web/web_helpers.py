"""Helpers shared by the web tests: logging in, CSRF tokens, pending candidates."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert

from accord.store import schema

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny-case"
PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    m = CSRF_RE.search(html)
    assert m, "no csrf_token field in the page"
    return m.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       follow_redirects=False)


def api_token(client: TestClient) -> str:
    return client.get("/api/session").json()["csrf_token"]


def add_candidate(ws, case_id: str, text: str, start: int, end: int, data: dict, *, cand_id: str = "k1",
                  kind: str = "statement", source_id: str = "wire-2", date: str = "2025-09-05") -> str:
    """A pending candidate on a new document, as ingest would leave it."""
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    with ws.store.engine.begin() as conn:
        conn.execute(insert(schema.documents).values(case_id=case_id, id=doc_id, path="/srv/docs/d.txt",
                                                     source_id=source_id, title="A wire report", date=date,
                                                     language="en", text=text, status="extracted"))
        conn.execute(insert(schema.candidates).values(case_id=case_id, id=cand_id, document_id=doc_id, kind=kind,
                                                      start=start, end=end, confidence=0.7, data=data,
                                                      status="pending"))
    return doc_id

