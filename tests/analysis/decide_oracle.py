"""Run decide-exchange-model (the GPL reference, a test oracle only) on a decide file and print
its rounds as JSON: `python tests/analysis/decide_oracle.py FILE ROUNDS`.

decide's own ModelLoop runs the rounds; a recorder in place of its event handler keeps each
round's realised exchanges and outcomes. Two settings make its run deterministic, both about
equalities it leaves to chance:

* exact ties in gain: decide picks among them at random (``ALLOW_RANDOM``); here gains equal to
  12 decimals fall to its list order (its stable sort), as with ``ALLOW_RANDOM`` off;
* its outcome test (``check_nbs``) compares a position with an outcome computed in 28-digit
  decimals, so an outcome exactly on that position passes or fails by its last digit; here an
  outcome within 1e-9 of the position is on it.

accord.analysis.exchange makes the same two choices.
"""

from __future__ import annotations

import decimal
import json
import sys
import time

from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model import base, equalgain
from decide.model.utils import ModelLoop

TIE_DIGITS = 12
ON_POSITION = decimal.Decimal("1e-9")


def _sort_to_digits(self):
    self.exchanges.sort(key=lambda e: round(e.gain, TIE_DIGITS), reverse=True)


_adjust_nbs = base.AbstractExchangeActor.adjust_nbs


def _adjust_nbs_on_position(self, position):
    value = _adjust_nbs(self, position)
    target = self.opposite_actor.demand.position
    return target if abs(value - target) <= ON_POSITION else value


class Recorder:
    """Stands in for decide's event handler; keeps what the comparison needs."""

    def __init__(self, model):
        self.model, self.rounds, self.outcome = model, [], []

    def after_loop(self, realized, iteration, repetition):
        self.rounds.append([{"gain": float(e.gain), "sides": [
            {"actor": s.actor.actor_id, "moves_on": s.supply.issue.name, "to": float(s.y)} for s in (e.i, e.j)]}
            for e in realized])

    def end_loop(self, iteration, repetition):
        self.outcome.append({i.name: float(v) for i, v in self.model.nbs.items()})

    def __getattr__(self, name):  # the other notifications are not needed
        return lambda *args, **kwargs: None


def run(path: str, rounds: int) -> dict:
    equalgain.EqualGainModel.ALLOW_RANDOM = False
    equalgain.EqualGainModel.sort_exchanges = _sort_to_digits
    base.AbstractExchangeActor.adjust_nbs = _adjust_nbs_on_position
    model = ModelFactory(InputDataFile.open(path))(model_klass=equalgain.EqualGainModel, randomized_value=None)
    model.calc_nbs()
    rec = Recorder(model)
    rec.outcome.append({i.name: float(v) for i, v in model.nbs.items()})
    loop = ModelLoop(model, rec, 0)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        loop.loop()
    return {"outcome": rec.outcome, "rounds": rec.rounds,
            "seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu}


if __name__ == "__main__":
    json.dump(run(sys.argv[1], int(sys.argv[2])), sys.stdout)
