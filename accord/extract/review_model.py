"""Learning from review: a per-case model over the analyst's accept / edit / reject decisions.

Every reviewed candidate is a labelled example for its case: its sentence, the holder, and the
issue the analyst kept (accepted as is, or edited to) or the fact that it was rejected. The model
is the examples' sentence vectors (zeroshot.embed: static vectors, ~0.2 ms a sentence), so a refit
is a copy (milliseconds for thousands of decisions). For a pending candidate, the `K` most similar
reviewed sentences (cosine ≥ `MIN_SIM`) vote, weighted by similarity:
  * issue: when the neighbours that were kept agree on an issue with ≥ `RELABEL` of their weight,
    and that issue is one of the candidate's ranked alternatives which its holder does not already
    hold in the sentence, the candidate takes it (its own issue moves to the front of its
    alternatives);
  * holder: an edit that changed the holder ("Iran" → "United States" for a term in the US
    president's statement) says the extractor reads such sentences wrongly. When the reviewed
    neighbours that the extractor gave the candidate's holder were mostly (≥ `RELABEL` of their
    weight) moved to one other holder, the candidate moves too, its holder kept as an alternative;
  * rank: `p_reject` is the rejected neighbours' share of the weight; `rerank` sorts pending
    candidates by it (most likely accepted first) and `relabel` drops none — the reviewer decides.
The review code calls `ReviewModel.fit(examples)` and `model.relabel(candidates)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .zeroshot import embed

K = 5
MIN_SIM = 0.6
RELABEL = 0.6


@dataclass
class Example:
    """One reviewed candidate: its sentence, holder, and the decision (issue kept, or rejected)."""

    sentence: str
    actor: str | None  # the holder the analyst kept (after an edit)
    decision: str  # accept | edit | reject
    issue: str | None = None  # the issue the analyst kept (after an edit)
    proposed: str | None = None  # the holder the extractor proposed, when the analyst changed it

    @property
    def extracted(self) -> str | None:
        return self.proposed or self.actor


class ReviewModel:
    def __init__(self, examples: list[Example], vectors: np.ndarray):
        self.examples = examples
        self.vectors = vectors

    @classmethod
    def fit(cls, examples: list[Example]) -> "ReviewModel":
        examples = [e for e in examples if e.decision in ("accept", "edit", "reject")]
        return cls(examples, embed([e.sentence for e in examples]))

    def _votes(self, sentence: str, actor: str | None):
        """(issue → weight, kept weight, rejected weight, holder → weight among the neighbours the
        extractor gave `actor`, their total weight) over the reviewed neighbours, or None."""
        if not self.examples:
            return None
        sims = self.vectors @ embed([sentence])[0]
        order = [k for k in np.argsort(-sims)[:K] if sims[k] >= MIN_SIM]
        if not order:
            return None
        issues: dict = {}
        holders: dict = {}
        kept = rejected = same = 0.0
        for k in order:
            e, w = self.examples[k], float(sims[k])
            if e.extracted == actor:
                same += w
                if e.decision != "reject":
                    holders[e.actor] = holders.get(e.actor, 0.0) + w
            if e.decision == "reject":
                rejected += w if e.extracted == actor else 0.0
            else:
                kept += w
                if e.issue:
                    issues[e.issue] = issues.get(e.issue, 0.0) + w
        return issues, kept, rejected, holders, same

    def p_reject(self, sentence: str, actor: str | None) -> float | None:
        v = self._votes(sentence, actor)
        if v is None or v[1] + v[2] == 0:
            return None
        return v[2] / (v[1] + v[2])

    def relabel(self, candidates: list[dict], sentences: list[str]) -> list[dict]:
        """Candidates (item dicts) with the issue the case's reviewed neighbours agree on, and
        `review_p_reject`; `sentences[i]` is the text of candidate i's sentence."""
        out = []
        held = {(c.get("actor"), text, c.get("issue")) for c, text in zip(candidates, sentences)}
        for c, text in zip(candidates, sentences):
            c = dict(c)
            v = self._votes(text, c.get("actor"))
            if v is not None:
                issues, kept, rejected, holders, same = v
                if holders and same:
                    moved, w = max(holders.items(), key=lambda kv: kv[1])
                    if moved and moved != c.get("actor") and w / same >= RELABEL \
                            and (moved, text, c.get("issue")) not in held:
                        c["actor_alternatives"] = [{"value": c.get("actor"), "score": 0.0}]
                        c["actor"], c["speaker"] = moved, None  # the speaker was the old holder's
                        held.add((moved, text, c.get("issue")))
                if issues and kept:
                    best, w = max(issues.items(), key=lambda kv: kv[1])
                    offered = {a.get("value") for a in c.get("issue_alternatives") or []}
                    # the neighbours choose among what the extractor found plausible for this
                    # sentence (its ranked alternatives); giving an issue to an item with none, or
                    # one never offered, made the learning curve fall (docs/extraction.md, round 8)
                    if w / kept >= RELABEL and best != c.get("issue") and best in offered \
                            and (c.get("actor"), text, best) not in held:  # not a second item on one issue
                        old = c.get("issue")
                        alts = [a for a in c.get("issue_alternatives") or [] if a.get("value") != best]
                        c["issue_alternatives"] = ([{"value": old, "score": 0.0}] if old else []) + alts
                        c["issue"], c["position"] = best, None
                c["review_p_reject"] = round(rejected / (kept + rejected), 3) if kept + rejected else None
            out.append(c)
        return out

    def rerank(self, candidates: list[dict], sentences: list[str]) -> list[int]:
        """Indices of the candidates, most likely accepted first (unknown ones in the middle)."""
        p = [self.p_reject(t, c.get("actor")) for c, t in zip(candidates, sentences)]
        return sorted(range(len(candidates)), key=lambda i: 0.5 if p[i] is None else p[i])
