"""Fuzzing case folders through validation, import on both stores, export and re-import.

For every generated folder (valid, or damaged in its data or its bytes):
* `check_folder` returns a case or raises `CaseError` whose problems each name a file of the folder;
* a folder that validates imports on SQLite and on PostgreSQL (validation refuses what a store
  cannot hold), and both stores then hold the same content;
* export → validate → import round-trips: the store gives back the case it was given, the folder
  it exports validates to an equal case, and importing that folder changes nothing;
* a re-import of another valid folder under the same id (a merge) gets the same verdict on both
  stores and leaves a case that still exports as a valid folder;
* the CLI (`case validate`, `case import`) exits 0 or 2 with a message, never a traceback.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fuzz_helpers import new_case_id, verdict
from fuzz_strategies import Folder, any_folder, valid_folders, write_folder
from hypothesis import given, note
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.case.folder import CaseError, check_folder, read_case, write_case
from accord.case.models import Case
from accord.cli.main import app as cli_app

FILES = {"case.yaml", "actors.yaml", "issues.yaml", "sources.csv", "statements.csv", "events.csv",
         "figures.csv", "salience.csv", "contradictions.yaml", "outcomes.csv"}


def _with_id(case: Case, cid: str) -> Case:
    return case.model_copy(update={"meta": case.meta.model_copy(update={"id": cid})})


def _validate(path: Path) -> tuple:
    """The folder's verdict; a refusal must locate every problem in one of the folder's files."""
    v = verdict(lambda: check_folder(path).case, (CaseError,))
    if v[0] == "refused":
        try:
            check_folder(path)
        except CaseError as exc:
            assert exc.problems, "a CaseError without problems"
            for p in exc.problems:
                assert p.file in FILES or p.file == str(path), f"problem not located in a case file: {p}"
                assert p.message and p.hint, f"problem without message or hint: {p!r}"
    return v


def _roundtrip(stores, case: Case, tmp: Path) -> None:
    """Import on both stores, load back, export, validate, re-import: all equal, all parity."""
    cid = case.meta.id
    stores.both(lambda s: s.save_case(case), cid)
    for name, store in stores.items():
        loaded = store.load_case(cid)
        assert loaded == case, f"{name}: the store gave back a different case than it was given"
        out = tmp / f"export-{name}"
        write_case(loaded, out)
        again = verdict(lambda: read_case(out), (CaseError,))
        assert again[0] == "ok", f"{name}: the exported folder does not validate: {again[2]:.3000}"
        assert again[1] == case, f"{name}: export → validate gives a different case"
    stores.assert_same_content(cid)
    # Importing the exported folder again is a no-op on the case's content.
    before = {n: s.load_case(cid) for n, s in stores.items()}
    stores.both(lambda s: s.save_case(read_case(tmp / "export-sqlite")), cid)
    for name, store in stores.items():
        assert store.load_case(cid) == before[name], f"{name}: re-importing the export changed the case"


@given(folder=any_folder())
def test_folder_validate_import_export(stores, folder: Folder):
    note(f"damage: {folder.damage}")
    cid = new_case_id()
    folder.files["case.yaml"]["id"] = cid
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_folder(folder, tmp / "case")
        v = _validate(tmp / "case")
        if v[0] == "refused":
            return
        _roundtrip(stores, _with_id(v[1], cid), tmp)


@given(first=valid_folders(), second=any_folder())
def test_reimport_merges_the_same_on_both_stores(stores, first: Folder, second: Folder):
    """A second folder under the same id: the same verdict and content on both, still exportable."""
    note(f"second's damage: {second.damage}")
    cid = new_case_id()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for i, f in enumerate((first, second)):
            write_folder(f, tmp / str(i))
            v = _validate(tmp / str(i))
            if v[0] == "refused":
                assert i == 1, f"a valid folder was refused: {v[2]:.2000}"
                return
            stores.both(lambda s, case=_with_id(v[1], cid): s.save_case(case), cid)
        stores.assert_same_content(cid)
        for name, store in stores.items():
            out = tmp / f"export-{name}"
            write_case(store.load_case(cid), out)
            again = verdict(lambda: read_case(out), (CaseError,))
            assert again[0] == "ok", f"{name}: after a re-import the case exports as an invalid folder: {again[2]:.3000}"


runner = CliRunner()


@given(folder=any_folder(), target=st.sampled_from(["sqlite", "postgresql"]))
def test_cli_validate_and_import(stores, folder: Folder, target: str):
    """`accord case validate` and `case import`: exit 0 or 2 with a message, never a traceback;
    import accepts exactly what validate accepts."""
    note(f"damage: {folder.damage}")
    cid = new_case_id()
    folder.files["case.yaml"]["id"] = cid
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "case"
        write_folder(folder, path)
        checked = runner.invoke(cli_app, ["case", "validate", str(path)])
        assert checked.exit_code in (0, 2), f"validate exit {checked.exit_code}: {checked.output[-2000:]}"
        assert checked.exception is None or isinstance(checked.exception, SystemExit), \
            f"validate raised {checked.exception!r}"
        if checked.exit_code == 2:
            assert "error" in checked.output, checked.output
        if checked.exit_code == 0 and read_case(path).meta.id != cid:
            return  # damage renamed the case: importing it could collide with another example's
        url = stores[target].url
        imported = runner.invoke(cli_app, ["case", "import", str(path), "--db", url])
        assert imported.exception is None or isinstance(imported.exception, SystemExit), \
            f"import raised {imported.exception!r}"
        assert imported.exit_code == checked.exit_code, \
            f"validate said {checked.exit_code}, import said {imported.exit_code}: {imported.output[-2000:]}"


@given(first=valid_folders(), second=valid_folders())
def test_prune_reimport_then_restore(stores, first: Folder, second: Folder):
    """Re-import with prune: a dry run changes nothing and predicts the same diff on both stores; the
    real one leaves exactly the new folder's case; restoring its backup gives the first case back."""
    cid = new_case_id()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = []
        for i, f in enumerate((first, second)):
            write_folder(f, tmp / str(i))
            cases.append(_with_id(read_case(tmp / str(i)), cid))
        stores.both(lambda s: s.save_case(cases[0]), cid)
        plan = stores.both(lambda s: s.save_case(cases[1], prune=True, dry_run=True), cid)
        for name, store in stores.items():
            assert store.load_case(cid) == cases[0], f"{name}: a dry run changed the case"
        if plan[0] == "refused":
            return
        diffs = {n: s.save_case(cases[1], prune=True, dry_run=True).lines() for n, s in stores.items()}
        assert diffs["sqlite"] == diffs["postgresql"], "the dry-run diffs differ between the stores"
        done = {}
        for name, store in stores.items():
            done[name] = store.save_case(cases[1], prune=True, backup_dir=tmp / f"backup-{name}")
            assert store.load_case(cid) == cases[1], f"{name}: after a pruning import the case is not the folder's"
        assert done["sqlite"].lines() == done["postgresql"].lines() == diffs["sqlite"], \
            "the import did not do what its dry run said"
        stores.assert_same_content(cid)
        for name, store in stores.items():
            if done[name].backup is None:
                assert not done[name].deleted, f"{name}: records deleted without a backup"
                continue
            store.restore(done[name].backup)
            assert store.load_case(cid) == cases[0], f"{name}: restoring the backup did not give the first case back"


