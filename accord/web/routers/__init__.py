"""The workspace's routes, one router per area. Read views are declared once (`common.View`) and mounted
as an HTML page and its JSON twin under /api/; the JSON twins are the documented API (/openapi.json)."""

from __future__ import annotations

from fastapi import FastAPI

from . import admin, analysis, cases, ledger, records, review, session, sources

AREAS = (session, cases, sources, review, records, analysis, ledger, admin)


def include(app: FastAPI) -> None:
    for area in AREAS:
        app.include_router(area.router)
