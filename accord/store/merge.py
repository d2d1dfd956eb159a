"""Re-import as a new revision: merge a case into what the store holds, never losing evidence.

A folder imported into an existing case is merged record by record:

* a record in the folder and the store with the same content is left alone (same version);
* one whose content differs is updated and its version goes up by one, so a page opened before
  the import gets a conflict (409) instead of saving over the new data;
* one only in the folder is added;
* one only in the store stays, unless `prune` is set and it came from a folder. Records created
  by review (accepted candidates), the sources of ingested documents and records added by an
  edit are never pruned: they are evidence the folder does not know about.

Before anything is deleted the store's previous state of the case is written to a backup file
(`accord restore FILE` reads it back, as another revision). The merged case must keep every
reference resolvable, else nothing is written and the problems are listed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, insert, select, update

from ..case.models import CaseMeta
from . import schema
from .checks import a, check_record, reference_problems, validated
from .errors import Refused
from .kinds import KIND_FIELDS, KIND_MODELS, record_id, record_row
from .tx import Tx
from .types import ImportResult

BACKUP_FORMAT = "accord-backup/1"
KEEP_WHY = {"review": "reviewed evidence (an accepted candidate)", "ingest": "the source of an ingested document",
            "edit": "added in the workspace"}

Incoming = tuple[str, BaseModel, str]  # (kind, model, origin if it is added)


def merge_case(tx: Tx, meta: CaseMeta, incoming: list[Incoming], *, prune: bool, dry_run: bool,
               backup_dir: Path | None) -> ImportResult:
    try:
        meta = CaseMeta.model_validate(meta.model_dump(mode="python", warnings=False))
    except ValidationError as exc:
        raise Refused("case meta", [(".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]) from None
    case_id = meta.id
    check_record("case", meta, case_id)
    incoming = [(kind, validated(kind, item), origin) for kind, item, origin in incoming]
    for kind, item, _ in incoming:
        check_record(kind, item, record_id(kind, item))
    c, r = schema.cases.c, schema.records.c
    # Take the case's write lock before reading it, so two imports of one case run one after the other.
    tx.conn.execute(update(schema.cases).where(c.id == case_id).values(revision=c.revision))
    case_row = tx.conn.execute(select(c.meta, c.revision).where(c.id == case_id)).first()
    existing = {(row.kind, row.id): row for row in tx.conn.execute(
        select(r.kind, r.id, r.data, r.version, r.origin, r.seq).where(r.case_id == case_id).order_by(r.kind, r.seq))}
    revision = (case_row.revision if case_row else 0) + 1
    result = ImportResult(case_id=case_id, revision=revision, created=case_row is None, dry_run=dry_run)

    seen: set[tuple[str, str]] = set()
    final: dict[str, list[tuple[str, BaseModel]]] = {k: [] for k in KIND_FIELDS}
    writes: list[tuple[str, str, BaseModel, str | None]] = []  # (op, kind, model, origin)
    for kind, item, origin in incoming:
        key = (kind, record_id(kind, item))
        if key in seen:
            raise Refused(f"case {case_id!r}", [(f"{kind}:{key[1]}", "appears twice")])
        seen.add(key)
        final[kind].append((key[1], item))
        old = existing.get(key)
        data = item.model_dump(mode="json")
        if old is None:
            result.added.append(f"{kind}:{key[1]}")
            writes.append(("add", kind, item, origin))
        elif old.data != data:
            result.changed[f"{kind}:{key[1]}"] = sorted(f for f in set(data) | set(old.data)
                                                       if data.get(f) != old.data.get(f))
            writes.append(("change", kind, item, None))
        else:
            result.unchanged += 1
            writes.append(("same", kind, item, None))
    for key, old in existing.items():
        if key in seen:
            continue
        label = f"{key[0]}:{key[1]}"
        if prune and old.origin == "folder":
            result.deleted.append(label)
            continue
        result.kept[label] = KEEP_WHY.get(old.origin, "not in the folder (--prune deletes it)")
        final[key[0]].append((key[1], KIND_MODELS[key[0]].model_validate(old.data)))

    problems = _reference_problems(meta, final)
    if problems:
        raise Refused(f"case {case_id!r} after the merge", problems)
    if dry_run:
        return result
    if result.deleted:
        if backup_dir is None:
            raise Refused(f"case {case_id!r}", [("prune", "deleting records needs a backup directory")])
        result.backup = str(write_backup(backup_dir, case_id, case_row, existing.values(), tx.actor))

    meta_json = meta.model_dump(mode="json")
    if case_row is None:
        tx.conn.execute(insert(schema.cases).values(id=case_id, meta=meta_json, revision=revision))
    else:
        tx.conn.execute(update(schema.cases).where(c.id == case_id).values(meta=meta_json, revision=revision))
    for label in result.deleted:
        kind, rid = label.split(":", 1)
        tx.conn.execute(delete(schema.records).where(r.case_id == case_id, r.kind == kind, r.id == rid))
    # The folder's order first, then what the store keeps, so an export lists records as authored.
    seq_of = {(k, rid): i for k, items in final.items() for i, (rid, _) in enumerate(items)}
    for op, kind, item, new_origin in writes:
        rid = record_id(kind, item)
        seq = seq_of[(kind, rid)]
        if op == "add":
            tx.conn.execute(insert(schema.records).values(**record_row(case_id, kind, seq, item), version=1,
                                                          origin=new_origin))
        elif op == "change":
            row = record_row(case_id, kind, seq, item)
            tx.conn.execute(update(schema.records).where(r.case_id == case_id, r.kind == kind, r.id == rid).values(
                seq=seq, date=row["date"], actor=row["actor"], issue=row["issue"], status=row["status"],
                data=row["data"], version=r.version + 1))
        elif existing[(kind, rid)].seq != seq:
            tx.conn.execute(update(schema.records).where(r.case_id == case_id, r.kind == kind, r.id == rid)
                            .values(seq=seq))
    for key, old in existing.items():
        if key not in seen and f"{key[0]}:{key[1]}" not in result.deleted and old.seq != seq_of[key]:
            tx.conn.execute(update(schema.records).where(r.case_id == case_id, r.kind == key[0], r.id == key[1])
                            .values(seq=seq_of[key]))
    # The audit row keeps what the import overwrote or deleted, so nothing is lost even without a backup.
    by_label = {f"{k}:{i}": row for (k, i), row in existing.items()}
    replaced = {label: by_label[label].data for label in [*result.changed, *result.deleted]}
    tx.describe(kind="case", record_id=case_id,
                before={"revision": revision - 1, "records": replaced} if case_row else None,
                after={"revision": revision, "added": result.added, "changed": sorted(result.changed),
                       "deleted": result.deleted, "unchanged": result.unchanged, "backup": result.backup})
    return result


def _reference_problems(meta: CaseMeta, final: dict[str, list[tuple[str, BaseModel]]]) -> list[tuple[str, str]]:
    """What `case validate` would refuse in the merged case: unknown references, ids reused across kinds."""
    lookup: dict[str, tuple[str, str | None]] = {}
    problems: list[tuple[str, str]] = []
    for kind, items in final.items():
        if kind == "salience":
            continue
        for rid, item in items:
            if rid in lookup and lookup[rid][0] != kind:
                problems.append((f"{kind}:{rid}.id", f"{rid!r} is already the id of {a(lookup[rid][0])}"))
            lookup.setdefault(rid, (kind, getattr(getattr(item, "kind", None), "value", None)))

    def find(ids: list[str]) -> dict[str, tuple[str, str | None]]:
        return {i: lookup[i] for i in ids if i in lookup}
    for kind, items in final.items():
        for rid, item in items:
            problems += [(f"{kind}:{rid}.{f}", m) for f, m in reference_problems(kind, item, rid, find)
                         if f != "id"]
    problems += [("case.parties", f"unknown actor {p!r}") for p in meta.parties
                 if lookup.get(p, ("",))[0] != "actor"]
    return problems


# -- backups ------------------------------------------------------------------------------------------
def write_backup(folder: Path, case_id: str, case_row: Any, rows: Any, actor: str) -> Path:
    """The case as the store held it, every record with its origin and version; written before a delete."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{case_id}-rev{case_row.revision}-{stamp}.json"
    data = {"format": BACKUP_FORMAT, "case": case_id, "revision": case_row.revision, "taken_at": stamp,
            "taken_by": actor, "meta": case_row.meta,
            "records": [{"kind": r.kind, "id": r.id, "origin": r.origin, "version": r.version, "data": r.data}
                        for r in sorted(rows, key=lambda r: (list(KIND_FIELDS).index(r.kind), r.seq))]}
    tmp = path.with_suffix(".json.part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)  # a half-written backup never carries the final name
    return path


def read_backup(path: Path) -> tuple[CaseMeta, list[Incoming]]:
    """A backup file as (meta, records with their origins); `Refused` says what is wrong with it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:  # RecursionError: too deep
        raise Refused(f"backup {str(path)[:200]}", [("", f"cannot be read: {exc}")]) from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT or not isinstance(data.get("records"), list):
        raise Refused(f"backup {str(path)[:200]}", [("format", f"is not an {BACKUP_FORMAT} file")])
    problems: list[tuple[str, str]] = []
    records: list[Incoming] = []
    try:
        meta = CaseMeta.model_validate(data.get("meta"))
    except ValidationError as exc:
        raise Refused(f"backup {str(path)[:200]}", [("meta", str(exc.errors()[0]["msg"]))]) from None
    for i, rec in enumerate(data["records"]):
        kind, origin = (rec.get("kind"), rec.get("origin")) if isinstance(rec, dict) else (None, None)
        # a damaged file can hold any JSON there: a list or an object is no kind (and unhashable)
        if not isinstance(kind, str) or kind not in KIND_MODELS \
                or not isinstance(origin, str) or origin not in KEEP_WHY.keys() | {"folder"}:
            problems.append((f"records.{i}", "needs a known kind and origin"))
            continue
        try:
            records.append((kind, KIND_MODELS[kind].model_validate(rec.get("data")), origin))
        except ValidationError as exc:
            problems += [(f"records.{i}.{'.'.join(map(str, e['loc']))}", e["msg"]) for e in exc.errors()]
    if problems:
        raise Refused(f"backup {str(path)[:200]}", problems)
    return meta, records
