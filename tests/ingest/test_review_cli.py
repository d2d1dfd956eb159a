"""`accord review` end to end: the script forms through typer's CliRunner, the single-key screen in
a real pseudo-terminal; undo, revert and edit-record leave the store as they say, and audited."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import ingest_fakes
import pytest
from test_review import cli, ingested

from accord import review as rv
from accord.ingest import ingest

DOC = ("2025-08-12\nTalks in Istanbul\n"
       "Kyiv said NATO membership is its goal. "
       "Dmitry Peskov said neutrality is the only option for NATO talks. "
       "Moscow wants the whole of Donetsk. "
       "This contradicts the line taken in July.\n"
       "A second paragraph: Ukraine said [bold]no[/bold]\x1b[2J to NATO neutrality.")


@pytest.fixture
def setup(db_url, tmp_path):
    s = ingested(db_url, tmp_path, DOC)
    yield s, db_url
    s.engine.dispose()


def pending(store):
    return {c.id: c for c in rv.list_candidates(store, "talks")}


def by_actor(store, name):
    """The first statement (in queue order) held or spoken by `name`."""
    return next(c for c in rv.list_candidates(store, "talks", status=None)
                if c.kind == "statement" and name in (c.data.get("actor"), c.data.get("speaker")))


def snapshot(store):
    """What a reviewer's decision may change: the case's records and each candidate's status and data."""
    cands = {c.id: (c.status, c.data, c.auto_accepted) for c in rv.list_candidates(store, "talks", status=None)}
    return store.load_case("talks").model_dump(mode="json"), cands


def test_edit_takes_field_value_arguments_and_validates(setup):
    store, url = setup
    ukr = by_actor(store, "UKR")
    res = cli(url, "--edit", ukr.id, "position=70", "role=fallback")
    assert res.exit_code == 0, res.output
    got = rv.get_candidate(store, "talks", ukr.id).data
    assert (got["position"], got["role"]) == (70.0, "fallback")
    bad = cli(url, "--edit", ukr.id, "position=170")
    assert bad.exit_code == 1 and "position" in bad.output and "outside" in bad.output
    assert cli(url, "position=70").exit_code == 2  # an assignment needs --edit or --edit-record
    assert cli(url, "--edit", ukr.id, "position").exit_code == 2  # not field=value


def test_batch_accept_previews_then_asks(setup):
    store, url = setup
    high = {c.id for c in pending(store).values() if (c.confidence or 0) >= 0.85}
    assert high and len(high) < len(pending(store))
    res = cli(url, "--batch-accept", "--min-confidence", "0.85", input="n\n")
    assert res.exit_code == 0, res.output
    assert f"{len(high)} pending candidate(s) would be accepted" in res.output
    assert all(cid in res.output for cid in high) and "nothing accepted" in res.output
    assert rv.list_candidates(store, "talks", status="accepted") == []
    res = cli(url, "--batch-accept", "--min-confidence", "0.85", input="y\n")
    assert res.exit_code == 0, res.output
    accepted = {c.id for c in rv.list_candidates(store, "talks", status="accepted")}
    # Peskov (0.9) needs an alias first: left pending, with why; the others are accepted.
    assert accepted and accepted < high and "Dmitry Peskov" in res.output
    assert all(not c.auto_accepted for c in rv.list_candidates(store, "talks", status="accepted"))
    assert "left pending" in res.output


def test_batch_accept_yes_skips_the_question(setup):
    store, url = setup
    res = cli(url, "--batch-accept", "--min-confidence", "0.85", "--yes")
    assert res.exit_code == 0, res.output
    assert rv.list_candidates(store, "talks", status="accepted")


