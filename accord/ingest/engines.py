"""Execution engines: where extraction runs. One interface, four engines.

An engine takes documents one at a time (`submit(text, doc_date)`) and hands back a future
(`done()`, `result()` → the extractor's items or its exception). `window` is how many documents
the caller may keep in flight before it must wait for the oldest, which bounds memory.

* `InProcess`  — the extractor called right away, in this process.
* `Batched`    — in this process, documents gathered into batches for a batch function (spaCy's
  `nlp.pipe` batches across documents); a failing batch is retried one document at a time.
* `Processes`  — a pool of worker processes that die with the parent (`_die_with_parent`).
* `Ray`        — Ray Data `map_batches` over Arrow batches, on a local instance or the cluster
  named by RAY_ADDRESS (`ensure_ray`, the only place accord starts or joins Ray).

`analyse_with_ray` (used by `accord extract --engine ray`) runs accord's own extractor on the
same Ray path.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
from collections.abc import Callable
from typing import Any, Protocol

from ..case.models import Case
from .chunking import BatchFn, Extractor, as_dicts


class Future(Protocol):
    def done(self) -> bool: ...
    def result(self) -> Any: ...


class Engine(Protocol):
    window: int

    def submit(self, text: str, doc_date: str | None) -> Future: ...
    def close(self) -> None: ...


class _Result:
    """A future whose value is set by its engine (now, or when its batch is flushed)."""

    def __init__(self, flush: Callable[[], None] | None = None):
        self._flush, self.ready = flush, False
        self.value: Any = None
        self.exc: BaseException | None = None

    def set(self, value: Any, exc: BaseException | None) -> None:
        self.ready, self.value, self.exc = True, value, exc

    def call(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> _Result:
        try:
            self.set(fn(*args, **kw), None)
        except Exception as exc:  # noqa: BLE001 - reported per document by the caller
            self.set(None, exc)
        return self

    def done(self) -> bool:
        return self.ready

    def result(self) -> Any:
        if not self.ready and self._flush is not None:
            self._flush()
        if self.exc is not None:
            raise self.exc
        return self.value


class InProcess:
    window = 0

    def __init__(self, extractor: Extractor, case: Case | None):
        self.extractor, self.case = extractor, case

    def submit(self, text: str, doc_date: str | None) -> Future:
        return _Result().call(self.extractor, text, doc_date=doc_date, case=self.case)

    def close(self) -> None:
        pass


class _Queued:
    """Documents gathered into batches of `batch`; `_run` extracts one batch."""

    def __init__(self, batch: int):
        self.batch = self.window = batch
        self.queue: list[tuple[str, str | None, _Result]] = []

    def submit(self, text: str, doc_date: str | None) -> Future:
        fut = _Result(self.flush)
        self.queue.append((text, doc_date, fut))
        if len(self.queue) >= self.batch:
            self.flush()
        return fut

    def flush(self) -> None:
        queue, self.queue = self.queue, []
        if queue:
            self._run(queue)

    def _run(self, queue: list[tuple[str, str | None, _Result]]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.queue.clear()


class Batched(_Queued):
    """In-process extraction through a batch function (`texts, dates, case=` → one item list per
    text). A failing batch is retried one document at a time, so one bad document is reported alone."""

    def __init__(self, extractor: Extractor, batch_fn: BatchFn, case: Case | None, batch: int = 32):
        super().__init__(batch)
        self.extractor, self.batch_fn, self.case = extractor, batch_fn, case

    def _run(self, queue: list[tuple[str, str | None, _Result]]) -> None:
        try:
            results = self.batch_fn([t for t, _, _ in queue], [d for _, d, _ in queue], case=self.case)
            if len(results) != len(queue):
                raise RuntimeError("batch extractor returned a different number of results")
        except Exception:  # noqa: BLE001 - isolate the bad document below
            for t, d, fut in queue:
                fut.call(self.extractor, t, doc_date=d, case=self.case)
            return
        for (_, _, fut), items in zip(queue, results):
            fut.set(items, None)


# ---------------------------------------------------------------------------- worker processes
_worker_state: dict[str, Any] = {}


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this worker when its parent dies (PR_SET_PDEATHSIG), so a `kill -9`
    of the run leaves no orphaned worker holding a spaCy model (Linux only; the check of the
    parent's pid covers a parent that died before the call)."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker_init(parent: int, extractor: Extractor, case: Case | None) -> None:
    _die_with_parent(parent)
    _worker_state["extractor"], _worker_state["case"] = extractor, case


def _worker_extract(text: str, doc_date: str | None) -> list[Any]:
    return _worker_state["extractor"](text, doc_date=doc_date, case=_worker_state["case"])


class Processes:
    """A pool of worker processes; at most `window` documents in flight keeps memory bounded."""

    def __init__(self, extractor: Extractor, case: Case | None, workers: int):
        import multiprocessing as mp

        # forkserver/spawn would re-import spaCy per worker anyway; fork shares the parent's pages.
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        self.pool = cf.ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init,
                                           initargs=(os.getpid(), extractor, case))
        self.window = workers * 4

    def submit(self, text: str, doc_date: str | None) -> Future:
        return self.pool.submit(_worker_extract, text, doc_date)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


# ---------------------------------------------------------------------------- Ray
def ensure_ray(num_cpus: int | None = None):
    """The `ray` module, initialised: joins the cluster at RAY_ADDRESS if set, else starts a
    local instance (at most 2 CPUs unless told otherwise)."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise RuntimeError("the ray engine needs Ray: pip install 'accord[ray]'") from exc
    if not ray.is_initialized():
        address = os.environ.get("RAY_ADDRESS")
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=num_cpus or min(2, os.cpu_count() or 1), include_dashboard=False,
                     log_to_driver=False, ignore_reinit_error=True)
    return ray