@given(folder=valid_folders(), damage=st.sampled_from(["truncate", "bytes", "nest", "json", "field"]),
       data=st.data())
def test_restore_a_damaged_backup(stores, folder: Folder, damage: str, data):
    """`restore` of a damaged backup file: `Refused` naming what is wrong, and the case unchanged."""
    import json

    cid = new_case_id()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_folder(folder, tmp / "case")
        case = _with_id(read_case(tmp / "case"), cid)
        # The same case with no records (and so no parties): importing it with prune writes a backup.
        empty = case.model_copy(update={"meta": case.meta.model_copy(update={"parties": []})} | {
            k: [] for k in ("actors", "issues", "sources", "statements", "events", "figures", "saliences",
                            "contradictions")})
        for name, store in stores.items():
            store.save_case(case)
            store.save_case(empty, prune=True, backup_dir=tmp / name)
        path = next((tmp / "sqlite").glob("*.json"))
        raw = path.read_bytes()
        if damage == "truncate":
            raw = raw[:data.draw(st.integers(0, len(raw) - 1))]
        elif damage == "bytes":
            at = data.draw(st.integers(0, len(raw)))
            raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=6)) + raw[at:]
        elif damage == "nest":
            raw = b"[" * data.draw(st.sampled_from([100, 5000, 100_000]))
        elif damage == "json":
            raw = json.dumps(data.draw(st.recursive(st.one_of(st.none(), st.integers(), st.text(max_size=5)),
                                                    lambda x: st.lists(x, max_size=3) | st.dictionaries(
                                                        st.sampled_from(["format", "records", "meta", "kind",
                                                                         "data", "origin"]), x, max_size=4),
                                                    max_leaves=10))).encode()
        else:
            doc = json.loads(raw)
            rec = data.draw(st.sampled_from(doc["records"])) if doc["records"] else doc
            rec[data.draw(st.sampled_from(["kind", "origin", "data", "id", "version"]))] = data.draw(
                st.one_of(st.none(), st.integers(), st.text(max_size=5), st.just("statement"), st.just({})))
            raw = json.dumps(doc).encode()
        path.write_bytes(raw)
        stores.both(lambda s: s.restore(path), cid)
