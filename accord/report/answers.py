"""The key answers, said once: the briefing's answers to the case's questions, for every reader.

The briefing renders them with their evidence; the web overview and its API show the same
sentences (`key_answers`), so a reader never sees two different answers to one question.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from ..analysis.contracts import Analysis
from ..case.models import Case
from .briefing import answers_of


class KeyAnswer(BaseModel):
    key: str
    question: str
    answer: str
    detail: str
    evidence: list[str]


def key_answers(case: Case, analysis: Analysis | None, *, audience: str = "public",
                as_of: str | dt.date | None = None) -> list[KeyAnswer]:
    """The answers to the case's key questions; [] when nothing was analysed."""
    if analysis is None:
        return []
    return [KeyAnswer(key=a.key, question=a.question, answer=a.verdict,
                      detail=" ".join(s.text for s in a.sentences),
                      evidence=[r.id for s in a.sentences for r in s.refs])
            for a in answers_of(case, analysis, audience=audience, as_of=as_of)]
