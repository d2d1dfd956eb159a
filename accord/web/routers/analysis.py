"""The analysis views: forecasts, ZOPAs, settlement and risks; scenarios and their change from the baseline."""

from __future__ import annotations

import json
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Body, Form, HTTPException, Query, Request

from ...case.models import Case
from .. import views
from .common import AsOf, Ctx, View, check_csrf, load_case, mount, nav, read_yaml

router = APIRouter()


def forecasts(ctx: Ctx, q: AsOf) -> dict:
    return views.forecasts(ctx.case, ctx.as_of, ctx.ws.analysis(ctx.case, ctx.key, ctx.as_of))


mount(router, View("forecasts", "/cases/{cid}/forecasts", "forecasts.html", forecasts,
                   "Forecasts, ZOPAs, settlement and risks", tags=("analysis",), query=AsOf, section="forecasts",
                   cached=True))


def run_scenario(ctx: Ctx, text: str) -> dict:
    scenario = read_yaml(text, "scenario") if text.strip() else None
    if not isinstance(scenario, dict):
        raise HTTPException(422, "A scenario is a YAML mapping; see the example on the page.")
    baseline = ctx.ws.analysis(ctx.case, ctx.key, ctx.as_of)
    if baseline is None:
        raise HTTPException(503, "The analysis engine is not available on this server.")
    from ...analysis.scenario import Scenario
    try:
        result = ctx.ws.analysis(ctx.case, ctx.key, ctx.as_of, scenario=Scenario.from_dict(scenario, "scenario"),
                                 scenario_id=json.dumps(scenario, sort_keys=True, default=str))
    except (ValueError, KeyError, TypeError) as exc:
        raise HTTPException(422, f"The scenario cannot be applied: {exc}") from None
    return {"scenario": scenario, "diff": views.scenario_diff(ctx.case, baseline, result)}


def example_scenario(case: Case) -> str:
    # A runnable starting point built from the case's own first party and issue (format: docs/analysis.md).
    parties = case.meta.parties or [a.id for a in case.principals()[:2]]
    issue = case.issues[0].id if case.issues else "ISSUE"
    actor = parties[0] if parties else "ACTOR"
    return (f"name: {actor} moves on {issue}\n"
            "# kinds: set_position, set_fallback (null removes it), set_salience, set_capability, remove_actor\n"
            f"changes:\n  - set_fallback: {{actor: {actor}, issue: {issue}, value: 50}}\n")


@router.get("/cases/{cid}/scenario", include_in_schema=False)
def scenario_page(request: Request, cid: str, q: Annotated[AsOf, Query()]):
    ctx = load_case(request, cid, as_of=q.as_of)
    return request.app.state.render(request, "scenario.html", text=example_scenario(ctx.case), result=None,
                                    **nav(ctx, "scenario"))


@router.post("/cases/{cid}/scenario", include_in_schema=False)
async def scenario_form(request: Request, cid: str, q: Annotated[AsOf, Query()],
                        scenario: Annotated[str, Form(max_length=100_000)]):
    ctx = load_case(request, cid, as_of=q.as_of)
    await check_csrf(request)
    render = request.app.state.render
    try:
        data = run_scenario(ctx, scenario)
    except HTTPException as exc:
        if exc.status_code != 422:
            raise
        return render(request, "scenario.html", status=422, message=exc.detail, text=scenario, result=None,
                      **nav(ctx, "scenario"))
    return render(request, "scenario.html", text=scenario, result=data, **nav(ctx, "scenario"))


@router.post("/api/cases/{cid}/scenario", tags=["analysis"],
             summary="Run a scenario (YAML or JSON mapping in `scenario`) and get its difference from the baseline")
async def scenario_api(request: Request, cid: str, q: Annotated[AsOf, Query()],
                       body: Annotated[dict[str, Any], Body()]):
    ctx = load_case(request, cid, as_of=q.as_of)
    await check_csrf(request)
    sc = body.get("scenario")
    text = sc if isinstance(sc, str) else yaml.safe_dump(sc) if isinstance(sc, dict) else ""
    return run_scenario(ctx, text)