def test_accept_then_undo_leaves_the_store_as_before_and_audited(setup):
    store, url = setup
    ukr = by_actor(store, "UKR")
    before = snapshot(store)
    assert cli(url, "--accept", ukr.id).exit_code == 0
    assert snapshot(store) != before and store.load_case("talks").statements
    res = cli(url, "--undo")
    assert res.exit_code == 0, res.output
    assert f"undid your accept of {ukr.id}" in res.output and f"statement:{rv.record_id_for(ukr.id)}" in res.output
    assert snapshot(store) == before
    rows, _ = store.audit.entries(case_id="talks", limit=2)
    assert [(e.action, e.username) for e in rows] == [("review.undo", "ana"), ("review.accept", "ana")]
    assert rows[0].after["undid"] == rows[1].id and rows[0].after["status"] == "pending"
    assert rows[0].before["records"][0]["id"] == rv.record_id_for(ukr.id)  # what it deleted, kept
    # Nothing more of ana's to undo; another reviewer's undo does not touch ana's decisions.
    again = cli(url, "--undo")
    assert again.exit_code == 1 and "nothing of yours to undo" in again.output


def test_undo_goes_back_step_by_step(setup):
    store, url = setup
    ukr, rus = by_actor(store, "UKR"), next(c for c in pending(store).values() if c.data.get("actor") == "RUS")
    start = snapshot(store)
    assert cli(url, "--edit", ukr.id, "position=30").exit_code == 0
    after_edit = snapshot(store)
    assert cli(url, "--reject", rus.id).exit_code == 0
    assert cli(url, "--undo").exit_code == 0  # the reject
    assert snapshot(store) == after_edit
    assert cli(url, "--undo").exit_code == 0  # then the edit
    assert snapshot(store) == start and rv.get_candidate(store, "talks", ukr.id).data["position"] == 10.0


def test_undo_refuses_when_someone_changed_it_since(setup):
    store, url = setup
    ukr = by_actor(store, "UKR")
    assert cli(url, "--edit", ukr.id, "position=30").exit_code == 0
    cur = rv.get_candidate(store, "talks", ukr.id)
    rv.edit(store, "talks", ukr.id, {"position": "40"}, reviewer="ben", expected_version=cur.version)
    res = cli(url, "--undo")
    assert res.exit_code == 1 and "changed since" in res.output
    assert rv.get_candidate(store, "talks", ukr.id).data["position"] == 40.0  # ben's edit stands


def test_undo_of_an_accept_refuses_once_its_record_was_edited(setup):
    store, url = setup
    ukr = by_actor(store, "UKR")
    assert cli(url, "--accept", ukr.id).exit_code == 0
    rid = rv.record_id_for(ukr.id)
    assert cli(url, "--edit-record", f"statement:{rid}", "position=25", "--reviewer", "ben").exit_code == 0
    res = cli(url, "--undo")
    assert res.exit_code == 1 and "edited since" in res.output and "--revert" in res.output
    assert [s.position for s in store.load_case("talks").statements] == [25.0]


def test_revert_and_edit_an_accepted_record(setup):
    store, url = setup
    ukr = by_actor(store, "UKR")
    rid = rv.record_id_for(ukr.id)
    assert cli(url, "--accept", ukr.id).exit_code == 0

    res = cli(url, "--edit-record", f"statement:{rid}", "position=25", "summary=Kyiv wants NATO")
    assert res.exit_code == 0, res.output
    assert "position: 10.0 → 25.0" in res.output
    st = store.load_case("talks").statements[0]
    assert (st.position, st.summary) == (25.0, "Kyiv wants NATO")
    row = store.audit.entries(case_id="talks", limit=1)[0][0]
    assert (row.action, row.username, row.record_id) == ("statement.edit", "ana", rid)
    assert (row.before["position"], row.after["position"]) == (10.0, 25.0)
    for bad, why in ((["position=250"], "position"), (["colour=red"], "no editable field"),
                     (["issue=nowhere"], "nowhere"), (["id=x"], "no editable field")):
        res = cli(url, "--edit-record", f"statement:{rid}", *bad)
        assert res.exit_code == 1 and why in res.output, (bad, res.output)
    assert store.load_case("talks").statements[0].position == 25.0  # nothing half-written
    assert cli(url, "--edit-record", "statement:nope", "position=1").exit_code == 1
    assert cli(url, "--edit-record", "statement", "position=1").exit_code == 2

    res = cli(url, "--revert", rid)
    assert res.exit_code == 0, res.output
    assert store.load_case("talks").statements == []
    assert rv.get_candidate(store, "talks", ukr.id).status == "pending"
    row = store.audit.entries(case_id="talks", limit=1)[0][0]
    assert row.action == "review.revert" and row.before["records"][0]["data"]["position"] == 25.0
    res = cli(url, "--revert", rid)
    assert res.exit_code == 1 and "pending, not accepted" in res.output


