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

from hypothesis import given, note
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord.case.folder import CaseError, check_folder, read_case, write_case
from accord.case.models import Case
from accord.cli.main import app as cli_app
from fuzz_helpers import new_case_id, verdict
from fuzz_strategies import Folder, any_folder, valid_folders, write_folder

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
