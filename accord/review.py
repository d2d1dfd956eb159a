"""Review of extracted candidates: the operations shared by `accord review` and the web workspace.

A candidate is one item the extractor proposed (docs/design.md §4) with its document and
character span. Review turns it into evidence or throws it away:

* `accept`  — creates the record (statement → `Statement`, event → `Event`, figure → `Figure`,
  contradiction → `Contradiction` linking the records made from the items it contradicts) and
  marks the candidate accepted, in one transaction;
* `reject`  — marks it rejected (nothing reaches the evidence);
* `edit`    — changes proposed fields before accepting (validated: a bad value never lands);
* `merge_alias` — an unknown speaker/actor name becomes an alias of an existing actor, and the
  pending candidates that used the name now use the actor's id.

Every write takes the version the caller read (`expected_version`) and raises `StaleWrite` if
someone else changed the item since: two reviewers never silently overwrite each other. Every
write takes the reviewer's name, stored on the candidate, and is one store write
(`Store.write`): the change and its one audit row commit together. `on_change(before, after)`,
if given, is called once after the commit with the audit row's before and after (the web
workspace uses it to drop its caches).

Accepted records must keep the case folder valid (export → import round-trips), so accepting
requires actors, speakers and issues the case knows: names are resolved through ids, names and
aliases (case-insensitively); an ISO 3166 alpha-3 code the case lacks is added as a state
actor; anything else is refused with a message saying to edit or merge the alias first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection

from .case.models import (
    PLOVER_TYPES,
    Actor,
    ActorKind,
    Contradiction,
    Event,
    Figure,
    Statement,
    check_partial_date,
)
from .store import Candidate, Document, Refused, StaleWrite, Store, Tx

# A sentence ends at . ! ? … (and any closing quote or bracket) followed by space: a reviewer reads
# it, so no parser is needed to show it. A paragraph ends at a line break.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")


@dataclass(frozen=True)
class SpanBounds:
    """Where a candidate's span sits in its document: its paragraph and sentence (text offsets)."""

    paragraph_start: int
    sentence_start: int
    start: int
    end: int
    sentence_end: int
    paragraph_end: int


def span_bounds(text: str, start: int, end: int, reach: int | None = None) -> SpanBounds:
    """The sentence and paragraph around text[start:end], for the CLI screen and the web page alike.

    With `reach`, the paragraph is looked for only that many characters either side of the span, so
    a span in a 20 MB document costs what one in a short document does."""
    start, end = max(0, min(start, len(text))), max(0, min(max(start, end), len(text)))
    floor = 0 if reach is None else max(0, start - reach)
    p_lo = text.rfind("\n", floor, start) + 1 or floor
    ceiling = len(text) if reach is None else min(len(text), end + reach)
    p_hi = text.find("\n", end, ceiling)
    p_hi = p_hi if p_hi >= 0 else ceiling
    s_lo = max((m.end() for m in _SENTENCE_END.finditer(text, p_lo, start)), default=p_lo)
    nxt = _SENTENCE_END.search(text, end, p_hi)
    s_hi = nxt.start() + 1 if nxt else p_hi
    return SpanBounds(p_lo, s_lo, start, end, s_hi, p_hi)

OnChange = Callable[[Any, Any], None]  # the audit row's before and after (JSON)

# Fields a reviewer may set on a candidate, with the parser that validates each.
def _opt_str(v: Any) -> str | None:
    v = None if v is None else str(v).strip()
    return v or None


def _opt_float(lo: float | None = None, hi: float | None = None) -> Callable[[Any], float | None]:
    def parse(v: Any) -> float | None:
        if v is None or str(v).strip() in ("", "null", "none"):
            return None
        x = float(v)
        if (lo is not None and x < lo) or (hi is not None and x > hi):
            raise ValueError(f"{x} is outside {lo}–{hi}")
        return x
    return parse


def _opt_date(v: Any) -> str | None:
    v = _opt_str(v)
    return None if v is None else check_partial_date(v)


