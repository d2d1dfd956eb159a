"""The numeric input of every model: actors × issues arrays, and the readers that build them.

A :class:`Table` holds, for *n* actors and *m* issues,

* ``capability`` (n,) — relative power, ≥ 0 (only ratios matter);
* ``position`` (n, m) — ideal points on each issue's scale, NaN where an actor takes no part;
* ``salience`` (n, m) — on 0–1 (0 where the actor takes no part);
* ``fallback`` (n, m) — reservation points, NaN where none is stated;
* ``bounds`` (m, 2) — the scale's ends (0–100 for a case; KTAB and decide files are 0–100;
  a plain table whose values lie outside 0–100 uses the observed range);
* ``spread`` (n, m) — extra half-width the Monte Carlo adds around a position resting on thin or
  stale evidence (0 elsewhere; see analysis.analyze.table_from_positions).

Readers (auto-detected by :func:`read_table`):

* a plain CSV with columns ``actor, capability, position, salience`` and optional ``issue``
  (aliases: Stakeholder; Resources, Influence, Power; salience on 0–1 or 0–100);
* KTAB's CSV: line 1 ``name,description,nActors,nDims``, line 2 a header, then
  ``Actor,Description,Influence,{Position_k,Salience_k}×nDims`` (salience in percent);
* the decide exchange model's tab-separated ``#A/#P/#M/#D`` layout
  (``#D actor issue position salience power``, salience and power on 0–1).

Bad input raises :class:`InputError` with the file, line and a sentence on the fix: NaN or
missing numbers, negative capability, a salience outside its scale, an empty table, a header
without the needed columns. Nothing is silently dropped.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt


class InputError(ValueError):
    """Input a model cannot run on; the message says where and how to fix it."""


Array = npt.NDArray[np.float64]


@dataclass
class Table:
    # The optional arrays may be left out (None) and are filled in by __post_init__: after
    # construction every one is an array of the documented shape, which is what the type says.
    actors: list[str]
    issues: list[str]
    capability: Array
    position: Array
    salience: Array
    fallback: Array = None  # type: ignore[assignment]
    bounds: Array = None  # type: ignore[assignment]
    names: dict[str, str] = field(default_factory=dict)
    source: str = ""
    position_range: Array = None  # type: ignore[assignment]  # (n, m, 2): spread of conflicting evidence
    fallback_range: Array = None  # type: ignore[assignment]  # (n, m, 2)
    spread: Array = None  # type: ignore[assignment]  # (n, m): extra Monte Carlo half-width, thin/stale evidence

    def __post_init__(self) -> None:
        self.capability = np.asarray(self.capability, dtype=float)
        self.position = np.asarray(self.position, dtype=float).reshape(len(self.actors), len(self.issues))
        self.salience = np.asarray(self.salience, dtype=float).reshape(self.position.shape)
        if self.fallback is None:
            self.fallback = np.full(self.position.shape, np.nan)
        self.fallback = np.asarray(self.fallback, dtype=float).reshape(self.position.shape)
        if self.bounds is None:
            self.bounds = np.tile([0.0, 100.0], (len(self.issues), 1))
        self.bounds = np.asarray(self.bounds, dtype=float).reshape(len(self.issues), 2)
        shape3 = self.position.shape + (2,)
        if self.position_range is None:
            self.position_range = np.stack([self.position, self.position], axis=-1)
        self.position_range = np.asarray(self.position_range, dtype=float).reshape(shape3)
        if self.fallback_range is None:
            self.fallback_range = np.stack([self.fallback, self.fallback], axis=-1)
        self.fallback_range = np.asarray(self.fallback_range, dtype=float).reshape(shape3)
        if self.spread is None:
            self.spread = np.zeros(self.position.shape)
        self.spread = np.asarray(self.spread, dtype=float).reshape(self.position.shape)
        self.validate()

    @property
    def n(self) -> int:
        return len(self.actors)

    @property
    def m(self) -> int:
        return len(self.issues)

    @property
    def present(self) -> npt.NDArray[np.bool_]:
        """(n, m) mask: the actor holds a position on the issue."""
        return np.asarray(~np.isnan(self.position))

    def validate(self) -> None:
        where = f" in {self.source}" if self.source else ""
        if self.n == 0 or self.m == 0:
            raise InputError(f"no actors or no issues{where}: a model needs at least one actor on one issue")
        if len(set(self.actors)) != self.n:
            dup = sorted({a for a in self.actors if self.actors.count(a) > 1})
            raise InputError(f"actor(s) {', '.join(dup)} appear twice{where} on the same issue: keep one row each")
        if not np.all(np.isfinite(self.capability)):
            bad = [a for a, c in zip(self.actors, self.capability) if not np.isfinite(c)]
            raise InputError(f"capability of {', '.join(bad)} is not a number{where}: give a number ≥ 0")
        if np.any(self.capability < 0):
            bad = [a for a, c in zip(self.actors, self.capability) if c < 0]
            raise InputError(f"negative capability for {', '.join(bad)}{where}: capability is a share of power, ≥ 0")
        if np.any(np.isinf(self.position)):
            raise InputError(f"an infinite position{where}: positions lie on the issue's scale")
        sal = self.salience[self.present]
        if not np.all(np.isfinite(sal)):
            raise InputError(f"a salience is not a number{where}: give a number on 0–1 or 0–100")
        if np.any(sal < 0) or np.any(sal > 1 + 1e-9):
            raise InputError(f"a salience is outside 0–1{where} after scaling: saliences are 0–1 or 0–100")
        if not np.all(np.isfinite(self.bounds)) or np.any(self.bounds[:, 1] < self.bounds[:, 0]):
            raise InputError(f"an issue's scale has no valid ends{where}")

    def subset(self, actors: list[int] | npt.NDArray[np.int_] | None = None,
               issues: list[int] | npt.NDArray[np.int_] | None = None) -> Table:
        ai = np.arange(self.n) if actors is None else np.asarray(actors, dtype=int)
        ii = np.arange(self.m) if issues is None else np.asarray(issues, dtype=int)
        return replace(
            self, actors=[self.actors[i] for i in ai], issues=[self.issues[j] for j in ii],
            capability=self.capability[ai], position=self.position[np.ix_(ai, ii)],
            salience=self.salience[np.ix_(ai, ii)], fallback=self.fallback[np.ix_(ai, ii)],
            bounds=self.bounds[ii], names=dict(self.names),
            position_range=self.position_range[np.ix_(ai, ii)], fallback_range=self.fallback_range[np.ix_(ai, ii)],
            spread=self.spread[np.ix_(ai, ii)],
        )

    def copy(self) -> Table:
        return self.subset()

    def issue_view(self, j: int) -> tuple[npt.NDArray[np.int_], Array, Array, Array]:
        """(actor indices, capability, position, salience) of the actors present on issue j."""
        idx = np.flatnonzero(self.present[:, j])
        return idx, self.capability[idx], self.position[idx, j], self.salience[idx, j]


# ---------------------------------------------------------------- readers

def _num(value: str, what: str, where: str) -> float:
    text = (value or "").strip().strip("'\"")
    try:
        out = float(text)
    except ValueError:
        raise InputError(f"{where}: {what} {value!r} is not a number") from None
    if math.isnan(out):
        raise InputError(f"{where}: {what} is NaN: give a number")
    return out


def _percent_or_unit(values: np.ndarray) -> np.ndarray:
    """Saliences may be written on 0–1 or 0–100: more than 1 anywhere means percent."""
    finite = values[np.isfinite(values)]
    return values / 100.0 if finite.size and finite.max() > 1.0 else values


def detect_format(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise InputError("the file is empty")
    first = lines[0].strip().lstrip("'\"")
    if first.startswith(("#A", "#P", "#D")):
        return "decide"
    if len(lines) >= 2:
        cells = [c.strip() for c in lines[0].split(",")]
        second = lines[1].strip().lower()
        if len(cells) >= 4 and second.startswith("actor"):
            try:
                int(cells[2]), int(cells[3])
                return "ktab"
            except ValueError:
                pass
    return "plain"


def read_table(path: str | Path, fmt: str | None = None) -> Table:
    """Read a plain, KTAB or decide file into a :class:`Table` (format auto-detected)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = fmt or detect_format(text)
    reader = {"plain": parse_plain, "ktab": parse_ktab, "decide": parse_decide}.get(fmt)
    if reader is None:
        raise InputError(f"unknown table format {fmt!r}: use plain, ktab or decide")
    return reader(text, source=str(path))


