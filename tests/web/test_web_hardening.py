"""Hostile input on the workspace (issue 11): links only to http(s), malformed case uploads answer 4xx
with the CLI's file:line [field] message, and absurd query values are 400, never 500."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from web_helpers import api_token, csrf_of

from accord.case.folder import CaseError, read_case, write_case
from accord.store import schema

EVIL_URLS = ("javascript:alert(1)", " JaVaScRiPt:alert(2)", "java\tscript:alert(3)", "data:text/html,<b>x</b>",
             "vbscript:msgbox(4)", "//evil.example/x")


# -- links -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", EVIL_URLS)
def test_a_non_http_url_in_a_source_or_document_is_never_a_link(app, client_for, tiny_case, url):
    ws = app.state.ws
    sources = [s.model_copy(update={"url": url}) if s.id == "wire-1" else s for s in tiny_case.sources]
    ws.store.save_case(tiny_case.model_copy(update={"sources": sources}))
    with ws.store.engine.begin() as conn:
        conn.execute(schema.documents.insert().values(case_id="tiny", id="d" * 64, path="/srv/d.jsonl", source_id="wire-1",
                                                      url=url, title="A jsonl line", text="Some text.",
                                                      status="extracted"))
    ann = client_for("ann")
    for path in ("/cases/tiny/sources/wire-1", "/cases/tiny/documents/" + "d" * 64):
        body = ann.get(path).text
        hrefs = re.findall(r'href="([^"]*)"', body)
        assert hrefs and all(h.startswith(("/", "#")) and not h.startswith("//") for h in hrefs), (path, hrefs)
        assert html.escape(url.strip(), quote=True)[:12] in body, "the address is still shown, as text"


def test_an_http_url_is_still_a_link(app, client_for, tiny_case):
    ws = app.state.ws
    sources = [s.model_copy(update={"url": "https://example.org/a?b=1"}) if s.id == "wire-1" else s
               for s in tiny_case.sources]
    ws.store.save_case(tiny_case.model_copy(update={"sources": sources}))
    body = client_for("vic").get("/cases/tiny/sources/wire-1").text
    assert 'href="https://example.org/a?b=1"' in body


# -- malformed case folders through the upload -------------------------------------------------------------------
def _zip_folder(folder: Path, *, extra_dirs: tuple[str, ...] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(folder.iterdir()):
            if f.is_file():
                z.write(f, f"{folder.name}/{f.name}")
        for d in extra_dirs:
            z.writestr(f"{folder.name}/{d}/", "")
    return buf.getvalue()


def _breakers():
    """name -> function(folder) that breaks a valid case folder the way the issue-11 probe did."""
    def write(name, data):
        def f(folder: Path):
            (folder / name).write_bytes(data)
        return f

    def dir_for(name):
        def f(folder: Path):
            (folder / name).unlink()
            (folder / name).mkdir()
        return f

    def huge_cell(folder: Path):
        p = folder / "statements.csv"
        lines = p.read_text().splitlines()
        head, first = lines[0], lines[1].split(",")
        first[-1] = "x" * 200_000
        p.write_text("\n".join([head, ",".join(first)] + lines[2:]) + "\n")

    return {
        "binary yaml": write("case.yaml", bytes(range(256)) * 4),
        "utf-16 yaml": write("case.yaml", "id: tiny\ntitle: T\nas_of: 2025-09-10\nparties: [AAA, BBB]\n".encode("utf-16")),
        "impossible date": write("case.yaml", b"id: tiny\ntitle: T\nas_of: 2025-02-30\nparties: [AAA, BBB]\n"),
        "nested brackets": write("issues.yaml", b"[" * 20_000 + b"]" * 20_000),
        "huge cell": huge_cell,
        "directory for a file": dir_for("events.csv"),
    }


@pytest.mark.parametrize("name", list(_breakers()))
def test_a_malformed_upload_is_4xx_with_the_cli_message(app, client_for, tiny_case, tmp_path, name):
    folder = tmp_path / "tiny"
    write_case(tiny_case, folder)
    _breakers()[name](folder)
    with pytest.raises(CaseError) as cli:  # what `accord case validate` reports for the same folder
        read_case(folder)
    is_dir = (folder / "events.csv").is_dir()
    data = _zip_folder(folder) if not is_dir else _zip_folder(folder, extra_dirs=("events.csv",))
    ada = client_for("ada")
    token = csrf_of(ada.get("/admin").text)
    r = ada.post("/admin/cases", data={"csrf_token": token}, files={"archive": ("t.zip", data)},
                 headers={"accept": "application/json"})
    assert 400 <= r.status_code < 500, (name, r.status_code, r.text[:300])
    detail = r.json()["detail"]
    for problem in cli.value.problems[:20]:
        assert str(problem).replace(str(folder) + "/", "") in detail, (name, str(problem), detail[:500])
    assert ada.get("/api/cases/tiny/matrix").json()["cells"]["AAA|border"]["ideal"] == 80  # nothing changed


# -- absurd query values ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [
    "/api/audit?page=9223372036854775808", "/admin/audit?page=99999999999999999999999", "/api/audit?page=-1",
    "/api/audit?page=1e3", "/cases/tiny/review?page=9223372036854775808", "/api/cases/tiny/review?page=18446744073709551617",
    "/api/cases/tiny/matrix?as_of=99999-01-01", "/api/cases/tiny/matrix?as_of=2025-02-30",
    "/api/cases/tiny/chronology?kind=everything", "/cases/tiny/chronology?actor=" + "A" * 5000,
    "/api/cases/tiny/forecasts?as_of=1700000000",
])
def test_absurd_query_values_are_400(client_for, path):
    ada = client_for("ada")
    r = ada.get(path)
    assert r.status_code == 400, (path, r.status_code, r.text[:300])
    text = r.text if not path.startswith("/api/") else r.json()["detail"]
    assert "Bad query parameter" in text and "Something went wrong" not in text


def test_an_absurd_version_is_refused_not_crashed(client_for):
    ann = client_for("ann")
    r = ann.put("/api/cases/tiny/records/statement/s1", params={"version": 2**64}, json={},
                headers={"x-csrf-token": api_token(ann)})
    assert r.status_code == 400
    page = ann.get("/cases/tiny/records/statement/s1/edit")
    r = ann.post("/cases/tiny/records/statement/s1/edit", data={"version": str(2**70), "text": "id: s1",
                                                                "csrf_token": csrf_of(page.text)})
    assert r.status_code == 422 and "version" in r.text


# -- YAML typed into a form (record editor, scenarios) -------------------------------------------------------
BAD_YAML = [("[" * 5000, "nested more than"), ("a:\n" + "- " * 3000 + "x", "nested more than"),
            ("id: s1\ndate: 2025-02-30\nactor: AAA", "date"), ("a: &x [*x, *x]", "anchors and aliases"),
            ("id: [oops", "not valid YAML")]


@pytest.mark.parametrize(("text", "says"), BAD_YAML)
def test_bad_yaml_in_the_record_editor_is_a_422(client_for, text, says):
    ann = client_for("ann")
    token = csrf_of(ann.get("/cases/tiny/records/statement/s1/edit").text)
    r = ann.post("/cases/tiny/records/statement/s1/edit", data={"version": "1", "text": text, "csrf_token": token})
    assert r.status_code == 422 and says in r.text, (r.status_code, r.text[:300])


@pytest.mark.parametrize(("text", "says"), BAD_YAML[:2] + [("name: s\nwhen: 2025-02-30\nchanges: []", "day is out of range"),
                                                          BAD_YAML[3], BAD_YAML[4]])
def test_bad_yaml_in_a_scenario_is_a_422(client_for, text, says):
    vic = client_for("vic")
    r = vic.post("/api/cases/tiny/scenario", json={"scenario": text}, headers={"x-csrf-token": api_token(vic)})
    assert r.status_code == 422 and says in r.json()["detail"], (r.status_code, r.text[:300])
