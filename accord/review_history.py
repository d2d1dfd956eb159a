"""Taking review decisions back, and changing what review accepted: undo, revert, edit-record.

Built on the store's writes (`Store.write`), so each is one transaction with one audit row that
keeps the before and after:

* `undo_last` — the reviewer's last accept, reject or edit in a case, found in the audit log
  (which already holds the candidate as it was): an accept loses its records and the candidate is
  pending again, a reject is pending again, an edit gets its old fields back. Audited as
  `review.undo` naming the audit row it undid, so the next undo goes one step further back.
* `revert` — an accepted candidate's records leave the evidence and it is pending again
  (`review.revert`); the records are kept in the audit row.
* `edit_record` — change fields of an accepted record, validated by its model; the store audits
  it as `<kind>.edit` with the record before and after.

Nothing is taken back if someone changed the item since (`StaleWrite`), or if another record now
cites a record it would delete (`ReviewError`, naming it): the audit log never describes a
state the store does not hold.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, update

from .review import ReviewError, record_id_for
from .store import Candidate, Refused, StaleWrite, Store, Tx, schema
from .store.audit import AuditEntry
from .store.checks import references
from .store.kinds import KIND_MODELS

UNDOABLE = ("review.accept", "review.auto_accept", "review.reject", "review.edit")
_SCAN = 200  # audit rows read per page while looking for the last undoable one


@dataclass
class Undone:
    """What an undo did: the audit row it undid, the candidate, and the records it deleted."""
    audit_id: int
    action: str
    candidate: Candidate
    records: list[str]


# ------------------------------------------------------------------------------- undo
def last_undoable(store: Store, case_id: str, reviewer: str, *, scan: int = 5000) -> AuditEntry | None:
    """The reviewer's newest accept / reject / edit in the case that no undo has taken back yet."""
    return _last_undoable(store, case_id, reviewer, scan)[0]


def _last_undoable(store: Store, case_id: str, reviewer: str, scan: int) -> tuple[AuditEntry | None, list[AuditEntry]]:
    """`last_undoable`, and the reviewer's newer rows on the same candidate (newest first): its
    later decisions, each taken back already, and those undos."""
    undone: set[int] = set()
    newer: list[AuditEntry] = []
    for offset in range(0, scan, _SCAN):
        rows, total = store.audit.entries(case_id=case_id, limit=_SCAN, offset=offset)
        for e in rows:
            if e.username != reviewer:
                continue
            if e.action == "review.undo" and isinstance(e.after, dict):
                undone.add(int(e.after.get("undid", -1)))
            elif e.action in UNDOABLE and e.id not in undone and isinstance(e.after, dict):
                return e, [r for r in newer if r.record_id == e.record_id]
            newer.append(e)
        if offset + _SCAN >= total:
            break
    return None, []


def _version_left(entry: AuditEntry, newer: list[AuditEntry]) -> int | None:
    """The candidate's version now if nobody changed it since `entry`: the version `entry` left,
    carried through the reviewer's later decisions on it and the undos that took them back (an
    edit then an accept of the same candidate, both undone, leave it as the edit did, at a newer
    version). None if one of those rows did not start from the version the one before left (some
    other write came between) or is not a decision or an undo (a revert)."""
    version = entry.after.get("version") if isinstance(entry.after, dict) else None
    for r in reversed(newer):  # oldest first
        if (r.action not in (*UNDOABLE, "review.undo") or not isinstance(r.before, dict)
                or not isinstance(r.after, dict) or r.before.get("version") != version):
            return None
        version = r.after.get("version")
    return version


