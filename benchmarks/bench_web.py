"""Load on the workspace: 50 and 200 concurrent readers of the flagship, on SQLite and PostgreSQL.

`accord serve --workers N` runs on a loopback port over a fresh store holding the flagship case.
After the server answers, one reader logs in and asks for the case overview (the first request:
it needs the analysis, which startup computes in the background); then R readers (httpx async, ten
viewer sessions shared among them) each make a fixed number of requests cycling through the case's
read pages (overview, matrix, one matrix cell's evidence, chronology, figures, forecasts, sources).
Reported per run: requests, errors (anything but 200), requests/s, p50/p95/p99 latency.

PostgreSQL runs when $ACCORD_TEST_POSTGRES_URL (or the local server the tests use) answers, in a
throwaway database dropped afterwards. Results: benchmarks/results/web.json; docs/web.md has the table.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "examples" / "russia-ukraine-2025"
RESULTS = ROOT / "benchmarks" / "results" / "web.json"
READERS = (1, 50, 200)  # one reader alone: the time a request takes without queueing
WORKERS = (1, 2)
REQUESTS = int(os.environ.get("ACCORD_BENCH_WEB_REQUESTS", "3000"))  # per run, split among the readers
SESSIONS = 10
PASSWORD = "bench password"
POSTGRES = os.environ.get("ACCORD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, round(q * (len(v) - 1)))] if v else float("nan")


def _prepare(db: str) -> tuple[str, list[str]]:
    """Import the flagship and add the readers' accounts; the pages each reader cycles through."""
    from argon2 import PasswordHasher

    from accord.case.folder import read_case
    from accord.positions import derive_positions
    from accord.store import Store
    from accord.store.users import set_hasher
    from accord.web.views import parse_as_of

    set_hasher(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))  # logins are not what we measure
    case = read_case(FLAGSHIP)
    store = Store(db)
    store.save_case(case, actor="bench")
    for k in range(SESSIONS):
        store.users.add(f"reader{k}", PASSWORD, "viewer", actor="bench")
    store.engine.dispose()
    cid = case.meta.id
    cell = derive_positions(case, parse_as_of(None, case))[0]
    base = f"/cases/{cid}"
    pages = [base, base + "/matrix", f"{base}/matrix/{cell.actor}/{cell.issue}", base + "/chronology",
             base + "/figures", base + "/forecasts", base + "/sources"]
    return cid, pages


@contextmanager
def _postgres() -> Iterator[str | None]:
    """A throwaway database on the local server, or None when there is none."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError
    admin_url = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        name = f"accord_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except (OSError, SQLAlchemyError):  # no server here: the PostgreSQL runs are skipped, and say so
        yield None
        return
    try:
        yield POSTGRES.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _login(base: str, username: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=30) as c:
        page = c.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        r = c.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        assert r.status_code == 303, r.text[:300]
        return httpx.Cookies({"accord_session": c.cookies["accord_session"]})


async def _load(base: str, sessions: list[httpx.Cookies], pages: list[str], readers: int) -> dict:
    per_reader = max(1, (min(REQUESTS, 300) if readers == 1 else REQUESTS) // readers)
    lat: list[float] = []
    errors: dict[str, int] = {}
    limits = httpx.Limits(max_connections=readers, max_keepalive_connections=readers)
    clients = [httpx.AsyncClient(base_url=base, cookies=s, limits=limits, timeout=60) for s in sessions]

    async def reader(k: int) -> None:
        client = clients[k % len(clients)]
        for i in range(per_reader):
            t = time.perf_counter()
            try:
                r = await client.get(pages[(k + i) % len(pages)])
                problem = None if r.status_code == 200 else f"HTTP {r.status_code}"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            lat.append(time.perf_counter() - t)
            if problem:
                errors[problem] = errors.get(problem, 0) + 1
    t0 = time.perf_counter()
    await asyncio.gather(*(reader(k) for k in range(readers)))
    wall = time.perf_counter() - t0
    for c in clients:
        await c.aclose()
    return {"lat": lat, "errors": errors, "wall": wall}


def _serve(db: str, workers: int) -> tuple[subprocess.Popen, str, float]:
    port = _free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "accord.cli.main", "serve", "--db", db, "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(workers)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            httpx.get(base + "/login", timeout=2)
            return proc, base, time.perf_counter() - t0
        except httpx.TransportError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("the server did not start: " + proc.stderr.read().decode()[-2000:])
            time.sleep(0.1)


def _run(store: str, db: str, pages: list[str], workers: int) -> list[dict]:
    proc, base, ready_s = _serve(db, workers)
    try:
        sessions = [_login(base, f"reader{k}") for k in range(SESSIONS)]
        t = time.perf_counter()
        first = httpx.get(base + pages[0], cookies=sessions[0], timeout=60)
        first_s = time.perf_counter() - t
        assert first.status_code == 200, first.text[:300]
        rows = []
        for readers in READERS:
            res = asyncio.run(_load(base, sessions, pages, readers))
            lat = res["lat"]
            rows.append({"benchmark": "web", "store": store, "workers": workers, "readers": readers,
                         "requests": len(lat), "errors": sum(res["errors"].values()), "error_kinds": res["errors"],
                         "seconds": round(res["wall"], 2), "load_average": round(os.getloadavg()[0], 1),
                         "rps": round(len(lat) / res["wall"], 1), "p50_ms": round(_pct(lat, 0.50) * 1000, 1),
                         "p95_ms": round(_pct(lat, 0.95) * 1000, 1), "p99_ms": round(_pct(lat, 0.99) * 1000, 1),
                         "server_ready_s": round(ready_s, 2), "first_request_s": round(first_s, 3)})
        return rows
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run() -> list[dict]:
    if not (FLAGSHIP / "case.yaml").exists():
        return [{"benchmark": "web", "skipped": "the flagship case is missing"}]
    rows: list[dict] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'bench.db'}"
        _, pages = _prepare(db)
        for workers in WORKERS:
            rows += _run("sqlite", db, pages, workers)
    with _postgres() as pg:
        if pg is None:
            rows.append({"benchmark": "web", "store": "postgresql", "skipped": "no PostgreSQL server answered"})
        else:
            _, pages = _prepare(pg)
            for workers in WORKERS:
                rows += _run("postgresql", pg, pages, workers)
    meta = {"machine": f"{os.cpu_count()} cores, {_cpu()}, {platform.system()} {platform.release()}",
            "python": platform.python_version(), "case": FLAGSHIP.name, "pages": pages,
            "requests_per_run": REQUESTS, "sessions": SESSIONS,
            "note": "client and server share the machine's cores; PostgreSQL runs on the same machine",
            "load_average_before": round(load_before, 2), "load_average_after": round(os.getloadavg()[0], 2)}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    return rows


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row))
