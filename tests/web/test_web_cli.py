"""`accord users add` reads the password from standard input; `accord serve` serves the contract."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

import httpx
from typer.testing import CliRunner

from accord.cli.main import app as cli
from accord.store import Store


def test_users_add_reads_the_password_from_stdin(db_url):
    r = CliRunner().invoke(cli, ["users", "add", "carol", "--role", "analyst", "--db", db_url],
                           input="a long password\n")
    assert r.exit_code == 0, r.output
    store = Store(db_url)
    assert store.users.verify("carol", "a long password").role == "analyst"
    assert store.users.verify("carol", "a long password\n") is None
    r = CliRunner().invoke(cli, ["users", "add", "carol", "--role", "viewer", "--db", db_url], input="another pw 1\n")
    assert r.exit_code == 2 and "already exists" in r.output
    r = CliRunner().invoke(cli, ["users", "add", "dan", "--role", "emperor", "--db", db_url], input="long password\n")
    assert r.exit_code == 2 and "viewer, analyst, admin" in r.output
    r = CliRunner().invoke(cli, ["users", "add", "dan", "--role", "viewer", "--db", db_url], input="short\n")
    assert r.exit_code == 2 and "at least 8" in r.output
    r = CliRunner().invoke(cli, ["users", "list", "--db", db_url])
    assert "carol\tanalyst\tactive" in r.output and "dan" not in r.output
    store.engine.dispose()


def test_accord_serve_answers_the_login_contract(tmp_path):
    db = f"sqlite:///{tmp_path / 'w.db'}"
    CliRunner().invoke(cli, ["users", "add", "eve", "--role", "viewer", "--db", db], input="a long password\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "accord.cli.main", "serve", "--db", db, "--host", "127.0.0.1",
                             "--port", str(port), "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 300  # two workers each importing the engine, on a busy two-core machine
        while True:
            try:
                page = httpx.get(base + "/login", timeout=2)
                break
            except httpx.TransportError:
                # Read the output only once the server is gone: reading a live one's would block.
                assert proc.poll() is None, proc.stdout.read().decode()[-2000:]
                assert time.time() < deadline, "accord serve did not answer within 300 s"
                time.sleep(0.2)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        with httpx.Client(base_url=base, cookies=page.cookies) as c:
            assert c.get("/api/cases").status_code == 401
            r = c.post("/login", data={"username": "eve", "password": "a long password", "csrf_token": token})
            assert r.status_code == 303
            assert c.get("/api/session").json()["role"] == "viewer"
    finally:
        proc.terminate()
        proc.wait(10)


def test_accord_serve_refuses_no_workers(tmp_path):
    r = CliRunner().invoke(cli, ["serve", "--db", f"sqlite:///{tmp_path / 'w.db'}", "--workers", "0"])
    assert r.exit_code == 2 and "--workers is at least 1" in r.output