_ALIASES = {
    "actor": ("actor", "stakeholder", "name", "player"),
    "capability": ("capability", "resources", "influence", "power", "clout"),
    "position": ("position", "pos"),
    "salience": ("salience", "sal", "importance"),
    "issue": ("issue", "dimension", "dim"),
}


def parse_plain(text: str, source: str = "<table>") -> Table:
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise InputError(f"{source}: needs a header and at least one row (actor, capability, position, salience)")
    header = [h.strip().lower() for h in rows[0]]
    col = {}
    for key, names in _ALIASES.items():
        for i, h in enumerate(header):
            if h in names:
                col[key] = i
                break
    missing = [k for k in ("actor", "capability", "position", "salience") if k not in col]
    if missing:
        raise InputError(f"{source}:1: the header lacks {', '.join(missing)} "
                         f"(expected columns actor, capability, position, salience, optional issue)")
    actors: list[str] = []
    issues: list[str] = []
    cap: dict[str, float] = {}
    cells: dict[tuple[str, str], tuple[float, float]] = {}
    for line, row in enumerate(rows[1:], start=2):
        where = f"{source}:{line}"
        if len(row) <= max(col.values()):
            raise InputError(f"{where}: {len(row)} cells, expected at least {max(col.values()) + 1}")
        actor = row[col["actor"]].strip()
        if not actor:
            raise InputError(f"{where}: empty actor name")
        issue = row[col["issue"]].strip() if "issue" in col else "issue"
        c = _num(row[col["capability"]], "capability", where)
        if actor in cap and not math.isclose(cap[actor], c):
            raise InputError(f"{where}: {actor} has capability {c} here and {cap[actor]} above: one per actor")
        if (actor, issue) in cells:
            raise InputError(f"{where}: {actor} appears twice on issue {issue!r}")
        cap[actor] = c
        cells[(actor, issue)] = (_num(row[col["position"]], "position", where), _num(row[col["salience"]], "salience", where))
        if actor not in actors:
            actors.append(actor)
        if issue not in issues:
            issues.append(issue)
    pos = np.full((len(actors), len(issues)), np.nan)
    sal = np.zeros_like(pos)
    for (a, iss), (p, s) in cells.items():
        pos[actors.index(a), issues.index(iss)] = p
        sal[actors.index(a), issues.index(iss)] = s
    if np.any(sal < 0):
        raise InputError(f"{source}: a negative salience: saliences are 0–1 or 0–100")
    sal = _percent_or_unit(sal)
    lo, hi = np.nanmin(pos, axis=0), np.nanmax(pos, axis=0)
    # A table on 0–100 is read on that scale; others (e.g. years 4–10) on their observed range.
    inside = (lo >= 0) & (hi <= 100) & (hi - lo > 10)
    bounds = np.where(inside[:, None], np.array([0.0, 100.0]), np.stack([lo, hi], axis=1))
    return Table(actors, issues, np.array([cap[a] for a in actors], float), pos, sal, bounds=bounds, source=source)