def undo_last(store: Store, case_id: str, *, reviewer: str) -> Undone:
    """Undo the reviewer's last review decision in this case (see the module docstring).

    Raises `LookupError` when there is nothing to undo, `StaleWrite` if the candidate changed since
    that decision, `ReviewError` if a record it made is cited by another one now."""
    entry, newer = _last_undoable(store, case_id, reviewer, 5000)
    if entry is None:
        raise LookupError("nothing of yours to undo in this case")
    expected = _version_left(entry, newer)
    before, after = entry.before or {}, entry.after
    with store.write(reviewer, "review.undo", case_id=case_id, kind=entry.kind, record_id=entry.record_id) as w:
        cand = w.candidate(str(entry.record_id))
        if expected is None or cand.version != expected:
            raise StaleWrite(f"candidate {cand.id!r} was changed since your {entry.action.split('.')[1]} "
                             f"(version {cand.version}, not {expected if expected is not None else after.get('version')}); "
                             "nothing undone")
        deleted: list[dict[str, Any]] = []
        if cand.status == "accepted":
            for r in after.get("records", []):
                found = w.record(r["kind"], r["id"])
                if found is not None and found[1] != 1:  # an accept writes version 1
                    raise StaleWrite(f"{r['kind']} {r['id']!r} was edited since your accept; nothing undone "
                                     "(--revert takes it out of the evidence all the same)")
            deleted = _delete_records(w, [(r["kind"], r["id"]) for r in after.get("records", [])],
                                      optional=[("actor", a) for a in after.get("actors_added", [])])
        restored = _set(w, cand, status=str(before.get("status") or "pending"), reviewer=reviewer,
                        data=dict(before.get("data") or cand.data), clear_auto=entry.action == "review.auto_accept")
        w.describe(before=cand.audit() | {"records": deleted},
                   after=restored.audit() | {"undid": entry.id, "undid_action": entry.action})
    return Undone(entry.id, entry.action, restored, [f"{r['kind']}:{r['id']}" for r in deleted])


# ------------------------------------------------------------------------------- revert
def accepted_candidate(store: Store, case_id: str, record_or_candidate_id: str) -> Candidate:
    """The accepted candidate behind a record id (`c-<candidate>`) or a candidate id."""
    key = record_or_candidate_id.strip()
    for cid in ([key[2:]] if key.startswith("c-") else []) + [key]:
        try:
            cand = store.get_candidate(case_id, cid)
        except KeyError:
            continue
        if cand.status == "accepted":
            return cand
        raise ReviewError(f"candidate {cand.id!r} is {cand.status}, not accepted: there is nothing to revert")
    raise ReviewError(f"{key!r} is not a record accepted in review (records from the case folder are "
                      "changed there, or with --edit-record)")


def revert(store: Store, case_id: str, record_or_candidate_id: str, *, reviewer: str,
           expected_version: int | None = None) -> Undone:
    """Take an accepted candidate's records out of the evidence; the candidate is pending again.

    `expected_version`: the candidate's version as the caller read it (None: as it is now)."""
    cand = accepted_candidate(store, case_id, record_or_candidate_id)
    version = cand.version if expected_version is None else expected_version
    with store.write(reviewer, "review.revert", case_id=case_id, kind=cand.kind, record_id=cand.id) as w:
        cand = w.candidate(cand.id)
        if cand.version != version or cand.status != "accepted":
            raise StaleWrite(f"candidate {cand.id!r} was changed by someone else; reload and revert again")
        accepted = _last_accept(store, case_id, cand.id)
        made = [(r["kind"], r["id"]) for r in accepted.get("records", [])] or [(cand.kind, record_id_for(cand.id))]
        deleted = _delete_records(w, made, optional=[("actor", a) for a in accepted.get("actors_added", [])])
        after = _set(w, cand, status="pending", reviewer=reviewer, data=cand.data, clear_auto=True)
        w.describe(before=cand.audit() | {"records": deleted}, after=after.audit())
    return Undone(0, "review.revert", after, [f"{r['kind']}:{r['id']}" for r in deleted])


def _last_accept(store: Store, case_id: str, candidate_id: str) -> dict[str, Any]:
    """The after of the audit row that accepted this candidate (it lists the records made)."""
    for action in ("review.accept", "review.auto_accept"):
        offset, total = 0, 1
        while offset < total:
            rows, total = store.audit.entries(case_id=case_id, action=action, limit=_SCAN, offset=offset)
            for e in rows:
                if e.record_id == candidate_id and isinstance(e.after, dict):
                    return e.after
            offset += _SCAN
    return {}


