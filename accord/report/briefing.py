"""Turn a case and its analysis into the briefing's content: answers, matrix, sections, evidence.

Nothing here is written for one case: every sentence is a template filled from the analysis dict
(DESIGN.md §4) and the case, and every sentence and matrix cell carries the ids of the evidence it
rests on. The HTML and Markdown templates render the same `Briefing`, so the two say the same thing.

Sections the analysis did not compute are `None` and render as "not computed": the briefing must
still come out when, say, the Monte Carlo run was skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..case.models import Case, Issue, date_ceiling, date_floor
from ..positions import derive_positions, parse_as_of, statements_as_of
from .citations import Citer

DEU_NOTE = ("Across 351 European Union decisions (the DEU III data set) the plain compromise model "
            "forecast outcomes better than the expected-utility challenge model (mean absolute error "
            "22.99 vs 26.83 on the 0–100 scale): complexity has to earn its place in measured accuracy, "
            "so the compromise model is the default.")

OCCUPIED = "occupied_share"


# ---------------------------------------------------------------- small helpers

def fmt(value: float | None) -> str:
    """A position or gap as people write it: 50, 62.5 (no trailing zeros, no float noise)."""
    if value is None:
        return "—"
    value = round(float(value), 1)
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def first_sentence(text: str | None, limit: int = 240) -> str | None:
    """Quotes are kept to one sentence (and a length a reader takes in at a glance)."""
    if not text:
        return None
    text = " ".join(text.split())
    m = re.search(r"(?<=[.!?…])[\"”’»]?\s+(?=[\"“‘«A-ZА-ЯІЇЄ0-9])", text)
    cut = text[: m.start()].rstrip() if m else text
    if m and not cut.endswith(("”", '"', "’", "»")) and text[m.start() - 1] in "\"”’»":
        cut += text[m.start() - 1]
    if len(cut) > limit:
        cut = cut[:limit].rsplit(" ", 1)[0] + "…"
    elif m:
        cut = cut + " …" if not cut.endswith("…") else cut
    return cut


def scale_label(issue: Issue | None, value: float | None) -> str:
    """The label of the anchor nearest `value`, marked "≈" when the value is not on the anchor."""
    if issue is None or value is None:
        return ""
    point = min(issue.scale, key=lambda p: (abs(p - value), p))
    return issue.scale[point] if abs(point - value) < 0.5 else f"≈ {issue.scale[point]}"


def colour(value: float | None) -> str:
    """Cell colour on a diverging scale: 0 blue, 50 pale, 100 red (light enough for black text)."""
    if value is None:
        return "#f2f2f2"
    t = max(0.0, min(1.0, float(value) / 100))
    lo, mid, hi = (0x9e, 0xc5, 0xe8), (0xf4, 0xf1, 0xea), (0xf0, 0xa0, 0x90)
    a, b, u = (lo, mid, t * 2) if t <= 0.5 else (mid, hi, (t - 0.5) * 2)
    return "#" + "".join(f"{round(x + (y - x) * u):02x}" for x, y in zip(a, b))


def _get(d: Any, *keys, default=None):
    for k in keys:
        if isinstance(d, dict) and k in d and d[k] is not None:
            return d[k]
    return default


def _num(x) -> float | None:
    try:
        return None if x is None else float(x)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- evidence

@dataclass
class Ref:
    number: int
    id: str

    @property
    def anchor(self) -> str:
        return f"ev-{self.id}"


@dataclass
class Sentence:
    text: str
    refs: list[Ref]


@dataclass
class Answer:
    key: str
    question: str
    verdict: str
    sentences: list[Sentence]


class EvidenceIndex:
    """Numbers evidence in order of first citation and builds the appendix entries for it."""

    def __init__(self, case: Case, citer: Citer):
        self.case, self.citer = case, citer
        self._items: dict[str, tuple[str, Any]] = {}
        for kind, items in (("statement", case.statements), ("event", case.events), ("figure", case.figures)):
            for it in items:
                self._items[it.id] = (kind, it)
        self._numbers: dict[str, int] = {}

    def refs(self, ids) -> list[Ref]:
        out, seen = [], set()
        for i in ids or []:
            if i in self._items and i not in seen:
                seen.add(i)
                if i not in self._numbers:
                    self._numbers[i] = len(self._numbers) + 1
                out.append(Ref(self._numbers[i], i))
        return out

    def entries(self) -> list[dict]:
        out = []
        for i, n in sorted(self._numbers.items(), key=lambda kv: kv[1]):
            kind, it = self._items[i]
            cite = self.citer.cite(it.source)
            e = {"number": n, "id": i, "anchor": f"ev-{i}", "kind": kind, "date": it.date,
                 "citation": cite.label, "citation_full": cite.full, "url": cite.url,
                 "locator": it.locator, "quote": None, "who": None}
            if kind == "statement":
                e["summary"] = it.summary
                e["quote"] = first_sentence(it.quote)
                e["who"] = self.case_name(it.actor) + (f" ({self.case_name(it.speaker)})" if it.speaker else "")
                if it.issue:
                    e["issue"] = it.issue
                    e["position"] = fmt(it.position) if it.position is not None else None
                    e["role"] = it.role
            elif kind == "event":
                e["summary"] = it.summary
                e["who"] = ", ".join(self.case_name(a) for a in it.actors) or None
            else:
                e["summary"] = f"{it.quantity} = {fmt(it.value)} {it.unit}" + (f" — {it.note}" if it.note else "")
            out.append(e)
        return out

    def case_name(self, actor_id: str | None) -> str:
        by_id = {a.id: a for a in self.case.actors}
        return by_id[actor_id].name if actor_id in by_id else (actor_id or "")


# ---------------------------------------------------------------- the briefing

@dataclass
class Briefing:
    title: str
    as_of: str
    audience: str
    description: str | None
    parties: list[str]
    answers: list[Answer]
    matrix: dict
    parties_detail: list[dict]
    chronology: list[dict]
    figures: dict
    contradictions: list[dict]
    zopa: dict | None
    forecast: dict | None
    montecarlo: dict | None
    risks: dict | None
    volatility: dict | None
    references: list[dict]
    evidence: list[dict]
    notes: list[str] = field(default_factory=list)
    charts: dict = field(default_factory=dict)
    generated: str = ""


class _Builder:
    def __init__(self, case: Case, analysis: dict, audience: str, default_model: str | None):
        self.case = case
        self.a = analysis or {}
        self.citer = Citer(case, audience)
        self.audience = audience
        self.ev = EvidenceIndex(case, self.citer)
        self.as_of = parse_as_of(self.a.get("as_of"), case)
        self.issues = {i.id: i for i in case.issues}
        self.names = {a.id: a.name for a in case.actors}
        self.positions = self._positions()
        self.pos = {(p["actor"], p["issue"]): p for p in self.positions}
        self.statements = statements_as_of(case, self.as_of)
        self.parties = self._parties()
        forecasts = self.a.get("forecast") or {}
        self.model = (default_model if default_model in forecasts else None) \
            or (self.a.get("default_model") if self.a.get("default_model") in forecasts else None) \
            or ("compromise" if "compromise" in forecasts else next(iter(forecasts), None))

    # -- inputs
    def _positions(self) -> list[dict]:
        if self.a.get("positions") is not None:
            return [dict(p) for p in self.a["positions"]]
        return [p.model_dump() for p in derive_positions(self.case, self.a.get("as_of"))]

    def _parties(self) -> list[str]:
        settlement = self.a.get("settlement") or {}
        parties = list(settlement.get("parties") or self.case.meta.parties)
        if len(parties) < 2:  # no stated parties: the two most capable actors holding positions
            holders = sorted({p["actor"] for p in self.positions},
                             key=lambda x: -(self._capability(x) or 0))
            parties = (parties + [h for h in holders if h not in parties])[:2]
        return parties

    def _capability(self, actor: str) -> float | None:
        return next((a.capability for a in self.case.actors if a.id == actor), None)

    # -- naming
    def name(self, actor: str) -> str:
        return self.names.get(actor, actor)

    def poss(self, actor: str) -> str:
        n = self.name(actor)
        return n + ("’" if n.endswith("s") else "’s")

    def iname(self, issue: str) -> str:
        i = self.issues.get(issue)
        return i.name if i else issue

    def at(self, issue: str, value: float | None) -> str:
        """"50: freeze on the current line of contact" — a value with its scale label."""
        label = scale_label(self.issues.get(issue), value)
        return f"{fmt(value)}: {label}" if label else fmt(value)

    # -- evidence helpers
    def history_ids(self, actor: str, issue: str, roles=("ideal", "fallback", "claim")) -> list[str]:
        return [s.id for s in self.statements
                if self.case.principal(s.actor) == actor and s.issue == issue and s.role in roles]

    def fallback_ids(self, actor: str, issue: str) -> list[str]:
        ids = self.history_ids(actor, issue, ("fallback",))
        p = self.pos.get((actor, issue))
        used = [i for i in (p or {}).get("evidence", []) if i in ids]
        return used or ids[-1:] or list((p or {}).get("evidence", []))

    def pos_ids(self, actor: str, issue: str) -> list[str]:
        return list((self.pos.get((actor, issue)) or {}).get("evidence", []))

    def S(self, text: str, ids) -> Sentence:
        return Sentence(text, self.ev.refs(ids))

    # ------------------------------------------------------------ the four answers
    def answers(self) -> list[Answer]:
        qs = list(self.case.meta.questions)
        default_q = ["Do the talks have prospects?", "Who wants what?",
                     "Who will concede what, and is it enough to freeze the conflict?",
                     "What is the biggest risk to the negotiations?"]
        qs = qs[:4] + default_q[len(qs[:4]):] if len(qs) >= 4 else default_q
        return [self.answer_prospects(qs[0]), self.answer_wants(qs[1]),
                self.answer_concessions(qs[2]), self.answer_risk(qs[3])]

    def _zopa_rows(self) -> list[dict]:
        rows = []
        for z in self.a.get("zopa") or []:
            between = list(z.get("between") or self.parties)
            if set(between) != set(self.parties[:2]):
                continue
            rows.append(z)
        return rows

    def answer_prospects(self, q: str) -> Answer:
        A, B = self.parties[:2]
        settlement = self.a.get("settlement")
        zrows = self._zopa_rows()
        out: list[Sentence] = []
        if settlement is None and not zrows:
            return Answer("prospects", q, "Not computed",
                          [Sentence("The settlement analysis was not computed for this briefing.", [])])
        feasible = settlement.get("feasible") if settlement else None
        no_zopa = [z for z in zrows if not z.get("exists")]
        all_ids = [i for z in zrows for x in (A, B) for i in self.fallback_ids(x, z["issue"])]
        if feasible:
            verdict = "Yes — a package both parties accept exists"
            out.append(self.S(f"A package exists that both {self.poss(A)} and {self.poss(B)} stated fallbacks "
                              f"accept on every issue on which both take a position ({len(zrows)} issues).", all_ids))
        else:
            verdict = "Poor — no package satisfies both parties' fallbacks" if feasible is False \
                else f"Uncertain — fallbacks do not overlap on {len(no_zopa)} of {len(zrows)} issues"
            if no_zopa:
                listed = ", ".join(self.iname(z["issue"]) for z in no_zopa)
                lead = "No package satisfies both parties' stated fallbacks" if feasible is False \
                    else "The parties' stated fallbacks leave no common ground on some issues"
                out.append(self.S(f"{lead}: {self.poss(A)} and {self.poss(B)} fallbacks do not overlap on "
                                  f"{len(no_zopa)} of {len(zrows)} issues on which both take a position ({listed}).",
                                  [i for z in no_zopa for x in (A, B) for i in self.fallback_ids(x, z["issue"])]))
            elif feasible is False:
                out.append(self.S("No package satisfies both parties' stated fallbacks on all issues at once, "
                                  "although each issue taken alone has a zone of agreement.", all_ids))
        # The headline gap is on the issue that matters most to both parties among those where both
        # stated a fallback (a gap against "no concession stated" says less); the widest gap follows.
        headline = max(no_zopa, key=lambda z: (self._both_stated(z), self._joint_salience(z["issue"]),
                                               _num(z.get("gap")) or 0), default=None)
        widest = max(no_zopa, key=lambda z: _num(z.get("gap")) or 0, default=None)
        if headline:
            iss = headline["issue"]
            fa, fb = (self._fallback_text(x, iss, headline) for x in (A, B))
            out.append(self.S(f"On {self.iname(iss)}, the issue that matters most to both, {self.poss(A)} fallback "
                              f"({fa}) and {self.poss(B)} ({fb}) are {fmt(_num(headline.get('gap')))} points apart.",
                              self.fallback_ids(A, iss) + self.fallback_ids(B, iss)))
        if widest and widest is not headline and (_num(widest.get("gap")) or 0) > (_num(headline.get("gap")) or 0):
            iss = widest["issue"]
            out.append(self.S(f"The widest gap is on {self.iname(iss)}: {fmt(_num(widest.get('gap')))} points between "
                              f"{self.at(iss, self._fallback_value(A, iss))} and {self.at(iss, self._fallback_value(B, iss))}.",
                              self.fallback_ids(A, iss) + self.fallback_ids(B, iss)))
        widest = headline
        if self.model and widest:
            iss = widest["issue"]
            v = self._forecast_value(self.model, iss)
            if v is not None:
                out.append(self.S(f"The {self.model} model, weighing every actor's capability and salience, "
                                  f"forecasts {self.iname(iss)} at {self.at(iss, v)}.",
                                  [i for p in self.positions if p["issue"] == iss for i in p.get("evidence", [])]))
        mc = self.a.get("montecarlo") or {}
        pf = _num((mc.get("settlement") or {}).get("p_feasible"))
        if pf is not None:
            uncertain = [p for p in self.positions if p["actor"] in (A, B) and (
                (p.get("ideal_range") and p["ideal_range"][1] - p["ideal_range"][0] >= 0.5)
                or (p.get("fallback_range") and p["fallback_range"][1] - p["fallback_range"][0] >= 0.5))]
            ids = [i for p in uncertain for i in p.get("evidence", [])] or all_ids
            out.append(self.S(f"Drawing the uncertain positions, capabilities and saliences {mc.get('draws', 'many')} "
                              f"times, both fallbacks overlap on every issue in {round(pf * 100)}% of the draws.", ids))
        return Answer("prospects", q, verdict, out)

    def _both_stated(self, z: dict) -> bool:
        stated = z.get("fallback_stated") or {}
        return all(stated.get(x, (self.pos.get((x, z["issue"])) or {}).get("fallback") is not None)
                   for x in self.parties[:2])

    def _joint_salience(self, issue: str) -> float:
        return sum(_num((self.pos.get((x, issue)) or {}).get("salience")) or 0 for x in self.parties[:2])

    def _fallback_text(self, actor: str, issue: str, z: dict | None = None) -> str:
        p = self.pos.get((actor, issue)) or {}
        stated = (z or {}).get("fallback_stated", {}).get(actor, p.get("fallback") is not None)
        return self.at(issue, self._fallback_value(actor, issue)) + ("" if stated else "; no concession stated")

    def _fallback_value(self, actor: str, issue: str) -> float | None:
        p = self.pos.get((actor, issue)) or {}
        return _num(p.get("fallback")) if p.get("fallback") is not None else _num(p.get("ideal"))

    def _salient(self, actor: str, n: int) -> list[dict]:
        ps = [p for p in self.positions if p["actor"] == actor]
        return sorted(ps, key=lambda p: (-(_num(p.get("salience")) or 0), p["issue"]))[:n]

    def answer_wants(self, q: str) -> Answer:
        out = []
        holders = {p["actor"] for p in self.positions}
        others = sorted((a for a in holders if a not in self.parties),
                        key=lambda a: (-(self._capability(a) or 0), a))[:3]
        for actor, n in [(p, 3) for p in self.parties if p in holders] + [(o, 2) for o in others]:
            top = self._salient(actor, n)
            wants = "; ".join(f"{self.iname(p['issue'])} at {self.at(p['issue'], _num(p['ideal']))}" for p in top)
            more = len([p for p in self.positions if p["actor"] == actor]) - len(top)
            tail = f" (and {more} more issue{'s' if more != 1 else ''} in the matrix)" if more > 0 else ""
            out.append(self.S(f"{self.name(actor)} wants, on the issues that matter most to it: {wants}{tail}.",
                              [i for p in top for i in self.history_ids(actor, p["issue"], ("ideal",))[-2:]]
                              or [i for p in top for i in p.get("evidence", [])]))
        if not out:
            return Answer("wants", q, "No positions", [Sentence("No actor has a stated position as of this date.", [])])
        A, B = self.parties[:2]
        shared = [i for i in self.issues if (A, i) in self.pos and (B, i) in self.pos]
        verdict = (f"{self.name(A)} and {self.name(B)} both take positions on {len(shared)} issue"
                   f"{'s' if len(shared) != 1 else ''}")
        return Answer("wants", q, verdict, out)

    def answer_concessions(self, q: str) -> Answer:
        out = []
        for actor in self.parties[:2]:
            moves = []
            for p in self.positions:
                if p["actor"] != actor or p.get("fallback") is None:
                    continue
                ideal, fb = _num(p["ideal"]), _num(p["fallback"])
                if abs(ideal - fb) >= 0.5:
                    moves.append((p["issue"], ideal, fb))
            if moves:
                said = "; ".join(f"on {self.iname(i)} from {fmt(a)} to {self.at(i, b)}" for i, a, b in moves)
                out.append(self.S(f"{self.name(actor)} would move {said}.",
                                  [x for i, _, _ in moves for x in self.fallback_ids(actor, i)]))
            else:
                red = [s.id for s in self.statements if self.case.principal(s.actor) == actor and s.red_line]
                out.append(self.S(f"{self.name(actor)} has stated no concession: none of its fallbacks differs "
                                  f"from its ideal" + (f", and it has drawn {len(red)} red line{'s' if len(red) > 1 else ''}."
                                                       if red else "."),
                                  red or [i for p in self.positions if p["actor"] == actor for i in p.get("evidence", [])][:4]))
        settlement = self.a.get("settlement")
        if settlement is None:
            return Answer("concessions", q, "Settlement not computed", out)
        A, B = self.parties[:2]
        if settlement.get("feasible"):
            verdict = "Enough: the stated concessions make a package feasible"
            pkg, what = self._package(settlement)
            listed = "; ".join(f"{self.iname(i)} {fmt(_num(v))}" for i, v in (pkg or {}).items() if _num(v) is not None)
            out.append(self.S("These concessions are enough: a package within both parties' fallbacks exists"
                              + (f" (the {what}: {listed})." if listed else "."),
                              [x for i in (pkg or self.issues) for p in (A, B) for x in self.fallback_ids(p, i)]))
            return Answer("concessions", q, verdict, out)
        verdict = "Not enough to freeze the conflict"
        steps = self._min_concession(settlement)
        if steps:
            total = sum(st["points"] for st in steps)
            by_actor: dict[str, float] = {}
            for st in steps:
                by_actor[st["actor"]] = by_actor.get(st["actor"], 0.0) + st["points"]
            who = max(by_actor, key=by_actor.get)
            shown = steps[:4]
            listed = "; ".join(f"{self.name(st['actor'])} {fmt(st['points'])} on {self.iname(st['issue'])}"
                               f" (to {self.at(st['issue'], st['to'])})" for st in shown)
            more = f"; and {len(steps) - len(shown)} smaller step{'s' if len(steps) - len(shown) > 1 else ''}" \
                if len(steps) > len(shown) else ""
            # The article's question is whether the concessions would at least freeze the conflict: that
            # turns on the issue the two parties care most about, so its step is spelt out on its own.
            core = max((st for st in steps), key=lambda st: self._joint_salience(st["issue"]))
            out.append(self.S(f"These concessions are not enough. On {self.iname(core['issue'])}, the issue that matters most to both, closing the gap "
                              f"would take {self.name(core['actor'])} {fmt(core['points'])} points further, to "
                              f"{self.at(core['issue'], core['to'])}.",
                              [x for p in (A, B) for x in self.fallback_ids(p, core["issue"])]))
            out.append(self.S(f"Across all issues, a package inside both fallbacks needs a further "
                              f"{fmt(total)} points of concession, most of it ({fmt(by_actor[who])}) by "
                              f"{self.name(who)}, each gap closed by the side that cares less about the issue: "
                              f"{listed}{more}.",
                              [x for st in shown for p in (A, B) for x in self.fallback_ids(p, st["issue"])]))
        else:
            out.append(self.S("These concessions are not enough: no package lies within both parties' fallbacks.",
                              [x for p in self.positions if p["actor"] in (A, B)
                               for x in self.fallback_ids(p["actor"], p["issue"])][:6]))
        pkg = settlement.get("package") if isinstance(settlement.get("package"), dict) else {}
        if pkg.get("feasible") is not None:
            shared = settlement.get("issues") or [p["issue"] for p in self.positions if p["actor"] == A
                                                  and (B, p["issue"]) in self.pos]
            ids = [x for i in shared for p in (A, B) for x in self.fallback_ids(p, i)][:8]
            if pkg.get("feasible"):
                nash, _ = self._package(settlement)
                listed = "; ".join(f"{self.iname(i)} {fmt(_num(v))}" for i, v in (nash or {}).items())
                out.append(self.S("Trading across issues could still work: some package gives both at least the value of "
                                  "their own fallbacks" + (f" (Nash bargaining solution: {listed})." if listed else "."), ids))
            else:
                out.append(self.S(f"Trading across issues does not rescue it: no package gives both parties the value "
                                  f"of their own fallbacks (shortfall {fmt(_num(pkg.get('shortfall')))} in "
                                  f"salience-weighted utility).", ids))
        return Answer("concessions", q, verdict, out)

    def _min_concession(self, settlement: dict) -> list[dict]:
        """The steps of the least concession to a feasible package: [{actor, issue, points, from, to}].

        accord.analysis gives `min_concession: {total_points, who, steps: [...]}`; a flat
        `{actor, issue, points}` is read as one step.
        """
        mc = _get(settlement, "min_concession", "minimum_concession")
        raw = mc.get("steps") if isinstance(mc, dict) and "steps" in mc else mc
        raw = [raw] if isinstance(raw, dict) else list(raw or [])
        steps = []
        for st in raw:
            who, iss = _get(st, "actor", "by", "who"), _get(st, "issue")
            points = _num(_get(st, "points", "amount", "size", "concession", "gap"))
            if who and iss and points is not None:
                to = _num(st.get("to"))
                steps.append({"actor": who, "issue": iss, "points": points, "from": _num(st.get("from")),
                              "to": to if to is not None else self._after_concession(who, iss, points)})
        return sorted(steps, key=lambda x: -x["points"])

    def _after_concession(self, actor: str, issue: str, amount: float) -> float | None:
        """Where the conceding actor's fallback would land: moved towards the other party."""
        own = self._fallback_value(actor, issue)
        other = next((self._fallback_value(o, issue) for o in self.parties[:2] if o != actor), None)
        if own is None or other is None:
            return own
        return own + amount if other > own else own - amount

    def _package(self, settlement: dict) -> tuple[dict | None, str]:
        """The package to show, and what it is: the Nash bargaining solution, else the closest one."""
        pkg = settlement.get("package")
        if isinstance(pkg, dict) and "package" not in pkg and not any(
                isinstance(v, dict) for v in pkg.values()):
            return pkg, "package"  # a plain {issue: value}
        if isinstance(pkg, dict):
            for key, what in (("nash", "Nash bargaining solution"), ("closest", "closest package")):
                p = pkg.get(key)
                if isinstance(p, dict) and isinstance(p.get("package"), dict):
                    return p["package"], what
        return None, ""

    def answer_risk(self, q: str) -> Answer:
        risks = self.a.get("risks")
        vol = self.a.get("volatility")
        out = []
        if not risks and not vol:
            return Answer("risk", q, "Not computed", [Sentence("The risk analysis was not computed for this briefing.", [])])
        verdict = "Not computed"
        if risks:
            r = risks[0]
            actor, iss = r.get("actor"), r.get("issue")
            param = r.get("parameter") or "position"
            effect = _num(r.get("effect"))
            verdict = f"{self.poss(actor)} {param} on {self.iname(iss)}"
            model = f"the {self.model} forecast" if self.model else "the forecast"
            f = r.get("forecast") if isinstance(r.get("forecast"), dict) else {}
            span = (f" (from {fmt(_num(f.get('low')))} to {fmt(_num(f.get('high')))})"
                    if _num(f.get("low")) is not None and _num(f.get("high")) is not None else "")
            out.append(self.S(f"The biggest risk is {self.poss(actor)} {param} on {self.iname(iss)}: across its "
                              f"plausible range it moves {model} of {self.iname(iss)} by {fmt(effect)} points{span}, "
                              f"more than any other single input.", self.history_ids(actor, iss)))
            if len(risks) > 1:
                r2 = risks[1]
                out.append(self.S(f"Next comes {self.poss(r2.get('actor'))} {r2.get('parameter') or 'position'} on "
                                  f"{self.iname(r2.get('issue'))} ({fmt(_num(r2.get('effect')))} points).",
                                  self.history_ids(r2.get("actor"), r2.get("issue"))))
        if vol:
            top = max(vol, key=lambda v: _num(v.get("index")) or 0)
            if (_num(top.get("index")) or 0) > 0:
                actor, iss = top["actor"], top["issue"]
                out.append(self.S(f"The most erratic position is {self.poss(actor)} on {self.iname(iss)} (volatility "
                                  f"index {fmt(_num(top['index']))}): its stated position has reversed most often and "
                                  f"furthest.", self.history_ids(actor, iss, ("ideal",))))
                if verdict == "Not computed":
                    verdict = f"{self.poss(actor)} shifting position on {self.iname(iss)}"
        return Answer("risk", q, verdict, out)

    # ------------------------------------------------------------ sections
    def matrix(self) -> dict:
        holders = {p["actor"] for p in self.positions}
        actors = [p for p in self.parties if p in holders] + sorted(
            (a for a in holders if a not in self.parties), key=lambda a: (-(self._capability(a) or 0), a))
        issues = [i for i in self.issues if any((a, i) in self.pos for a in actors)]
        issues += sorted({p["issue"] for p in self.positions} - set(issues))
        rows = []
        for iss in issues:
            cells = []
            for a in actors:
                p = self.pos.get((a, iss))
                if not p:
                    cells.append(None)
                    continue
                ideal, fb = _num(p["ideal"]), _num(p.get("fallback"))
                rng = p.get("ideal_range")
                cells.append({
                    "actor": a, "ideal": fmt(ideal), "label": scale_label(self.issues.get(iss), ideal),
                    "fallback": fmt(fb) if fb is not None and abs(fb - ideal) >= 0.5 else None,
                    "fallback_label": scale_label(self.issues.get(iss), fb) if fb is not None else None,
                    "range": f"{fmt(rng[0])}–{fmt(rng[1])}" if rng and abs(rng[1] - rng[0]) >= 0.5 else None,
                    "colour": colour(ideal), "salience": fmt(_num(p.get("salience"))),
                    "salience_assumed": bool(p.get("salience_assumed")),
                    "refs": self.ev.refs(p.get("evidence", [])),
                })
            issue = self.issues.get(iss)
            rows.append({"issue": iss, "name": self.iname(iss),
                         "scale": [(k, v) for k, v in issue.scale.items()] if issue else [], "cells": cells})
        return {"actors": [{"id": a, "name": self.name(a)} for a in actors], "rows": rows}

    def parties_detail(self) -> list[dict]:
        out = []
        for col in self.matrix_cache["actors"]:
            a = col["id"]
            rows = []
            for p in sorted((p for p in self.positions if p["actor"] == a),
                            key=lambda p: -(_num(p.get("salience")) or 0)):
                iss = p["issue"]
                hist = [s for s in self.statements if self.case.principal(s.actor) == a and s.issue == iss]
                reds = [s for s in hist if s.red_line]
                quoted = next((s for s in reversed(hist) if s.quote and s.id in p.get("evidence", [])), None) \
                    or next((s for s in reversed(hist) if s.quote), None)
                fb = _num(p.get("fallback"))
                rows.append({
                    "issue": iss, "name": self.iname(iss),
                    "ideal": self.at(iss, _num(p["ideal"])),
                    "fallback": self.at(iss, fb) if fb is not None else None,
                    "red_lines": self._red_lines(iss, reds),
                    "quote": first_sentence(quoted.quote) if quoted else None,
                    "quote_by": (self.ev.case_name(quoted.speaker) if quoted and quoted.speaker else None),
                    "quote_cite": self.citer.cite(quoted.source).label if quoted else None,
                    "refs": self.ev.refs(p.get("evidence", [])),
                })
            actor = next((x for x in self.case.actors if x.id == a), None)
            out.append({"id": a, "name": col["name"], "rows": rows,
                        "capability": fmt(actor.capability) if actor and actor.capability is not None else None,
                        "capability_reason": actor.capability_reason if actor else None})
        return out

    def _red_lines(self, issue: str, reds: list) -> list[dict]:
        """One entry per distinct red line, citing every statement that draws it."""
        grouped: dict[str, list[str]] = {}
        for s in reds:
            text = self.at(issue, s.position) if s.position is not None else s.summary
            grouped.setdefault(text, []).append(s.id)
        return [{"text": text, "refs": self.ev.refs(ids)} for text, ids in grouped.items()]

    def chronology(self) -> list[dict]:
        evs = [e for e in self.case.events if date_ceiling(e.date) <= self.as_of]
        return [{"date": e.date, "type": e.type, "actors": ", ".join(self.name(x) for x in e.actors),
                 "summary": e.summary, "citation": self.citer.cite(e.source).label, "refs": self.ev.refs([e.id])}
                for e in sorted(evs, key=lambda e: (date_floor(e.date), e.id))]

    def _contradiction_items(self) -> list[dict]:
        seen, out = set(), []
        extra = self.a.get("contradictions") or []
        for c in list(self.case.contradictions) + extra:
            d = c.model_dump() if hasattr(c, "model_dump") else dict(c) if isinstance(c, dict) else {"why": str(c)}
            raw = d.get("items") or [x for x in (d.get("a"), d.get("b")) if x] or []
            # accord.analysis expands items to dicts; the case keeps plain ids.
            items = [x.get("id") if isinstance(x, dict) else x for x in raw]
            items = [x for x in items if x]
            key = d.get("id") or tuple(sorted(items))
            if key in seen:
                continue
            seen.add(key)
            out.append({"id": d.get("id") or "", "ids": items,
                        "why": d.get("why") or d.get("reason") or d.get("summary") or ""})
        return out

    def contradictions(self) -> list[dict]:
        out = []
        for c in self.contradictions_raw:
            out.append({**c, "refs": self.ev.refs(c["ids"])})
        return out

    def figures(self) -> dict:
        contra = {}
        for c in self.contradictions_raw:
            for i in c["ids"]:
                contra.setdefault(i, []).extend(x for x in c["ids"] if x != i)
        figs = sorted((f for f in self.case.figures if f.quantity == OCCUPIED and date_ceiling(f.date) <= self.as_of),
                      key=lambda f: (date_floor(f.date), f.id))
        rows = [{"id": f.id, "date": f.date, "value": f.value, "value_text": fmt(f.value), "unit": f.unit,
                 "note": f.note, "citation": self.citer.cite(f.source).label,
                 "contradicts": contra.get(f.id, []), "refs": self.ev.refs([f.id])} for f in figs]
        return {"quantity": OCCUPIED, "rows": rows}

    def zopa(self) -> dict | None:
        settlement = self.a.get("settlement")
        zrows = self.a.get("zopa")
        if settlement is None and zrows is None:
            return None
        mc_zopa = (self.a.get("montecarlo") or {}).get("zopa") or {}
        rows = []
        for z in zrows or []:
            iss = z["issue"]
            between = list(z.get("between") or self.parties[:2])
            p_exists = _num((mc_zopa.get(iss) or {}).get("p_exists"))
            rows.append({
                "issue": iss, "name": self.iname(iss), "between": [self.name(x) for x in between],
                "fallbacks": [self.at(iss, self._fallback_value(x, iss))
                              + ("" if (z.get("fallback_stated") or {}).get(x, True) else " (no fallback stated)")
                              for x in between],
                "exists": bool(z.get("exists")), "gap": fmt(_num(z.get("gap"))),
                "range": _zrange(z), "p_exists": f"{round(p_exists * 100)}%" if p_exists is not None else None,
                "refs": self.ev.refs([i for x in between for i in self.fallback_ids(x, iss)]),
            })
        out = {"rows": rows, "feasible": None, "parties": [self.name(x) for x in self.parties[:2]],
               "steps": [], "total": None, "package": None, "package_kind": "", "p_feasible": None,
               "any_p_exists": any(r["p_exists"] for r in rows)}
        if settlement is not None:
            out["feasible"] = settlement.get("feasible")
            steps = self._min_concession(settlement)
            out["steps"] = [{"actor": self.name(st["actor"]), "issue": self.iname(st["issue"]),
                             "points": fmt(st["points"]), "to": self.at(st["issue"], st["to"])} for st in steps]
            out["total"] = fmt(sum(st["points"] for st in steps)) if steps else None
            pkg, what = self._package(settlement)
            if pkg:
                out["package"] = [{"issue": self.iname(i), "value": self.at(i, _num(v))}
                                  for i, v in pkg.items() if _num(v) is not None]
                out["package_kind"] = what
        pf = _num(((self.a.get("montecarlo") or {}).get("settlement") or {}).get("p_feasible"))
        out["p_feasible"] = f"{round(pf * 100)}%" if pf is not None else None
        return out

    def _forecast_value(self, model: str, issue: str) -> float | None:
        v = (self.a.get("forecast", {}).get(model) or {}).get(issue)
        return _num(v.get("value")) if isinstance(v, dict) else _num(v)

    def forecast(self) -> dict | None:
        fc = self.a.get("forecast")
        if not fc:
            return None
        models = [self.model] + sorted(m for m in fc if m != self.model)
        issues = [i for i in self.issues if any(i in (fc.get(m) or {}) for m in models)]
        rows = []
        for iss in issues:
            vals = [self._forecast_value(m, iss) for m in models]
            d = vals[0]
            rows.append({"issue": iss, "name": self.iname(iss), "vals": [fmt(v) for v in vals],
                         "default": self.at(iss, d) if d is not None else "—",
                         "colours": [colour(v) for v in vals]})
        acc = self.a.get("model_accuracy") or {}
        notes = self.a.get("models") if isinstance(self.a.get("models"), dict) else {}
        return {"models": models, "default": self.model, "rows": rows,
                "note": acc.get("text") if isinstance(acc, dict) and acc.get("text") else DEU_NOTE,
                "model_notes": [{"model": m, "note": notes[m]} for m in models if m in notes]}

    def montecarlo(self) -> dict | None:
        mc = self.a.get("montecarlo")
        if not mc:
            return None
        models = mc.get("models") if isinstance(mc.get("models"), dict) else None
        model = self.model if models and self.model in models else (next(iter(models)) if models else None)
        per_issue = models[model] if models else (_get(mc, "issues", "outcomes", "ranges") or
                                                  {k: v for k, v in mc.items() if k in self.issues})
        rows = []
        items = per_issue.items() if isinstance(per_issue, dict) else [(r.get("issue"), r) for r in per_issue]
        for iss, r in items:
            lo = _num(_get(r, "p5", "p05", "low", "q05"))
            med = _num(_get(r, "p50", "median", "q50"))
            hi = _num(_get(r, "p95", "high", "q95"))
            if lo is None and hi is None and med is None:
                continue
            rows.append({"issue": iss, "name": self.iname(iss), "low": lo, "median": med, "high": hi,
                         "low_t": fmt(lo), "median_t": fmt(med), "high_t": fmt(hi),
                         "label": scale_label(self.issues.get(iss), med)})
        order = {i: n for n, i in enumerate(self.issues)}
        rows.sort(key=lambda r: order.get(r["issue"], 999))
        pf = _num((mc.get("settlement") or {}).get("p_feasible"))
        return {"rows": rows, "draws": _get(mc, "draws", "n", "samples"), "model": model,
                "p_feasible": f"{round(pf * 100)}%" if pf is not None else None}

    def risks(self) -> dict | None:
        rs = self.a.get("risks")
        if not rs:
            return None
        rows = []
        for n, r in enumerate(rs, 1):
            f = r.get("forecast") if isinstance(r.get("forecast"), dict) else {}
            rows.append({"rank": n, "actor": self.name(r.get("actor")), "actor_id": r.get("actor"),
                         "issue": self.iname(r.get("issue")), "issue_id": r.get("issue"),
                         "parameter": r.get("parameter") or "position", "effect": _num(r.get("effect")) or 0.0,
                         "effect_t": fmt(_num(r.get("effect"))), "baseline": _num(r.get("baseline")),
                         "low": _num(f.get("low")), "high": _num(f.get("high")),
                         "refs": self.ev.refs(self.history_ids(r.get("actor"), r.get("issue"))[-3:]) if n <= 8 else []})
        return {"rows": rows}

    def volatility(self) -> dict | None:
        vol = self.a.get("volatility")
        if not vol:
            return None
        rows = [{"actor": v["actor"], "actor_name": self.name(v["actor"]), "issue": v["issue"],
                 "issue_name": self.iname(v["issue"]), "index": _num(v.get("index")) or 0.0,
                 "index_t": fmt(_num(v.get("index"))), "reversals": v.get("reversals"),
                 "evidence": list(v.get("evidence") or [])} for v in vol]
        rows.sort(key=lambda r: -r["index"])
        for r in rows[:5]:
            r["refs"] = self.ev.refs(self.history_ids(r["actor"], r["issue"], ("ideal",)))
        return {"rows": rows, "top": [r for r in rows[:5] if r["index"] > 0]}

    def references(self) -> list[dict]:
        out = []
        for s in self.case.sources:
            c = self.citer.cite(s.id)
            out.append({"key": c.key, "anchor": f"ref-{c.key}", "label": c.label, "full": c.full, "url": c.url,
                        "confidential": c.confidential})
        return out

    def build(self) -> Briefing:
        self.contradictions_raw = self._contradiction_items()
        answers = self.answers()
        self.matrix_cache = self.matrix()
        parties_detail = self.parties_detail()
        chronology = self.chronology()
        figures = self.figures()
        contradictions = self.contradictions()
        zopa, forecast, mc, risks, vol = self.zopa(), self.forecast(), self.montecarlo(), self.risks(), self.volatility()
        notes = [str(n) for n in self.a.get("notes") or []]
        if any(p.get("salience_assumed") for p in self.positions):
            notes.append("Some saliences are not in the case's salience table and were assumed to be 50 (marked *).")
        return Briefing(
            title=self.case.meta.title, as_of=self.as_of.isoformat(), audience=self.audience,
            description=self.case.meta.description, parties=[self.name(p) for p in self.parties[:2]],
            answers=answers, matrix=self.matrix_cache, parties_detail=parties_detail, chronology=chronology,
            figures=figures, contradictions=contradictions, zopa=zopa, forecast=forecast, montecarlo=mc,
            risks=risks, volatility=vol, references=self.references(), evidence=self.ev.entries(), notes=notes,
            generated=dt.date.today().isoformat(),
        )


def _zrange(z: dict) -> str | None:
    lo, hi = _num(_get(z, "low", "lo", "from")), _num(_get(z, "high", "hi", "to"))
    rng = z.get("range") or z.get("zone")
    if (lo is None or hi is None) and isinstance(rng, (list, tuple)) and len(rng) == 2:
        lo, hi = _num(rng[0]), _num(rng[1])
    return f"{fmt(lo)}–{fmt(hi)}" if lo is not None and hi is not None else None


def build_briefing(case: Case, analysis: dict | None, *, audience: str = "public",
                   default_model: str | None = None) -> Briefing:
    """The briefing's content for one audience, every claim tied to evidence ids."""
    return _Builder(case, analysis or {}, audience, default_model).build()
