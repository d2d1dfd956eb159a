"""Load on the workspace: 50 concurrent readers on the flagship's matrix and chronology pages.

The app runs under uvicorn on a loopback port (1 and 2 worker processes, SQLite store); readers
are httpx async clients sharing one viewer session, each requesting the two pages in turn for a
fixed time. Reported per page: requests/s, p50 and p95 latency, errors. Results go to
benchmarks/results/web.json (docs/web.md has the table).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "examples" / "russia-ukraine-2025"
RESULTS = ROOT / "benchmarks" / "results" / "web.json"
READERS = 50
SECONDS = float(os.environ.get("ACCORD_BENCH_WEB_SECONDS", "15"))
PAGES = {"matrix": "/cases/{cid}/matrix", "chronology": "/cases/{cid}/chronology"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(db: str) -> str:
    from accord.case.folder import read_case
    from accord.web import auth
    from accord.web.app import Workspace

    case = read_case(FLAGSHIP)
    ws = Workspace(db)
    ws.store.save_case(case)
    auth.add_user(ws.engine, "reader", "bench password", "viewer")
    ws.engine.dispose()
    return case.meta.id


def _pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))] if v else float("nan")


async def _load(base: str, cookies, cid: str, seconds: float) -> dict[str, list]:
    lat: dict[str, list[float]] = {k: [] for k in PAGES}
    errors: dict[str, int] = {k: 0 for k in PAGES}
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=READERS, max_keepalive_connections=READERS)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits, timeout=30) as client:
        async def reader(k: int):
            names = list(PAGES)
            i = k
            while time.perf_counter() < stop:
                name = names[i % 2]
                i += 1
                t = time.perf_counter()
                try:
                    r = await client.get(PAGES[name].format(cid=cid))
                    ok = r.status_code == 200 and len(r.content) > 500
                except httpx.HTTPError:
                    ok = False
                lat[name].append(time.perf_counter() - t)
                errors[name] += not ok
        t0 = time.perf_counter()
        await asyncio.gather(*(reader(k) for k in range(READERS)))
        wall = time.perf_counter() - t0
    return {"lat": lat, "errors": errors, "wall": wall}


def _run_one(db: str, cid: str, workers: int, seconds: float) -> list[dict]:
    port = _free_port()
    env = dict(os.environ, ACCORD_DATABASE_URL=db, ACCORD_SECRET_KEY="bench-" + "k" * 32)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "accord.web.app:app_from_env", "--factory",
                             "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                             "--log-level", "warning", "--no-access-log"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                page = httpx.get(base + "/login", timeout=2)
                break
            except httpx.TransportError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("the server did not start: " + proc.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        with httpx.Client(base_url=base, cookies=page.cookies) as c:
            r = c.post("/login", data={"username": "reader", "password": "bench password", "csrf_token": token})
            assert r.status_code == 303, r.text
            cookies = httpx.Cookies({"accord_session": c.cookies["accord_session"]})
            for _ in range(2 * workers):  # warm every worker's caches
                for p in PAGES.values():
                    c.get(p.format(cid=cid))
        res = asyncio.run(_load(base, cookies, cid, seconds))
    finally:
        proc.terminate()
        proc.wait(15)
    rows = []
    for name in PAGES:
        lat = res["lat"][name]
        rows.append({"benchmark": "web", "page": name, "workers": workers, "readers": READERS,
                     "seconds": round(res["wall"], 1), "requests": len(lat), "errors": res["errors"][name],
                     "rps": round(len(lat) / res["wall"], 1),
                     "p50_ms": round(_pct(lat, 0.50) * 1000, 1), "p95_ms": round(_pct(lat, 0.95) * 1000, 1)})
    every = res["lat"]["matrix"] + res["lat"]["chronology"]
    rows.append({"benchmark": "web", "page": "both", "workers": workers, "readers": READERS,
                 "seconds": round(res["wall"], 1), "requests": len(every),
                 "errors": sum(res["errors"].values()), "rps": round(len(every) / res["wall"], 1),
                 "p50_ms": round(_pct(every, 0.50) * 1000, 1), "p95_ms": round(_pct(every, 0.95) * 1000, 1)})
    return rows


def run() -> list[dict]:
    if not (FLAGSHIP / "case.yaml").exists():
        return [{"benchmark": "web", "skipped": "the flagship case is missing"}]
    rows = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'bench.db'}"
        cid = _prepare(db)
        for workers in (1, 2):
            rows += _run_one(db, cid, workers, SECONDS)
    meta = {"machine_cores": os.cpu_count(), "store": "sqlite", "readers": READERS, "seconds_per_run": SECONDS,
            "case": cid, "note": "client and server share the machine's cores",
            "load_average_before": round(load_before, 2), "load_average_after": round(os.getloadavg()[0], 2)}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    return rows


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row))