def _plover(v: Any) -> str | None:
    text = _opt_str(v)
    if text is None:
        return None
    text = text.upper()
    if text not in PLOVER_TYPES:
        raise ValueError(f"{text!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    return text


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("1", "true", "yes", "y"):
        return True
    if s in ("0", "false", "no", "n", ""):
        return False
    raise ValueError(f"{v!r} is not true/false")


def _role(v: Any) -> str | None:
    text = _opt_str(v)
    if text is not None and text not in ("ideal", "fallback", "claim"):
        raise ValueError("role is ideal, fallback or claim")
    return text


def _actor_list(v: Any) -> list[str]:
    if isinstance(v, list):
        return [str(x).strip() for x in v if str(x).strip()]
    return [x.strip() for x in str(v).split(";") if x.strip()]


EDITABLE: dict[str, Callable[[Any], Any]] = {
    "actor": _opt_str, "speaker": _opt_str, "reported_by": _opt_str, "issue": _opt_str,
    "event_type": _plover, "stance": _plover, "role": _role,
    "position": _opt_float(0, 100), "date": _opt_date, "confidence": _opt_float(0, 1),
    "red_line": _bool, "summary": _opt_str, "quote": _opt_str,
    "quantity": _opt_str, "value": _opt_float(), "unit": _opt_str, "note": _opt_str,
    "actors": _actor_list, "why": _opt_str,
}


class ReviewError(ValueError):
    """The candidate cannot be accepted as it stands; the message says what to edit or merge."""


@dataclass
class SpanContext:
    """The candidate's sentence in its document: text before, the span itself, text after."""
    before: str
    span: str
    after: str
    document_id: str
    source_id: str | None
    title: str | None
    path: str | None
    date: str | None


@dataclass
class AcceptResult:
    candidate: Candidate
    records: list[tuple[str, str]] = field(default_factory=list)  # (kind, id) created
    actors_added: list[str] = field(default_factory=list)


def record_id_for(candidate_id: str) -> str:
    """The id of the record an accepted candidate becomes (stable, so links can be resolved)."""
    return f"c-{candidate_id}"


# ------------------------------------------------------------------------------- reading
def list_candidates(store: Store, case_id: str, *, status: str | None = "pending",
                    limit: int | None = None, offset: int = 0) -> list[Candidate]:
    """Candidates of a case in queue order (document, then position in it); `status=None` for all."""
    return store.candidates(case_id, status=status, limit=limit, offset=offset)


def count_candidates(store: Store, case_id: str) -> dict[str, int]:
    """How many candidates per status."""
    return store.candidate_counts(case_id)


def get_candidate(store: Store, case_id: str, candidate_id: str) -> Candidate:
    return store.get_candidate(case_id, candidate_id)


def candidate_context(store: Store, candidate: Candidate, width: int = 240) -> SpanContext:
    """The text around the candidate's span (`width` characters each side, cut at whitespace)."""
    doc = store.document(candidate.case_id, candidate.document_id)
    if doc is None:
        return SpanContext("", "", "", candidate.document_id, None, None, None, None)
    text = doc.text
    start = max(0, min(candidate.start or 0, len(text)))
    end = max(start, min(candidate.end if candidate.end is not None else start, len(text)))
    lo, hi = max(0, start - width), min(len(text), end + width)
    if lo > 0 and " " in text[lo:start]:
        lo = text.index(" ", lo) + 1
    if hi < len(text) and " " in text[end:hi]:
        hi = text.rindex(" ", end, hi)
    return SpanContext(("…" if lo > 0 else "") + text[lo:start], text[start:end],
                       text[end:hi] + ("…" if hi < len(text) else ""), doc.id, doc.source_id,
                       doc.title, doc.path, doc.date)


# ------------------------------------------------------------------------------- resolving names
class _CaseIndex:
    """Actors (by id, name and alias, case-insensitively) and issue ids of a case."""

    def __init__(self, tx: Tx):
        self.actors: dict[str, Actor] = {a.id: a for a in tx.records("actor")}
        self.issues: set[str] = tx.ids("issue")
        self.names: dict[str, str] = {}
        for a in self.actors.values():
            for n in (a.id, a.name, *a.aliases):
                self.names.setdefault(_key(n), a.id)
        self.new_actors: list[Actor] = []

    def actor(self, name: str, field_name: str, *, allow_new_state: bool = True) -> str:
        """The actor id `name` resolves to; callers pass a non-empty name."""
        name = str(name)
        hit = self.names.get(_key(name))
        if hit:
            return hit
        if allow_new_state and re.fullmatch(r"[A-Z]{3}", name.strip()):
            import pycountry
            country = pycountry.countries.get(alpha_3=name.strip())
            if country is not None:
                a = Actor(id=country.alpha_3, name=getattr(country, "common_name", None) or country.name,
                          kind=ActorKind.state)
                self.actors[a.id] = a
                self.names[_key(a.id)] = a.id
                self.new_actors.append(a)
                return a.id
        raise ReviewError(f"{field_name} {name!r} is not an actor of this case: merge it into one "
                          f"(`--merge-alias {name!r} --into ACTOR_ID`) or edit the field")

    def issue(self, issue: str | None) -> str | None:
        if not issue:
            return None
        if issue in self.issues:
            return issue
        raise ReviewError(f"issue {issue!r} is not an issue of this case: edit the field "
                          f"(known: {', '.join(sorted(self.issues)) or 'none'})")


def _key(name: str) -> str:
    return " ".join(str(name).casefold().split())


# ------------------------------------------------------------------------------- materialising
def materialise(tx: Tx, index: _CaseIndex, cand: Candidate, doc: Document | None, *,
                reviewed: bool = True) -> list[tuple[str, Any]]:
    """The records (kind, model) that accepting `cand` creates; raises ReviewError if it cannot.

    `doc` is the candidate's document (its source, date and text). `reviewed=False` (an automatic
    accept) marks statements, events and figures as confirmed by no one (docs/design.md §6).
    """
    d = cand.data
    rid = record_id_for(cand.id)
    date = d.get("date") or (doc.date if doc is not None else None)
    source = doc.source_id if doc is not None else None
    if not date:
        raise ReviewError("no date: edit `date` (the document has none either)")
    if not source:
        raise ReviewError("the candidate's document has no source record")
    locator = f"chars {cand.start}-{cand.end}" if cand.start is not None and cand.end is not None else None
    # `quote` is only the speaker's own words (what the source puts in quotation marks): the sentence
    # around them is the source's text, so it can be the summary, never the quote.
    quote = d.get("quote")
    sentence = None
    if doc is not None and cand.start is not None and cand.end is not None:
        sentence = " ".join(doc.text[cand.start:cand.end].split())
    summary = d.get("summary") or (sentence[:300] if sentence else None) or (quote[:300] if quote else None)
    try:
        if cand.kind == "statement":
            actor_name, speaker_name = d.get("actor"), d.get("speaker")
            actor = index.actor(actor_name, "actor") if actor_name else None
            speaker = index.actor(speaker_name, "speaker", allow_new_state=False) if speaker_name else None
            # A person named as actor speaks for someone: the folder wants them in `speaker`.
            if actor and index.actors[actor].kind is ActorKind.person:
                speaker, actor = speaker or actor, index.actors[actor].speaks_for
            if not actor and speaker:
                actor = index.actors[speaker].speaks_for if index.actors[speaker].kind is ActorKind.person else speaker
            if not actor:
                raise ReviewError("no actor: edit `actor` (or `speaker`)")
            stance = d.get("stance") or d.get("event_type")
            if not stance:
                raise ReviewError("no stance: edit `event_type` (a PLOVER type)")
            issue = index.issue(d.get("issue"))
            position = d.get("position")
            role = d.get("role") or ("ideal" if position is not None and issue else "claim")
            reporter = d.get("reported_by")
            reported_by = index.actor(reporter, "reported_by", allow_new_state=False) if reporter else None
            # model_validate: the candidate's data is checked like a folder row (a bad value is refused).
            return [("statement", Statement.model_validate({
                "id": rid, "date": date, "actor": actor, "speaker": speaker, "reported_by": reported_by,
                "issue": issue, "stance": str(stance).upper(), "role": role, "position": position,
                "red_line": bool(d.get("red_line")), "source": source, "locator": locator, "quote": quote,
                "summary": summary or "(no text)",
                "confidence": d.get("confidence") if d.get("confidence") is not None else (cand.confidence or 1.0),
                "status": "accepted", "reviewed": reviewed}))]
        if cand.kind == "event":
            etype = d.get("event_type") or d.get("stance")
            if not etype:
                raise ReviewError("no event type: edit `event_type` (a PLOVER type)")
            names = list(d.get("actors") or []) or [n for n in (d.get("actor"),) if n]
            actors: list[str] = []
            for n in names:
                a = index.actor(n, "actor")
                principal = index.actors[a].speaks_for if index.actors[a].kind is ActorKind.person else a
                actors.append(principal or a)
            return [("event", Event.model_validate({
                "id": rid, "date": date, "type": str(etype).upper(), "actors": list(dict.fromkeys(actors)),
                "summary": summary or "(no text)", "source": source, "locator": locator, "reviewed": reviewed}))]
        if cand.kind == "figure":
            for f in ("quantity", "value", "unit"):
                if d.get(f) in (None, ""):
                    raise ReviewError(f"no {f}: edit `{f}`")
            return [("figure", Figure(id=rid, date=date, quantity=str(d["quantity"]), value=float(d["value"]),
                                      unit=str(d["unit"]), note=d.get("note") or summary, source=source,
                                      locator=locator, reviewed=reviewed))]
        if cand.kind == "contradiction":
            items = _contradiction_items(tx, cand)
            if len(items) < 2:
                raise ReviewError("a contradiction needs two accepted items: accept the statements it "
                                  "links first (or they overlap no accepted item)")
            return [("contradiction", Contradiction(id=rid, items=items,
                                                    why=d.get("why") or summary or "contradicting evidence"))]
    except ValidationError as exc:
        msgs = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'record'}: {e['msg']}" for e in exc.errors())
        raise ReviewError(f"the record would be invalid: {msgs}") from None
    raise ReviewError(f"unknown candidate kind {cand.kind!r}")