def test_revert_refuses_a_record_another_one_cites(setup):
    store, url = setup
    ukr = by_actor(store, "UKR")
    peskov = by_actor(store, "Dmitry Peskov")
    contra = next(c for c in pending(store).values() if c.kind == "contradiction")
    assert cli(url, "--merge-alias", "Dmitry Peskov", "--into", "peskov").exit_code == 0
    assert cli(url, "--accept", ukr.id, "--accept", peskov.id, "--accept", contra.id).exit_code == 0
    before = snapshot(store)
    res = cli(url, "--revert", rv.record_id_for(ukr.id))
    assert res.exit_code == 1 and rv.record_id_for(contra.id) in res.output
    assert snapshot(store) == before
    # Reverting the contradiction first frees it.
    assert cli(url, "--revert", contra.id).exit_code == 0
    assert cli(url, "--revert", ukr.id).exit_code == 0
    assert {s.id for s in store.load_case("talks").statements} == {rv.record_id_for(peskov.id)}


def test_line_mode_screen_shows_keys_sentence_and_escapes_text(setup):
    _, url = setup
    res = cli(url, input="j\nj\nj\nj\nq\n")
    assert res.exit_code == 0, res.output
    for key, what in (("a", "accept"), ("x", "reject"), ("e", "edit"), ("j/s", "next"), ("k", "previous"),
                      ("u", "undo"), ("b", "batch accept"), ("q", "quit")):
        assert f" {key}  {what}" in res.output
    assert "Kyiv said NATO membership is its goal." in res.output
    # The document's text is shown as written, never as markup nor as terminal commands.
    assert "[bold]no[/bold]\ufffd[2J to NATO" in res.output and "\x1b" not in res.output
    assert "issue" in res.output and "confidence" in res.output
    assert "5 pending" in res.output  # progress: candidates per status


def test_line_mode_edit_picks_a_ranked_alternative(setup):
    store, url = setup
    ukr = by_actor(store, "UKR")
    first = rv.list_candidates(store, "talks")[0]
    assert first.id == ukr.id
    # The extractor's ranked alternatives are what `e` offers by number.
    data = dict(ukr.data, issue_alternatives=[{"value": "nato", "score": 0.8}, {"value": "territory", "score": 0.3}])
    with store.write("test", "review.edit", case_id="talks", record_id=ukr.id) as w:
        w.set_candidate(w.candidate(ukr.id), ukr.version, status="pending", reviewer="test", data=data)
    res = cli(url, input="e\nissue\n2\nq\n")
    assert res.exit_code == 0, res.output
    assert "or 1) territory 0.30" in res.output or "1) territory" in res.output
    assert rv.get_candidate(store, "talks", ukr.id).data["issue"] == "territory"


# ------------------------------------------------------------------------------- a real terminal
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")


