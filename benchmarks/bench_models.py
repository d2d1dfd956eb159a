"""SMP and EUM on KTAB's synthetic 40/80/160-actor files, the exchange model on COP15/COP21 against
decide-exchange-model in the same run, and 10,000 Monte Carlo draws of the flagship.

KTAB's own C++ `smpc` (-O2) on this kind of 2-core machine: a040 14.8 s (20 steps), a080 141 s
(17 steps), a160 1,771 s (13 steps, 136 s a step): see ../shared/data/anchors/ktab/SOURCE.txt.
decide runs in this benchmark where it is importable or ACCORD_DECIDE_PYTHON names a python that
has it (tests/analysis/decide_oracle.py; it is GPL and pins numpy 1.23, so it lives apart).
Writes benchmarks/results/models.json. Each timing is the best of `REPEATS` runs (the machine
is shared; the best run is the one least disturbed); CPU seconds (process time) are given beside
wall seconds because other jobs share the two cores.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
ANCHORS = ROOT.parent / "shared" / "data" / "anchors" / "ktab"
RESULTS = Path(__file__).resolve().parent / "results" / "models.json"
KTAB = {"a040": {"total_s": 14.8, "steps": 20}, "a080": {"total_s": 141.0, "steps": 17},
        "a160": {"total_s": 1771.0, "steps": 13}}
REPEATS = 5


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from threadpoolctl import threadpool_info
        blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}" for i in threadpool_info()]
    except ImportError:
        blas = []
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "numpy": np.__version__,
            "blas": blas, "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE")}


def _best(fn, repeats=REPEATS):
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _best_cpu(fn, repeats=REPEATS):
    """(best wall seconds, best CPU seconds, result)."""
    wall, cpu, out = float("inf"), float("inf"), None
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = min(wall, time.perf_counter() - w0), min(cpu, time.process_time() - c0)
    return wall, cpu, out


def bench_ktab_files() -> list[dict]:
    from accord.analysis import eum, read_table, smp

    rows = []
    if not ANCHORS.is_dir():
        print(f"skipped: {ANCHORS} is absent (the KTAB timing files live in ../shared)")
        return rows
    for name, ref in KTAB.items():
        t = read_table(ANCHORS / f"dummyData-{name}.csv")
        s_time, s_cpu, s_res = _best_cpu(lambda: smp.run(t.position / 100, t.capability, t.salience, history=False))
        e_time, e_res = _best(lambda: eum.run(t.position[:, 0], t.capability, t.salience[:, 0]))
        ktab_step = ref["total_s"] / ref["steps"]
        rows.append({"bench": "smp", "file": name, "actors": t.n, "steps": s_res.steps, "ktab_steps": ref["steps"],
                     "seconds": round(s_time, 5), "cpu_seconds": round(s_cpu, 5),
                     "per_step_s": round(s_time / s_res.steps, 6), "ktab_seconds": ref["total_s"],
                     "speedup_total": round(ref["total_s"] / s_time), "speedup_per_step": round(ktab_step / (s_time / s_res.steps))})
        rows.append({"bench": "eum", "file": name, "actors": t.n, "rounds": e_res.rounds, "seconds": round(e_time, 5),
                     "per_round_s": round(e_time / e_res.rounds, 6), "ktab_smp_seconds": ref["total_s"],
                     "speedup_total": round(ref["total_s"] / e_time)})
    for bench, key in (("smp", "per_step_s"), ("eum", "per_round_s")):
        pts = [(r["actors"], r[key]) for r in rows if r["bench"] == bench]
        if len(pts) >= 2:
            slope = np.polyfit(np.log([p[0] for p in pts]), np.log([p[1] for p in pts]), 1)[0]
            rows.append({"bench": bench, "fitted_exponent_per_step": round(float(slope), 2),
                         "note": "log-log slope of per-step time over 40/80/160 actors"})
    return rows


def bench_montecarlo(draws: int = 10_000) -> list[dict]:
    from accord.analysis import analyze_case
    from accord.case.folder import read_case

    flagship = ROOT / "examples" / "russia-ukraine-2025"
    if not (flagship / "case.yaml").exists():
        print("skipped: the flagship case is absent")
        return []
    case = read_case(flagship)
    full, _ = _best(lambda: analyze_case(case, "2025-09-10", draws=draws), repeats=3)
    base, _ = _best(lambda: analyze_case(case, "2025-09-10", draws=0), repeats=3)
    return [{"bench": "montecarlo", "case": "russia-ukraine-2025", "draws": draws, "seconds_total": round(full, 3),
             "seconds_analysis_without_mc": round(base, 3), "seconds_mc": round(full - base, 3),
             "us_per_draw": round((full - base) / draws * 1e6, 1)}]


DECIDE = ROOT.parent / "shared" / "data" / "anchors" / "decide-exchange-model"
ORACLE = ROOT / "tests" / "analysis" / "decide_oracle.py"


def _decide(path: Path, rounds: int) -> dict | None:
    """decide's own timing of `rounds` rounds (its loop only, not its start-up), or None."""
    try:
        import decide  # noqa: F401
        python = sys.executable
    except ImportError:
        python = os.environ.get("ACCORD_DECIDE_PYTHON")
        if not python:
            return None
    out = subprocess.run([python, str(ORACLE), str(path), str(rounds)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def bench_exchange(rounds: int = 10) -> list[dict]:
    from accord.analysis import exchange, read_table

    rows = []
    if not DECIDE.is_dir():
        print(f"skipped: {DECIDE} is absent (the COP files live in ../shared)")
        return rows
    for name in ("copenhagen", "cop21"):
        t = read_table(DECIDE / f"{name}.csv")
        exchange.run(t, rounds)  # compile (numba caches it) outside the timing
        wall, cpu, res = _best_cpu(lambda: exchange.run(t, rounds))
        row = {"bench": "exchange", "file": name, "actors": t.n, "issues": t.m, "rounds": rounds,
               "exchanges": int(len(res.round)), "seconds": round(wall, 5), "cpu_seconds": round(cpu, 5)}
        ref = _decide(DECIDE / f"{name}.csv", rounds)
        if ref is None:
            row["decide"] = "not installed (set ACCORD_DECIDE_PYTHON)"
        else:
            same = bool(np.allclose(res.outcome, [[o[i] for i in t.issues] for o in ref["outcome"]], atol=1e-9))
            row.update({"decide_seconds": round(ref["seconds"], 3), "decide_cpu_seconds": round(ref["cpu_seconds"], 3),
                        "speedup_wall": round(ref["seconds"] / wall), "speedup_cpu": round(ref["cpu_seconds"] / cpu),
                        "same_outcomes": same})
        rows.append(row)
    return rows


def run() -> list[dict]:
    rows = bench_ktab_files() + bench_exchange() + bench_montecarlo()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": machine(), "git": _git(), "results": rows}, indent=1) + "\n")
    return rows


def _git() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return None


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row))