def parse_ktab(text: str, source: str = "<ktab>") -> Table:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    head = [c.strip() for c in lines[0].split(",")]
    try:
        n_actors, n_dims = int(head[2]), int(head[3])
    except (IndexError, ValueError):
        raise InputError(f"{source}:1: KTAB's first line is 'name,description,nActors,nDims'") from None
    header = [c.strip() for c in lines[1].split(",")]
    dims = [h.replace(" Position", "").replace("Position", "").strip() or f"dim{k + 1}"
            for k, h in enumerate(header[3:3 + 2 * n_dims:2])]
    if len(dims) != n_dims:
        dims = [f"dim{k + 1}" for k in range(n_dims)]
    body = lines[2:]
    if len(body) != n_actors:
        raise InputError(f"{source}: line 1 announces {n_actors} actors, the file has {len(body)} rows")
    actors, names, cap = [], {}, []
    pos = np.zeros((n_actors, n_dims))
    sal = np.zeros((n_actors, n_dims))
    for i, ln in enumerate(body):
        where = f"{source}:{i + 3}"
        cells = [c.strip() for c in ln.split(",")]
        if len(cells) < 3 + 2 * n_dims:
            raise InputError(f"{where}: expected {3 + 2 * n_dims} cells (actor, description, influence, "
                             f"position and salience per dimension), found {len(cells)}")
        actors.append(cells[0])
        names[cells[0]] = cells[1]
        cap.append(_num(cells[2], "influence", where))
        for k in range(n_dims):
            pos[i, k] = _num(cells[3 + 2 * k], "position", where)
            sal[i, k] = _num(cells[4 + 2 * k], "salience", where)
    if np.any(sal < 0) or np.any(sal > 100):
        raise InputError(f"{source}: KTAB saliences are percentages on 0–100")
    return Table(actors, dims, np.array(cap, float), pos, sal / 100.0, names=names, source=source)


