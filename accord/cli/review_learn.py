"""The review screen learning from its reviewer: accord.extract.review_model, refit every few decisions.

The case's human decisions (accepted and rejected candidates; automatic accepts are not
judgements) are the examples. After each batch of `EVERY` decisions, and after a batch accept,
the model is refit and the next `WINDOW` candidates of the queue not yet reached are re-ranked,
the ones most likely to be accepted first. For the candidate on screen the model's view is shown as a hint —
the holder and issue its reviewed neighbours were moved to, and their rejected share — and nothing is written:
the reviewer takes the hint with `e` or leaves it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..review import Candidate, list_candidates
from ..store import Store

if TYPE_CHECKING:
    from ..extract.review_model import ReviewModel

EVERY = 10  # decisions between refits: a refit embeds every reviewed sentence again
# Pending candidates re-ranked at each refit: the next ones the reviewer reaches (ranking costs
# ~0.8 ms a candidate, so a refit stays a fraction of a second however long the queue).
WINDOW = 200


class Learner:
    def __init__(self, store: Store, case_id: str):
        self.store, self.case_id = store, case_id
        self.model: ReviewModel | None = None
        self._texts: dict[str, str] = {}

    def sentence(self, cand: Candidate) -> str:
        if cand.document_id not in self._texts:
            doc = self.store.document(cand.case_id, cand.document_id)
            self._texts[cand.document_id] = doc.text if doc else ""
        return " ".join(self._texts[cand.document_id][cand.start or 0:cand.end or 0].split())

    def refit(self) -> int:
        """Fit on the case's reviewed candidates; how many examples."""
        # Imported here: accord.extract loads the NLP stack, which no other `accord` command needs
        # at startup.
        from ..extract.review_model import Example, ReviewModel
        examples = [Example(self.sentence(c), c.data.get("actor") or c.data.get("speaker"),
                            "accept" if c.status == "accepted" else "reject", c.data.get("issue"),
                            proposed=c.data.get("extracted_actor"))
                    for c in list_candidates(self.store, self.case_id, status=None)
                    if c.status in ("accepted", "rejected") and not c.auto_accepted]
        self.model = ReviewModel.fit(examples) if examples else None
        return len(examples)

    def order(self, ids: list[str]) -> list[str]:
        """`ids` (pending candidates), most likely accepted first; as given without a model."""
        if self.model is None or not ids:
            return ids
        by_id = {c.id: c for c in list_candidates(self.store, self.case_id)}
        cands = [by_id[i] for i in ids if i in by_id]
        ids = [c.id for c in cands]
        ranked = self.model.rerank([c.data for c in cands], [self.sentence(c) for c in cands])
        return [ids[k] for k in ranked]

    def hint(self, cand: Candidate) -> str | None:
        """What the reviewed neighbours say about this candidate, if they say anything."""
        if self.model is None or cand.status != "pending":
            return None
        got = self.model.relabel([cand.data], [self.sentence(cand)])[0]
        parts = []
        if got.get("actor") != cand.data.get("actor"):
            parts.append(f"holder {got.get('actor')} (you moved similar sentences to it)")
        if got.get("issue") != cand.data.get("issue"):
            parts.append(f"issue {got.get('issue')} (your decisions on similar sentences)")
        if got.get("review_p_reject") is not None:
            parts.append(f"similar ones rejected: {got['review_p_reject']:.0%}")
        return "review model: " + "; ".join(parts) if parts else None