def _contradiction_items(tx: Tx, cand: Candidate) -> list[str]:
    """Record ids the contradiction links: its `items` (candidate ids) if given, else the accepted
    items of the same document whose spans overlap the contradicting span or `other_start..other_end`."""
    linked = cand.data.get("items") or []
    if linked:
        rows = tx.candidates(status="accepted", ids=[str(x) for x in linked], exclude_kind="contradiction")
        if len(rows) < len(linked):
            return []
    else:
        # The extractor points at the contradicting span and, for figures, at the other one.
        pairs = [(cand.start, cand.end), (_offset(cand.data.get("other_start")), _offset(cand.data.get("other_end")))]
        spans = [(a, b if b is not None else a) for a, b in pairs if a is not None]
        rows = [r for r in tx.candidates(status="accepted", document_id=cand.document_id, exclude_kind="contradiction")
                if r.start is not None and any(r.start < max(b, a + 1) and a < (r.end or r.start + 1)
                                               for a, b in spans)]
    return [record_id_for(r.id) for r in sorted(rows, key=lambda r: r.id)]


def _offset(value: Any) -> int | None:
    """A character offset from a candidate's data (anything else counts as absent)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _notify(on_change: OnChange | None, tx: Tx) -> None:
    if on_change is not None:
        on_change(*tx.written)


def _refused(exc: Refused) -> ReviewError:
    return ReviewError(f"the record would be invalid: {exc}")


# ------------------------------------------------------------------------------- operations
def accept(store: Store, case_id: str, candidate_id: str, *, reviewer: str, expected_version: int,
           on_change: OnChange | None = None, auto: bool = False, tx: Tx | None = None,
           beside: Connection | None = None) -> AcceptResult:
    """Accept a pending candidate: create its record(s) and mark it accepted, atomically.

    Raises `StaleWrite` if the candidate's version is not `expected_version`, `ReviewError`
    (a ValueError) if it cannot become a valid record (the message says what to edit or merge),
    `KeyError` if there is no such candidate. `auto=True` records the acceptance as automatic and
    its records as `reviewed=False`: no person confirmed them, so they are never shown as fact.
    `tx`: run inside that write (ingest accepts while it stores the document); `beside`: inside
    `Store.writes()`'s transaction, with an audit row of its own (`edit_and_accept`).
    """
    action = "review.auto_accept" if auto else "review.accept"
    with store.write(reviewer, action, case_id=case_id, record_id=candidate_id, within=tx, beside=beside) as w:
        cand = w.candidate(candidate_id)
        if cand.version != expected_version:
            raise StaleWrite(f"candidate {candidate_id!r} is at version {cand.version}, not {expected_version}; "
                             "reload and review it again")
        if cand.status == "accepted":
            raise ReviewError(f"candidate {candidate_id!r} is already accepted")
        index = _CaseIndex(w)
        records = materialise(w, index, cand, w.document(cand.document_id), reviewed=not auto)
        after = w.set_candidate(cand, expected_version, status="accepted", reviewer=reviewer, auto=auto)
        try:
            for actor in index.new_actors:
                w.add_record("actor", actor, origin="review")
            for kind, model in records:
                w.add_record(kind, model, origin="review")
        except Refused as exc:
            raise _refused(exc) from None
        w.describe(kind=cand.kind, before=cand.audit(), after=after.audit() | {
            "records": [{"kind": k, "id": m.id, "data": m} for k, m in records],
            "actors_added": [a.id for a in index.new_actors]})
    if tx is None:
        _notify(on_change, w)
    return AcceptResult(after, [(k, m.id) for k, m in records], [a.id for a in index.new_actors])


def edit_and_accept(store: Store, case_id: str, candidate_id: str, changes: dict[str, Any], *, reviewer: str,
                    expected_version: int) -> AcceptResult:
    """Accept a candidate with changed fields: the edit, then the accept, audited as two decisions
    (undo takes them back one at a time) in one transaction, so that an accept refused (the edited
    candidate would make no valid record) leaves the candidate as it was."""
    with store.writes() as conn:
        edited = edit(store, case_id, candidate_id, changes, reviewer=reviewer, expected_version=expected_version,
                      beside=conn)
        return accept(store, case_id, candidate_id, reviewer=reviewer, expected_version=edited.version,
                      beside=conn)


def reject(store: Store, case_id: str, candidate_id: str, *, reviewer: str, expected_version: int,
           on_change: OnChange | None = None) -> Candidate:
    """Reject a candidate: it never reaches the evidence. Raises `StaleWrite` on a version conflict.

    Rejecting an accepted candidate is refused (the record exists: edit or delete the record instead).
    """
    with store.write(reviewer, "review.reject", case_id=case_id, record_id=candidate_id) as w:
        cand = w.candidate(candidate_id)
        if cand.status == "accepted":
            raise ReviewError(f"candidate {candidate_id!r} is already accepted: change its record instead")
        after = w.set_candidate(cand, expected_version, status="rejected", reviewer=reviewer)
        w.describe(kind=cand.kind, before=cand.audit(), after=after.audit())
    _notify(on_change, w)
    return after


def edit(store: Store, case_id: str, candidate_id: str, changes: dict[str, Any], *, reviewer: str,
         expected_version: int, on_change: OnChange | None = None, beside: Connection | None = None) -> Candidate:
    """Change proposed fields of a pending (or rejected) candidate; it stays in its status.

    `changes` maps field names (see `EDITABLE`) to new values, strings accepted (`"position": "70"`);
    an empty string clears a field. Raises `ReviewError` on an unknown field or a bad value,
    `StaleWrite` on a version conflict.
    """
    parsed: dict[str, Any] = {}
    for name, raw in changes.items():
        if name not in EDITABLE:
            raise ReviewError(f"{name!r} cannot be edited (editable: {', '.join(sorted(EDITABLE))})")
        try:
            parsed[name] = EDITABLE[name](raw)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ReviewError(f"{name}: {exc}") from None
    with store.write(reviewer, "review.edit", case_id=case_id, record_id=candidate_id, beside=beside) as w:
        cand = w.candidate(candidate_id)
        if cand.status == "accepted":
            raise ReviewError(f"candidate {candidate_id!r} is already accepted: change its record instead")
        data = {**cand.data, **parsed}
        if "actor" in parsed and parsed["actor"] != cand.data.get("actor") and "extracted_actor" not in cand.data:
            # the holder the extractor proposed: the review model learns which holders it gets wrong
            data["extracted_actor"] = cand.data.get("actor")
        try:
            after = w.set_candidate(cand, expected_version, status=cand.status, reviewer=reviewer,
                                    data=data)
        except Refused as exc:
            raise ReviewError(str(exc)) from None
        w.describe(kind=cand.kind, before=cand.audit(), after=after.audit())
    _notify(on_change, w)
    return after


def merge_alias(store: Store, case_id: str, name: str, actor_id: str, *, reviewer: str,
                expected_version: int | None = None, on_change: OnChange | None = None) -> tuple[Actor, list[str]]:
    """Make `name` an alias of actor `actor_id`, and point pending candidates that use it at the actor.

    `expected_version` is the actor record's version as the caller read it (None: whatever is
    current, for scripts). Returns the updated actor and the ids of the candidates rewritten.
    Raises `KeyError` for an unknown actor, `StaleWrite` on a version conflict.
    """
    name = " ".join(name.split())
    if not name:
        raise ReviewError("an empty name cannot be an alias")
    with store.write(reviewer, "review.merge_alias", case_id=case_id, kind="actor", record_id=actor_id) as w:
        found = w.record("actor", actor_id)
        if found is None:
            raise KeyError(f"no actor {actor_id!r} in case {case_id!r}")
        actor, current = found
        before = actor
        version = current if expected_version is None else expected_version
        index = _CaseIndex(w)
        owner = index.names.get(_key(name))
        if owner and owner != actor_id:
            raise ReviewError(f"{name!r} already names actor {owner!r}")
        if owner is None:
            updated = actor.model_copy(update={"aliases": [*actor.aliases, name]})
            try:
                w.update_record("actor", updated, version)
            except Refused as exc:
                raise ReviewError(str(exc)) from None
            actor = updated
        elif expected_version is not None and current != expected_version:
            raise StaleWrite(f"actor {actor_id!r} was changed by someone else; reload and merge again")
        rewritten = []
        for cand in w.candidates(status="pending"):
            data = dict(cand.data)
            hit = False
            for f in ("actor", "speaker", "reported_by"):
                if data.get(f) and _key(data[f]) == _key(name):
                    data[f], hit = actor_id, True
            if isinstance(data.get("actors"), list):
                new = [actor_id if _key(a) == _key(name) else a for a in data["actors"]]
                hit = hit or new != data["actors"]
                data["actors"] = new
            if hit:
                w.set_candidate(cand, cand.version, status=cand.status, reviewer=reviewer, data=data)
                rewritten.append(cand.id)
        w.describe(before=before, after=actor.model_dump(mode="json") | {"alias": name, "candidates": rewritten})
    _notify(on_change, w)
    return actor, rewritten


def auto_accept(store: Store, case_id: str, min_confidence: float, *, reviewer: str,
                on_change: OnChange | None = None) -> tuple[list[AcceptResult], list[tuple[str, str]]]:
    """Accept every pending candidate with confidence ≥ `min_confidence`, recorded as automatic.

    Returns the acceptances and the (candidate id, reason) pairs left pending because they cannot
    become valid records as they stand. Statements go before contradictions so links resolve.
    """
    rows = sorted(store.candidates(case_id, status="pending", min_confidence=min_confidence),
                  key=lambda r: (r.kind == "contradiction", r.id))
    done, left = [], []
    for r in rows:
        try:
            done.append(accept(store, case_id, r.id, reviewer=reviewer, expected_version=r.version,
                               on_change=on_change, auto=True))
        except (ReviewError, StaleWrite) as exc:
            left.append((r.id, str(exc)))
    return done, left