class _RayWorker:
    """map_batches callable: built once per Ray actor (so a spaCy pipeline loads once), it runs
    `make()`'s function on each batch. Results travel as JSON strings in one Arrow column: items
    vary in shape, Arrow wants one schema per column."""

    def __init__(self, make: Callable[[], Callable[..., list[dict]]], case_json: str | None):
        self.case = Case.model_validate_json(case_json) if case_json else None
        self.fn = make()

    def __call__(self, batch):
        import pyarrow as pa  # type: ignore[import-untyped]

        texts = batch.column("text").to_pylist()
        dates = batch.column("date").to_pylist()
        # accord's analyser gives typed items: plain dicts travel, the driver types them again
        results = [r | {"items": as_dicts(r["items"])} if isinstance(r.get("items"), list) else r
                   for r in self.fn(texts, dates, case=self.case)]
        return pa.table({"i": batch.column("i"),
                         "out": [json.dumps(r, ensure_ascii=False, default=str) for r in results]})


def ray_map(texts: list[str], dates: list[str | None], make: Callable[[], Callable[..., list[dict]]],
            *, case: Case | None = None, batch_size: int = 8, workers: int | None = None) -> list[dict]:
    """`make()(texts, dates, case=)` run on Ray Data over batches of `batch_size`; one result
    dict per text, in input order."""
    import pyarrow as pa  # type: ignore[import-untyped]

    ray = ensure_ray()
    if not texts:
        return []
    table = pa.table({"i": list(range(len(texts))), "text": texts,
                      "date": [str(d) if d else None for d in dates]})
    case_json = case.model_dump_json() if case is not None else None
    workers = workers or max(1, min(int(ray.available_resources().get("CPU", 1)), 2))
    out = ray.data.from_arrow(table).map_batches(
        _RayWorker, fn_constructor_args=(make, case_json), batch_format="pyarrow",
        batch_size=batch_size, concurrency=workers, num_cpus=1)
    by_i = {r["i"]: json.loads(r["out"]) for r in out.take_all()}
    return [by_i.get(i, {"error": "lost by the Ray job"}) for i in range(len(texts))]


def _accord_analyser() -> Callable[..., list[dict]]:
    from ..extract.pipeline import Extractor as _Accord

    return _Accord().analyse_many


def analyse_with_ray(texts, dates=None, *, case: Case | None = None, batch_size: int = 8,
                     workers: int | None = None) -> list[dict]:
    """accord's extractor on Ray: per document {language, flagged, reason, items}, in input order;
    items as JSON-ready dicts (what crossed the wire)."""
    texts = list(texts)
    dates = list(dates) if dates is not None else [None] * len(texts)
    return ray_map(texts, dates, _accord_analyser, case=case, batch_size=batch_size, workers=workers)


class _PerDocument:
    """A batch function from a one-document extractor: {"items"} or {"error"} per document, so
    one bad document does not sink its batch."""

    def __init__(self, extractor: Extractor):
        self.extractor = extractor

    def __call__(self):
        def run(texts, dates, *, case=None) -> list[dict]:
            out = []
            for text, date in zip(texts, dates):
                try:
                    out.append({"items": as_dicts(self.extractor(text, doc_date=date, case=case))})
                except Exception as exc:  # noqa: BLE001 - reported per document on the driver
                    out.append({"error": f"{exc.__class__.__name__}: {exc}"})
            return out
        return run


class Ray(_Queued):
    """Documents gathered into batches of `batch` (the unit in flight) and extracted on Ray."""

    def __init__(self, extractor: Extractor, case: Case | None, batch: int = 256):
        super().__init__(batch)
        ensure_ray()  # fail early, before reading anything, if Ray is missing
        self.make, self.case = _PerDocument(extractor), case

    def _run(self, queue: list[tuple[str, str | None, _Result]]) -> None:
        results = ray_map([t for t, _, _ in queue], [d for _, d, _ in queue], self.make,
                          case=self.case, batch_size=64)
        for (_, _, fut), res in zip(queue, results):
            fut.set(res.get("items"), RuntimeError(res["error"]) if "error" in res else None)


def make_engine(engine: str, extractor: Extractor, case: Case | None, *, workers: int = 1,
                batch_fn: BatchFn | None = None, batch: int = 32, ray_batch: int = 256) -> Engine:
    """The engine asked for: `local` (in-process, batched when a batch function is given, or
    `workers` processes) or `ray`."""
    if engine == "ray":
        return Ray(extractor, case, ray_batch)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r} (local or ray)")
    if workers > 1:
        return Processes(extractor, case, workers)
    if batch_fn is not None and batch > 1:
        return Batched(extractor, batch_fn, case, batch)
    return InProcess(extractor, case)