class Term:
    """`accord review` on the slave side of a pseudo-terminal; we type into the master."""

    def __init__(self, args: list[str], cols: int = 100, rows: int = 40):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.slave_attrs = termios.tcgetattr(slave)
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")} | {"TERM": "xterm-256color"}
        # A new session whose controlling terminal is the pty, so Ctrl-C there is a real SIGINT; the
        # child starts with SIGINT at its default and unblocked, whatever the test runner's worker left
        # (an ignored or blocked signal is inherited across exec, and Python keeps an ignored SIGINT)
        take_tty = ("import fcntl, os, signal, sys, termios; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                    "signal.pthread_sigmask(signal.SIG_SETMASK, []); fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
                    "os.execv(sys.argv[1], sys.argv[1:])")
        self.proc = subprocess.Popen([sys.executable, "-c", take_tty, *args], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, start_new_session=True)
        self.slave = slave
        self.seen = ""

    def expect(self, pattern: str, timeout: float = 60) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if re.search(pattern, ANSI.sub("", self.seen)):
                return ANSI.sub("", self.seen)
            r, _, _ = select.select([self.master], [], [], 0.2)
            if r:
                try:
                    self.seen += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:
                    break
        raise AssertionError(f"{pattern!r} never appeared; the screen had:\n{ANSI.sub('', self.seen)[-3000:]}")

    def send(self, keys: str) -> None:
        self.seen = ""
        os.write(self.master, keys.encode())

    def wait(self) -> int:
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)
        os.close(self.slave)


def accord_cmd(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "accord.cli.main", "review", "talks", "--db", url, "--reviewer", "ana", *args]


@pytest.fixture
def sqlite_setup(tmp_path):
    url = f"sqlite:///{tmp_path / 'tty.db'}"
    s = ingested(url, tmp_path, DOC)
    yield s, url
    s.engine.dispose()


def test_single_keys_in_a_real_terminal_accept_then_undo(sqlite_setup):
    store, url = sqlite_setup
    first = rv.list_candidates(store, "talks")[0]
    before = snapshot(store)
    start = store.audit.entries(case_id="talks")[1]
    t = Term(accord_cmd(url))
    try:
        screen = t.expect(r"q\s+quit")
        for label in ("a  accept", "x  reject", "e  edit", "j/s  next", "k  previous", "u  undo", "b  batch accept"):
            assert label in screen
        assert "Kyiv said NATO membership is its goal." in screen and first.id in screen
        assert max(len(ln) for ln in screen.splitlines()) <= 100  # wrapped to the terminal's width
        t.send("a")  # no Enter: one key acts
        assert "1 accepted · 4 pending" in t.expect(r"accepted " + re.escape(first.id))
        assert rv.get_candidate(store, "talks", first.id).status == "accepted"
        assert store.load_case("talks").statements
        t.send("u")
        t.expect(r"undid your accept of " + re.escape(first.id))
        assert snapshot(store) == before
        t.send("q")
        t.expect(r"still pending")
        assert t.wait() == 0
    finally:
        t.close()
    rows, total = store.audit.entries(case_id="talks")
    assert total == start + 2 and [r.action for r in rows[:2]] == ["review.undo", "review.accept"]
    assert rows[0].username == rows[1].username == "ana"


def test_ctrl_c_restores_the_terminal(sqlite_setup):
    _, url = sqlite_setup
    t = Term(accord_cmd(url))
    try:
        t.expect(r"q\s+quit")
        cbreak = termios.tcgetattr(t.slave)
        assert not cbreak[3] & termios.ICANON and not cbreak[3] & termios.ECHO  # keys without Enter
        t.send("\x03")
        t.expect(r"interrupted")
        assert t.wait() == 130
        assert termios.tcgetattr(t.slave) == t.slave_attrs  # as it was before accord started
    finally:
        t.close()


