"""The learned layer applied to one document's rule items (one matrix per document).

Per sentence: which candidates hold it (learned.LearnedLayer.holders), the main item's type
(the classifier's unless the rules read it from the structure) and the issues (the rules' kept
above `keep`, the classifier's added above `add`); then one item per holder, clause and issue.
"""

from __future__ import annotations

from . import learned as _learned
from .issues import IssueMatcher
from .lexicon import SPEECH_NEUTRAL, STATEMENT_TYPES


def _retype_main(its: list[dict], pt, layer) -> str | None:
    """The main clause's items (same verb) take the classifier's type; returns the final type."""
    main = next((it for it in its if it.get("kind") in ("statement", "event")), None)
    rule_type = main.get("event_type") if main else None
    new_type = rule_type if main is not None and main.get("_structural") else layer.combine_type(pt, rule_type)
    if main is not None and new_type != rule_type:
        for it in its:
            if it.get("verb") == main.get("verb") and it.get("event_type") == rule_type:
                it["event_type"] = new_type
                it["kind"] = "statement" if new_type in STATEMENT_TYPES else "event"
    return new_type


def _add_holders(its: list[dict], info, holders: list[str], issues: list[str], new_type) -> None:
    """Holders the rules did not name take the sentence's type and issues (the quotation's
    speaker with their name). "Russia did not attack": the rules say nothing of a negated act,
    nor does the layer."""
    sent, qh = info.sent, info.quote_holder
    negated_act = new_type not in STATEMENT_TYPES and any(c.dep_ == "neg" for c in sent.root.children)
    for actor in holders:
        if any(it.get("actor") == actor for it in its) or (not issues and new_type is None) or negated_act:
            continue
        speaker = qh.speaker_id or qh.speaker if qh is not None and qh.actor == actor else None
        its.append({"kind": "statement" if new_type in STATEMENT_TYPES or new_type is None else "event",
                    "event_type": new_type, "actor": actor, "speaker": speaker, "reported_by": None,
                    "date": info.date, "start": sent.start_char, "end": sent.end_char,
                    "sentence": [sent.start_char, sent.end_char], "verb": sent.root.lemma_,
                    "confidence": 0.5, "issue": None, "position": None})


def _rebuild(its: list[dict], issues: list[str], text: str, matcher: IssueMatcher) -> list[dict]:
    """Per holder and clause, one item per final issue (the rules' item where it had that issue)."""
    groups: dict = {}
    for it in its:
        groups.setdefault((it.get("verb"), it.get("actor"), it.get("event_type")), it)
    out = []
    for base in groups.values():
        if not issues:
            if base.get("event_type") is not None:
                out.append({**base, "issue": None, "position": None})
            continue
        for issue in issues:
            old = next((x for x in its if x.get("verb") == base.get("verb") and x.get("actor") == base.get("actor")
                        and x.get("issue") == issue), None)
            if old is not None:
                out.append(old)
            else:
                position, role = matcher.position(issue, text, base.get("event_type"))
                out.append({**base, "issue": issue, "position": position, "role": role,
                            "confidence": round(min(base.get("confidence") or 0.5, 0.6), 2)})
    return out


def apply_learned(infos: list, layer, embed, matcher: IssueMatcher, case) -> None:
    """Decide each sentence's holders, type and issues; rewrites `info.items` in place."""
    fi, ft, fh = _learned.document_features(infos, SPEECH_NEUTRAL)
    p_issue, p_type = layer.predict(fi, ft)
    add_keep = None
    if embed is not None:
        p_issue = embed.mix(p_issue, layer.issue_model.labels, [i.sent.text for i in infos])
        add_keep = (embed.add, embed.keep)
    allowed = set(matcher.patterns) if case is not None and getattr(case, "issues", None) else None
    for info, pi, pt, holders in zip(infos, p_issue, p_type, layer.holders(fh)):
        candidates = [it for it in info.items if it.pop("_candidate", False)]
        firm = [it for it in info.items if it not in candidates]
        its = [it for it in (firm or candidates) if it.get("actor") in holders]
        new_type = _retype_main(its, pt, layer)
        rule_issues = list(dict.fromkeys(it["issue"] for it in its if it.get("issue")))
        if not its:
            rule_issues = matcher.issues(info.sent.text)
        issues = layer.combine_issues(pi, rule_issues, allowed, add_keep)
        _add_holders(its, info, holders, issues, new_type)
        info.items = _rebuild(its, issues, info.sent.text, matcher)
