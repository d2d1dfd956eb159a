"""Extraction on Ray Data: `map_batches` over Arrow batches, the same output as the local engine.

Each worker is an actor holding one loaded spaCy pipeline (loaded once, reused for every batch);
items travel back as JSON strings in an Arrow column so the schema stays flat and stable.
On a cluster, `ray.init(address="auto")` (or RAY_ADDRESS) joins it instead of starting a local
instance; the rest is unchanged.
"""

from __future__ import annotations

import json
import os


class _ExtractBatch:
    """Callable class for map_batches: the pipeline is loaded once per actor."""

    def __init__(self, case_json: str | None):
        from ..case.models import Case
        from .pipeline import Extractor

        self.case = Case.model_validate_json(case_json) if case_json else None
        self.extractor = Extractor()

    def __call__(self, batch):
        import pyarrow as pa

        texts = batch.column("text").to_pylist()
        dates = batch.column("date").to_pylist()
        results = self.extractor.analyse_many(texts, dates, case=self.case)
        return pa.table({
            "i": batch.column("i"),
            "language": [r["language"] for r in results],
            "flagged": [bool(r["flagged"]) for r in results],
            "reason": [r["reason"] for r in results],
            "items": [json.dumps(r["items"], ensure_ascii=False) for r in results],
        })


def ensure_ray(num_cpus: int | None = None):
    import ray

    if not ray.is_initialized():
        address = os.environ.get("RAY_ADDRESS")
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=num_cpus or min(2, os.cpu_count() or 1), include_dashboard=False,
                     log_to_driver=False, ignore_reinit_error=True)
    return ray


def analyse_with_ray(texts, dates=None, *, case=None, batch_size: int = 8, workers: int | None = None) -> list[dict]:
    """Per document {language, flagged, reason, items}, in input order, computed on Ray Data."""
    import pyarrow as pa

    ray = ensure_ray()
    texts = list(texts)
    dates = list(dates) if dates is not None else [None] * len(texts)
    if not texts:
        return []
    table = pa.table({"i": list(range(len(texts))), "text": texts,
                      "date": [str(d) if d else None for d in dates]})
    ds = ray.data.from_arrow(table)
    case_json = case.model_dump_json() if case is not None else None
    workers = workers or max(1, min(int(ray.available_resources().get("CPU", 1)), 2))
    out = ds.map_batches(_ExtractBatch, fn_constructor_args=(case_json,), batch_format="pyarrow",
                         batch_size=batch_size, concurrency=workers, num_cpus=1)
    rows = sorted(out.take_all(), key=lambda r: r["i"])
    return [{"language": r["language"], "flagged": r["flagged"], "reason": r["reason"],
             "items": json.loads(r["items"])} for r in rows]


def extract_with_ray(texts, dates=None, *, case=None) -> list[list[dict]]:
    return [r["items"] for r in analyse_with_ray(texts, dates, case=case)]
