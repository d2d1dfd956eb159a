"""Fuzzer findings, minimised to plain tests on both stores.

Each test is the smallest input that showed a defect. While the defect is open the test is marked
`xfail(strict=True)`: it must fail, so the owner's fix turns it into an XPASS (a failure under
strict); then the mark is removed, leaving the test as the check. While a finding is open the fuzz
properties leave its input out, so the suite stays green and the defect is reported once, here.
"""

from __future__ import annotations

import json
import shutil

import pytest
from fuzz_helpers import dump, new_case_id
from web_helpers import TINY

from accord.case.folder import CaseError, read_case, write_case
from accord.case.models import Contradiction, Figure
from accord.store.errors import Refused, StaleWrite

TINY_CASE = read_case(TINY)
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture
def case_in(stores):
    """A fresh copy of the tiny case in both stores; the case id."""
    cid = new_case_id("rg")
    case = TINY_CASE.model_copy(update={"meta": TINY_CASE.meta.model_copy(update={"id": cid})})
    for _, store in stores.items():
        store.save_case(case)
    return cid


# -- F1: the store holds a record its own model refuses, and then the case cannot be loaded ------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_store_refuses_an_unvalidated_record_with_an_impossible_date(stores, case_in, backend):
    store = stores[backend]
    bad = Figure.model_construct(**{**TINY_CASE.figures[0].model_dump(), "id": "fresh", "date": "wire-1"})
    before = dump(store, case_in)
    with pytest.raises(Refused):
        store.add_record(case_in, "figure", bad, actor="fuzz")
    assert dump(store, case_in) == before
    store.load_case(case_in)


# -- F2: a version past the integer column is not a stale write --------------------------------------
@pytest.mark.parametrize("backend,version", [
    pytest.param("sqlite", 2**31, id="sqlite-2^31"),
    pytest.param("postgresql", 2**31, id="postgresql-2^31"),
    pytest.param("sqlite", 2**63 - 1, id="sqlite-2^63-1"),
    pytest.param("postgresql", 2**63 - 1, id="postgresql-2^63-1"),
])
def test_update_with_a_huge_expected_version_is_a_stale_write(stores, case_in, backend, version):
    store = stores[backend]
    salience = TINY_CASE.saliences[0]
    before = dump(store, case_in)
    with pytest.raises(StaleWrite):
        store.update_record(case_in, "salience", salience, version, actor="fuzz")
    assert dump(store, case_in) == before


# -- F3: an unvalidated record with a non-text id crashes the store's checks -----------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_store_refuses_a_record_whose_id_is_not_text(stores, case_in, backend):
    bad = Contradiction.model_construct(id=[-211, 101006], items=["f1", "f2"], why="x")
    with pytest.raises(Refused):
        stores[backend].add_record(case_in, "contradiction", bad, actor="fuzz")


# -- F4: a lone surrogate reaches the database driver -------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_store_refuses_a_lone_surrogate(stores, case_in, backend):
    store = stores[backend]
    bad = Figure.model_construct(**{**TINY_CASE.figures[0].model_dump(), "id": "fresh", "note": "\ud800"})
    before = dump(store, case_in)
    with pytest.raises(Refused):
        store.add_record(case_in, "figure", bad, actor="fuzz")
    assert dump(store, case_in) == before


# -- F5: an empty required text validates, and its export does not ------------------------------------
def test_a_blank_summary_is_refused_or_round_trips(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(TINY, folder)
    statements = folder / "statements.csv"
    statements.write_text(statements.read_text().replace("Aland demands all the disputed land", '" "'))
    try:
        case = read_case(folder)
    except CaseError:
        return  # refused at the door: fine
    write_case(case, tmp_path / "export")
    assert read_case(tmp_path / "export") == case


def test_api_edit_with_a_blank_summary_keeps_the_case_exportable(stores, web, case_in, tmp_path):
    from web_helpers import api_token
    for name, store in stores.items():
        client = web[name][1]["analyst"]
        record, version = store.get_record(case_in, "statement", "s1")
        body = json.dumps(record.model_dump(mode="json") | {"summary": ""})
        r = client.put(f"/api/cases/{case_in}/records/statement/s1", params={"version": version}, content=body,
                       headers={"x-csrf-token": api_token(client), "content-type": "application/json"})
        if r.status_code == 422:
            continue  # refused with a message: fine
        assert r.status_code == 200, r.text
        write_case(store.load_case(case_in), tmp_path / name)
        read_case(tmp_path / name)


# -- F6: the web edit form parses YAML without a depth limit -------------------------------------------
def test_edit_form_with_deeply_nested_yaml_is_a_422(stores, web, case_in):
    from web_helpers import csrf_of
    for name in ("sqlite", "postgresql"):
        client = web[name][1]["analyst"]
        token = csrf_of(client.get(f"/cases/{case_in}/records/statement/s1/edit").text)
        r = client.post(f"/cases/{case_in}/records/statement/s1/edit",
                        data={"version": "1", "text": "[" * 5000, "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 422, f"{name}: {r.status_code}"


# -- F7: a backup file nested too deep for the JSON parser ---------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_restore_of_a_deeply_nested_backup_is_refused(stores, case_in, backend, tmp_path):
    path = tmp_path / "backup.json"
    path.write_bytes(b"[" * 100_000)
    with pytest.raises(Refused):
        stores[backend].restore(path)


# -- F8: the web edit form lets the YAML library read an impossible date -------------------------------
def test_edit_form_with_an_impossible_unquoted_date_is_a_422(stores, web, case_in):
    from web_helpers import csrf_of
    text = "id: s1\ndate: 2025-02-30\nactor: AAA\nstance: AGREE\nsummary: s\nsource: wire-1"
    for name in ("sqlite", "postgresql"):
        client = web[name][1]["analyst"]
        token = csrf_of(client.get(f"/cases/{case_in}/records/statement/s1/edit").text)
        r = client.post(f"/cases/{case_in}/records/statement/s1/edit",
                        data={"version": "1", "text": text, "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 422, f"{name}: {r.status_code}"


# -- F9: scenarios are parsed with the YAML library's defaults -------------------------------------------
F9_TEXTS = [pytest.param("[" * 5000, id="nested"), pytest.param("name: s\nwhen: 2025-02-30\nchanges: []", id="date")]


@pytest.mark.parametrize("text", F9_TEXTS)
def test_scenario_api_with_bad_yaml_is_a_422(stores, web, case_in, text):
    from web_helpers import api_token
    for name in ("sqlite", "postgresql"):
        client = web[name][1]["analyst"]
        r = client.post(f"/api/cases/{case_in}/scenario", content=json.dumps({"scenario": text}).encode(),
                        headers={"x-csrf-token": api_token(client), "content-type": "application/json"})
        assert r.status_code == 422, f"{name}: {r.status_code}"


@pytest.mark.parametrize("text", F9_TEXTS)
def test_scenario_file_with_bad_yaml_is_a_scenario_error(tmp_path, text):
    from accord.analysis.scenario import Scenario, ScenarioError
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError):
        Scenario.load(path)
