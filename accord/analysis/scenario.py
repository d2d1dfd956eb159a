"""What-if scenarios: a YAML file of changes applied to the position table before analysis.

Format (docs/analysis.md; an example in examples/scenarios/)::

    name: US presses harder
    description: optional sentence
    changes:
      - set_capability: {actor: USA, value: 90}          # 0–100, like actors.yaml
      - set_fallback: {actor: RUS, issue: territory, value: 60}   # null removes the fallback
      - set_position: {actor: UKR, issue: nato, value: 40}       # the ideal point
      - set_salience: {actor: EUR, issue: sanctions, value: 80}   # 0–100
      - remove_actor: CHN

Every change names actors and issues that exist; an unknown one is an error with the change's
number, never silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .table import InputError, Table

KINDS = ("set_capability", "set_fallback", "set_position", "set_ideal", "set_salience", "remove_actor")


class ScenarioError(InputError):
    pass


@dataclass
class Scenario:
    name: str = "scenario"
    description: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "scenario") -> Scenario:
        if not isinstance(data, dict) or not isinstance(data.get("changes"), list):
            raise ScenarioError(f"{where}: a scenario is a mapping with a `changes:` list")
        for k, ch in enumerate(data["changes"], start=1):
            if not isinstance(ch, dict) or len(ch) != 1 or next(iter(ch)) not in KINDS:
                raise ScenarioError(f"{where}: change {k} must be one of {', '.join(KINDS)}, e.g. "
                                    "`- set_capability: {actor: USA, value: 90}`")
        return cls(name=str(data.get("name", Path(where).stem)), description=data.get("description"),
                   changes=list(data["changes"]))

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ScenarioError(f"cannot read {path}: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise ScenarioError(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
        except ValueError as exc:  # a constructor refusing a value, e.g. an unquoted 2025-02-30
            raise ScenarioError(f"{path}: not valid YAML ({exc})") from None
        except RecursionError:  # the composer is recursive; a scenario is a flat list of changes
            raise ScenarioError(f"{path}: nested too deep to be a scenario") from None
        return cls.from_dict(data, str(path))

    def apply(self, table: Table) -> Table:
        t = table.copy()
        for k, ch in enumerate(self.changes, start=1):
            kind, arg = next(iter(ch.items()))
            where = f"scenario change {k} ({kind})"
            if kind == "remove_actor":
                actor = arg["actor"] if isinstance(arg, dict) else arg
                if actor not in t.actors:
                    raise ScenarioError(f"{where}: no actor {actor!r} in the analysis ({', '.join(t.actors)})")
                keep = [i for i, a in enumerate(t.actors) if a != actor]
                if not keep:
                    raise ScenarioError(f"{where}: removing {actor} leaves no actor")
                t = t.subset(actors=keep)
                continue
            if not isinstance(arg, dict) or "actor" not in arg or "value" not in arg:
                raise ScenarioError(f"{where}: needs `actor` and `value`")
            actor, value = arg["actor"], arg["value"]
            if actor not in t.actors:
                raise ScenarioError(f"{where}: no actor {actor!r} in the analysis ({', '.join(t.actors)})")
            i = t.actors.index(actor)
            if kind == "set_capability":
                v = _number(value, where, 0, None)
                t.capability = t.capability.copy()
                t.capability[i] = v
                continue
            issue = arg.get("issue")
            if issue not in t.issues:
                raise ScenarioError(f"{where}: no issue {issue!r} in the analysis ({', '.join(t.issues)})")
            j = t.issues.index(issue)
            lo, hi = t.bounds[j]
            if kind == "set_fallback":
                t.fallback[i, j] = np.nan if value is None else _number(value, where, lo, hi)
                if not t.present[i, j]:
                    t.position[i, j] = t.fallback[i, j]
                    t.salience[i, j] = 0.5
            elif kind in ("set_position", "set_ideal"):
                if not t.present[i, j]:
                    t.salience[i, j] = 0.5  # a new position without a stated salience: the case default
                t.position[i, j] = _number(value, where, lo, hi)
            elif kind == "set_salience":
                t.salience[i, j] = _number(value, where, 0, 100) / 100.0
        t.validate()
        return t


def _number(value: Any, where: str, lo: float | None, hi: float | None) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ScenarioError(f"{where}: value {value!r} is not a number") from None
    if np.isnan(v) or (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ScenarioError(f"{where}: value {value} is outside {lo}–{hi if hi is not None else '∞'}")
    return v