def test_edit_in_a_real_terminal_then_escape_cancels(sqlite_setup):
    store, url = sqlite_setup
    first = rv.list_candidates(store, "talks")[0]
    t = Term(accord_cmd(url))
    try:
        t.expect(r"q\s+quit")
        t.send("e")
        t.expect(r"field \(")
        t.send("position\n")
        t.expect(r"position \[")
        t.send("55\n")
        t.expect(r"edited position of " + re.escape(first.id))
        t.send("j")
        t.expect(r"2/\d+")
        t.send("k")
        t.expect(r"1/\d+")
        t.send("b")  # batch accept: a threshold, a preview, then y or n (one key)
        t.expect(r"confidence \[0\.8\]")
        t.send("0.85\n")
        t.expect(r"accept these \d+ candidate\(s\)\? y/n")
        assert "Kyiv said NATO membership is its goal." in ANSI.sub("", t.seen)
        t.send("y")
        t.expect(r"accepted \d+ of \d+")
        t.send("q")
        assert t.wait() == 0
    finally:
        t.close()
    assert rv.get_candidate(store, "talks", first.id).data["position"] == 55.0
    # The edited candidate (0.9) was previewed and accepted with its edit; Peskov waits for an alias.
    assert {s.id: s.position for s in store.load_case("talks").statements}[rv.record_id_for(first.id)] == 55.0
    assert rv.get_candidate(store, "talks", by_actor(store, "Dmitry Peskov").id).status == "pending"


def test_sentence_and_paragraph():
    from accord.cli.review_tui import CONTEXT, sentence_and_paragraph
    text = "Title\nFirst one. Kyiv said yes to talks. Then more!\nNext paragraph."
    start = text.index("yes")
    pb, sb, span, sa, pa = sentence_and_paragraph(text, start, start + 3)
    assert (pb, sb, span, sa, pa) == ("First one. ", "Kyiv said ", "yes", " to talks.", " Then more!")
    # A paragraph longer than a screen is cut at a space, marked, around the whole sentence.
    long = ("word " * 3 * CONTEXT) + "end. The span is here. " + ("more " * 3 * CONTEXT)
    at = long.index("span")
    pb, sb, span, sa, pa = sentence_and_paragraph(long, at, at + 4)
    assert sb + span + sa == "The span is here."
    assert pb.startswith("… word") and pa.endswith(" …") and len(pb) <= CONTEXT + 2 and len(pa) <= CONTEXT + 2
    assert sentence_and_paragraph("", 5, 9) == ("", "", "", "", "")


def test_the_screen_learns_from_the_reviewers_decisions(setup, tmp_path):
    from accord.cli.review_learn import Learner
    store, url = setup
    q = rv.list_candidates(store, "talks")
    ukr, rus = by_actor(store, "UKR"), next(c for c in q if c.data.get("actor") == "RUS")
    learner = Learner(store, "talks")
    assert learner.refit() == 0 and learner.hint(ukr) is None  # nothing reviewed: no model, no hint
    rv.accept(store, "talks", ukr.id, reviewer="ana", expected_version=ukr.version)
    rv.reject(store, "talks", rus.id, reviewer="ana", expected_version=rus.version)
    assert learner.refit() == 2
    # Later news saying much the same: the model ranks and annotates it by those two decisions.
    (tmp_path / "d2.txt").write_text("2025-08-13\nMore talks\nMoscow wants the whole of Luhansk. "
                                     "Kyiv said NATO membership is still its goal.", encoding="utf-8")
    ingest([tmp_path / "d2.txt"], "talks", store, extractor=ingest_fakes.extract)
    pending = rv.list_candidates(store, "talks")
    luhansk = next(c for c in pending if c.data.get("actor") == "RUS")
    still = next(c for c in pending if c.data.get("actor") == "UKR" and c.document_id == luhansk.document_id)
    order = learner.order([c.id for c in pending])
    assert order[0] == still.id and order[-1] == luhansk.id  # like the accepted one first, the rejected one last
    assert "similar ones rejected: 100%" in learner.hint(luhansk)
    assert "similar ones rejected: 0%" in learner.hint(still)
    # The screen shows it, from decisions made before this session; and writes nothing.
    before = snapshot(store)
    res = cli(url, input="q\n")
    assert res.exit_code == 0 and "review model:" in res.output
    assert f"1/{len(pending)} · statement · {still.id}" in res.output
    assert snapshot(store) == before
