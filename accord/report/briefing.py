"""Turn a case and its analysis into the briefing's content: answers, matrix, sections, evidence.

Nothing here is written for one case: every sentence is a template filled from the `Analysis`
(accord.analysis.contracts) and the case, and every sentence and matrix cell carries the ids of the evidence it
rests on. The HTML and Markdown templates render the same `Briefing`, so the two say the same thing.

Sections the analysis did not compute are `None` and render as "not computed": the briefing must
still come out when, say, the Monte Carlo run was skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..analysis.contracts import Analysis, ConcessionStep, Settlement, Zopa
from ..case.models import Case, Issue, date_ceiling, date_floor
from ..ledger import TrackRecord
from ..positions import Position, derive_positions, parse_as_of, statements_as_of
from .citations import Citer

PERCENT_UNITS = ("percent", "%", "per cent")


# The four questions every briefing answers, in generic words; case.yaml's `questions` replace them.
DEFAULT_QUESTIONS = ["Do the talks have prospects?", "Who wants what?",
                     "Who would concede what, and would it be enough for an agreement?",
                     "What is the biggest risk to the negotiations?"]

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


# Paired quotation marks: typographic double, guillemets, German low-high, ASCII double; single quotes
# only where they open at a word's start and close before a non-letter (so "Russia's" is no quote).
_QUOTED = re.compile(r'“([^”]+)”|«([^»]+)»|„([^“”]+)[“”]|"([^"]+)"'
                     r"|(?:(?<=^)|(?<=[\s(\[—–-]))[‘']([^‘’']+?)[’'](?![A-Za-z])")


# A wire dateline ("KYIV, Sept 3 (Reuters) -", "KYIV (Reuters) -", "MOSCOW, 3 September —"): a reporter's text.
_DATELINE = re.compile(r"^[A-ZÀ-ÖØ-ÞА-Я]{3,}[A-ZÀ-ÖØ-ÞА-Я .'-]{0,37}(?:,[^()\n]{0,40}?)?\s*(?:\([^)\n]{1,40}\))?\s*[-—–]\s")
_SENTENCE_END = re.compile(r"[.!?…][\"”’»]?\s+(?=[\"“‘«A-ZА-ЯІЇЄ0-9])")


def quoted_words(text: str | None, limit: int = 240) -> str | None:
    """A statement's `quote`, the speaker's own words verbatim (docs/case-format.md), to show in quotation marks.

    Case authors type the words without quotation marks. A `quote` that itself holds quotation marks
    is a source's sentence around the words (as older extractors stored it): only the words inside
    them are the speaker's, and with none worth quoting (a scare-quoted word) there is no quote.
    Defensive: text that starts with a wire dateline or runs past two sentences is a reporter's, not
    the speaker's: refused (None) and shown as a paraphrase.
    """
    if not text:
        return None
    found = list(_QUOTED.finditer(text))
    if found:
        parts = [" ".join(next(g for g in m.groups() if g).split()) for m in found]
        words = " … ".join(p.strip(" ,") for p in parts if len(p.split()) >= 2 or len(p) > 12)
    else:
        words = " ".join(text.split())
        if _DATELINE.match(words) or len(_SENTENCE_END.findall(words)) >= 2:
            return None
    if not words:
        return None
    return words if len(words) <= limit else words[:limit].rsplit(" ", 1)[0] + "…"


UNREVIEWED = "extracted, not yet reviewed"


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


# Names whose head noun takes "the" in running text ("the United States", "the European Union").
_ARTICLE_HEADS = {"kingdom", "union", "nations", "states", "emirates", "netherlands", "philippines", "republic",
                  "commission", "council", "coalition", "alliance", "organization", "organisation", "federation",
                  "bank", "fund", "court", "secretariat", "assembly", "parliament"}


def _head(name: str) -> str:
    """The head noun of a name: "European allies (EU, UK…)" → "allies"; "Coalition of the Willing" → "Coalition"."""
    core = re.sub(r"\s*\(.*?\)", "", name).strip()
    core = re.split(r"\s+(?:of|for|on)\s+", core, maxsplit=1)[0]
    words = core.split()
    return words[-1] if words else ""


def _takes_article(name: str) -> bool:
    if not name or name.lower().startswith("the "):
        return False
    return name.startswith("United ") or _head(name).lower() in _ARTICLE_HEADS


def _plural_name(name: str, kind: str | None) -> bool:
    """Blocs named by a plural common noun ("European allies", "Gulf states") take a plural verb;
    states and proper names that merely end in -s ("United States", "United Nations") do not."""
    if kind in ("state", "person") or name.startswith("United "):
        return False
    head = _head(name)
    return head.lower().endswith("s") and not head.lower().endswith(("ss", "us", "is")) and len(head) > 3


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def _date_text(date: str) -> str:
    """"2025-06" → "June 2025", "2025-08-15" → "15 August 2025", "2025" → "2025"."""
    parts = str(date).split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        return f"{int(parts[2])} {month}" if len(parts) == 3 and parts[2].isdigit() else month
    return str(date)


def _when(date: str) -> str:
    """"2025-06" → "in June 2025", "2025-08-15" → "on 15 August 2025", "2025" → "in 2025"."""
    text = _date_text(date)
    return f"on {text}" if text[:1].isdigit() and " " in text else f"in {text}"


def _grade(source) -> tuple[int, int]:
    """A source's admiralty grade as a sort key: (reliability A=0 … F=5, credibility 1 … 6); unknown sorts last."""
    if source is None:
        return (6, 7)
    rel = str(getattr(source, "reliability", "F") or "F").upper()
    return ("ABCDEF".index(rel) if rel in "ABCDEF" else 6, int(getattr(source, "credibility", 6) or 6))


def quantity_label(quantity: str) -> str:
    """A figure's quantity id as a heading: "occupied_share" → "Occupied share" (the case names its quantities)."""
    words = quantity.replace("_", " ").replace("-", " ").strip()
    return cap(words) if words else quantity


def _number(n: int) -> str:
    """Counts in running text: "one more issue", "7 more issues"."""
    return "one" if n == 1 else str(n)


def cap(text: str) -> str:
    """Capitalise the first letter of a sentence that starts with a name ("the United States …")."""
    return text[:1].upper() + text[1:]


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
                 "locator": it.locator, "quote": None, "paraphrase": None, "who": None,
                 "unreviewed": not it.reviewed}
            if kind == "statement":
                e["summary"] = it.summary
                e["quote"] = quoted_words(it.quote)
                e["paraphrase"] = None if e["quote"] else first_sentence(it.quote)
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
    figures: list[dict]
    contradictions: list[dict]
    zopa: dict | None
    forecast: dict | None
    montecarlo: dict | None
    risks: dict | None
    volatility: dict | None
    references: list[dict]
    evidence: list[dict]
    notes: list[str] = field(default_factory=list)
    # Questions case.yaml asks beyond the four the analysis answers: listed, not answered.
    other_questions: list[str] = field(default_factory=list)
    charts: dict = field(default_factory=dict)
    generated: str = ""
    track_record: dict | None = None  # from the forecast ledger, when the briefing is given one
    trades: dict | None = None  # "who trades what": the exchange model's first round; None: not computed