def parse_decide(text: str, source: str = "<decide>") -> Table:
    actors: list[str] = []
    issues: list[str] = []
    bounds: dict[str, list[float]] = {}
    data: dict[tuple[str, str], tuple[float, float]] = {}
    power: dict[str, float] = {}
    for line, row in enumerate(csv.reader(io.StringIO(text), delimiter="\t", quotechar="'"), start=1):
        row = [c.strip() for c in row]
        if not row or not row[0]:
            continue
        where = f"{source}:{line}"
        tag = row[0]
        if tag == "#A":
            actors.append(row[1]) if row[1] not in actors else None
        elif tag == "#P":
            issues.append(row[1]) if row[1] not in issues else None
        elif tag == "#M":
            bounds.setdefault(row[1], []).append(_num(row[2], "scale point", where))
        elif tag == "#D":
            if len(row) < 6:
                raise InputError(f"{where}: a #D row is 'actor issue position salience power'")
            actor, issue = row[1], row[2]
            p, s, w = (_num(row[3], "position", where), _num(row[4], "salience", where), _num(row[5], "power", where))
            if actor in power and not math.isclose(power[actor], w):
                raise InputError(f"{where}: {actor} has power {w} here and {power[actor]} above")
            power[actor] = w
            data[(actor, issue)] = (p, s)
            actors.append(actor) if actor not in actors else None
            issues.append(issue) if issue not in issues else None
        else:
            raise InputError(f"{where}: unknown row tag {tag!r} (expected #A, #P, #M or #D)")
    actors = [a for a in actors if a in power]
    if not data:
        raise InputError(f"{source}: no #D rows: nothing to model")
    pos = np.full((len(actors), len(issues)), np.nan)
    sal = np.zeros_like(pos)
    for (a, i), (p, s) in data.items():
        pos[actors.index(a), issues.index(i)] = p
        sal[actors.index(a), issues.index(i)] = s
    sal = _percent_or_unit(sal)
    keep = [j for j in range(len(issues)) if np.any(~np.isnan(pos[:, j]))]
    b = np.array([[min(bounds.get(i, [0.0])), max(bounds.get(i, [100.0]))] for i in issues])
    t = Table(actors, issues, np.array([power[a] for a in actors], float), pos, sal, bounds=b, source=source)
    return t.subset(issues=keep)
