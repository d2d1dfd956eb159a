"""Run every benchmark module: `python -m benchmarks.run [NAME ...]`.

A benchmark is a module `benchmarks/bench_<name>.py` exposing `run() -> list[dict]`; each
module writes its own results file under benchmarks/results/. This dispatcher only discovers,
runs and prints them.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path


def discover() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))


def main(argv: list[str]) -> int:
    wanted = [a if a.startswith("bench_") else f"bench_{a}" for a in argv]
    names = [n for n in discover() if not wanted or n in wanted]
    if wanted and len(names) != len(wanted):
        print(f"unknown benchmark(s): {sorted(set(wanted) - set(names))}; have {discover()}", file=sys.stderr)
        return 2
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        for row in module.run():
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