class _Builder:
    def __init__(self, case: Case, analysis: Analysis | None, audience: str, default_model: str | None,
                 as_of: str | dt.date | None = None, track: TrackRecord | None = None):
        self.case = case
        self.track = track
        self.unreviewed_ids = {x.id for x in (*case.statements, *case.events, *case.figures) if not x.reviewed}
        self.a = analysis
        self.citer = Citer(case, audience)
        self.audience = audience
        self.ev = EvidenceIndex(case, self.citer)
        self.as_of = analysis.as_of if analysis is not None else parse_as_of(as_of, case)
        self.issues = {i.id: i for i in case.issues}
        self.names = {a.id: a.name for a in case.actors}
        # Without an analysis the matrix still comes from the case itself.
        self.positions = analysis.positions if analysis is not None else derive_positions(case, self.as_of)
        self.pos = {(p.actor, p.issue): p for p in self.positions}
        self.statements = statements_as_of(case, self.as_of)
        # What the analysis computed; None or empty where it did not (rendered as "not computed").
        self.settlement = analysis.settlement if analysis is not None else None
        self.zopa_all = analysis.zopa if analysis is not None else None
        self.forecasts = analysis.forecast if analysis is not None else {}
        self.mc = analysis.montecarlo if analysis is not None else None
        self.risk_list = analysis.risks if analysis is not None else []
        self.vol_list = analysis.volatility if analysis is not None else []
        self.parties = self._parties()
        forecasts = self.forecasts
        self.model = (default_model if default_model in forecasts else None) \
            or (analysis.default_model if analysis is not None and analysis.default_model in forecasts else None) \
            or ("compromise" if "compromise" in forecasts else next(iter(forecasts), None))

    # -- inputs
    def _parties(self) -> list[str]:
        parties = list((self.settlement.parties if self.settlement else None) or self.case.meta.parties)
        if len(parties) < 2:  # no stated parties: the two most capable actors holding positions
            holders = sorted({p.actor for p in self.positions},
                             key=lambda x: -(self._capability(x) or 0))
            parties = (parties + [h for h in holders if h not in parties])[:2]
        return parties

    def _capability(self, actor: str) -> float | None:
        return next((a.capability for a in self.case.actors if a.id == actor), None)

    # -- naming
    def name(self, actor: str) -> str:
        """The actor's name as in a table heading ("United States")."""
        return self.names.get(actor, actor)

    def ref(self, actor: str) -> str:
        """The actor's name as in running text, with the article it takes ("the United States")."""
        n = self.name(actor)
        return f"the {n}" if _takes_article(n) else n

    def poss(self, actor: str) -> str:
        n = self.ref(actor)
        return n + ("’" if n.endswith("s") else "’s")

    def plural(self, actor: str) -> bool:
        a = next((x for x in self.case.actors if x.id == actor), None)
        kind = getattr(getattr(a, "kind", None), "value", getattr(a, "kind", None))
        return _plural_name(self.name(actor), kind)

    def agree(self, actor: str, singular: str, plural: str) -> str:
        """The word that agrees with the actor: agree(EUR, "wants", "want") for "European allies want"."""
        return plural if self.plural(actor) else singular

    def iname(self, issue: str) -> str:
        i = self.issues.get(issue)
        return i.name if i else issue

    def lab(self, issue: str, value: float | None) -> str:
        """"50 (freeze on the current line of contact)" — a value with its label, for lists of positions."""
        label = scale_label(self.issues.get(issue), value)
        return f"{fmt(value)} ({label})" if label else fmt(value)

    def _label_only(self, issue: str, value: float | None) -> str:
        return scale_label(self.issues.get(issue), value) or fmt(value)

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
        evidence = self.pos_ids(actor, issue)
        used = [i for i in evidence if i in ids]
        return used or ids[-1:] or evidence

    def pos_ids(self, actor: str, issue: str) -> list[str]:
        p = self.pos.get((actor, issue))
        return list(p.evidence) if p else []

    def S(self, text: str, ids) -> Sentence:
        return Sentence(text, self.ev.refs(ids))

    # ------------------------------------------------------------ the four answers
    def answers(self) -> list[Answer]:
        # The case's own key questions, in case.yaml's order (prospects, wants, concessions, risk); generic
        # wording where the case asks fewer than four.
        qs = list(self.case.meta.questions[:4]) + DEFAULT_QUESTIONS[len(self.case.meta.questions[:4]):]
        out = [self.answer_prospects(qs[0]), self.answer_wants(qs[1]),
               self.answer_concessions(qs[2]), self.answer_risk(qs[3])]
        for a in out:  # an answer resting on evidence no person confirmed says so, citing it
            cited = {r.id for s in a.sentences for r in s.refs}
            unconfirmed = sorted(i for i in cited if i in self.unreviewed_ids)
            if unconfirmed:
                a.sentences.append(self.S(f"Part of this rests on evidence {UNREVIEWED}: the extractor placed it "
                                          "and no reviewer has confirmed it yet.", unconfirmed))
        return out

    def _zopa_rows(self) -> list[dict]:
        rows = []
        for z in self.zopa_all or []:
            if set(z.between) != set(self.parties[:2]):
                continue
            rows.append(z)
        return rows

    def answer_prospects(self, q: str) -> Answer:
        A, B = self.parties[:2]
        settlement = self.settlement
        zrows = self._zopa_rows()
        out: list[Sentence] = []
        if settlement is None and not zrows:
            return Answer("prospects", q, "Not computed",
                          [Sentence("The settlement analysis was not computed for this briefing.", [])])
        feasible = settlement.feasible if settlement else None
        no_zopa = [z for z in zrows if not z.exists]
        stated = [z for z in no_zopa if self._both_stated(z)]
        assumed = [z for z in no_zopa if not self._both_stated(z)]
        all_ids = [i for z in zrows for x in (A, B) for i in self.fallback_ids(x, z.issue)]
        ids_of = lambda zs: [i for z in zs for x in (A, B) for i in self.fallback_ids(x, z.issue)]
        if feasible:
            verdict = "Yes — a package both parties accept exists"
            out.append(self.S(f"A package exists that both {self.poss(A)} and {self.poss(B)} stated fallbacks "
                              f"accept on every issue on which both take a position ({len(zrows)} issues).", all_ids))
        else:
            if feasible is False and stated:
                verdict = "Poor — even the fallbacks both parties have stated do not meet"
            elif feasible is False and assumed:
                verdict = "Unclear — the gaps are between stated ideals, not stated fallbacks"
            elif feasible is False:
                verdict = "Poor — no package satisfies both parties' fallbacks"
            else:
                verdict = f"Uncertain — fallbacks do not overlap on {len(no_zopa)} of {len(zrows)} issues"
            if len(stated) == 1:
                pass  # said with the headline gap below
            elif stated:
                both = [z for z in zrows if self._both_stated(z)]
                where = (f"on {self._list(z.issue for z in stated)}, the only issue on which both have stated "
                         f"what they would accept," if len(both) == 1 else
                         f"on {len(stated)} of the {len(both)} issues on which both have stated what they would "
                         f"accept ({self._list(z.issue for z in stated)}),")
                out.append(self.S(f"No package satisfies both parties: {where} {self.poss(A)} and {self.poss(B)} "
                                  f"fallbacks do not meet.", ids_of(stated)))
            if assumed:
                who = self._unstated_who(assumed)
                n = len(assumed)
                lead = (f"On {_number(n)} {'more ' if stated else ''}issue{'s' if n != 1 else ''} on "
                        f"which both take a position ({self._list(z.issue for z in assumed)}) {who} said what "
                        f"{self._unstated_pronoun(assumed)} would concede: taking a stated ideal as the limit, which is an assumption rather "
                        f"than evidence, the two do not meet there either." if stated else
                        "Where both have stated fallbacks they overlap; "
                        + (f"the {n} issues that block a package ({self._list(z.issue for z in assumed)}) are those "
                           if n != 1 else
                           f"the one issue that blocks a package ({self._list(z.issue for z in assumed)}) is one ")
                        + f"where {who} said what "
                        f"{self._unstated_pronoun(assumed)} would concede, and a stated ideal is taken as the limit: an assumption, not evidence.")
                out.append(self.S(lead, ids_of(assumed)))
            elif not stated and feasible is False:
                out.append(self.S("No package satisfies both parties' stated fallbacks on all issues at once, "
                                  "although each issue taken alone has a zone of agreement.", all_ids))
        # The headline gap is on the issue that matters most to both parties among those where both
        # stated a fallback (a gap against "no concession stated" says less); the widest gap follows.
        headline = max(no_zopa, key=lambda z: (self._both_stated(z), self._joint_salience(z.issue),
                                               z.gap or 0), default=None)
        if headline:
            iss = headline.issue
            fa, fb = (self.at(iss, self._fallback_value(x, iss)) for x in (A, B))
            most = max(zrows, key=lambda z: self._joint_salience(z.issue)).issue
            both = self._both_stated(headline)
            why = ("the issue that matters most to both" if most == iss else
                   "of the issues on which both have stated a fallback, the one that matters most to them" if both
                   else "of the issues on which they are apart, the one that matters most to both")
            limits = (f"{self.poss(A)} fallback ({fa}) and {self.poss(B)} ({fb})" if both else
                      f"{self._limit_phrase(A, iss, headline)} and {self._limit_phrase(B, iss, headline)}")
            text = f"On {self.iname(iss)}, {why}, {limits} are {fmt(headline.gap)} points apart."
            if len(stated) == 1 and headline is stated[0] and not feasible:
                only = "the only issue on which both have stated what they would accept"
                text = (f"No package satisfies both parties: on {self.iname(iss)}, {only}"
                        f"{' and the one that matters most to both' if most == iss else ''}, {self.poss(A)} fallback "
                        f"({fa}) and {self.poss(B)} ({fb}) are {fmt(headline.gap)} points apart.")
                out.insert(0, self.S(text, self.fallback_ids(A, iss) + self.fallback_ids(B, iss)))
            else:
                out.append(self.S(text, self.fallback_ids(A, iss) + self.fallback_ids(B, iss)))
        top_gap = max((z.gap or 0 for z in no_zopa), default=0)
        widest = [z for z in no_zopa if (z.gap or 0) >= top_gap - 1e-9 and z is not headline]
        if widest and headline and top_gap > (headline.gap or 0):
            gap = fmt(top_gap)
            unstated = not any(self._both_stated(z) for z in widest)
            if len(widest) == 1:
                iss = widest[0].issue
                neither = unstated and self._unstated_who(widest) == "neither side has"
                what, why = (("their ideals", ", as neither has stated a fallback") if neither else
                             ("their limits", ", one of them assumed: no fallback stated") if unstated else
                             ("their limits", ""))
                out.append(self.S(f"The widest gap is on {self.iname(iss)}: {gap} points between {what} "
                                  f"({self.at(iss, self._fallback_value(A, iss))}; "
                                  f"{self.at(iss, self._fallback_value(B, iss))}){why}.", ids_of(widest)))
            else:
                ends = all(self._spans_scale(z) for z in widest)
                where = "lie at opposite ends of the scale, " if ends else "are "
                out.append(self.S(f"On {len(widest)} issues ({self._list(z.issue for z in widest)}) the two sides' "
                                  f"{'ideals' if unstated and self._unstated_who(widest) == 'neither side has' else 'limits'} "
                                  f"{where}{gap} points apart"
                                  + (f", and {self._unstated_who(widest)} stated a fallback."
                                     if unstated and not assumed else "."),
                                  ids_of(widest)))
        stale = [self.pos[(x, z.issue)] for z in no_zopa for x in (A, B)
                 if (x, z.issue) in self.pos and self.pos[(x, z.issue)].stale]
        if stale:
            listed = "; ".join(f"{self.poss(p.actor)} on {self.iname(p.issue)} ({_date_text(p.evidence_date)})"
                               for p in stale)
            out.append(self.S(f"Some of these positions rest on old evidence, more than "
                              f"{self.case.meta.stale_after_days} days before {_date_text(self.as_of.isoformat())}: "
                              f"{listed}. The analysis weighs them down and widens their uncertainty; newer "
                              f"evidence may show the parties elsewhere.", [i for p in stale for i in p.evidence]))
        if self.model and headline:
            iss = headline.issue
            v = self._forecast_value(self.model, iss)
            if v is not None:
                out.append(self.S(f"The {self.model} model, weighing every actor's capability and salience, "
                                  f"forecasts {self.iname(iss)} at {self.at(iss, v)}.",
                                  [i for p in self.positions if p.issue == iss for i in p.evidence]))
        pf = self.mc.settlement.p_feasible if self.mc and self.mc.settlement else None
        if pf is not None:
            uncertain = [p for p in self.positions if p.actor in (A, B) and (
                (p.ideal_range and p.ideal_range[1] - p.ideal_range[0] >= 0.5)
                or (p.fallback_range and p.fallback_range[1] - p.fallback_range[0] >= 0.5))]
            ids = [i for p in uncertain for i in p.evidence] or all_ids
            out.append(self.S(f"Drawing the uncertain positions, capabilities and saliences {self.mc.draws} "
                              f"times, both parties' limits overlap on every issue in {round(pf * 100)}% of the draws.",
                              ids))
        return Answer("prospects", q, verdict, out)

    def _list(self, issues) -> str:
        return ", ".join(self.iname(i) for i in issues)

    def _unstated_who(self, zs: list[dict]) -> str:
        """Who has not stated a fallback on these issues: "neither side has", "Russia has not", "at least one side has not"."""
        A, B = self.parties[:2]
        missing = {x for z in zs for x in (A, B) if not self._stated(z, x)}
        every = all(not self._stated(z, x) for z in zs for x in (A, B))
        if every:
            return "neither side has"
        if len(missing) == 1:
            (x,) = missing
            return f"{self.ref(x)} {self.agree(x, 'has', 'have')} not"
        return "at least one side has not"

    def _unstated_pronoun(self, zs: list[dict]) -> str:
        who = self._unstated_who(zs)
        if who == "at least one side has not":
            return "it"
        A, B = self.parties[:2]
        missing = [x for x in (A, B) if any(not self._stated(z, x) for z in zs)]
        return "they" if len(missing) == 1 and who != "neither side has" and self.plural(missing[0]) else "it"

    def _spans_scale(self, z: Zopa) -> bool:
        issue = self.issues.get(z.issue)
        if issue is None or not issue.scale:
            return abs((z.gap or 0) - 100) < 0.5
        return abs((z.gap or 0) - (max(issue.scale) - min(issue.scale))) < 0.5

    def _stated(self, z: Zopa, actor: str) -> bool:
        """Did `actor` state its limit on this ZOPA's issue (a fallback, or a red line at the limit used)?"""
        step = next((st for st in self._steps() if st.issue == z.issue and actor in st.fallback_stated), None)
        if step is not None:
            return step.fallback_stated[actor]
        return z.fallback_stated[actor]

    def _steps(self) -> list[ConcessionStep]:
        """The steps of the least concession to a feasible package, largest first."""
        mc = self.settlement.min_concession if self.settlement else None
        return sorted(mc.steps, key=lambda st: -st.points) if mc else []

    def _both_stated(self, z: Zopa) -> bool:
        return all(self._stated(z, x) for x in self.parties[:2])

    def _joint_salience(self, issue: str) -> float:
        return sum(self.pos[(x, issue)].salience for x in self.parties[:2] if (x, issue) in self.pos)

    def _limit_phrase(self, actor: str, issue: str, z: Zopa) -> str:
        """"Ukraine’s fallback (50: freeze …)" or, with none stated, "Russia’s ideal (70: …; no fallback stated)"."""
        if self._stated(z, actor):
            return f"{self.poss(actor)} fallback ({self.at(issue, self._fallback_value(actor, issue))})"
        return f"{self.poss(actor)} ideal ({self.at(issue, self._fallback_value(actor, issue))}; no fallback stated)"

    def _fallback_value(self, actor: str, issue: str) -> float | None:
        p = self.pos.get((actor, issue))
        if p is None:
            return None
        return p.fallback if p.fallback is not None else p.ideal

    def _salient(self, actor: str, n: int) -> list[Position]:
        ps = [p for p in self.positions if p.actor == actor]
        return sorted(ps, key=lambda p: (-p.salience, p.issue))[:n]

    def answer_wants(self, q: str) -> Answer:
        out = []
        holders = {p.actor for p in self.positions}
        others = sorted((a for a in holders if a not in self.parties),
                        key=lambda a: (-(self._capability(a) or 0), a))[:3]
        for actor, n in [(p, 3) for p in self.parties if p in holders] + [(o, 2) for o in others]:
            top = self._salient(actor, n)
            wants = "; ".join(f"{self.iname(p.issue)} at {self.at(p.issue, p.ideal)}"
                              + (f" (stale: evidence from {_date_text(p.evidence_date)})" if p.stale else "")
                              + (f" ({UNREVIEWED})" if p.unreviewed else "") for p in top)
            more = len([p for p in self.positions if p.actor == actor]) - len(top)
            tail = f" (and {more} more issue{'s' if more != 1 else ''} in the matrix)" if more > 0 else ""
            out.append(self.S(f"{cap(self.ref(actor))} {self.agree(actor, 'wants', 'want')}, on the issues that matter "
                              f"most to {self.agree(actor, 'it', 'them')}: {wants}{tail}.",
                              [i for p in top for i in self.history_ids(actor, p.issue, ("ideal",))[-2:]]
                              or [i for p in top for i in p.evidence]))
        if not out:
            return Answer("wants", q, "No positions", [Sentence("No actor has a stated position as of this date.", [])])
        A, B = self.parties[:2]
        shared = [i for i in self.issues if (A, i) in self.pos and (B, i) in self.pos]
        verdict = (f"{cap(self.ref(A))} and {self.ref(B)} both take positions on {len(shared)} issue"
                   f"{'s' if len(shared) != 1 else ''}")
        return Answer("wants", q, verdict, out)

    def answer_concessions(self, q: str) -> Answer:
        out = []
        settlement = self.settlement
        for actor in self.parties[:2]:
            moves = []
            for p in self.positions:
                if p.actor != actor or p.fallback is None:
                    continue
                ideal, fb = p.ideal, p.fallback
                if abs(ideal - fb) >= 0.5:
                    moves.append((p.issue, ideal, fb))
            shifts = self._ideal_shifts(actor)
            shift_text = "; ".join(f"on {self.iname(i)} from {self.lab(i, old.position)} {_when(old.date)} to "
                                   f"{self.lab(i, new)} {_when(new_date)}" for i, old, new, new_date, _ in shifts)
            shift_ids = [x for *_, ids in shifts for x in ids]
            if moves:
                said = "; ".join(f"on {self.iname(i)} from {fmt(a)} to {self.at(i, b)}" for i, a, b in moves)
                out.append(self.S(f"{cap(self.ref(actor))} would move {said}"
                                  + (f"; {self.agree(actor, 'it has', 'they have')} also softened "
                                     f"{self.agree(actor, 'its', 'their')} demand {shift_text}." if shifts else "."),
                                  [x for i, _, _ in moves for x in self.fallback_ids(actor, i)] + shift_ids))
            elif shifts:
                out.append(self.S(f"{cap(self.ref(actor))} {self.agree(actor, 'has', 'have')} stated no fallback short "
                                  f"of {self.agree(actor, 'its', 'their')} current demands, but "
                                  f"{self.agree(actor, 'has', 'have')} softened a demand: {shift_text}.", shift_ids))
            else:
                red = [s.id for s in self.statements if self.case.principal(s.actor) == actor and s.red_line]
                its = self.agree(actor, "its", "their")
                out.append(self.S(f"{cap(self.ref(actor))} {self.agree(actor, 'has', 'have')} stated no concession: "
                                  f"none of {its} fallbacks differs from {its} ideal"
                                  + (f", and {self.agree(actor, 'it has', 'they have')} drawn {len(red)} red "
                                     f"line{'s' if len(red) > 1 else ''}." if red else "."),
                                  red or [i for p in self.positions if p.actor == actor for i in p.evidence][:4]))
        if settlement is None:
            return Answer("concessions", q, "Settlement not computed", out)
        A, B = self.parties[:2]
        if settlement.feasible:
            verdict = "Enough: the stated concessions make a package feasible"
            pkg, what = self._package(settlement)
            listed = "; ".join(f"{self.iname(i)} {fmt(v)}" for i, v in (pkg or {}).items())
            out.append(self.S("These concessions are enough: a package within both parties' fallbacks exists"
                              + (f" (the {what}: {listed})." if listed else "."),
                              [x for i in (pkg or self.issues) for p in (A, B) for x in self.fallback_ids(p, i)]))
            return Answer("concessions", q, verdict, out)
        verdict = "Not enough for an agreement"
        steps = self._steps()
        zby = {z.issue: z for z in self._zopa_rows()}
        if steps:
            stated = [st for st in steps if self._step_stated(st)]
            assumed = [st for st in steps if not self._step_stated(st)]
            if stated:
                out.append(self._stated_gap_sentence(stated, zby))
            else:
                both = [z for z in zby.values() if self._both_stated(z)]
                out.append(self.S("These concessions are not enough, although they are not what blocks a deal: "
                                  + ("where both parties have stated what they would accept, their fallbacks meet."
                                     if both else "the two parties have not both stated a fallback on any issue."),
                                  [x for z in both for p in (A, B) for x in self.fallback_ids(p, z.issue)]))
            if assumed:
                out.extend(self._assumed_gap_sentences(assumed, zby, after_stated=bool(stated)))
        else:
            out.append(self.S("These concessions are not enough: no package lies within both parties' fallbacks.",
                              [x for p in self.positions if p.actor in (A, B)
                               for x in self.fallback_ids(p.actor, p.issue)][:6]))
        pkg = settlement.package
        if pkg is not None:
            shared = settlement.issues or [p.issue for p in self.positions if p.actor == A
                                                  and (B, p.issue) in self.pos]
            ids = [x for i in shared for p in (A, B) for x in self.fallback_ids(p, i)][:8]
            caveat = "taking an ideal as the limit where no fallback is stated, " \
                if any(not self._both_stated(z) for z in zby.values()) else ""
            if pkg.feasible:
                nash, _ = self._package(settlement)
                listed = "; ".join(f"{self.iname(i)} {fmt(v)}" for i, v in (nash or {}).items())
                out.append(self.S(f"Trading across issues could still work: {caveat}some package gives both at least the "
                                  f"value of their own limits" + (f" (Nash bargaining solution: {listed})." if listed else "."), ids))
            else:
                out.append(self.S(f"Trading across issues does not rescue it: {caveat}no package gives both parties the "
                                  f"value of their own limits (shortfall {fmt(pkg.shortfall)} in "
                                  f"salience-weighted utility).", ids))
        return Answer("concessions", q, verdict, out)

    @staticmethod
    def _step_stated(st: ConcessionStep) -> bool:
        return all(st.fallback_stated.values())

    def _stated_gap_sentence(self, stated: list[ConcessionStep], zby: dict[str, Zopa]) -> Sentence:
        """What the stated fallbacks show: how far apart they are and who would have to move."""
        A, B = self.parties[:2]
        total = sum(st.points for st in stated)
        issues = list(dict.fromkeys(st.issue for st in stated))
        ids = [x for i in issues for p in (A, B) for x in self.fallback_ids(p, i)]
        if len(issues) == 1:
            iss = issues[0]
            movers = [st for st in stated if st.issue == iss]
            fa, fb = (self.lab(iss, self._fallback_value(x, iss)) for x in (A, B))
            gap = fmt((zby[iss].gap if iss in zby else None) or total)
            if len(movers) == 1:
                st = movers[0]
                x = st.actor
                move = (f"closing it would take {self.ref(x)}, for which the issue matters less, {fmt(st.points)} "
                        f"points, to {self.lab(iss, st.to)}{self._red_line_note(st)}")
            else:
                move = "the two care about it equally, so each would have to move half of it"
            return self.S(f"These concessions are not enough. Where both sides have stated what they would accept, on "
                          f"{self.iname(iss)}, {self.ref(A)} would accept {fa}, {self.ref(B)} {fb}: {gap} points "
                          f"apart; {move}.", ids)
        by_actor: dict[str, float] = {}
        for st in stated:
            by_actor[st.actor] = by_actor.get(st.actor, 0.0) + st.points
        who = max(by_actor, key=by_actor.get)
        listed = "; ".join(f"{self.ref(st.actor)} {fmt(st.points)} on {self.iname(st.issue)} (to "
                           f"{self.at(st.issue, st.to)}{self._red_line_note(st)})" for st in stated[:4])
        more = f"; and {len(stated) - 4} smaller step{'s' if len(stated) > 5 else ''}" if len(stated) > 4 else ""
        return self.S(f"These concessions are not enough. On the {len(issues)} issues where both sides have stated what "
                      f"they would accept, their fallbacks are {fmt(total)} points apart, most of it "
                      f"({fmt(by_actor[who])}) to be closed by {self.ref(who)}, each gap by the side that cares less "
                      f"about the issue: {listed}{more}.", ids)

    def _assumed_gap_sentences(self, assumed: list[ConcessionStep], zby: dict[str, Zopa],
                               after_stated: bool) -> list[Sentence]:
        """How far apart the parties are where a limit is only assumed, marked as the assumption it is."""
        A, B = self.parties[:2]
        issues = list(dict.fromkeys(st.issue for st in assumed))
        zs = [zby[i] for i in issues if i in zby]
        gaps = {i: ((zby[i].gap if i in zby else None) or sum(st.points for st in assumed if st.issue == i))
                for i in issues}
        total = sum(gaps.values())
        order = sorted(issues, key=lambda i: (-gaps[i], -self._joint_salience(i)))
        who = self._unstated_who(zs) if zs else "at least one side has not"
        pron = self._unstated_pronoun(zs) if zs else "it"
        shown = order[:4]
        listed = "; ".join(f"{self.iname(i)} {fmt(gaps[i])} ({self._label_only(i, self._fallback_value(A, i))} vs "
                           f"{self._label_only(i, self._fallback_value(B, i))})" for i in shown)
        more = f"; and {len(order) - len(shown)} more" if len(order) > len(shown) else ""
        ids = [x for i in shown for p in (A, B) for x in self.fallback_ids(p, i)]
        n = len(issues)
        out = [self.S(f"{'Beyond that, on' if after_stated else 'On'} {'the ' if after_stated else ''}{_number(n)} "
                      f"{'other ' if after_stated else ''}issue{'s' if n != 1 else ''} that "
                      f"{'block' if n != 1 else 'blocks'} a deal {who} said "
                      f"what {pron} would concede. Assuming, for want of evidence, that each side would accept "
                      f"nothing short of its stated ideal, they are a further {fmt(total)} points apart: {listed}{more}.",
                      ids)]
        crossing = [st for st in assumed if st.crosses_red_line and st.red_line is not None]
        if crossing:
            listed = "; ".join(f"{self.ref(st.actor)} on {self.iname(st.issue)} (red line at "
                               f"{self.at(st.issue, st.red_line)})" for st in crossing)
            ids = [s.id for st in crossing for s in self.statements if s.red_line and s.issue == st.issue
                   and self.case.principal(s.actor) == st.actor]
            out.append(self.S(f"Closing those gaps at least cost would take a party past a red line it has stated: "
                              f"{listed}.", ids))
        return out

    def _red_line_note(self, st: ConcessionStep) -> str:
        if st.crosses_red_line and st.red_line is not None:
            return f", past {self.agree(st.actor, 'its', 'their')} stated red line at {fmt(st.red_line)}"
        return ""

    def _ideal_shifts(self, actor: str, months: int = 12):
        """Demands the actor has softened towards the other party within `months` of the as-of date, on issues both
        parties take positions on: [(issue, earlier statement, current ideal, its date, evidence ids)]."""
        other = next((x for x in self.parties[:2] if x != actor), None)
        out = []
        for p in self.positions:
            iss = p.issue
            if p.actor != actor or other is None or (other, iss) not in self.pos:
                continue
            now, target = p.ideal, self.pos[(other, iss)].ideal
            used = set(p.evidence)
            hist = [s for s in self.statements if self.case.principal(s.actor) == actor and s.issue == iss
                    and s.role == "ideal" and s.position is not None]
            current = [s for s in hist if s.id in used]
            if not current or now is None or target is None:
                continue
            since = date_floor(min(s.date for s in current))
            earlier = [s for s in hist if s.id not in used and date_floor(s.date) < since
                       and (since - date_floor(s.date)).days <= months * 31]
            if not earlier:
                continue
            old = earlier[-1]
            if abs(old.position - target) > abs(now - target) + 0.5:  # moved towards the other party
                out.append((iss, old, now, max(s.date for s in current), [old.id] + [s.id for s in current]))
        return out

    @staticmethod
    def _package(settlement: Settlement) -> tuple[dict[str, float] | None, str]:
        """The package to show, and what it is: the Nash bargaining solution, else the closest one."""
        pkg = settlement.package
        if pkg is None:
            return None, ""
        if pkg.nash is not None:
            return pkg.nash.package, "Nash bargaining solution"
        if pkg.closest is not None:
            return pkg.closest.package, "closest package"
        return None, ""

    def answer_risk(self, q: str) -> Answer:
        risks, vol = self.risk_list, self.vol_list
        out = []
        if not risks and not vol:
            return Answer("risk", q, "Not computed", [Sentence("The risk analysis was not computed for this briefing.", [])])
        verdict = "Not computed"
        if risks:
            r = risks[0]
            actor, iss = r.actor, r.issue
            param = r.parameter
            effect = r.effect
            verdict = cap(f"{self.poss(actor)} {param} on {self.iname(iss)}")
            model = f"the {r.model} forecast"  # the model the tornado ran, whichever the briefing leads with
            span = f" (from {fmt(r.forecast.low)} to {fmt(r.forecast.high)})"
            out.append(self.S(f"The biggest risk is {self.poss(actor)} {param} on {self.iname(iss)}: across its "
                              f"plausible range it moves {model} of {self.iname(iss)} by {fmt(effect)} points{span}, "
                              f"more than any other single input.", self.history_ids(actor, iss)))
            if len(risks) > 1:
                r2 = risks[1]
                out.append(self.S(f"Next comes {self.poss(r2.actor)} {r2.parameter} on "
                                  f"{self.iname(r2.issue)} ({fmt(r2.effect)} points).",
                                  self.history_ids(r2.actor, r2.issue)))
        if vol:
            top = max(vol, key=lambda v: v.index)
            if top.index > 0:
                actor, iss = top.actor, top.issue
                out.append(self.S(f"The most erratic position is {self.poss(actor)} on {self.iname(iss)} (volatility "
                                  f"index {fmt(top.index)}): its stated position has reversed most often and "
                                  f"furthest.", self.history_ids(actor, iss, ("ideal",))))
                if verdict == "Not computed":
                    verdict = cap(f"{self.poss(actor)} shifting position on {self.iname(iss)}")
        return Answer("risk", q, verdict, out)

    # ------------------------------------------------------------ sections
    def matrix(self) -> dict:
        holders = {p.actor for p in self.positions}
        actors = [p for p in self.parties if p in holders] + sorted(
            (a for a in holders if a not in self.parties), key=lambda a: (-(self._capability(a) or 0), a))
        issues = [i for i in self.issues if any((a, i) in self.pos for a in actors)]
        issues += sorted({p.issue for p in self.positions} - set(issues))
        rows = []
        for iss in issues:
            cells = []
            for a in actors:
                p = self.pos.get((a, iss))
                if not p:
                    cells.append(None)
                    continue
                ideal, fb = p.ideal, p.fallback
                rng = p.ideal_range
                cells.append({
                    "actor": a, "ideal": fmt(ideal), "label": scale_label(self.issues.get(iss), ideal),
                    "fallback": fmt(fb) if fb is not None and abs(fb - ideal) >= 0.5 else None,
                    "fallback_label": scale_label(self.issues.get(iss), fb) if fb is not None else None,
                    "range": f"{fmt(rng[0])}–{fmt(rng[1])}" if rng and abs(rng[1] - rng[0]) >= 0.5 else None,
                    "colour": colour(ideal), "salience": fmt(p.salience),
                    "salience_assumed": p.salience_assumed,
                    "stale": _date_text(p.evidence_date) if p.stale else None,
                    "unreviewed": p.unreviewed > 0,
                    "refs": self.ev.refs(p.evidence),
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
            for p in sorted((p for p in self.positions if p.actor == a),
                            key=lambda p: -p.salience):
                iss = p.issue
                hist = [s for s in self.statements if self.case.principal(s.actor) == a and s.issue == iss]
                reds = [s for s in hist if s.red_line]
                # Words the source puts in quotation marks come first: the evidence behind the position, then
                # any statement on the issue; failing both, the latest text, shown as a paraphrase.
                quoted = next((s for s in reversed(hist) if quoted_words(s.quote) and s.id in p.evidence), None) \
                    or next((s for s in reversed(hist) if quoted_words(s.quote)), None)
                reported = None if quoted else (
                    next((s for s in reversed(hist) if s.quote and s.id in p.evidence), None)
                    or next((s for s in hist if s.id == p.as_of_statement), None))
                said = quoted or reported
                fb = p.fallback
                rows.append({
                    "issue": iss, "name": self.iname(iss),
                    "ideal": self.at(iss, p.ideal),
                    "stale": _date_text(p.evidence_date) if p.stale else None,
                    "fallback": self.at(iss, fb) if fb is not None else None,
                    "red_lines": self._red_lines(iss, reds),
                    "quote": quoted_words(quoted.quote) if quoted else None,
                    "paraphrase": first_sentence(reported.quote or reported.summary) if reported else None,
                    "unreviewed": p.unreviewed > 0,
                    "quote_by": (self.ev.case_name(said.speaker) if said and said.speaker else None),
                    "quote_cite": self.citer.cite(said.source).label if said else None,
                    "refs": self.ev.refs(p.evidence),
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
                 "summary": e.summary, "citation": self.citer.cite(e.source).label, "refs": self.ev.refs([e.id]),
                 "unreviewed": not e.reviewed}
                for e in sorted(evs, key=lambda e: (date_floor(e.date), e.id))]

    def _contradiction_items(self) -> list[dict]:
        # The case's own list: the analysis expands the same records, read from the same case.
        return [{"id": c.id, "ids": list(c.items), "why": c.why} for c in self.case.contradictions]

    def contradictions(self) -> list[dict]:
        out = []
        for c in self.contradictions_raw:
            out.append({**c, "refs": self.ev.refs(c["ids"])})
        return out

    def figures(self) -> list[dict]:
        """Every accepted figure known by the as-of date, one group per quantity and unit, oldest first.

        Within a group the chart's line runs through one figure a date (`on_line`): the one from the more
        reliable source (admiralty grade, reliability then credibility); ties go to the later source, then
        the more precise date. A group is charted where its figures have at least two dates.
        """
        contra: dict[str, list[str]] = {}
        in_contra: dict[str, list[str]] = {}
        for c in self.contradictions_raw:
            for i in c["ids"]:
                contra.setdefault(i, []).extend(x for x in c["ids"] if x != i)
                if c["id"]:
                    in_contra.setdefault(i, []).append(c["id"])
        sources = {x.id: x for x in self.case.sources}
        groups: dict[tuple[str, str], list] = {}
        for f in sorted(self.case.figures, key=lambda f: (date_floor(f.date), f.id)):
            if date_ceiling(f.date) <= self.as_of:
                groups.setdefault((f.quantity, f.unit), []).append(f)
        out = []
        for (quantity, unit), figs in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            percent = unit.lower() in PERCENT_UNITS
            rows = [{"id": f.id, "date": f.date, "value": f.value, "value_text": fmt(f.value) + ("%" if percent else ""),
                     "unit": unit, "note": f.note, "citation": self.citer.cite(f.source).label,
                     "grade": _grade(sources.get(f.source)),
                     "contradicts": contra.get(f.id, []), "contradictions": in_contra.get(f.id, []),
                     "unreviewed": not f.reviewed,
                     "refs": self.ev.refs([f.id])} for f in figs]
            by_date: dict[str, list[tuple]] = {}
            for r, f in zip(rows, figs):
                src = sources.get(f.source)
                src_date = date_floor(src.date) if src is not None and getattr(src, "date", None) else dt.date.min
                by_date.setdefault(f.date, []).append((r["grade"], -src_date.toordinal(), -len(str(f.date)), f.id, r))
            for cands in by_date.values():
                best = min(cands, key=lambda c: c[:4])[4]
                for *_, r in cands:
                    r["on_line"] = r is best
            out.append({"quantity": quantity, "label": quantity_label(quantity), "unit": unit,
                        "unit_label": "%" if percent else unit, "rows": rows,
                        "chart": f"figures-{len(out) + 1}" if len(by_date) >= 2 else None})
        return out

    def zopa(self) -> dict | None:
        settlement = self.settlement
        if settlement is None and self.zopa_all is None:
            return None
        mc_zopa = self.mc.zopa if self.mc else {}
        rows = []
        for z in self.zopa_all or []:
            iss = z.issue
            between = z.between
            p_exists = mc_zopa[iss].p_exists if iss in mc_zopa else None
            rows.append({
                "issue": iss, "name": self.iname(iss), "between": [self.name(x) for x in between],
                "fallbacks": [self.at(iss, self._fallback_value(x, iss))
                              + ("" if z.fallback_stated[x] else " (no fallback stated)")
                              for x in between],
                "exists": z.exists, "gap": fmt(z.gap),
                "range": _zrange(z), "p_exists": f"{round(p_exists * 100)}%" if p_exists is not None else None,
                "refs": self.ev.refs([i for x in between for i in self.fallback_ids(x, iss)]),
            })
        out = {"rows": rows, "feasible": None, "parties": [self.name(x) for x in self.parties[:2]],
               "steps": [], "total": None, "package": None, "package_kind": "", "p_feasible": None,
               "any_p_exists": any(r["p_exists"] for r in rows)}
        if settlement is not None:
            out["feasible"] = settlement.feasible
            steps = self._steps()
            out["steps"] = [{"actor": self.name(st.actor), "issue": self.iname(st.issue),
                             "points": fmt(st.points), "to": self.at(st.issue, st.to),
                             "basis": "stated" if self._step_stated(st) else "assumed",
                             "red_line": self.at(st.issue, st.red_line)
                             if st.crosses_red_line and st.red_line is not None else None}
                            for st in steps]
            out["total"] = fmt(sum(st.points for st in steps)) if steps else None
            for basis in ("stated", "assumed"):
                out[f"total_{basis}"] = fmt(sum(st.points for st, d in zip(steps, out["steps"])
                                                if d["basis"] == basis))
            out["steps"].sort(key=lambda d: d["basis"] != "stated")  # what the stated fallbacks show comes first
            pkg, what = self._package(settlement)
            if pkg:
                out["package"] = [{"issue": self.iname(i), "value": self.at(i, v)} for i, v in pkg.items()]
                out["package_kind"] = what
        pf = self.mc.settlement.p_feasible if self.mc and self.mc.settlement else None
        out["p_feasible"] = f"{round(pf * 100)}%" if pf is not None else None
        return out

    def _forecast_value(self, model: str, issue: str) -> float | None:
        return self.forecasts.get(model, {}).get(issue)

    def forecast(self) -> dict | None:
        fc = self.forecasts
        if not fc or self.a is None:
            return None
        models = [self.model] + sorted(m for m in fc if m != self.model)
        issues = [i for i in self.issues if any(i in (fc.get(m) or {}) for m in models)]
        rows = []
        not_forecast = self.a.not_forecast
        for iss in issues:
            vals = [self._forecast_value(m, iss) for m in models]
            d = vals[0]
            rows.append({"issue": iss, "name": self.iname(iss), "vals": [fmt(v) for v in vals],
                         "default": self.at(iss, d) if d is not None else
                         "not forecast (see below)" if iss in not_forecast else "—",
                         "colours": [colour(v) for v in vals]})
        notes = self.a.models
        return {"models": models, "default": self.model, "rows": rows, "note": self.a.model_accuracy.text,
                "not_forecast": [{"name": self.iname(i), "why": why} for i, why in not_forecast.items()],
                "model_notes": [{"model": m, "note": notes[m]} for m in models if m in notes]}

    TOP_TRADES = 8
    EXCHANGE_NOTE = ("Stokman's exchange model (Stokman and Van Oosten 1994): two actors on opposite sides of the "
                     "expected outcome on two issues each give ground on the issue it cares less about, in return "
                     "for ground on the one it cares more about, for an equal gain to both.")

    def trades(self) -> dict | None:
        """The most valuable exchanges of the exchange model's first round, as sentences from case data."""
        if self.a is None:
            return None
        held = {p.issue for p in self.positions} - set(self.a.not_forecast)
        rows = []
        for t in sorted(self.a.trades, key=lambda t: -t.gain)[:self.TOP_TRADES]:
            a, b = t.sides
            rows.append({
                "text": cap(f"{self.ref(a.actor)} would move on {self.iname(a.moves_on)} from "
                            f"{self.lab(a.moves_on, a.start)} to {self.lab(a.moves_on, a.to)}; in return "
                            f"{self.ref(b.actor)} would move on {self.iname(b.moves_on)} from "
                            f"{self.lab(b.moves_on, b.start)} to {self.lab(b.moves_on, b.to)}."),
                "gain": f"{t.gain:.2f}"})
        if rows:
            none = None
        elif len(held) < 2:
            none = "No exchange is possible: trading needs at least two issues on which actors hold positions."
        else:
            none = ("No exchange is possible: no two actors stand on opposite sides of the expected outcome "
                    "on two issues.")
        return {"rows": rows, "total": len(self.a.trades), "note": self.EXCHANGE_NOTE, "none": none}

    def montecarlo(self) -> dict | None:
        mc = self.mc
        if mc is None:
            return None
        model = self.model if self.model in mc.models else next(iter(mc.models), None)
        rows = []
        for iss, band in (mc.models[model] if model else {}).items():
            rows.append({"issue": iss, "name": self.iname(iss), "low": band.p5, "median": band.p50, "high": band.p95,
                         "low_t": fmt(band.p5), "median_t": fmt(band.p50), "high_t": fmt(band.p95),
                         "label": scale_label(self.issues.get(iss), band.p50)})
        order = {i: n for n, i in enumerate(self.issues)}
        rows.sort(key=lambda r: order.get(r["issue"], 999))
        pf = mc.settlement.p_feasible if mc.settlement else None
        return {"rows": rows, "draws": mc.draws, "model": model,
                "p_feasible": f"{round(pf * 100)}%" if pf is not None else None}

    def risks(self) -> dict | None:
        rs = self.risk_list
        if not rs:
            return None
        rows = []
        for n, r in enumerate(rs, 1):
            rows.append({"rank": n, "actor": self.name(r.actor), "actor_id": r.actor,
                         "issue": self.iname(r.issue), "issue_id": r.issue,
                         "parameter": r.parameter, "effect": r.effect,
                         "effect_t": fmt(r.effect), "baseline": r.baseline,
                         "low": r.forecast.low, "high": r.forecast.high,
                         "refs": self.ev.refs(self.history_ids(r.actor, r.issue)[-3:]) if n <= 8 else []})
        return {"rows": rows}

    def volatility(self) -> dict | None:
        vol = self.vol_list
        if not vol:
            return None
        rows = [{"actor": v.actor, "actor_name": self.name(v.actor), "issue": v.issue,
                 "issue_name": self.iname(v.issue), "index": v.index,
                 "index_t": fmt(v.index), "reversals": v.reversals,
                 "evidence": list(v.evidence)} for v in vol]
        rows.sort(key=lambda r: -r["index"])
        for r in rows[:5]:
            r["refs"] = self.ev.refs(self.history_ids(r["actor"], r["issue"], ("ideal",)))
        return {"rows": rows, "top": [r for r in rows[:5] if r["index"] > 0]}

    def track_record(self) -> dict | None:
        """Each model's scored forecasts on this case (a table), and its record elsewhere (a sentence)."""
        tr = self.track
        if tr is None:
            return None
        rows = [{"model": s.model, "source": "accord" if s.source == "accord" else "published", "scored": s.scored,
                 "mae": f"{s.mae:.2f}" if s.mae is not None else "—",
                 "brier": f"{s.brier:.3f} ({s.brier_scored})" if s.brier is not None else "—"} for s in tr.case]
        elsewhere = "; ".join(
            f"{s.model}{'' if s.source == 'accord' else ' (published forecasts)'}: "
            + ", ".join(x for x in (f"MAE {s.mae:.2f} over {s.scored}" if s.mae is not None else "",
                                    f"Brier {s.brier:.3f} over {s.brier_scored}" if s.brier is not None else "") if x)
            + f" ({', '.join(s.cases)})" for s in tr.elsewhere)
        if rows:
            text = f"The models' record elsewhere: {elsewhere}." if elsewhere else ""
        elif elsewhere:
            text = f"No outcome recorded yet for this case; models' track record elsewhere: {elsewhere}."
        else:
            text = "No outcome recorded yet for this case, and no model has a scored forecast in the ledger yet."
        return {"rows": rows, "text": text}

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
        notes = list(self.a.notes) if self.a is not None else []
        if any(p.salience_assumed for p in self.positions):
            notes.append("Some saliences are not in the case's salience table and were assumed to be 50 (marked *).")
        return Briefing(
            title=self.case.meta.title, as_of=self.as_of.isoformat(), audience=self.audience,
            description=self.case.meta.description, parties=[self.name(p) for p in self.parties[:2]],
            other_questions=list(self.case.meta.questions[len(DEFAULT_QUESTIONS):]),
            answers=answers, matrix=self.matrix_cache, parties_detail=parties_detail, chronology=chronology,
            figures=figures, contradictions=contradictions, zopa=zopa, forecast=forecast, montecarlo=mc,
            risks=risks, volatility=vol, references=self.references(), evidence=self.ev.entries(), notes=notes,
            generated=dt.date.today().isoformat(), track_record=self.track_record(), trades=self.trades(),
        )


def _zrange(z: Zopa) -> str | None:
    return f"{fmt(z.zone[0])}–{fmt(z.zone[1])}" if z.zone else None


def build_briefing(case: Case, analysis: Analysis | None, *, audience: str = "public",
                   default_model: str | None = None, as_of: str | dt.date | None = None,
                   track_record: TrackRecord | None = None) -> Briefing:
    """The briefing's content for one audience, every claim tied to evidence ids.

    Without an analysis (`None`) the matrix, positions and chronology still come from the case as of
    `as_of`; the analysed sections say they were not computed. With a `track_record` (accord.ledger)
    it has a "Track record" section: each model's scores on this case and elsewhere.
    """
    return _Builder(case, analysis, audience, default_model, as_of, track_record).build()


def answers_of(case: Case, analysis: Analysis | None, *, audience: str = "public",
               as_of: str | dt.date | None = None) -> list[Answer]:
    """Only the key answers (accord.report.answers shares them with the web)."""
    return _Builder(case, analysis, audience, None, as_of).answers()