# ------------------------------------------------------------------------------- edit a record
def edit_record(store: Store, case_id: str, kind: str, record_id: str, changes: dict[str, str], *,
                reviewer: str, expected_version: int | None = None) -> tuple[Any, Any, int]:
    """Change fields of a record (`"position": "70"`; "" clears; lists split on ";").

    Returns (before, after, new version). The store validates and audits it (`<kind>.edit`)."""
    model = KIND_MODELS.get(kind)
    if model is None:
        raise ReviewError(f"{kind!r} is not a record kind ({', '.join(KIND_MODELS)})")
    try:
        item, version = store.get_record(case_id, kind, record_id)
    except KeyError:
        raise ReviewError(f"no {kind} {record_id!r} in this case") from None
    data = item.model_dump(mode="json")
    for name, raw in changes.items():
        info = model.model_fields.get(name)
        if info is None or name == "id":
            editable = ", ".join(f for f in model.model_fields if f != "id")
            raise ReviewError(f"{kind} has no editable field {name!r} (fields: {editable})")
        data[name] = _field_value(info.annotation, raw)
    if "reviewed" in model.model_fields and "reviewed" not in changes:
        data["reviewed"] = True  # a person has now looked at it (an auto-accepted record is confirmed)
    try:
        new = model.model_validate(data)
    except ValidationError as exc:
        raise ReviewError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from None
    try:
        v = store.update_record(case_id, kind, new, version if expected_version is None else expected_version,
                                actor=reviewer)
    except Refused as exc:
        raise ReviewError(str(exc)) from None
    return item, new, v


def _field_value(annotation: Any, raw: str) -> Any:
    raw = raw.strip()
    is_list = any(typing.get_origin(a) is list for a in (annotation, *typing.get_args(annotation)))
    if is_list:
        return [x.strip() for x in raw.split(";") if x.strip()]
    return raw or None


# ------------------------------------------------------------------------------- shared steps
def _set(w: Tx, cand: Candidate, *, status: str, reviewer: str, data: dict[str, Any], clear_auto: bool) -> Candidate:
    after = w.set_candidate(cand, cand.version, status=status, reviewer=reviewer, data=data)
    if clear_auto and cand.auto_accepted:  # set_candidate only ever sets the flag
        c = schema.candidates.c
        w.conn.execute(update(schema.candidates).where(c.case_id == cand.case_id, c.id == cand.id)
                       .values(auto_accepted=False))
        after.auto_accepted = False
    return after


def _delete_records(w: Tx, made: list[tuple[str, str]], *, optional: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Delete the records an accept made (and the actors it added, unless something else cites
    them); refuses if another record cites one of `made`. Returns what was deleted, in full."""
    found = [(k, i, w.record(k, i)) for k, i in made]
    gone = {i for _, i, r in found if r is not None}
    citing = _citations(w, gone | {i for _, i in optional})
    for rid in sorted(gone):
        others = sorted(c for c in citing.get(rid, set()) if c not in gone)
        if others:
            raise ReviewError(f"{rid!r} is cited by {', '.join(others)}: revert or edit that first")
    extra = [(k, i, w.record(k, i)) for k, i in optional
             if not (citing.get(i, set()) - gone)]
    deleted = []
    r = schema.records.c
    for kind, rid, rec in [*found, *extra]:
        if rec is None:
            continue
        w.conn.execute(delete(schema.records).where(r.case_id == w.case, r.kind == kind, r.id == rid))
        deleted.append({"kind": kind, "id": rid, "data": rec[0], "version": rec[1]})
    return deleted


def _citations(w: Tx, ids: set[str]) -> dict[str, set[str]]:
    """{id: ids of the records that cite it}, for the given ids."""
    out: dict[str, set[str]] = {}
    if not ids:
        return out
    for kind in KIND_MODELS:
        for item in w.records(kind):
            for _, target, _ in references(kind, item):
                if target in ids:
                    out.setdefault(target, set()).add(getattr(item, "id", kind))
    return out
